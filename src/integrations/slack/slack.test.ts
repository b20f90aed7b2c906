import { afterEach, describe, expect, it } from "vitest";
import { type FakeServer, rejectionOf, startFakeServer } from "../testing/fake-server";
import { actionRunner } from "../testing/run-action";

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const slack = { slack: { accessToken: "xoxb-17-secret-bot-token" } };

describe("slack.message.post", () => {
  it("posts to chat.postMessage with the bot token", async () => {
    server = await startFakeServer(() => ({
      body: { ok: true, channel: "C024BE91L", ts: "1712345678.000100", message: { text: "Payment failed", type: "message" } },
    }));
    const action = actionRunner("slack.message.post", { baseUrls: { slack: `${server.url}/api` } });

    const output = await action.run({ channel: "#ops", text: "Payment failed", threadTs: "1712345000.000200" }, slack);

    expect(output).toEqual({ ok: true, channel: "C024BE91L", ts: "1712345678.000100" });
    const [request] = server.requests;
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/api/chat.postMessage");
    expect(request?.headers.authorization).toBe("Bearer xoxb-17-secret-bot-token");
    expect(request?.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(JSON.parse(request?.body ?? "")).toEqual({ channel: "#ops", text: "Payment failed", thread_ts: "1712345000.000200" });
  });

  it("fails with Slack's error when ok is false", async () => {
    server = await startFakeServer(() => ({ body: { ok: false, error: "not_in_channel" } }));
    const action = actionRunner("slack.message.post", { baseUrls: { slack: server.url } });
    const error = await rejectionOf(action.run({ channel: "C1", text: "hi" }, slack));
    expect(error).toMatchObject({ code: "client", retryable: false });
    expect(error.message).toContain("not_in_channel");
  });

  it("asks to connect Slack when there is no connection, without calling Slack", async () => {
    server = await startFakeServer(() => ({ body: { ok: true } }));
    const action = actionRunner("slack.message.post", { baseUrls: { slack: server.url } });
    const error = await rejectionOf(action.run({ channel: "C1", text: "hi" }, {}));
    expect(error).toMatchObject({ code: "config", message: "Connect Slack first" });
    expect(server.requests).toHaveLength(0);
  });

  it("rejects invalid settings as a validation error", async () => {
    server = await startFakeServer(() => ({ body: { ok: true } }));
    const action = actionRunner("slack.message.post", { baseUrls: { slack: server.url } });
    const error = await rejectionOf(action.run({ channel: "C1", text: "" }, slack));
    expect(error.code).toBe("validation");
    expect(error.message).toContain("text");
  });
});

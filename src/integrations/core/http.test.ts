import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { StepError } from "@/engine/errors";
import { type FakeResponse, type FakeServer, rejectionOf, startFakeServer } from "../testing/fake-server";
import { previewHttpRequest, providerErrorMessage, redactHeaders, retryAfterMs, sendHttpRequest } from "./http";

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function answer(reply: FakeResponse) {
  server = await startFakeServer(() => reply);
  return server.url;
}

const failure = rejectionOf;

/** A port nothing listens on: bind one, then release it. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe("sendHttpRequest", () => {
  it("sends JSON and parses a JSON answer", async () => {
    const url = await answer({ status: 201, body: { id: 7 } });
    const response = await sendHttpRequest({ method: "POST", url: `${url}/things`, headers: { "x-a": "1" }, json: { name: "n" } }, { provider: "Fake" });
    expect(response).toMatchObject({ status: 201, body: { id: 7 } });
    expect(server?.requests[0]).toMatchObject({ method: "POST", path: "/things", body: '{"name":"n"}' });
    expect(server?.requests[0]?.headers["content-type"]).toBe("application/json");
  });

  it("form-encodes form bodies", async () => {
    const url = await answer({ body: "ok" });
    const response = await sendHttpRequest({ method: "POST", url, headers: {}, form: { To: "+1 415", Body: "a&b" } }, { provider: "Fake" });
    expect(response.body).toBe("ok");
    expect(server?.requests[0]?.body).toBe("To=%2B1+415&Body=a%26b");
    expect(server?.requests[0]?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
  });

  it("maps a refused connection to a retryable network error", async () => {
    const port = await closedPort();
    const error = await failure(sendHttpRequest({ method: "GET", url: `http://127.0.0.1:${port}/`, headers: {} }, { provider: "Fake" }));
    expect(error).toMatchObject({ code: "network", retryable: true });
    expect(error.message).toContain("ECONNREFUSED");
  });

  it("maps a slow answer to a retryable timeout", async () => {
    const url = await answer({ delayMs: 2_000, body: "late" });
    const error = await failure(sendHttpRequest({ method: "GET", url, headers: {} }, { provider: "Fake", timeoutMs: 100 }));
    expect(error).toMatchObject({ code: "timeout", retryable: true });
  });

  it("maps the step's abort to a timeout", async () => {
    const url = await answer({ delayMs: 2_000, body: "late" });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await failure(sendHttpRequest({ method: "GET", url, headers: {} }, { provider: "Fake", signal: controller.signal }));
    expect(error.code).toBe("timeout");
  });

  it("keeps a StepError the step was aborted with, such as a cancellation", async () => {
    const url = await answer({ delayMs: 2_000, body: "late" });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new StepError("cancelled", "Run cancelled")), 50);
    const error = await failure(sendHttpRequest({ method: "GET", url, headers: {} }, { provider: "Fake", signal: controller.signal }));
    expect(error.code).toBe("cancelled");
  });

  it("maps 429 to rate_limited with Retry-After in seconds", async () => {
    const url = await answer({ status: 429, headers: { "retry-after": "30" }, body: { message: "slow down" } });
    const error = await failure(sendHttpRequest({ method: "GET", url, headers: {} }, { provider: "Fake" }));
    expect(error).toMatchObject({ code: "rate_limited", retryable: true, retryAfterMs: 30_000, status: 429 });
  });

  it("maps 429 with an HTTP-date Retry-After", async () => {
    const at = new Date(Date.now() + 60_000).toUTCString();
    const url = await answer({ status: 429, headers: { "retry-after": at } });
    const error = await failure(sendHttpRequest({ method: "GET", url, headers: {} }, { provider: "Fake" }));
    expect(error.code).toBe("rate_limited");
    expect(error.retryAfterMs).toBeGreaterThan(55_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it("maps GitHub's exhausted-quota 403 to rate_limited", async () => {
    const reset = Math.floor(Date.now() / 1000) + 120;
    const url = await answer({ status: 403, headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) }, body: { message: "API rate limit exceeded" } });
    const error = await failure(sendHttpRequest({ method: "GET", url, headers: {} }, { provider: "GitHub" }));
    expect(error.code).toBe("rate_limited");
    expect(error.retryAfterMs).toBeGreaterThan(100_000);
  });

  it("maps 500 to a retryable server error", async () => {
    const url = await answer({ status: 503, body: "upstream unavailable" });
    const error = await failure(sendHttpRequest({ method: "GET", url, headers: {} }, { provider: "Fake" }));
    expect(error).toMatchObject({ code: "server", retryable: true, status: 503 });
  });

  it("maps 401 to auth, asks for reconnection and never echoes the token", async () => {
    const url = await answer({ status: 401, body: { message: "Bad credentials: sk_live_abcdef123456" } });
    const error = await failure(
      sendHttpRequest({ method: "GET", url, headers: { authorization: "Bearer sk_live_abcdef123456" } }, { provider: "GitHub" }),
    );
    expect(error).toMatchObject({ code: "auth", retryable: false, status: 401 });
    expect(error.message).toMatch(/Reconnect GitHub/);
    expect(error.message).not.toContain("sk_live_abcdef123456");
  });

  it("maps 400 to client with the provider's message", async () => {
    const url = await answer({ status: 400, body: { errorMessages: [], errors: { summary: "You must specify a summary of the issue." } } });
    const error = await failure(sendHttpRequest({ method: "POST", url, headers: {}, json: {} }, { provider: "Jira" }));
    expect(error).toMatchObject({ code: "client", retryable: false, status: 400 });
    expect(error.message).toContain("summary: You must specify a summary of the issue.");
  });

  it("treats Slack's ok:false as a client error", async () => {
    const url = await answer({ body: { ok: false, error: "channel_not_found" } });
    const error = await failure(sendHttpRequest({ method: "POST", url, headers: {}, json: {}, okFlagInBody: true }, { provider: "Slack" }));
    expect(error).toMatchObject({ code: "client", retryable: false });
    expect(error.message).toContain("channel_not_found");
  });

  it("treats Slack's ratelimited and invalid_auth as rate_limited and auth", async () => {
    const limited = await answer({ headers: { "retry-after": "3" }, body: { ok: false, error: "ratelimited" } });
    const rate = await failure(sendHttpRequest({ method: "POST", url: limited, headers: {}, okFlagInBody: true }, { provider: "Slack" }));
    expect(rate).toMatchObject({ code: "rate_limited", retryAfterMs: 3000 });
    await server?.close();
    const revoked = await answer({ body: { ok: false, error: "invalid_auth" } });
    const auth = await failure(sendHttpRequest({ method: "POST", url: revoked, headers: {}, okFlagInBody: true }, { provider: "Slack" }));
    expect(auth.code).toBe("auth");
  });

  it("returns error responses as they are when failOnHttpError is false", async () => {
    const url = await answer({ status: 404, body: { message: "Not Found" } });
    const response = await sendHttpRequest({ method: "GET", url, headers: {}, failOnHttpError: false }, { provider: "HTTP" });
    expect(response).toMatchObject({ status: 404, body: { message: "Not Found" } });
  });
});

describe("retryAfterMs", () => {
  it("reads seconds, HTTP dates and GitHub's reset header", () => {
    const now = Date.parse("2026-03-02T09:00:00Z");
    expect(retryAfterMs({ "retry-after": "120" }, now)).toBe(120_000);
    expect(retryAfterMs({ "retry-after": "Mon, 02 Mar 2026 09:01:00 GMT" }, now)).toBe(60_000);
    expect(retryAfterMs({ "retry-after": "Mon, 02 Mar 2026 08:00:00 GMT" }, now)).toBe(0);
    expect(retryAfterMs({ "x-ratelimit-reset": String(now / 1000 + 30) }, now)).toBe(30_000);
    expect(retryAfterMs({}, now)).toBeUndefined();
  });
});

describe("providerErrorMessage", () => {
  it.each([
    ["Jira", { errorMessages: ["Issue type is required."], errors: {} }, "Issue type is required."],
    ["Slack", { ok: false, error: "not_in_channel" }, "not_in_channel"],
    ["Twilio", { code: 21211, message: "The 'To' number +1555 is not a valid phone number.", status: 400 }, "The 'To' number +1555 is not a valid phone number."],
    ["SendGrid", { errors: [{ message: "The from address does not match a verified Sender Identity.", field: "from" }] }, "from: The from address does not match a verified Sender Identity."],
    ["GitHub", { message: "Validation Failed", errors: [{ resource: "Issue", code: "missing_field", field: "title" }] }, "Validation Failed; title: missing_field"],
    ["Pipedrive", { success: false, error: "Bad request", error_info: "Please check developers.pipedrive.com" }, "Bad request; Please check developers.pipedrive.com"],
  ])("extracts %s's message", (_provider, body, expected) => {
    expect(providerErrorMessage(body)).toBe(expected);
  });
});

describe("redaction", () => {
  it("keeps the auth scheme and hides the secret", () => {
    expect(redactHeaders({ Authorization: "Bearer xoxb-123", "x-api-key": "k", "I-Twilio-Idempotency-Token": "run:a1", accept: "*/*" })).toEqual({
      Authorization: "Bearer •••",
      "x-api-key": "•••",
      "I-Twilio-Idempotency-Token": "run:a1",
      accept: "*/*",
    });
  });

  it("previews the encoded request without secrets", () => {
    expect(previewHttpRequest({ method: "POST", url: "https://x.test/a", headers: { authorization: "Basic dXNlcjpwYXNz" }, form: { To: "+1" } })).toEqual({
      method: "POST",
      url: "https://x.test/a",
      headers: { authorization: "Basic •••", "content-type": "application/x-www-form-urlencoded" },
      body: { To: "+1" },
    });
  });
});

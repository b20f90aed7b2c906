import { afterEach, describe, expect, it } from "vitest";
import { type FakeServer, rejectionOf, startFakeServer } from "../testing/fake-server";
import { actionRunner } from "../testing/run-action";

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const twilio = { twilio: { username: "AC1234567890abcdef1234567890abcdef", password: "twilio-auth-token-xyz" } };

describe("twilio.sms.send", () => {
  it("creates a Message with form fields, Basic auth and the idempotency token", async () => {
    server = await startFakeServer(() => ({
      status: 201,
      body: {
        sid: "SM1f0e8ae6ade43cb3c0ce4525424e404f",
        account_sid: "AC1234567890abcdef1234567890abcdef",
        status: "queued",
        to: "+14155550123",
        from: "+14155559876",
        body: "Your payment failed",
        num_segments: "1",
        date_created: "Mon, 02 Mar 2026 09:00:00 +0000",
      },
    }));
    const action = actionRunner("twilio.sms.send", { baseUrls: { twilio: server.url } });

    const output = await action.run({ to: "+14155550123", from: "+14155559876", body: "Your payment failed" }, twilio);

    expect(output).toEqual({ sid: "SM1f0e8ae6ade43cb3c0ce4525424e404f", status: "queued", to: "+14155550123" });
    const [request] = server.requests;
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/2010-04-01/Accounts/AC1234567890abcdef1234567890abcdef/Messages.json");
    const basic = Buffer.from("AC1234567890abcdef1234567890abcdef:twilio-auth-token-xyz").toString("base64");
    expect(request?.headers.authorization).toBe(`Basic ${basic}`);
    expect(request?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(request?.headers["i-twilio-idempotency-token"]).toBe("run_1:a1");
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({ To: "+14155550123", From: "+14155559876", Body: "Your payment failed" });
  });

  it("uses extra.accountSid in the path when connected with an API key", async () => {
    server = await startFakeServer(() => ({ status: 201, body: { sid: "SM1", status: "queued", to: "+14155550123" } }));
    const action = actionRunner("twilio.sms.send", { baseUrls: { twilio: server.url } });
    await action.run(
      { to: "+14155550123", from: "+14155559876", body: "hi" },
      { twilio: { username: "SKabc", password: "secret", extra: { accountSid: "AC999" } } },
    );
    expect(server.requests[0]?.path).toBe("/2010-04-01/Accounts/AC999/Messages.json");
  });

  it("rejects numbers that are not E.164 before calling Twilio", async () => {
    server = await startFakeServer(() => ({ status: 201, body: {} }));
    const action = actionRunner("twilio.sms.send", { baseUrls: { twilio: server.url } });
    const error = await rejectionOf(action.run({ to: "415-555-0123", from: "+14155559876", body: "hi" }, twilio));
    expect(error.code).toBe("validation");
    expect(error.message).toContain("to: Expected an E.164 phone number");
    expect(server.requests).toHaveLength(0);
  });

  it("surfaces Twilio's error message", async () => {
    server = await startFakeServer(() => ({
      status: 400,
      body: { code: 21608, message: "The number +14155550123 is unverified. Trial accounts cannot send messages to unverified numbers.", more_info: "https://www.twilio.com/docs/errors/21608", status: 400 },
    }));
    const action = actionRunner("twilio.sms.send", { baseUrls: { twilio: server.url } });
    const error = await rejectionOf(action.run({ to: "+14155550123", from: "+14155559876", body: "hi" }, twilio));
    expect(error.code).toBe("client");
    expect(error.message).toContain("Trial accounts cannot send messages");
    expect(error.message).not.toContain("twilio-auth-token-xyz");
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { type FakeServer, rejectionOf, startFakeServer } from "../testing/fake-server";
import { actionRunner } from "../testing/run-action";

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const sendgrid = { sendgrid: { accessToken: "SG.secret-key" } };

describe("sendgrid.email.send", () => {
  it("sends through /v3/mail/send and returns the X-Message-Id", async () => {
    server = await startFakeServer(() => ({ status: 202, headers: { "x-message-id": "W7bX2kQ9R0eZ1pL3aC5vTg" } }));
    const action = actionRunner("sendgrid.email.send", { baseUrls: { sendgrid: server.url } });

    const output = await action.run(
      {
        to: ["jenny.rosen@example.com", "billing@example.com"],
        from: "support@acme.test",
        fromName: "Acme Support",
        subject: "Your payment failed",
        text: "Please update your card.",
        html: "<p>Please update your card.</p>",
      },
      sendgrid,
    );

    expect(output).toEqual({ accepted: true, messageId: "W7bX2kQ9R0eZ1pL3aC5vTg" });
    const [request] = server.requests;
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/v3/mail/send");
    expect(request?.headers.authorization).toBe("Bearer SG.secret-key");
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(request?.body ?? "")).toEqual({
      personalizations: [{ to: [{ email: "jenny.rosen@example.com" }, { email: "billing@example.com" }] }],
      from: { email: "support@acme.test", name: "Acme Support" },
      subject: "Your payment failed",
      content: [
        { type: "text/plain", value: "Please update your card." },
        { type: "text/html", value: "<p>Please update your card.</p>" },
      ],
    });
  });

  it("surfaces SendGrid's errors[].message", async () => {
    server = await startFakeServer(() => ({
      status: 403,
      body: { errors: [{ message: "The from address does not match a verified Sender Identity.", field: "from", help: null }] },
    }));
    const action = actionRunner("sendgrid.email.send", { baseUrls: { sendgrid: server.url } });
    const error = await rejectionOf(action.run({ to: "a@example.com", from: "b@acme.test", subject: "s", text: "t" }, sendgrid));
    expect(error.code).toBe("auth");
    expect(error.message).toContain("verified Sender Identity");
  });
});

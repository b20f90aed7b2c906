// Create a Message (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource).
import { z } from "zod";
import { basicAuth, defineAction, joinUrl, requireCredential } from "../../core/define";

const e164 = z
  .string()
  .trim()
  .regex(/^\+[1-9]\d{1,14}$/, "Expected an E.164 phone number like +14155550123");

const input = z.object({
  to: e164.describe("Recipient phone number (E.164)"),
  from: e164.describe("Your Twilio phone number (E.164)"),
  body: z.string().min(1).max(1600).describe("Message text"),
});

const output = z.object({ sid: z.string(), status: z.string(), to: z.string() });

export const sendSms = defineAction({
  type: "twilio.sms.send",
  title: "Send an SMS",
  description: "Sends a text message through Twilio.",
  phrases: ["send an sms", "text the customer", "send a text message", "sms", "text message", "twilio", "text them", "text me", "send a text", "envoyer un sms", "enviar un sms", "sms senden"],
  input,
  output,
  sampleOutput: { sid: "SM1f0e8ae6ade43cb3c0ce4525424e404f", status: "queued", to: "+14155550123" },
  request(sms, ctx) {
    const username = requireCredential(ctx.credentials.username, "Twilio");
    const password = requireCredential(ctx.credentials.password, "Twilio");
    // With an API key (SK…) as the username, the account SID lives in extra.accountSid.
    const accountSid = ctx.credentials.extra?.accountSid ?? username;
    return {
      method: "POST",
      url: joinUrl(ctx.baseUrl, `2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`),
      headers: {
        authorization: basicAuth(username, password),
        accept: "application/json",
        "i-twilio-idempotency-token": ctx.idempotencyKey,
      },
      form: { To: sms.to, From: sms.from, Body: sms.body },
    };
  },
});

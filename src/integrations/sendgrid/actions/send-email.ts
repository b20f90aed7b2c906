// Mail Send v3 (https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send).
import { z } from "zod";
import { bearer, defineAction, joinUrl, requireCredential } from "../../core/define";

const input = z.object({
  to: z.union([z.email(), z.array(z.email()).min(1).max(1000)]).describe("Recipient address, or a list of them"),
  from: z.email().describe("A sender address verified in SendGrid"),
  fromName: z.string().min(1).optional(),
  replyTo: z.email().optional(),
  subject: z.string().min(1).max(998),
  text: z.string().min(1).describe("Plain-text body"),
  html: z.string().min(1).optional().describe("HTML body, shown by mail clients that support it"),
});

const output = z.object({ accepted: z.literal(true), messageId: z.string().nullable() });

export const sendEmail = defineAction({
  type: "sendgrid.email.send",
  title: "Send an email",
  description: "Sends an email through SendGrid.",
  phrases: ["send an email", "email the customer", "send mail", "email", "notify by email", "sendgrid", "email them", "send them an email", "follow-up email", "welcome email", "thank-you email", "email summary", "envoyer un email", "enviar un email", "e-mail senden"],
  input,
  output,
  sampleOutput: { accepted: true, messageId: "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0" },
  request(email, ctx) {
    const recipients = (Array.isArray(email.to) ? email.to : [email.to]).map((address) => ({ email: address }));
    return {
      method: "POST",
      url: joinUrl(ctx.baseUrl, "v3/mail/send"),
      headers: { authorization: bearer(requireCredential(ctx.credentials.accessToken, "SendGrid")) },
      json: {
        personalizations: [{ to: recipients }],
        from: { email: email.from, ...(email.fromName ? { name: email.fromName } : {}) },
        ...(email.replyTo ? { reply_to: { email: email.replyTo } } : {}),
        subject: email.subject,
        // SendGrid requires text/plain before text/html.
        content: [{ type: "text/plain", value: email.text }, ...(email.html ? [{ type: "text/html", value: email.html }] : [])],
      },
    };
  },
  // A 202 has an empty body; the message id only comes back as a header.
  parse: (response) => ({ accepted: true as const, messageId: response.headers["x-message-id"] ?? null }),
});

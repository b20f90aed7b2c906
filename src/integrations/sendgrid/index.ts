import { defineIntegration } from "../core/define";
import { sendgridConnection } from "./connection";
import { sendEmail } from "./actions/send-email";

export const sendgrid = defineIntegration({
  key: "sendgrid",
  name: "SendGrid",
  description: "Send transactional email.",
  color: "#1A82E2",
  icon: { kind: "monogram", text: "SG" },
  connection: { kind: "api_key", token: sendgridConnection },
  defaultBaseUrl: "https://api.sendgrid.com",
  triggers: [],
  actions: [sendEmail],
});

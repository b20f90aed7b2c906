import { defineIntegration } from "../core/define";
import { twilioConnection } from "./connection";
import { sendSms } from "./actions/send-sms";

export const twilio = defineIntegration({
  key: "twilio",
  name: "Twilio",
  description: "Send SMS messages.",
  color: "#F22F46",
  icon: { kind: "monogram", text: "Tw" },
  connection: { kind: "api_key", token: twilioConnection },
  defaultBaseUrl: "https://api.twilio.com",
  triggers: [],
  actions: [sendSms],
});

import { defineIntegration } from "../core/define";
import { stripeTriggers } from "./triggers";

export const stripe = defineIntegration({
  key: "stripe",
  name: "Stripe",
  description: "React to payments, subscriptions, invoices and checkouts.",
  color: "#635BFF",
  icon: { kind: "monogram", text: "S" },
  connection: { kind: "oauth2" },
  triggers: stripeTriggers,
  actions: [],
});

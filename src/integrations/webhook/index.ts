// Inbound webhooks: each workflow gets its own URL; anything POSTed there starts a run.
import { z } from "zod";
import { defineIntegration, defineTrigger } from "../core/define";

const received = defineTrigger({
  type: "webhook.received",
  title: "Webhook received",
  // The optional HMAC secret is not node config (graphs reach the browser and exports): it is set
  // per workflow through workflows.setWebhookSecret and stored encrypted.
  description: "Starts when a request arrives at this workflow's webhook URL.",
  phrases: ["webhook", "when a webhook is received", "incoming webhook", "http request comes in", "someone posts to my url", "catch hook"],
  payloadSchema: z.object({
    method: z.string(),
    /** Lower-cased header names. */
    headers: z.record(z.string(), z.string()),
    query: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
    /** Parsed JSON, a form as an object, or the raw text. */
    body: z.unknown(),
  }),
  sample: {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": "Typeform-Webhooks" },
    query: { source: "signup-form" },
    body: { email: "jenny.rosen@example.com", name: "Jenny Rosen", plan: "pro" },
  },
});

export const webhook = defineIntegration({
  key: "webhook",
  name: "Webhook",
  description: "Start a workflow from any service that can send a webhook.",
  color: "#C026D3",
  icon: { kind: "svg", path: "M18 16.98h-5.99c-1.1 0-1.95.94-2.48 1.9A4 4 0 0 1 2 17c.01-.7.2-1.4.57-2M6 17l3.13-5.78c.53-.97.1-2.18-.5-3.1a4 4 0 1 1 6.89-4.06M12 6l3.13 5.73C15.66 12.7 16.9 13 18 13a4 4 0 0 1 0 8" },
  connection: { kind: "none" },
  triggers: [received],
  actions: [],
});

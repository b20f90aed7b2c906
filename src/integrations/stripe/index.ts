import { z } from "zod";
import { defineIntegration } from "../core/define";
import { stripeTriggers } from "./triggers";

export const stripe = defineIntegration({
  key: "stripe",
  name: "Stripe",
  description: "React to payments, subscriptions, invoices and checkouts.",
  color: "#635BFF",
  icon: { kind: "monogram", text: "S" },
  connection: {
    kind: "oauth2",
    // Stripe Connect (Standard accounts): the platform's secret key is the client secret, sent in
    // the body; Stripe does not support PKCE here.
    oauth: {
      defaultBaseUrl: "https://connect.stripe.com",
      authorizePath: "/oauth/authorize",
      tokenPath: "/oauth/token",
      scopes: ["read_write"],
      pkce: false,
      clientAuth: "client_secret_post",
      env: { baseUrl: "STRIPE_CONNECT_URL", clientId: "STRIPE_CONNECT_CLIENT_ID", clientSecret: ["STRIPE_CONNECT_SECRET_KEY", "STRIPE_SECRET_KEY"] },
      tokenFields: z.object({
        stripe_user_id: z.string().regex(/^acct_\w+$/),
        stripe_publishable_key: z.string().optional(),
        livemode: z.boolean().optional(),
      }),
      account: (token) => ({ externalAccountId: String(token.stripe_user_id), label: String(token.stripe_user_id) }),
    },
  },
  triggers: stripeTriggers,
  actions: [],
});

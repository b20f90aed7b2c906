// GitHub: a personal access token, checked with GET /user (https://docs.github.com/en/rest/users/users#get-the-authenticated-user).
import { z } from "zod";
import { bearer, defineTokenConnection, joinUrl } from "../core/define";

export const githubConnection = defineTokenConnection({
  fields: z
    .object({
      token: z.string().trim().min(20, "Paste the full token").max(255).describe("Personal access token"),
      webhookSecret: z
        .string()
        .trim()
        .min(16, "Use at least 16 characters")
        .max(256)
        .optional()
        .describe("Webhook secret (optional: the secret of your repository webhook, for the New GitHub issue trigger)"),
    })
    .strict(),
  secretFields: ["token", "webhookSecret"],
  toCredentials: (fields) => ({ credentials: { accessToken: fields.token }, settings: {}, webhookSecret: fields.webhookSecret }),
  verify: {
    request: (credentials, _settings, baseUrl) => ({
      method: "GET",
      url: joinUrl(baseUrl, "/user"),
      headers: { authorization: bearer(credentials.accessToken ?? ""), accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28" },
    }),
    account: (body) => {
      const user = z.object({ id: z.number(), login: z.string() }).safeParse(body);
      return user.success ? { externalAccountId: String(user.data.id), label: user.data.login } : {};
    },
  },
});

// Jira Cloud with an API token: site URL + Atlassian account email + token, checked with
// GET /rest/api/3/myself (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-myself/).
import { z } from "zod";
import { basicAuth, defineTokenConnection, joinUrl } from "../core/define";

export const jiraConnection = defineTokenConnection({
  fields: z
    .object({
      siteUrl: z
        .url({ protocol: /^https?$/, error: "Enter your Jira site address, e.g. https://acme.atlassian.net" })
        .transform((url) => url.replace(/\/+$/, ""))
        .describe("Site URL"),
      email: z.email({ error: "Enter the email of your Atlassian account" }).describe("Account email"),
      apiToken: z.string().trim().min(8, "Paste the full API token").max(512).describe("API token"),
    })
    .strict(),
  secretFields: ["apiToken"],
  toCredentials: (fields) => ({
    credentials: { username: fields.email, password: fields.apiToken },
    settings: { baseUrl: fields.siteUrl, siteUrl: fields.siteUrl },
  }),
  verify: {
    request: (credentials, settings) => ({
      method: "GET",
      url: joinUrl(settings.baseUrl ?? "", "/rest/api/3/myself"),
      headers: { authorization: basicAuth(credentials.username ?? "", credentials.password ?? ""), accept: "application/json" },
    }),
    account: (body) => {
      const me = z.object({ accountId: z.string(), displayName: z.string().optional() }).safeParse(body);
      return me.success ? { externalAccountId: me.data.accountId, label: me.data.displayName } : {};
    },
  },
});

// After the Atlassian code exchange: which Jira site the token reaches
// (https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/#3--make-calls-to-the-api-using-the-access-token).
// A token may reach several sites, Confluence ones too: the first with a Jira scope is used.
import { z } from "zod";
import { sendHttpRequest } from "@/integrations/core/http";
import { bearer, joinUrl } from "@/integrations/core/define";
import type { ConnectHooks } from "@/server/oauth/hooks";

const accessibleResources = z.array(
  z.object({ id: z.string().min(1), url: z.url(), name: z.string().min(1), scopes: z.array(z.string()).default([]) }),
);

export const DEFAULT_ATLASSIAN_API_URL = "https://api.atlassian.com";

export const jiraConnectHooks: ConnectHooks = {
  async identify({ settings, accessToken }) {
    const apiBase = settings.read("JIRA_API_URL") ?? DEFAULT_ATLASSIAN_API_URL;
    const response = await sendHttpRequest(
      { method: "GET", url: joinUrl(apiBase, "/oauth/token/accessible-resources"), headers: { authorization: bearer(accessToken), accept: "application/json" } },
      { provider: "Jira", timeoutMs: 15_000 },
    );
    const sites = accessibleResources.parse(response.body);
    const site = sites.find((candidate) => candidate.scopes.some((scope) => scope.includes("jira")));
    if (!site) throw Object.assign(new Error("The Atlassian account granted access to no Jira site"), { code: "no_jira_site" });
    const siteUrl = site.url.replace(/\/+$/, "");
    return { externalAccountId: site.id, label: site.name, settings: { cloudId: site.id, siteUrl } };
  },
};

// Jira Cloud through Atlassian OAuth 2.0 (3LO)
// (https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/). Atlassian documents a
// JSON token request; its token endpoint also takes the standard form-encoded one with
// client_secret_post, which is what oauth4webapi sends. The site (cloudId) is looked up after the
// code exchange by the Jira connect hook (src/server/oauth/providers/jira.ts). Access tokens live
// an hour; refresh tokens rotate on every use.
import { z } from "zod";
import { bearer, joinUrl, type OAuthConnection } from "../core/define";

export const JIRA_SCOPES = ["read:jira-work", "write:jira-work", "read:jira-user", "offline_access"] as const;

export const jiraOAuth: OAuthConnection = {
  defaultBaseUrl: "https://auth.atlassian.com",
  authorizePath: "/authorize",
  tokenPath: "/oauth/token",
  scopes: JIRA_SCOPES,
  pkce: true,
  clientAuth: "client_secret_post",
  authorizeParams: { audience: "api.atlassian.com", prompt: "consent" },
  env: { baseUrl: "JIRA_OAUTH_URL", clientId: "JIRA_CLIENT_ID", clientSecret: ["JIRA_CLIENT_SECRET"] },
  tokenFields: z.object({}),
  verify: {
    request: (credentials, baseUrl) => ({
      method: "GET",
      url: joinUrl(baseUrl, `ex/jira/${encodeURIComponent(credentials.extra?.cloudId ?? "")}/rest/api/3/myself`),
      headers: { authorization: bearer(credentials.accessToken ?? ""), accept: "application/json" },
    }),
  },
};

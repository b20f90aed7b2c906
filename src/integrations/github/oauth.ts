// GitHub OAuth apps and GitHub App user tokens
// (https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps). The
// token endpoint answers JSON only when asked (oauth4webapi sends Accept: application/json) and
// reports errors such as bad_verification_code with HTTP 200. OAuth-app tokens do not expire;
// GitHub App user tokens carry refresh_token and expires_in (8 hours). The account is read from
// GET /user by the GitHub connect hook (src/server/oauth/providers/github.ts).
import { z } from "zod";
import { bearer, joinUrl, type OAuthConnection } from "../core/define";

export const githubOAuth: OAuthConnection = {
  defaultBaseUrl: "https://github.com",
  authorizePath: "/login/oauth/authorize",
  tokenPath: "/login/oauth/access_token",
  // Issues in private repositories, and repository webhooks for the New issue trigger.
  scopes: ["repo", "admin:repo_hook"],
  pkce: true,
  clientAuth: "client_secret_post",
  env: { baseUrl: "GITHUB_OAUTH_URL", clientId: "GITHUB_CLIENT_ID", clientSecret: ["GITHUB_CLIENT_SECRET"] },
  tokenError: (body) => (typeof body.error === "string" && body.error ? body.error : undefined),
  invalidGrantErrors: ["bad_verification_code", "bad_refresh_token", "incorrect_client_credentials"],
  tokenFields: z.object({}),
  verify: {
    request: (credentials, baseUrl) => ({
      method: "GET",
      url: joinUrl(baseUrl, "/user"),
      headers: { authorization: bearer(credentials.accessToken ?? ""), accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28" },
    }),
  },
};

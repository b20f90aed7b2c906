// Slack OAuth v2 (https://docs.slack.dev/authentication/installing-with-oauth): installs the app's
// bot in a workspace and hands back a bot token (xoxb-…) with the workspace in `team`. Slack
// answers failures with HTTP 200 and `{ ok: false, error }`. With token rotation enabled the
// answer also carries refresh_token and expires_in (12 hours), and refreshing uses the same URL.
import { z } from "zod";
import { bearer, joinUrl, type OAuthConnection } from "../core/define";

export const slackOAuth: OAuthConnection = {
  defaultBaseUrl: "https://slack.com",
  authorizePath: "/oauth/v2/authorize",
  tokenPath: "/api/oauth.v2.access",
  // chat.postMessage, also in public channels the bot was not invited to.
  scopes: ["chat:write", "chat:write.public"],
  scopeSeparator: ",",
  pkce: false,
  clientAuth: "client_secret_post",
  env: { baseUrl: "SLACK_OAUTH_URL", clientId: "SLACK_CLIENT_ID", clientSecret: ["SLACK_CLIENT_SECRET"] },
  tokenTypes: ["bot"],
  tokenError: (body) => (body.ok === false ? (typeof body.error === "string" && body.error ? body.error : "unknown_error") : undefined),
  invalidGrantErrors: ["invalid_code", "code_already_used", "code_expired", "invalid_refresh_token", "token_revoked", "token_expired", "invalid_grant_type"],
  tokenFields: z.object({
    ok: z.literal(true),
    access_token: z.string().startsWith("xox"),
    bot_user_id: z.string().optional(),
    team: z.object({ id: z.string().min(1), name: z.string().optional() }),
  }),
  account: (token) => {
    const team = token.team as { id: string; name?: string };
    return { externalAccountId: team.id, label: team.name ?? team.id, settings: { teamId: team.id, ...(team.name ? { teamName: team.name } : {}) } };
  },
  verify: {
    request: (credentials, baseUrl) => ({
      method: "POST",
      url: joinUrl(baseUrl, "/auth.test"),
      headers: { authorization: bearer(credentials.accessToken ?? "") },
      okFlagInBody: true,
    }),
  },
};

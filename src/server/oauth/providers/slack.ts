// Disconnecting a Slack workspace installed through OAuth revokes the bot token
// (auth.revoke, https://docs.slack.dev/reference/methods/auth.revoke), so the app's access ends with
// the connection. A pasted bot token is left alone: it is the user's own.
import { bearer, joinUrl } from "@/integrations/core/define";
import { AppError } from "@/lib/errors";
import type { ConnectHooks } from "@/server/oauth/hooks";

export const DEFAULT_SLACK_API_URL = "https://slack.com/api";

// Answers meaning the token is already dead: nothing left to revoke.
const ALREADY_REVOKED = new Set(["invalid_auth", "token_revoked", "account_inactive", "not_authed", "token_expired"]);

export const slackConnectHooks: ConnectHooks = {
  async beforeDisconnect({ settings, method, secrets }) {
    if (method !== "oauth" || !secrets.accessToken) return;
    const apiBase = settings?.read("SLACK_API_URL") ?? DEFAULT_SLACK_API_URL;
    const response = await fetch(joinUrl(apiBase, "/auth.revoke"), {
      method: "POST",
      headers: { authorization: bearer(secrets.accessToken), "content-type": "application/x-www-form-urlencoded" },
      body: "",
      signal: AbortSignal.timeout(15_000),
    }).catch(() => null);
    const body = response?.ok ? ((await response.json().catch(() => null)) as { ok?: boolean; error?: string } | null) : null;
    if (body?.ok === true || (body?.error && ALREADY_REVOKED.has(body.error))) return;
    throw new AppError(
      "BAD_REQUEST",
      `Slack did not revoke Cue's access (${body?.error ?? (response ? `HTTP ${response.status}` : "unreachable")}); try again, or remove the app from the workspace in Slack.`,
    );
  },
};

// After the GitHub code exchange: whose token it is (GET /user,
// https://docs.github.com/en/rest/users/users#get-the-authenticated-user), and keeping what a
// reconnected account had for the New issue trigger: its webhook secret and the repository
// webhooks Cue created (src/server/services/github-webhooks.ts, which also deletes those on
// disconnect before this hook runs). On disconnect the OAuth grant is revoked
// (DELETE /applications/{client_id}/grant,
// https://docs.github.com/en/rest/apps/oauth-applications#delete-an-app-authorization).
import { z } from "zod";
import { sendHttpRequest } from "@/integrations/core/http";
import { basicAuth, bearer, joinUrl } from "@/integrations/core/define";
import { AppError } from "@/lib/errors";
import type { ConnectHooks } from "@/server/oauth/hooks";

const user = z.object({ id: z.number(), login: z.string().min(1) });

export const DEFAULT_GITHUB_API_URL = "https://api.github.com";

export const githubConnectHooks: ConnectHooks = {
  async identify({ settings, accessToken }) {
    const apiBase = settings.read("GITHUB_API_URL") ?? DEFAULT_GITHUB_API_URL;
    const response = await sendHttpRequest(
      {
        method: "GET",
        url: joinUrl(apiBase, "/user"),
        headers: { authorization: bearer(accessToken), accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28" },
      },
      { provider: "GitHub", timeoutMs: 15_000 },
    );
    const me = user.parse(response.body);
    return { externalAccountId: String(me.id), label: me.login, settings: { login: me.login } };
  },
  async afterAuthorize({ previous }) {
    if (!previous) return {};
    // The hooks in GitHub stay signed with the old secret and keep delivering to this connection.
    const { watchedRepositories, webhookSecretOrigin } = previous.settings ?? {};
    return {
      ...(previous.secrets.webhookSecret ? { secrets: { webhookSecret: previous.secrets.webhookSecret } } : {}),
      settings: { ...(watchedRepositories ? { watchedRepositories } : {}), ...(webhookSecretOrigin ? { webhookSecretOrigin } : {}) },
    };
  },
  async beforeDisconnect({ settings, method, secrets }) {
    const clientId = settings?.read("GITHUB_CLIENT_ID");
    const clientSecret = settings?.read("GITHUB_CLIENT_SECRET");
    // A personal access token is the user's own to revoke; without the app's credentials Cue cannot.
    if (method !== "oauth" || !secrets.accessToken || !clientId || !clientSecret) return;
    const apiBase = settings?.read("GITHUB_API_URL") ?? DEFAULT_GITHUB_API_URL;
    const response = await fetch(joinUrl(apiBase, `/applications/${encodeURIComponent(clientId)}/grant`), {
      method: "DELETE",
      headers: {
        authorization: basicAuth(clientId, clientSecret),
        accept: "application/vnd.github+json",
        "content-type": "application/json",
        "x-github-api-version": "2022-11-28",
      },
      body: JSON.stringify({ access_token: secrets.accessToken }),
      signal: AbortSignal.timeout(15_000),
    }).catch(() => null);
    // 404: the grant is already gone (revoked on GitHub's side), which is what disconnecting wants.
    if (response && (response.status === 204 || response.status === 404)) return;
    throw new AppError("BAD_REQUEST", `GitHub did not revoke Cue's access (${response ? `HTTP ${response.status}` : "unreachable"}); try again, or remove Cue under GitHub → Settings → Applications.`);
  },
};

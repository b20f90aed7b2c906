// After the GitHub code exchange: whose token it is (GET /user,
// https://docs.github.com/en/rest/users/users#get-the-authenticated-user), and keeping the webhook
// secret a reconnected account had saved for the New issue trigger.
import { z } from "zod";
import { sendHttpRequest } from "@/integrations/core/http";
import { bearer, joinUrl } from "@/integrations/core/define";
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
    return previous?.secrets.webhookSecret ? { secrets: { webhookSecret: previous.secrets.webhookSecret } } : {};
  },
};

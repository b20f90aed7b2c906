// What Cue sets up in a Pipedrive company once it is connected: the company's name and id
// (GET /users/me) and one webhook v2 per event Cue's Pipedrive triggers use, pointing at
// /api/webhooks/pipedrive/<token> behind HTTP Basic auth with a random secret. If Pipedrive refuses
// the webhooks (no admin rights, the 40-webhook limit), the connection polls instead
// (src/server/services/pipedrive-events.ts). Disconnecting deletes the webhooks with a fresh token,
// then revokes Cue's grant at Pipedrive's OAuth server.
import { randomBytes } from "node:crypto";
import * as oauth from "oauth4webapi";
import { StepError } from "@/engine/errors";
import { assertPublicUrl } from "@/integrations/core/network-guard";
import { pipedrive } from "@/integrations/pipedrive";
import { AppError } from "@/lib/errors";
import { resolveOAuthApp, type OAuthApp, type OAuthEnvironment } from "@/server/oauth/config";
import type { ConnectHooks, StoredSecrets } from "@/server/oauth/hooks";
import { clientAuthentication, requestOptions, tokenEndpointError } from "@/server/oauth/token";
import { pipedriveCall, PipedriveApiError, type PipedriveAccess } from "@/server/services/pipedrive-api";

export const PIPEDRIVE_WEBHOOK_PATH = "/api/webhooks/pipedrive";
/** The Basic auth user name Cue's webhooks are created with; the password is the secret. */
export const PIPEDRIVE_WEBHOOK_USER = "cue";

/** Webhook subscriptions for the events the triggers declare ("create.person" → create + person). */
export const PIPEDRIVE_WEBHOOK_EVENTS = [...new Set(pipedrive.triggers.map((t) => t.event!.name))].map((name) => {
  const [action, object] = name.split(".") as [string, string];
  return { action, object };
});

export type EventDelivery = "webhooks" | "polling";

/** Settings a Pipedrive connection keeps (plain strings: the settings column is not secret). */
export interface PipedriveSettings {
  apiDomain?: string;
  companyId?: string;
  companyName?: string;
  /** The unguessable path segment webhooks are delivered to. */
  webhookToken?: string;
  /** Comma-separated ids of the webhooks Cue created. */
  webhookIds?: string;
  eventDelivery?: EventDelivery;
  /** Why webhooks could not be created (shown on the page while polling). */
  webhookError?: string;
  /** Polling starts from here (ISO time of the connect), so nothing after connecting is missed. */
  pollSince?: string;
}

export function pipedriveWebhookUrl(origin: string, token: string): string {
  return new URL(`${PIPEDRIVE_WEBHOOK_PATH}/${token}`, origin).toString();
}

const isGone = (error: unknown) => error instanceof PipedriveApiError && (error.status === 404 || error.status === 410);
const isUnauthorized = (error: unknown) => error instanceof PipedriveApiError && error.status === 401;
/**
 * The refresher says the grant is dead (refresh refused with invalid_grant, or the connection
 * already needs reconnecting). Then no token of Cue's works any more, and an uninstalled app's
 * webhooks are gone with it (https://pipedrive.readme.io/docs/webhooks-for-apps).
 */
const isDeadGrant = (error: unknown) => error instanceof StepError && error.code === "auth";

/** Deletes the webhooks one by one (already gone is fine); throws the first other failure. */
export async function deletePipedriveWebhooks(access: PipedriveAccess, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    try {
      await pipedriveCall(access, "DELETE", `v1/webhooks/${encodeURIComponent(id)}`);
    } catch (error) {
      if (isGone(error)) continue;
      throw error;
    }
  }
}

/**
 * The company's API origin from a token response. Cue sends the user's tokens there, so unless
 * the deployment allows private networks (local fakes, development) it must be https on a public
 * address.
 */
export async function pipedriveApiOrigin(apiDomain: unknown, allowPrivateNetwork: boolean): Promise<string> {
  const url = new URL(String(apiDomain));
  if (!allowPrivateNetwork) {
    if (url.protocol !== "https:") throw new PipedriveApiError(`Pipedrive named an api_domain that is not https (${url.origin}); Cue sends tokens only over https`);
    await assertPublicUrl(url);
  }
  return url.origin;
}

export const webhookIdsOf = (settings: Pick<PipedriveSettings, "webhookIds"> | undefined) =>
  (settings?.webhookIds ?? "").split(",").filter(Boolean);

/** Who the tokens belong to: the company (GET /users/me on the token's api_domain). */
export async function identifyPipedriveAccount(access: PipedriveAccess): Promise<{ externalAccountId: string; label: string; settings: PipedriveSettings }> {
  const me = await pipedriveCall<{ company_id?: number | string; company_name?: string; company_domain?: string }>(access, "GET", "v1/users/me");
  const host = new URL(access.apiDomain).host;
  const companyId = me.data.company_id !== undefined && me.data.company_id !== null ? String(me.data.company_id) : "";
  const companyName = me.data.company_name?.trim() || me.data.company_domain || host;
  return {
    // Without a company id (never seen, but the field is not promised) the company's host is as stable.
    externalAccountId: companyId || host,
    label: companyName,
    settings: { apiDomain: access.apiDomain, ...(companyId ? { companyId } : {}), companyName },
  };
}

/**
 * Subscribes Cue's webhooks (replacing a reconnected account's old ones). Refused webhooks do not
 * fail the connect: the connection polls instead.
 */
export async function setUpPipedriveEvents(input: {
  access: PipedriveAccess;
  origin: string;
  previous: { settings: PipedriveSettings } | null;
  now?: Date;
}): Promise<{ settings: PipedriveSettings; secrets: { webhookSecret?: string } }> {
  const { access } = input;
  const base: PipedriveSettings = { pollSince: (input.now ?? new Date()).toISOString() };

  // A reconnect replaces the old secret: the old webhooks would fail authentication from now on.
  const previousIds = webhookIdsOf(input.previous?.settings);
  if (previousIds.length) await deletePipedriveWebhooks(access, previousIds).catch(() => undefined);

  const token = randomBytes(24).toString("base64url");
  const secret = randomBytes(32).toString("base64url");
  const created: string[] = [];
  try {
    for (const event of PIPEDRIVE_WEBHOOK_EVENTS) {
      const hook = await pipedriveCall<{ id: number | string }>(access, "POST", "v1/webhooks", {
        json: {
          subscription_url: pipedriveWebhookUrl(input.origin, token),
          event_action: event.action,
          event_object: event.object,
          http_auth_user: PIPEDRIVE_WEBHOOK_USER,
          http_auth_password: secret,
          version: "2.0",
        },
      });
      created.push(String(hook.data.id));
    }
  } catch (error) {
    // All or nothing: half the events by webhook and half by polling would be harder to reason about.
    await deletePipedriveWebhooks(access, created).catch(() => undefined);
    return { settings: { ...base, eventDelivery: "polling", webhookToken: "", webhookIds: "", webhookError: (error as Error).message.slice(0, 300) }, secrets: {} };
  }
  return { settings: { ...base, eventDelivery: "webhooks", webhookToken: token, webhookIds: created.join(","), webhookError: "" }, secrets: { webhookSecret: secret } };
}

/** RFC 7009 revocation at Pipedrive's OAuth server (https://pipedrive.readme.io/docs/app-uninstallation). */
export const PIPEDRIVE_REVOKE_PATH = "/oauth/revoke";
// Answers meaning the refresh token is already dead: nothing left to revoke.
const ALREADY_REVOKED = new Set(["invalid_grant", "invalid_token"]);

/**
 * Revokes Cue's grant (the refresh token, and with it every access token) with the app's HTTP
 * Basic credentials. Throws an AppError saying why when Pipedrive does not confirm it.
 */
export async function revokePipedriveGrant(app: OAuthApp, refreshToken: string): Promise<void> {
  const server: oauth.AuthorizationServer = { ...app.authorizationServer, revocation_endpoint: `${app.baseUrl}${PIPEDRIVE_REVOKE_PATH}` };
  let response: Response | undefined;
  let code: string;
  try {
    response = await oauth.revocationRequest(server, app.client, clientAuthentication(app), refreshToken, {
      ...requestOptions(app),
      additionalParameters: { token_type_hint: "refresh_token" },
    });
    await oauth.processRevocationResponse(response);
    return;
  } catch (error) {
    code = tokenEndpointError(app, error, response?.status).code;
  }
  if (ALREADY_REVOKED.has(code)) return;
  throw new AppError("BAD_REQUEST", `Pipedrive did not revoke Cue's access (${code}); the connection was kept. Try again, or uninstall Cue in Pipedrive under Tools and apps → Marketplace apps.`);
}

function webhooksNotRemoved(error: unknown): AppError {
  const reason = (error as Error).message;
  const refused = error instanceof PipedriveApiError && (error.status === 401 || error.status === 403);
  return new AppError(
    "BAD_REQUEST",
    refused
      ? `Pipedrive refused to remove Cue's webhooks (${reason}); the connection was kept. Try again, or reconnect Pipedrive and then disconnect.`
      : `Pipedrive could not be reached to remove Cue's webhooks; the connection was kept. Try again. (${reason})`,
  );
}

/**
 * Undoes the connection at Pipedrive before it is deleted: deletes Cue's webhooks with an access
 * token refreshed if it has expired (and once more if Pipedrive answers 401), then revokes the
 * grant. Anything Pipedrive does not confirm throws, so the connection stays and the page says why;
 * a grant that is already dead (the app was uninstalled) leaves nothing to undo.
 */
export async function tearDownPipedriveAccount(input: {
  settings: OAuthEnvironment | undefined;
  connectionSettings: PipedriveSettings;
  freshSecrets(options?: { force?: boolean }): Promise<StoredSecrets>;
}): Promise<void> {
  const ids = webhookIdsOf(input.connectionSettings);
  const apiDomain = input.connectionSettings.apiDomain;
  let secrets: StoredSecrets;
  try {
    secrets = await input.freshSecrets();
  } catch (error) {
    if (isDeadGrant(error)) return;
    throw webhooksNotRemoved(error);
  }

  if (ids.length > 0 && apiDomain && secrets.accessToken) {
    const remove = (accessToken: string) => deletePipedriveWebhooks({ apiDomain, accessToken }, ids);
    try {
      try {
        await remove(secrets.accessToken);
      } catch (error) {
        if (!isUnauthorized(error)) throw error;
        // Revoked or rotated early: one forced refresh, then the same deletes again (404s are fine).
        secrets = await input.freshSecrets({ force: true });
        await remove(secrets.accessToken ?? "");
      }
    } catch (error) {
      if (isDeadGrant(error)) return;
      throw webhooksNotRemoved(error);
    }
  }

  if (!secrets.refreshToken) return;
  let app: OAuthApp;
  try {
    app = resolveOAuthApp("pipedrive", input.settings);
  } catch {
    // Without the app's credentials Cue cannot revoke (as for GitHub); the unused grant lapses.
    return;
  }
  await revokePipedriveGrant(app, secrets.refreshToken);
}

const str = (settings: Record<string, string> | undefined, name: keyof PipedriveSettings) => settings?.[name] || undefined;

export const pipedriveConnectHooks: ConnectHooks = {
  async identify({ settings, accessToken, token }) {
    const apiDomain = await pipedriveApiOrigin(token.api_domain, settings.allowPrivateNetwork === true);
    const account = await identifyPipedriveAccount({ accessToken, apiDomain });
    return { ...account, settings: account.settings as Record<string, string> };
  },

  async afterAuthorize({ accessToken, accountSettings, origin, previous }) {
    const apiDomain = str(accountSettings, "apiDomain");
    if (!apiDomain) throw new Error("The Pipedrive token response named no api_domain");
    const setup = await setUpPipedriveEvents({ access: { accessToken, apiDomain }, origin, previous: previous ? { settings: previous.settings } : null });
    return { settings: setup.settings as Record<string, string>, secrets: setup.secrets };
  },

  async beforeDisconnect({ settings, secrets, connectionSettings, freshSecrets }) {
    if (!secrets.accessToken && !secrets.refreshToken) return;
    await tearDownPipedriveAccount({ settings, connectionSettings, freshSecrets });
  },
};

// What Cue sets up in a Pipedrive company once it is connected: the company's name and id
// (GET /users/me) and one webhook v2 per event Cue's Pipedrive triggers use, pointing at
// /api/webhooks/pipedrive/<token> behind HTTP Basic auth with a random secret. If Pipedrive refuses
// the webhooks (no admin rights, the 40-webhook limit), the connection polls instead
// (src/server/services/pipedrive-events.ts). Disconnecting deletes the webhooks.
import { randomBytes } from "node:crypto";
import { pipedrive } from "@/integrations/pipedrive";
import { AppError } from "@/server/errors";
import type { ConnectHooks } from "@/server/oauth/hooks";
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
/** The token no longer works (the app was uninstalled): Pipedrive removed its webhooks with it. */
const isUnauthorized = (error: unknown) => error instanceof PipedriveApiError && error.status === 401;

export async function deletePipedriveWebhooks(access: PipedriveAccess, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    try {
      await pipedriveCall(access, "DELETE", `v1/webhooks/${encodeURIComponent(id)}`);
    } catch (error) {
      if (isGone(error)) continue;
      if (isUnauthorized(error)) return;
      throw error;
    }
  }
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

/** Deletes Cue's webhooks before the connection goes; refuses (changing nothing) if Pipedrive is unreachable. */
export async function tearDownPipedriveAccount(access: PipedriveAccess | null, settings: PipedriveSettings): Promise<void> {
  const ids = webhookIdsOf(settings);
  if (!access || ids.length === 0) return;
  try {
    await deletePipedriveWebhooks(access, ids);
  } catch (error) {
    throw new AppError("BAD_REQUEST", `Pipedrive could not be reached to remove Cue's webhooks; nothing was changed. Try again. (${(error as Error).message})`);
  }
}

const str = (settings: Record<string, string> | undefined, name: keyof PipedriveSettings) => settings?.[name] || undefined;

export const pipedriveConnectHooks: ConnectHooks = {
  async identify({ accessToken, token }) {
    const account = await identifyPipedriveAccount({ accessToken, apiDomain: new URL(String(token.api_domain)).origin });
    return { ...account, settings: account.settings as Record<string, string> };
  },

  async afterAuthorize({ accessToken, accountSettings, origin, previous }) {
    const apiDomain = str(accountSettings, "apiDomain");
    if (!apiDomain) throw new Error("The Pipedrive token response named no api_domain");
    const setup = await setUpPipedriveEvents({ access: { accessToken, apiDomain }, origin, previous: previous ? { settings: previous.settings } : null });
    return { settings: setup.settings as Record<string, string>, secrets: setup.secrets };
  },

  async beforeDisconnect({ secrets, connectionSettings }) {
    const apiDomain = str(connectionSettings, "apiDomain");
    await tearDownPipedriveAccount(secrets.accessToken && apiDomain ? { accessToken: secrets.accessToken, apiDomain } : null, connectionSettings);
  },
};

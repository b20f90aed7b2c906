// Cue's own calls to a connected Pipedrive company (webhook set-up, polling, contact import):
// Bearer auth against the company's api_domain, the { success, data, additional_data } envelope,
// and failures as one error that names Pipedrive's answer but never the token.
import { StepError } from "@/engine/errors";
import { bearer, joinUrl } from "@/integrations/core/define";
import { sendHttpRequest, type HttpMethod } from "@/integrations/core/http";
import { decryptSecret, type KeyRing } from "@/server/crypto/secrets";
import type { Db } from "@/server/db";
import type { OAuthEnvironment } from "@/server/oauth/config";
import type { StoredSecrets } from "@/server/oauth/hooks";
import { TokenRefresher } from "@/server/oauth/refresh";

export interface PipedriveAccess {
  /** The company's API origin from the token response (https://acme.pipedrive.com). */
  apiDomain: string;
  accessToken: string;
}

/** Why a Pipedrive call failed; `status` is the HTTP status when Pipedrive answered. */
export class PipedriveApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "PipedriveApiError";
  }
}

const TIMEOUT_MS = 20_000;

export interface PipedriveEnvelope<T = unknown> {
  success?: boolean;
  data: T;
  additional_data?: {
    pagination?: { start?: number; limit?: number; more_items_in_collection?: boolean; next_start?: number };
    next_cursor?: string | null;
  } | null;
  related_objects?: unknown;
}

/** One request under /api/<path> of the company's domain; resolves with the parsed envelope. */
export async function pipedriveCall<T = unknown>(
  access: PipedriveAccess,
  method: HttpMethod,
  path: string,
  options: { query?: Record<string, string | number | undefined>; json?: unknown } = {},
): Promise<PipedriveEnvelope<T>> {
  const url = new URL(joinUrl(access.apiDomain, `api/${path}`));
  for (const [name, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
  try {
    const response = await sendHttpRequest(
      {
        method,
        url: url.toString(),
        headers: { authorization: bearer(access.accessToken), accept: "application/json" },
        ...(options.json !== undefined ? { json: options.json } : {}),
      },
      { provider: "Pipedrive", timeoutMs: TIMEOUT_MS },
    );
    const body = response.body as PipedriveEnvelope<T> | null;
    if (!body || typeof body !== "object" || !("data" in body)) throw new PipedriveApiError("Pipedrive answered with an unexpected response", response.status);
    return body;
  } catch (error) {
    if (error instanceof PipedriveApiError) throw error;
    if (error instanceof StepError) throw new PipedriveApiError(error.message, error.status);
    throw new PipedriveApiError(`Pipedrive could not be reached (${(error as Error).name})`);
  }
}

/** The access token and API domain of a stored Pipedrive connection. */
export function pipedriveAccessOf(
  keys: KeyRing,
  connection: { secrets: string; settings: unknown },
  fallbackBaseUrl = "https://api.pipedrive.com",
): PipedriveAccess & { secrets: StoredSecrets } {
  const secrets = JSON.parse(decryptSecret(keys, connection.secrets)) as StoredSecrets;
  const settings = (connection.settings ?? {}) as Record<string, string>;
  if (!secrets.accessToken) throw new PipedriveApiError("This Pipedrive connection has no access token: connect it again");
  return { apiDomain: settings.apiDomain ?? secrets.extra?.apiDomain ?? fallbackBaseUrl, accessToken: secrets.accessToken, secrets };
}

/**
 * Like pipedriveAccessOf, with the access token refreshed first when it is about to expire
 * (Pipedrive's live an hour), through the same single-flight refresher the workflow steps use.
 */
export async function freshPipedriveAccess(
  db: Db,
  keys: KeyRing,
  settings: OAuthEnvironment | undefined,
  connection: { id: string; secrets: string; settings: unknown },
  fallbackBaseUrl?: string,
): Promise<PipedriveAccess> {
  const stored = pipedriveAccessOf(keys, connection, fallbackBaseUrl);
  let secrets: StoredSecrets;
  try {
    secrets = await new TokenRefresher(db, keys, { settings }).ensureFresh({ id: connection.id, provider: "pipedrive", secrets: stored.secrets });
  } catch (error) {
    throw new PipedriveApiError((error as Error).message);
  }
  if (!secrets.accessToken) throw new PipedriveApiError("This Pipedrive connection has no access token: connect it again");
  return { apiDomain: stored.apiDomain, accessToken: secrets.accessToken };
}

// Pipedream Connect (https://pipedream.com/docs/connect): Cue asks Pipedream for a short-lived
// Connect token for the signed-in user (OAuth client credentials, then POST
// /v1/connect/{project}/tokens) and opens its Connect Link; Pipedream holds the account's
// credentials and reports each account on /api/webhooks/pipedream, signed with HMAC-SHA256 over
// the raw body. Cue mirrors each account as a connection (provider "pipedream").
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { encryptSecret, type KeyRing } from "@/server/crypto/secrets";
import type { Db } from "@/server/db";
import { AppError } from "@/lib/errors";
import type { OAuthEnvironment } from "@/server/oauth/config";
import type { ConnectHooks } from "@/server/oauth/hooks";

export const PIPEDREAM_WEBHOOK_PATH = "/api/webhooks/pipedream";
export const PIPEDREAM_SIGNATURE_HEADER = "x-pd-signature";
export const MAX_PIPEDREAM_BODY_BYTES = 64 * 1024;
const DEFAULT_API_URL = "https://api.pipedream.com";
const TIMEOUT_MS = 15_000;

interface PipedreamApp {
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  projectId: string;
  environment: string;
}

function pipedreamApp(settings: OAuthEnvironment | undefined): PipedreamApp {
  const read = (name: string) => settings?.read(name);
  const missing = ["PIPEDREAM_CLIENT_ID", "PIPEDREAM_CLIENT_SECRET", "PIPEDREAM_PROJECT_ID"].filter((name) => !read(name));
  if (missing.length) throw new AppError("BAD_REQUEST", `Pipedream Connect is not set up on this server yet: set ${missing.join(", ")}.`);
  return {
    apiUrl: (read("PIPEDREAM_API_URL") ?? DEFAULT_API_URL).replace(/\/+$/, ""),
    clientId: read("PIPEDREAM_CLIENT_ID")!,
    clientSecret: read("PIPEDREAM_CLIENT_SECRET")!,
    projectId: read("PIPEDREAM_PROJECT_ID")!,
    environment: read("PIPEDREAM_ENVIRONMENT") ?? "development",
  };
}

/** The environment variables Pipedream Connect still needs; empty when configured. */
export function missingPipedreamSettings(settings: OAuthEnvironment | undefined): string[] {
  return ["PIPEDREAM_CLIENT_ID", "PIPEDREAM_CLIENT_SECRET", "PIPEDREAM_PROJECT_ID", "PIPEDREAM_WEBHOOK_SECRET"].filter((name) => !settings?.read(name));
}

const accessTokenResponse = z.object({ access_token: z.string().min(1), expires_in: z.number().positive().optional() });
const connectTokenResponse = z.object({ token: z.string().min(1), expires_at: z.string(), connect_link_url: z.url() });

// Access tokens from the client-credentials grant live an hour; reuse one until shortly before.
const accessTokens = new Map<string, { token: string; expiresAt: number }>();

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new AppError("BAD_REQUEST", `Pipedream could not be reached (${(error as Error).name}). Try again.`);
  }
  const text = await response.text();
  if (!response.ok) {
    // Pipedream's error bodies name the problem, never our secret; keep them short.
    const detail = (() => {
      try {
        const parsed = JSON.parse(text) as { error?: unknown; error_description?: unknown };
        return String(parsed.error_description ?? parsed.error ?? "");
      } catch {
        return "";
      }
    })();
    throw new AppError("BAD_REQUEST", `Pipedream refused the request (HTTP ${response.status}${detail ? `: ${detail.slice(0, 200)}` : ""}).`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError("BAD_REQUEST", "Pipedream answered with something Cue did not understand.");
  }
}

async function pipedreamAccessToken(app: PipedreamApp, now = Date.now()): Promise<string> {
  const cacheKey = `${app.apiUrl}\n${app.clientId}`;
  const cached = accessTokens.get(cacheKey);
  if (cached && cached.expiresAt > now + 60_000) return cached.token;
  const parsed = accessTokenResponse.safeParse(
    await postJson(`${app.apiUrl}/v1/oauth/token`, { grant_type: "client_credentials", client_id: app.clientId, client_secret: app.clientSecret }),
  );
  if (!parsed.success) throw new AppError("BAD_REQUEST", "Pipedream answered the token request with something Cue did not understand.");
  accessTokens.set(cacheKey, { token: parsed.data.access_token, expiresAt: now + (parsed.data.expires_in ?? 3600) * 1000 });
  return parsed.data.access_token;
}

/** Forgets cached access tokens (after a client secret changes; tests). */
export function clearPipedreamTokenCache(): void {
  accessTokens.clear();
}

const APP_SLUG = /^[a-z0-9_]{1,80}$/;

/**
 * A Connect Link for the user and one Pipedream app: Pipedream will report the account to
 * {origin}/api/webhooks/pipedream with external_user_id = the Cue user id.
 */
export async function createPipedreamConnectLink(
  settings: OAuthEnvironment | undefined,
  userId: string,
  input: { app: string; origin?: string },
): Promise<{ url: string; expiresAt: string }> {
  if (!APP_SLUG.test(input.app)) throw new AppError("BAD_REQUEST", "Name the Pipedream app by its slug, e.g. google_sheets", { fieldErrors: { app: ["Use the app's name slug, e.g. google_sheets"] } });
  const app = pipedreamApp(settings);
  const origin = settings?.appUrl ?? input.origin;
  if (!origin) throw new AppError("INTERNAL", "The app's public URL is unknown: set AUTH_URL");
  const accessToken = await pipedreamAccessToken(app);
  const parsed = connectTokenResponse.safeParse(
    await postJson(
      `${app.apiUrl}/v1/connect/${encodeURIComponent(app.projectId)}/tokens`,
      {
        external_user_id: userId,
        webhook_uri: new URL(PIPEDREAM_WEBHOOK_PATH, origin).toString(),
        success_redirect_uri: new URL("/integrations?connected=pipedream", origin).toString(),
        error_redirect_uri: new URL("/integrations?error=provider_error&provider=pipedream", origin).toString(),
      },
      { authorization: `Bearer ${accessToken}`, "x-pd-environment": app.environment },
    ),
  );
  if (!parsed.success) throw new AppError("BAD_REQUEST", "Pipedream answered the Connect token request with something Cue did not understand.");
  const url = new URL(parsed.data.connect_link_url);
  url.searchParams.set("app", input.app);
  return { url: url.toString(), expiresAt: parsed.data.expires_at };
}

// ---------------------------------------------------------------------------------------------
// Webhook intake: POST /api/webhooks/pipedream
// ---------------------------------------------------------------------------------------------

export function pipedreamSignature(secret: string, rawBody: string): string {
  return `sha256=${createHmac("sha256", secret).update(rawBody).digest("hex")}`;
}

function signatureMatches(secret: string, rawBody: string, header: string | null): boolean {
  if (!header) return false;
  const expected = Buffer.from(pipedreamSignature(secret, rawBody));
  const given = Buffer.from(header.trim());
  return expected.length === given.length && timingSafeEqual(expected, given);
}

const account = z
  .object({
    id: z.string().min(1).max(200),
    name: z.string().max(200).nullish(),
    external_id: z.string().max(250).nullish(),
    app: z.object({ name_slug: z.string().max(100).nullish(), name: z.string().max(200).nullish() }).loose().nullish(),
  })
  .loose();

const webhookEvent = z
  .object({
    // Cue's names, and Pipedream's own connection-flow names for the same facts.
    event: z.enum(["account.connected", "account.disconnected", "account.error", "CONNECTION_SUCCESS", "CONNECTION_ERROR"]),
    external_user_id: z.string().min(1).max(250).nullish(),
    account: account.nullish(),
    error: z.union([z.string(), z.object({ message: z.string() }).loose()]).nullish(),
    created_at: z.string().nullish(),
  })
  .loose();

export type PipedreamWebhookResult = { received: true; event: string; connectionId: string | null; status: string };

/** Label and settings of an account's connection: "Slack — Acme workspace". */
function describe(acct: z.output<typeof account>) {
  const appName = acct.app?.name ?? acct.app?.name_slug ?? "Pipedream";
  return {
    label: `${appName}${acct.name ? ` — ${acct.name}` : ""}`.slice(0, 80),
    settings: { app: acct.app?.name_slug ?? "", appName, accountName: acct.name ?? "" },
  };
}

export async function receivePipedreamWebhook(
  db: Db,
  keys: KeyRing,
  secret: string | undefined,
  delivery: { rawBody: string; signature: string | null },
): Promise<PipedreamWebhookResult> {
  if (!secret) throw new AppError("NOT_FOUND", "Pipedream Connect is not set up on this server (PIPEDREAM_WEBHOOK_SECRET)");
  if (!signatureMatches(secret, delivery.rawBody, delivery.signature)) throw new AppError("UNAUTHORIZED", `Missing or invalid ${PIPEDREAM_SIGNATURE_HEADER} signature`);
  let body: unknown;
  try {
    body = JSON.parse(delivery.rawBody);
  } catch {
    throw new AppError("BAD_REQUEST", "The body is not valid JSON");
  }
  const parsed = webhookEvent.safeParse(body);
  if (!parsed.success) throw new AppError("BAD_REQUEST", "The body is not a Pipedream Connect account event");
  const event = parsed.data;
  const kind = event.event === "CONNECTION_SUCCESS" ? "account.connected" : event.event === "CONNECTION_ERROR" ? "account.error" : event.event;
  const externalUserId = event.external_user_id ?? event.account?.external_id ?? null;
  if (!externalUserId) throw new AppError("BAD_REQUEST", "The event names no external_user_id");
  const user = await db.user.findUnique({ where: { id: externalUserId }, select: { id: true } });
  if (!user) throw new AppError("NOT_FOUND", `No Cue user "${externalUserId.slice(0, 80)}": nothing was stored`);

  const acct = event.account;
  if (!acct) {
    // An error before any account existed (the user closed the flow, a quota): nothing to mark.
    if (kind === "account.error") return { received: true, event: kind, connectionId: null, status: "ignored" };
    throw new AppError("BAD_REQUEST", "The event names no account");
  }
  const existing = await db.connection.findFirst({
    where: { userId: user.id, provider: "pipedream", externalAccountId: acct.id },
    select: { id: true },
  });
  const { label, settings } = describe(acct);
  const message = typeof event.error === "string" ? event.error : (event.error?.message ?? "Pipedream reported an error with this account");

  if (kind === "account.disconnected") {
    if (!existing) return { received: true, event: kind, connectionId: null, status: "ignored" };
    await db.connection.update({ where: { id: existing.id }, data: { status: "revoked", lastError: null } });
    return { received: true, event: kind, connectionId: existing.id, status: "revoked" };
  }
  const data =
    kind === "account.connected"
      ? { status: "active" as const, lastError: null, label, settings }
      : { status: "error" as const, lastError: message.slice(0, 500), settings };
  if (existing) {
    await db.connection.update({ where: { id: existing.id }, data });
    return { received: true, event: kind, connectionId: existing.id, status: data.status };
  }
  // Concurrent redeliveries could both miss `existing`; the second create is then merged away.
  const created = await db.connection.create({
    data: { ...data, label, userId: user.id, provider: "pipedream", externalAccountId: acct.id, secrets: encryptSecret(keys, "{}") },
    select: { id: true },
  });
  const duplicates = await db.connection.findMany({
    where: { userId: user.id, provider: "pipedream", externalAccountId: acct.id },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true },
  });
  if (duplicates[0] && duplicates[0].id !== created.id) {
    await db.connection.deleteMany({ where: { id: created.id } });
    await db.connection.update({ where: { id: duplicates[0].id }, data });
    return { received: true, event: kind, connectionId: duplicates[0].id, status: data.status };
  }
  return { received: true, event: kind, connectionId: created.id, status: data.status };
}

/** Disconnecting in Cue also deletes the account at Pipedream (DELETE /v1/connect/{project}/accounts/{id}). */
export const pipedreamConnectHooks: ConnectHooks = {
  async beforeDisconnect({ settings, externalAccountId }) {
    if (!externalAccountId) return;
    const app = pipedreamApp(settings);
    const accessToken = await pipedreamAccessToken(app);
    let response: Response;
    try {
      response = await fetch(`${app.apiUrl}/v1/connect/${encodeURIComponent(app.projectId)}/accounts/${encodeURIComponent(externalAccountId)}`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${accessToken}`, "x-pd-environment": app.environment },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new AppError("BAD_REQUEST", `Pipedream could not be reached to remove the account; nothing was changed. Try again. (${(error as Error).name})`);
    }
    await response.body?.cancel();
    if (!response.ok && response.status !== 404) {
      throw new AppError("BAD_REQUEST", `Pipedream refused to remove the account (HTTP ${response.status}); nothing was changed. Try again.`);
    }
  },
};

// Webhooks from GitHub repositories into a user's GitHub connection. Each points at
// /api/webhooks/github/<connectionId> and is signed with the connection's webhook secret
// (X-Hub-Signature-256); each delivery is stored once by X-GitHub-Delivery (ConnectionEvent), then dispatched.
// The webhook is either one Cue created ("Watch" a repository: a random per-connection secret,
// the hook id kept in the connection's settings, deleted on unwatch and on disconnect) or one the
// user made by hand with the secret they pasted when connecting.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { StepError } from "@/engine/errors";
import { sendHttpRequest, type HttpRequestSpec, type HttpResponse } from "@/integrations/core/http";
import { assertPublicUrl } from "@/integrations/core/network-guard";
import {
  createdHook,
  createRepositoryHookRequest,
  deleteRepositoryHookRequest,
  githubRepositoryName,
  hookFailure,
  watchedRepository,
  type HookFailure,
  type WatchedRepository,
} from "@/integrations/github/repository-hooks";
import type { RunQueue } from "@/queue/types";
import { decryptSecret, encryptSecret, type KeyRing } from "@/server/crypto/secrets";
import type { Db } from "@/server/db";
import { AppError, notFound } from "@/lib/errors";
import type { StoredSecrets } from "@/server/oauth/hooks";
import { REFRESH_LEASE_MS, TokenRefresher } from "@/server/oauth/refresh";
import type { ProviderEnvironment } from "@/server/services/connections";
import { receiveConnectionEvent } from "@/server/services/connection-events";

export const MAX_GITHUB_BODY_BYTES = 5 * 1024 * 1024;
export const GITHUB_WEBHOOK_PATH = "/api/webhooks/github";

export function githubSignature(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export function githubWebhookUrl(origin: string, connectionId: string): string {
  return new URL(`${GITHUB_WEBHOOK_PATH}/${encodeURIComponent(connectionId)}`, origin).toString();
}

function matches(expected: string, given: string | null): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given.trim());
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface GithubDelivery {
  connectionId: string;
  headers: Headers;
  rawBody: string;
}

export async function receiveGithubWebhook(db: Db, queue: RunQueue, keys: KeyRing, delivery: GithubDelivery) {
  const connection = await db.connection.findFirst({
    where: { id: delivery.connectionId, provider: "github" },
    select: { id: true, secrets: true, status: true },
  });
  if (!connection || connection.status === "revoked") throw new AppError("NOT_FOUND", "No GitHub connection listens at this URL");
  const { webhookSecret } = JSON.parse(decryptSecret(keys, connection.secrets)) as StoredSecrets;
  if (!webhookSecret) {
    throw new AppError("FORBIDDEN", "This GitHub connection has no webhook secret: watch the repository on Cue's Integrations page to receive its events");
  }
  if (!matches(githubSignature(webhookSecret, delivery.rawBody), delivery.headers.get("x-hub-signature-256"))) {
    throw new AppError("UNAUTHORIZED", "Missing or invalid X-Hub-Signature-256");
  }
  const event = delivery.headers.get("x-github-event");
  const deliveryId = delivery.headers.get("x-github-delivery");
  if (!event || !deliveryId) throw new AppError("BAD_REQUEST", "Missing X-GitHub-Event or X-GitHub-Delivery header");
  if (event === "ping") return { event, runIds: [] as string[] };
  let payload: unknown;
  try {
    payload = JSON.parse(delivery.rawBody);
  } catch {
    throw new AppError("BAD_REQUEST", "The body is not valid JSON (set the webhook's content type to application/json)");
  }
  const action = (payload as { action?: unknown } | null)?.action;
  const eventType = typeof action === "string" ? `${event}.${action}` : event;
  // Stored once by delivery id before the 2xx (GitHub does not redeliver by itself, so a failed
  // dispatch is left to the tick's sweep rather than answered 500).
  const received = await receiveConnectionEvent(db, queue, { connectionId: connection.id, provider: "github", eventId: deliveryId, type: eventType, payload });
  return { event: eventType, duplicate: received.duplicate, runIds: received.duplicate ? [] : received.runIds };
}

// --- Repository webhooks Cue manages -----------------------------------------------------------

export const githubRepositoryInput = z
  .object({ connectionId: z.string().min(1).max(64), repository: githubRepositoryName })
  .strict();
export const githubConnectionInput = z.object({ connectionId: z.string().min(1).max(64) }).strict();

/**
 * What a GitHub connection keeps in its (non-secret, plain-string) settings besides its login:
 * the webhooks Cue created, as JSON, and whether Cue generated the webhook secret (otherwise a
 * stored secret is the one the user pasted for a webhook of their own).
 */
export interface GithubConnectionSettings {
  login?: string;
  watchedRepositories?: string;
  webhookSecretOrigin?: "generated";
}

type Settings = Record<string, string>;

export function watchedRepositoriesOf(settings: unknown): WatchedRepository[] {
  const raw = (settings as GithubConnectionSettings | null)?.watchedRepositories;
  if (!raw) return [];
  try {
    return z.array(watchedRepository).parse(JSON.parse(raw));
  } catch {
    return [];
  }
}

const withWatched = (settings: Settings, list: WatchedRepository[]): Settings => ({ ...settings, watchedRepositories: JSON.stringify(list) });

/** GitHub names are case-insensitive: Acme/Web and acme/web are one repository. */
const sameRepository = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

async function ownedGithubConnection(db: Db, userId: string, id: string) {
  const connection = await db.connection.findFirst({ where: { id, userId, provider: "github" }, select: { id: true, status: true, settings: true } });
  if (!connection) throw notFound("GitHub connection");
  return connection;
}

function readSecrets(keys: KeyRing, ciphertext: string): StoredSecrets {
  try {
    return JSON.parse(decryptSecret(keys, ciphertext)) as StoredSecrets;
  } catch {
    throw new AppError("BAD_REQUEST", "This GitHub connection cannot be read (its encryption key was retired): connect it again");
  }
}

/**
 * Read-modify-write of a connection's secrets and settings that loses no concurrent change: the
 * write only lands if both are as they were read and no token refresh holds the lease (a refresh
 * writes back the secrets it read under that lease). Returns false if the row is gone.
 */
async function updateConnection(
  db: Db,
  id: string,
  change: (row: { secrets: string; settings: Settings }) => { secrets?: string; settings?: Settings } | null,
): Promise<boolean> {
  const deadline = Date.now() + REFRESH_LEASE_MS + 1_000;
  for (;;) {
    const row = await db.connection.findUnique({ where: { id }, select: { secrets: true, settings: true } });
    if (!row) return false;
    const settings = (row.settings ?? {}) as Settings;
    const patch = change({ secrets: row.secrets, settings });
    if (!patch) return true;
    const now = new Date();
    const { count } = await db.connection.updateMany({
      // Ciphertexts have a fresh IV each write, so an unchanged one means untouched secrets.
      where: { id, secrets: row.secrets, settings: { equals: settings }, OR: [{ refreshLockedUntil: null }, { refreshLockedUntil: { lt: now } }] },
      data: patch,
    });
    if (count === 1) return true;
    if (Date.now() > deadline) throw new AppError("CONFLICT", "The GitHub connection was busy (its token was being refreshed); try again");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The connection's webhook secret: the pasted one, or one Cue generates once and stores encrypted. */
async function ensureWebhookSecret(db: Db, keys: KeyRing, id: string): Promise<string> {
  let secret: string | undefined;
  const found = await updateConnection(db, id, (row) => {
    const stored = readSecrets(keys, row.secrets);
    if (stored.webhookSecret) {
      secret = stored.webhookSecret;
      return null;
    }
    secret = randomBytes(32).toString("hex");
    return {
      secrets: encryptSecret(keys, JSON.stringify({ ...stored, webhookSecret: secret })),
      settings: { ...row.settings, webhookSecretOrigin: "generated" },
    };
  });
  if (!found || !secret) throw notFound("GitHub connection");
  return secret;
}

type GithubCall = { ok: true; response: HttpResponse } | { ok: false; reason: "token" | "unreachable"; message: string };

/**
 * One GitHub API call with the connection's token, the way actions get it: refreshed first when
 * it is about to expire, and refreshed and retried once after a 401.
 */
async function callGithub(db: Db, keys: KeyRing, providers: ProviderEnvironment, id: string, spec: (accessToken: string) => HttpRequestSpec): Promise<GithubCall> {
  const row = await db.connection.findUnique({ where: { id }, select: { secrets: true } });
  if (!row) throw notFound("GitHub connection");
  const refresher = new TokenRefresher(db, keys, { settings: providers.oauth });
  // A dead grant, an unreadable connection or an OAuth app this server lacks: no retry will help.
  const failed = (error: unknown): GithubCall => {
    const message = error instanceof Error ? error.message : String(error);
    const dead = error instanceof AppError || (error instanceof StepError && (error.code === "auth" || error.code === "config"));
    return dead
      ? { ok: false, reason: "token", message }
      : { ok: false, reason: "unreachable", message: `GitHub could not be reached (${message}); nothing was changed. Try again.` };
  };
  const send = (accessToken: string) =>
    sendHttpRequest(spec(accessToken), {
      provider: "GitHub",
      timeoutMs: 15_000,
      guardUrl: providers.allowPrivateNetwork ? undefined : (url) => assertPublicUrl(url),
    });
  try {
    let tokens = await refresher.ensureFresh({ id, provider: "github", secrets: readSecrets(keys, row.secrets) });
    if (!tokens.accessToken) return { ok: false, reason: "token", message: "This GitHub connection has no token: connect it again." };
    let response = await send(tokens.accessToken);
    if (response.status === 401 && tokens.refreshToken) {
      tokens = await refresher.ensureFresh({ id, provider: "github", secrets: tokens }, { force: true });
      response = await send(tokens.accessToken!);
    }
    return { ok: true, response };
  } catch (error) {
    return failed(error);
  }
}

const alreadyWatched = (repository: string) => {
  const message = `Cue already watches ${repository} on this connection`;
  return new AppError("CONFLICT", message, { fieldErrors: { repository: [message] } });
};

const FAILURE_CODES: Record<HookFailure["kind"], AppError["code"]> = {
  unauthorized: "BAD_REQUEST",
  missing_scope: "BAD_REQUEST",
  not_found: "BAD_REQUEST",
  exists: "CONFLICT",
  invalid: "BAD_REQUEST",
  rate_limited: "TOO_MANY_REQUESTS",
  unavailable: "BAD_REQUEST",
};

function appUrlOf(providers: ProviderEnvironment, origin: string | undefined): string {
  const appUrl = providers.oauth?.appUrl ?? origin;
  if (!appUrl) throw new AppError("BAD_REQUEST", "Cue does not know its public address for GitHub to deliver to: set AUTH_URL");
  return appUrl;
}

/**
 * Creates the repository webhook for the connection's New GitHub issue workflows and remembers
 * it. The secret it is signed with is stored encrypted and never returned.
 */
export async function watchGithubRepository(
  db: Db,
  keys: KeyRing,
  providers: ProviderEnvironment,
  userId: string,
  input: { connectionId: string; repository: string; origin?: string },
) {
  const connection = await ownedGithubConnection(db, userId, input.connectionId);
  const repository = input.repository;
  if (connection.status === "revoked") throw new AppError("BAD_REQUEST", "This GitHub connection was revoked: connect GitHub again");
  if (watchedRepositoriesOf(connection.settings).some((w) => sameRepository(w.repository, repository))) {
    throw alreadyWatched(repository);
  }
  const url = githubWebhookUrl(appUrlOf(providers, input.origin), connection.id);
  const secret = await ensureWebhookSecret(db, keys, connection.id);
  const baseUrl = providers.baseUrl("github");

  const call = await callGithub(db, keys, providers, connection.id, (token) => createRepositoryHookRequest(baseUrl, token, { repository, url, secret }));
  if (!call.ok) throw new AppError("BAD_REQUEST", call.message);
  const failure = hookFailure(call.response, repository);
  if (failure) throw new AppError(FAILURE_CODES[failure.kind], failure.message);
  const created = createdHook.safeParse(call.response.body);
  if (!created.success) throw new AppError("BAD_REQUEST", "GitHub answered without the new webhook's id; check the repository's Settings → Webhooks");
  const hook = { repository, hookId: created.data.id };

  // Disconnected, or watched by a concurrent request, while GitHub created the hook: undo ours.
  const undo = () => callGithub(db, keys, providers, connection.id, (token) => deleteRepositoryHookRequest(baseUrl, token, hook)).catch(() => undefined);
  let duplicate = false;
  let kept: boolean;
  try {
    kept = await updateConnection(db, connection.id, (row) => {
      const list = watchedRepositoriesOf(row.settings);
      duplicate = list.some((w) => sameRepository(w.repository, repository));
      return duplicate ? null : { settings: withWatched(row.settings, [...list, hook]) };
    });
  } catch (error) {
    await undo();
    throw error;
  }
  if (!kept) throw notFound("GitHub connection");
  if (duplicate) {
    await undo();
    throw alreadyWatched(repository);
  }
  return { ...hook, webhookUrl: url };
}

/** Deletes the webhook Cue created in one repository, then forgets it. */
export async function unwatchGithubRepository(
  db: Db,
  keys: KeyRing,
  providers: ProviderEnvironment,
  userId: string,
  input: { connectionId: string; repository: string },
) {
  const connection = await ownedGithubConnection(db, userId, input.connectionId);
  const hook = watchedRepositoriesOf(connection.settings).find((w) => sameRepository(w.repository, input.repository));
  if (!hook) throw new AppError("NOT_FOUND", `Cue does not watch ${input.repository} on this connection`);
  const baseUrl = providers.baseUrl("github");
  const call = await callGithub(db, keys, providers, connection.id, (token) => deleteRepositoryHookRequest(baseUrl, token, hook));
  if (!call.ok) throw new AppError("BAD_REQUEST", `${call.message} You can also delete the webhook under ${hook.repository}'s Settings → Webhooks.`);
  // 404: already deleted in GitHub (or the repository is gone), which is what unwatching wants.
  if (call.response.status !== 404) {
    const failure = hookFailure(call.response, hook.repository);
    if (failure) throw new AppError(FAILURE_CODES[failure.kind], failure.message);
  }
  await forgetHooks(db, connection.id, [hook.hookId]);
  return { repository: hook.repository };
}

async function forgetHooks(db: Db, id: string, hookIds: readonly number[]) {
  await updateConnection(db, id, (row) => ({
    settings: withWatched(
      row.settings,
      watchedRepositoriesOf(row.settings).filter((w) => !hookIds.includes(w.hookId)),
    ),
  }));
}

/** The connection's watched repositories, where webhooks deliver, and whether the user pasted a secret. */
export async function githubRepositoryWebhooks(db: Db, keys: KeyRing, providers: ProviderEnvironment, userId: string, input: { connectionId: string; origin?: string }) {
  const connection = await db.connection.findFirst({
    where: { id: input.connectionId, userId, provider: "github" },
    select: { id: true, settings: true, secrets: true },
  });
  if (!connection) throw notFound("GitHub connection");
  let hasSecret = false;
  try {
    hasSecret = Boolean((JSON.parse(decryptSecret(keys, connection.secrets)) as StoredSecrets).webhookSecret);
  } catch {
    // An unreadable connection has no usable secret; the page says so through its status.
  }
  const appUrl = providers.oauth?.appUrl ?? input.origin;
  return {
    webhookUrl: appUrl ? githubWebhookUrl(appUrl, connection.id) : `${GITHUB_WEBHOOK_PATH}/${connection.id}`,
    pastedSecret: hasSecret && (connection.settings as GithubConnectionSettings | null)?.webhookSecretOrigin !== "generated",
    repositories: watchedRepositoriesOf(connection.settings),
  };
}

/**
 * Before a GitHub connection is deleted: delete every webhook Cue created. Hooks GitHub no longer
 * has, or that a dead token cannot reach any more, are let go; if GitHub cannot be reached the
 * disconnect stops here, keeping the connection and the hooks it still knows about.
 */
export async function removeGithubRepositoryHooks(db: Db, keys: KeyRing, providers: ProviderEnvironment, connectionId: string): Promise<void> {
  const row = await db.connection.findUnique({ where: { id: connectionId }, select: { settings: true } });
  const hooks = watchedRepositoriesOf(row?.settings);
  if (hooks.length === 0) return;
  const baseUrl = providers.baseUrl("github");
  const removed: number[] = [];
  try {
    for (const hook of hooks) {
      const call = await callGithub(db, keys, providers, connectionId, (token) => deleteRepositoryHookRequest(baseUrl, token, hook));
      if (!call.ok && call.reason === "token") {
        removed.push(hook.hookId);
        continue;
      }
      if (!call.ok) throw new AppError("BAD_REQUEST", `Could not remove Cue's webhook from ${hook.repository}: ${call.message}`);
      const failure = call.response.status === 404 ? null : hookFailure(call.response, hook.repository);
      if (failure && (failure.kind === "rate_limited" || failure.kind === "unavailable")) {
        throw new AppError("BAD_REQUEST", `Could not remove Cue's webhook from ${hook.repository}: ${failure.message}`);
      }
      // Deleted, already gone, or refused for good (the token lost access): nothing more Cue can do.
      removed.push(hook.hookId);
    }
  } finally {
    if (removed.length) await forgetHooks(db, connectionId, removed);
  }
}

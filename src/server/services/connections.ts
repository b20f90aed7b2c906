// Connected accounts: what the Integrations page lists and creates. Secrets are encrypted before
// they are stored and never selected for anything that leaves the server.
import { z } from "zod";
import type { Credentials } from "@/engine/types";
import type { IntegrationDefinition } from "@/integrations/core/define";
import { sendHttpRequest } from "@/integrations/core/http";
import { assertPublicUrl } from "@/integrations/core/network-guard";
import { integrations } from "@/integrations/registry";
import { decryptSecret, encryptSecret, type KeyRing } from "@/server/crypto/secrets";
import type { Db } from "@/server/db";
import { AppError, notFound } from "@/lib/errors";
import { StepError } from "@/engine/errors";
import { missingOAuthSettings, type OAuthEnvironment } from "@/server/oauth/config";
import { startOAuthConnection } from "@/server/oauth/flow";
import { connectHooksFor, type StoredSecrets } from "@/server/oauth/hooks";
import { TokenRefresher } from "@/server/oauth/refresh";
import { removeGithubRepositoryHooks } from "@/server/services/github-webhooks";

/** Where each provider's API lives in this deployment (env overrides for tests and proxies). */
export interface ProviderEnvironment {
  baseUrl(provider: string): string;
  allowPrivateNetwork: boolean;
  /** OAuth apps' client credentials and endpoints; without it no OAuth provider is connectable. */
  oauth?: OAuthEnvironment;
}

export const connectionSelect = {
  id: true,
  provider: true,
  label: true,
  status: true,
  externalAccountId: true,
  lastUsedAt: true,
  lastError: true,
  createdAt: true,
  // Not secret: when the access token expires, and the granted scopes (set only by OAuth).
  expiresAt: true,
  scopes: true,
} as const;

type ConnectionRow = { provider: string; scopes: string | null };

/** How a connection was made: OAuth connections record their granted scopes, pasted tokens none. */
export function connectionMethod(connection: ConnectionRow): "oauth" | "token" {
  const integration = integrations.find((i) => i.key === connection.provider);
  if (!integration?.connection.token) return "oauth";
  if (!integration.connection.oauth) return "token";
  return connection.scopes !== null ? "oauth" : "token";
}

function describeConnection<C extends ConnectionRow>(connection: C) {
  return { ...connection, method: connectionMethod(connection) };
}

function connectable(provider: string): IntegrationDefinition {
  const integration = integrations.find((i) => i.key === provider && i.connection.kind !== "none");
  if (!integration) throw new AppError("BAD_REQUEST", `Unknown provider "${provider}"`);
  return integration;
}

export async function listProviders(db: Db, userId: string, providers?: ProviderEnvironment) {
  const connections = await db.connection.findMany({ where: { userId }, select: connectionSelect, orderBy: { createdAt: "asc" } });
  return integrations
    .filter((i) => i.connection.kind !== "none")
    .map((integration) => {
      const token = integration.connection.token;
      const oauth = integration.connection.oauth;
      return {
        key: integration.key,
        name: integration.name,
        description: integration.description,
        color: integration.color,
        icon: integration.icon.kind === "monogram" ? integration.icon.text : integration.name.slice(0, 2),
        kind: integration.connection.kind,
        tokenForm: token
          ? { schema: z.toJSONSchema(token.fields, { io: "input", unrepresentable: "any" }), secretFields: token.secretFields }
          : null,
        // Whether "Connect" can work here; the page says which settings are missing otherwise.
        oauth: oauth ? { missingSettings: missingOAuthSettings(oauth, providers?.oauth) } : null,
        connections: connections.filter((c) => c.provider === integration.key).map(describeConnection),
      };
    });
}

/** Checks the credentials with the provider; throws a BAD_REQUEST naming what it said. */
async function verify(integration: IntegrationDefinition, credentials: Credentials, settings: Record<string, string>, providers: ProviderEnvironment) {
  const token = integration.connection.token!;
  const spec = token.verify.request(credentials, settings, providers.baseUrl(integration.key));
  try {
    const response = await sendHttpRequest(spec, {
      provider: integration.name,
      timeoutMs: 15_000,
      guardUrl: providers.allowPrivateNetwork ? undefined : (url) => assertPublicUrl(url),
    });
    return token.verify.account(response.body);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError("BAD_REQUEST", `${integration.name} did not accept these credentials: ${reason}`);
  }
}

export async function connectWithToken(
  db: Db,
  keys: KeyRing,
  providers: ProviderEnvironment,
  userId: string,
  input: { provider: string; label?: string; fields: unknown },
) {
  const integration = connectable(input.provider);
  const token = integration.connection.token;
  if (!token) throw new AppError("BAD_REQUEST", `${integration.name} is connected with OAuth, not with a key`);
  const parsed = token.fields.safeParse(input.fields);
  if (!parsed.success) {
    throw new AppError("BAD_REQUEST", "Please correct the highlighted fields.", {
      fieldErrors: z.flattenError(parsed.error).fieldErrors as Record<string, string[]>,
    });
  }
  const { credentials, settings, webhookSecret } = token.toCredentials(parsed.data);
  const account = await verify(integration, credentials, settings, providers);
  return db.connection.create({
    data: {
      userId,
      provider: integration.key,
      label: input.label?.trim() || account.label || integration.name,
      externalAccountId: account.externalAccountId ?? null,
      // Stored beside the credentials like Stripe Connect's endpoint secret (StoredSecrets).
      secrets: encryptSecret(keys, JSON.stringify(webhookSecret ? { ...credentials, webhookSecret } : credentials)),
      settings,
    },
    select: connectionSelect,
  });
}

async function owned(db: Db, userId: string, id: string) {
  const connection = await db.connection.findFirst({ where: { id, userId } });
  if (!connection) throw notFound("Connection");
  return connection;
}

/** Re-checks a connection with its provider and records the outcome. */
export async function testConnection(db: Db, keys: KeyRing, providers: ProviderEnvironment, userId: string, id: string) {
  const connection = await owned(db, userId, id);
  const integration = connectable(connection.provider);
  if (connectionMethod(connection) === "oauth") return testOAuthConnection(db, keys, providers, integration, connection);
  if (!integration.connection.token) throw new AppError("BAD_REQUEST", `${integration.name} connections cannot be tested yet`);
  const credentials = JSON.parse(decryptSecret(keys, connection.secrets)) as Credentials;
  try {
    await verify(integration, credentials, connection.settings as Record<string, string>, providers);
    return describeConnection(await db.connection.update({ where: { id }, data: { status: "active", lastError: null }, select: connectionSelect }));
  } catch (error) {
    return describeConnection(
      await db.connection.update({
        where: { id },
        data: { status: "error", lastError: (error as Error).message.slice(0, 500) },
        select: connectionSelect,
      }),
    );
  }
}

/**
 * An OAuth connection's test: refresh the access token if it is about to expire, then make the
 * provider's cheap authenticated call (refreshing once more on a 401). A connection that needs
 * reconnecting stays so until the user reconnects: a test cannot mint a new grant.
 */
async function testOAuthConnection(
  db: Db,
  keys: KeyRing,
  providers: ProviderEnvironment,
  integration: IntegrationDefinition,
  connection: { id: string; provider: string; status: string; lastError: string | null; secrets: string; settings: unknown },
) {
  const reread = async () => describeConnection(await db.connection.findUniqueOrThrow({ where: { id: connection.id }, select: connectionSelect }));
  if (connection.status === "needs_reconnect" || connection.status === "revoked") return reread();
  let secrets: StoredSecrets;
  try {
    secrets = JSON.parse(decryptSecret(keys, connection.secrets)) as StoredSecrets;
  } catch {
    await db.connection.update({ where: { id: connection.id }, data: { status: "needs_reconnect", lastError: "Its stored tokens cannot be read (the encryption key was retired)" } });
    return reread();
  }
  const refresher = new TokenRefresher(db, keys, { settings: providers.oauth });
  const check = integration.connection.oauth?.verify;
  const settings = (connection.settings ?? {}) as Record<string, string>;
  const call = async (tokens: StoredSecrets) => {
    if (!check) return;
    const spec = check.request({ accessToken: tokens.accessToken, extra: { ...settings } }, providers.baseUrl(integration.key));
    await sendHttpRequest(spec, {
      provider: integration.name,
      timeoutMs: 15_000,
      guardUrl: providers.allowPrivateNetwork ? undefined : (url) => assertPublicUrl(url),
    });
  };
  try {
    // An "error" status may be stale (a failed test, a provider outage): try for real.
    if (connection.status === "error") await db.connection.update({ where: { id: connection.id }, data: { status: "active" } });
    let tokens = await refresher.ensureFresh({ id: connection.id, provider: connection.provider, secrets });
    try {
      await call(tokens);
    } catch (error) {
      if (!(error instanceof StepError && error.status === 401 && tokens.refreshToken)) throw error;
      tokens = await refresher.ensureFresh({ id: connection.id, provider: connection.provider, secrets: tokens }, { force: true });
      await call(tokens);
    }
    await db.connection.updateMany({ where: { id: connection.id, status: "active" }, data: { lastError: null } });
  } catch (error) {
    const message = (error as Error).message.slice(0, 500);
    // The refresher already recorded needs_reconnect with its reason; anything else is an error.
    await db.connection.updateMany({ where: { id: connection.id, status: "active" }, data: { status: "error", lastError: message } });
  }
  return reread();
}

/**
 * Starts the OAuth flow again for one of the user's connections (expired grant, revoked app, new
 * scopes). The callback finds the same connection by its account id and makes it healthy again.
 */
export async function reconnectConnection(
  db: Db,
  keys: KeyRing,
  providers: ProviderEnvironment,
  userId: string,
  input: { id: string; returnTo?: string; origin?: string },
) {
  const connection = await owned(db, userId, input.id);
  const integration = connectable(connection.provider);
  if (!integration.connection.oauth || connectionMethod(connection) !== "oauth") {
    throw new AppError("BAD_REQUEST", `This ${integration.name} connection uses a pasted token: connect again with a new token instead`);
  }
  return startOAuthConnection(db, keys, providers.oauth, userId, { provider: connection.provider, returnTo: input.returnTo, origin: input.origin });
}

export async function renameConnection(db: Db, userId: string, id: string, label: string) {
  await owned(db, userId, id);
  return describeConnection(await db.connection.update({ where: { id }, data: { label }, select: connectionSelect }));
}

/**
 * Deletes a connection, first undoing at the provider what connecting set up (webhook endpoints)
 * and revoking access where the provider supports it; if that fails, nothing is deleted.
 */
export async function disconnect(db: Db, keys: KeyRing, providers: ProviderEnvironment, userId: string, id: string) {
  let connection = await owned(db, userId, id);
  if (connection.provider === "github" && connection.status !== "revoked") {
    // The repository webhooks Cue created go first, while the grant still works; re-read after, as a refresh may rotate the token.
    await removeGithubRepositoryHooks(db, keys, providers, connection.id);
    connection = await owned(db, userId, id);
  }
  const hooks = connectHooksFor(connection.provider);
  if (hooks?.beforeDisconnect && connection.status !== "revoked") {
    let secrets: StoredSecrets = {};
    try {
      secrets = JSON.parse(decryptSecret(keys, connection.secrets)) as StoredSecrets;
    } catch {
      // Unreadable secrets (a retired key) cannot stop someone from removing the connection.
    }
    const refresher = new TokenRefresher(db, keys, { settings: providers.oauth });
    let current = secrets;
    await hooks.beforeDisconnect({
      settings: providers.oauth,
      method: connectionMethod(connection),
      externalAccountId: connection.externalAccountId,
      secrets,
      connectionSettings: (connection.settings ?? {}) as Record<string, string>,
      freshSecrets: async (options) => (current = await refresher.ensureFresh({ id: connection.id, provider: connection.provider, secrets: current }, options)),
    });
  }
  const { count } = await db.connection.deleteMany({ where: { id, userId } });
  if (count === 0) throw notFound("Connection");
  return { id };
}

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
import { AppError, notFound } from "@/server/errors";
import { missingOAuthSettings, type OAuthEnvironment } from "@/server/oauth/config";
import { connectHooksFor, type StoredSecrets } from "@/server/oauth/hooks";

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
} as const;

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
        connections: connections.filter((c) => c.provider === integration.key),
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
  if (!integration.connection.token) throw new AppError("BAD_REQUEST", `${integration.name} connections cannot be tested yet`);
  const credentials = JSON.parse(decryptSecret(keys, connection.secrets)) as Credentials;
  try {
    await verify(integration, credentials, connection.settings as Record<string, string>, providers);
    return db.connection.update({ where: { id }, data: { status: "active", lastError: null }, select: connectionSelect });
  } catch (error) {
    return db.connection.update({
      where: { id },
      data: { status: "error", lastError: (error as Error).message.slice(0, 500) },
      select: connectionSelect,
    });
  }
}

export async function renameConnection(db: Db, userId: string, id: string, label: string) {
  await owned(db, userId, id);
  return db.connection.update({ where: { id }, data: { label }, select: connectionSelect });
}

/**
 * Deletes a connection, first undoing at the provider what connecting set up (webhook endpoints)
 * and revoking access where the provider supports it; if that fails, nothing is deleted.
 */
export async function disconnect(db: Db, keys: KeyRing, providers: ProviderEnvironment, userId: string, id: string) {
  const connection = await owned(db, userId, id);
  const hooks = connectHooksFor(connection.provider);
  if (hooks?.beforeDisconnect && connection.status !== "revoked") {
    let secrets: StoredSecrets = {};
    try {
      secrets = JSON.parse(decryptSecret(keys, connection.secrets)) as StoredSecrets;
    } catch {
      // Unreadable secrets (a retired key) cannot stop someone from removing the connection.
    }
    await hooks.beforeDisconnect({
      settings: providers.oauth,
      externalAccountId: connection.externalAccountId,
      secrets,
      connectionSettings: (connection.settings ?? {}) as Record<string, string>,
    });
  }
  const { count } = await db.connection.deleteMany({ where: { id, userId } });
  if (count === 0) throw notFound("Connection");
  return { id };
}

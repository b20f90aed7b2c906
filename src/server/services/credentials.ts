// getCredentials(userId, provider): what actions use to authenticate, read from the user's
// stored connection for that provider and decrypted only here, in the worker's memory. OAuth
// access tokens are refreshed first when they are about to expire, or when the action reports a
// 401 (`forceRefresh`); see src/server/oauth/refresh.ts.
import type { Credentials, GetCredentials } from "@/engine/types";
import { StepError } from "@/engine/errors";
import { decryptSecret, type KeyRing } from "@/server/crypto/secrets";
import type { Db } from "@/server/db";
import { serverOAuthEnvironment, type OAuthEnvironment } from "@/server/oauth/config";
import type { StoredSecrets } from "@/server/oauth/hooks";
import { reconnectMessage, TokenRefresher, type RefreshOptions } from "@/server/oauth/refresh";

export interface CredentialsReaderOptions extends Partial<RefreshOptions> {
  /** The OAuth apps' settings for refreshing; the server's environment unless given. */
  settings?: OAuthEnvironment;
}

export function credentialsReader(db: Db, keys: KeyRing, options: CredentialsReaderOptions = {}): GetCredentials {
  const refresher = new TokenRefresher(db, keys, { ...options, settings: options.settings ?? serverOAuthEnvironment() });
  return async (userId, provider, request) => {
    const connection = await db.connection.findFirst({
      where: { userId, provider, status: "active" },
      orderBy: [{ lastUsedAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }],
      select: { id: true, secrets: true, settings: true },
    });
    if (!connection) {
      // Say why instead of "connect first" when the account is connected but unusable.
      const unhealthy = await db.connection.findFirst({
        where: { userId, provider, status: { in: ["needs_reconnect", "error"] } },
        orderBy: { updatedAt: "desc" },
        select: { lastError: true },
      });
      if (unhealthy) throw new StepError("auth", reconnectMessage(provider, unhealthy.lastError));
      return {};
    }
    let secrets: StoredSecrets;
    try {
      secrets = JSON.parse(decryptSecret(keys, connection.secrets)) as StoredSecrets;
    } catch {
      throw new StepError("config", `The ${provider} connection cannot be read; reconnect it on the Integrations page`);
    }
    const fresh = await refresher.ensureFresh({ id: connection.id, provider, secrets }, { force: request?.forceRefresh });
    await db.connection.update({ where: { id: connection.id }, data: { lastUsedAt: new Date() } });
    // Actions get what authenticates a request; the refresh token stays here.
    const { refreshToken: _refreshToken, expiresAt: _expiresAt, ...credentials } = fresh;
    const settings = (connection.settings ?? {}) as Record<string, string>;
    return { ...(credentials as Credentials), extra: { ...settings, ...credentials.extra } };
  };
}

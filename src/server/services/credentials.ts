// getCredentials(userId, provider): what actions use to authenticate, read from the user's
// stored connection for that provider and decrypted only here, in the worker's memory.
import type { Credentials, GetCredentials } from "@/engine/types";
import { StepError } from "@/engine/errors";
import { decryptSecret, type KeyRing } from "@/server/crypto/secrets";
import type { Db } from "@/server/db";

export function credentialsReader(db: Db, keys: KeyRing): GetCredentials {
  return async (userId, provider) => {
    const connection = await db.connection.findFirst({
      where: { userId, provider, status: "active" },
      orderBy: [{ lastUsedAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }],
      select: { id: true, secrets: true, settings: true },
    });
    if (!connection) return {};
    let secrets: Credentials;
    try {
      secrets = JSON.parse(decryptSecret(keys, connection.secrets)) as Credentials;
    } catch {
      throw new StepError("config", `The ${provider} connection cannot be read; reconnect it on the Integrations page`);
    }
    await db.connection.update({ where: { id: connection.id }, data: { lastUsedAt: new Date() } });
    const settings = (connection.settings ?? {}) as Record<string, string>;
    return { ...secrets, extra: { ...settings, ...secrets.extra } };
  };
}

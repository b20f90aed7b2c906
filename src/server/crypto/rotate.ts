// Key rotation: re-encrypts every secret at rest under the key ring's current key. Run it after
// putting a new key first in ENCRYPTION_KEYS (keep the old one listed until this has finished).
// Each row is rewritten only if it still names another key, with a compare-and-set on the old
// ciphertext, so running it twice, or while the app is writing, is safe.
import type { Db } from "@/server/db";
import { decryptSecret, encryptSecret, secretKeyId, type KeyRing } from "./secrets";

export interface RotationReport {
  connections: number;
  workflows: number;
  oauthStates: number;
}

function reencrypt(keys: KeyRing, stored: string): string | null {
  return secretKeyId(stored) === keys.current.id ? null : encryptSecret(keys, decryptSecret(keys, stored));
}

export async function reencryptAll(db: Db, keys: KeyRing): Promise<RotationReport> {
  const report: RotationReport = { connections: 0, workflows: 0, oauthStates: 0 };

  for (const row of await db.connection.findMany({ select: { id: true, secrets: true } })) {
    const next = reencrypt(keys, row.secrets);
    if (next) report.connections += (await db.connection.updateMany({ where: { id: row.id, secrets: row.secrets }, data: { secrets: next } })).count;
  }
  for (const row of await db.workflow.findMany({ where: { webhookSecret: { not: null } }, select: { id: true, webhookSecret: true } })) {
    const next = reencrypt(keys, row.webhookSecret!);
    if (next) {
      report.workflows += (await db.workflow.updateMany({ where: { id: row.id, webhookSecret: row.webhookSecret }, data: { webhookSecret: next } })).count;
    }
  }
  for (const row of await db.oAuthState.findMany({ where: { codeVerifier: { not: null } }, select: { stateHash: true, codeVerifier: true } })) {
    const next = reencrypt(keys, row.codeVerifier!);
    if (next) {
      const where = { stateHash: row.stateHash, codeVerifier: row.codeVerifier };
      report.oauthStates += (await db.oAuthState.updateMany({ where, data: { codeVerifier: next } })).count;
    }
  }
  return report;
}

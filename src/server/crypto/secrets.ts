// Secrets at rest (webhook secrets, tokens, API keys): AES-256-GCM with a key from the
// environment. The key id is stored beside each ciphertext so keys can rotate: new values use
// the first key of ENCRYPTION_KEYS, old ones decrypt with whichever key id they name.
// Format: "v1.<keyId>.<iv b64url>.<tag b64url>.<ciphertext b64url>".
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

export interface KeyRing {
  current: { id: string; key: Buffer };
  byId: Map<string, Buffer>;
}

/** Parses "id1:<base64 32 bytes>,id2:<…>" (first = current). */
export function parseKeyRing(spec: string): KeyRing {
  const entries = spec
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const separator = part.indexOf(":");
      const id = part.slice(0, separator);
      const key = Buffer.from(part.slice(separator + 1), "base64");
      if (separator < 1 || !/^[A-Za-z0-9_-]{1,32}$/.test(id)) throw new Error(`ENCRYPTION_KEYS: bad key id in "${id}:…"`);
      if (key.length !== 32) throw new Error(`ENCRYPTION_KEYS: key "${id}" must be 32 bytes, base64-encoded`);
      return [id, key] as const;
    });
  const first = entries[0];
  if (!first) throw new Error("ENCRYPTION_KEYS: no key given");
  return { current: { id: first[0], key: first[1] }, byId: new Map(entries) };
}

export function encryptSecret(ring: KeyRing, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", ring.current.key, iv);
  cipher.setAAD(Buffer.from(ring.current.id));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", ring.current.id, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(".");
}

export function decryptSecret(ring: KeyRing, stored: string): string {
  const [version, keyId, iv, tag, ciphertext] = stored.split(".");
  if (version !== "v1" || !keyId || iv === undefined || tag === undefined || ciphertext === undefined) {
    throw new Error("Unrecognised secret format");
  }
  const key = ring.byId.get(keyId);
  if (!key) throw new Error(`No encryption key "${keyId}" is configured (ENCRYPTION_KEYS)`);
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(keyId));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}

/** The key id a stored secret was encrypted with (for rotation). */
export function secretKeyId(stored: string): string | undefined {
  return stored.split(".")[1];
}

import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, parseKeyRing, secretKeyId } from "./secrets";

const key = () => randomBytes(32).toString("base64");

describe("secrets at rest", () => {
  it("round-trips and never stores the plaintext", () => {
    const ring = parseKeyRing(`k1:${key()}`);
    const stored = encryptSecret(ring, "whsec_super_secret");
    expect(stored).not.toContain("whsec");
    expect(stored.startsWith("v1.k1.")).toBe(true);
    expect(decryptSecret(ring, stored)).toBe("whsec_super_secret");
    // A fresh IV each time.
    expect(encryptSecret(ring, "same")).not.toBe(encryptSecret(ring, "same"));
  });

  it("rotates: new secrets use the first key, old ones still decrypt", () => {
    const oldKey = key();
    const before = parseKeyRing(`old:${oldKey}`);
    const stored = encryptSecret(before, "token");
    const after = parseKeyRing(`new:${key()},old:${oldKey}`);
    expect(decryptSecret(after, stored)).toBe("token");
    expect(secretKeyId(encryptSecret(after, "token"))).toBe("new");
  });

  it("detects tampering and unknown keys", () => {
    const ring = parseKeyRing(`k1:${key()}`);
    const stored = encryptSecret(ring, "token");
    const parts = stored.split(".");
    parts[4] = Buffer.from("forged").toString("base64url");
    expect(() => decryptSecret(ring, parts.join("."))).toThrow();
    expect(() => decryptSecret(parseKeyRing(`k2:${key()}`), stored)).toThrow(/No encryption key "k1"/);
  });

  it("rejects malformed key specs", () => {
    expect(() => parseKeyRing("")).toThrow(/no key/);
    expect(() => parseKeyRing("k1:c2hvcnQ=")).toThrow(/32 bytes/);
  });
});

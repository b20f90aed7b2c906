import { describe, expect, it } from "vitest";
import { parseEnv } from "@/env";

describe("parseEnv", () => {
  it("runs on embedded defaults with nothing set", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.NODE_ENV).toBe("development");
    expect(env.AUTH_SECRET.length).toBeGreaterThanOrEqual(32);
  });

  it("names the variable that is wrong", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL: must start with postgresql:\/\/ or pglite:/);
    expect(() => parseEnv({ AUTH_URL: "not a url" })).toThrow(/AUTH_URL/);
    expect(() => parseEnv({ AUTH_GOOGLE_ID: "id" })).toThrow(/AUTH_GOOGLE_SECRET: is required when AUTH_GOOGLE_ID is set/);
    expect(() => parseEnv({ AUTH_OIDC_ISSUER: "https://sso.example.com", AUTH_OIDC_ID: "x" })).toThrow(/AUTH_OIDC_SECRET/);
    expect(() => parseEnv({ AUTH_SECRET: "short" })).toThrow(/AUTH_SECRET: must be at least 32 characters/);
  });

  it("requires AUTH_SECRET in production", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(/AUTH_SECRET: is required in production/);
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(/ENCRYPTION_KEYS: is required in production/);
    const secret = "x".repeat(32);
    const keys = `k1:${Buffer.alloc(32, 7).toString("base64")}`;
    expect(parseEnv({ NODE_ENV: "production", AUTH_SECRET: secret, ENCRYPTION_KEYS: keys }).AUTH_SECRET).toBe(secret);
    expect(() => parseEnv({ ENCRYPTION_KEYS: "k1:short" })).toThrow(/ENCRYPTION_KEYS: key "k1" must be 32 bytes/);
  });

  it("treats empty values as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", AUTH_GITHUB_ID: " " }).DATABASE_URL).toBeUndefined();
  });
});

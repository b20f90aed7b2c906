import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "@/env";
import { devSignInEnabled, signInOptions } from "@/server/auth/providers";
import { callerFor, createUser } from "./helpers/caller";
import { createTestDatabase, type TestDatabase } from "./helpers/db";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

describe("sign-in options", () => {
  it("offers each provider whose variables are set", () => {
    const env = parseEnv({
      AUTH_GITHUB_ID: "gh",
      AUTH_GITHUB_SECRET: "gh-secret",
      AUTH_OIDC_ISSUER: "https://sso.example.com",
      AUTH_OIDC_ID: "cue",
      AUTH_OIDC_SECRET: "s",
      AUTH_OIDC_NAME: "Acme SSO",
    });
    expect(signInOptions(env)).toEqual([
      { id: "github", name: "GitHub" },
      { id: "oidc", name: "Acme SSO" },
    ]);
    expect(devSignInEnabled(env)).toBe(false);
  });

  it("offers the development sign-in only with no provider and outside production", () => {
    expect(devSignInEnabled(parseEnv({ NODE_ENV: "development" }))).toBe(true);
    expect(devSignInEnabled(parseEnv({ NODE_ENV: "production", AUTH_SECRET: "x".repeat(32), ENCRYPTION_KEYS: `k:${Buffer.alloc(32).toString("base64")}` }))).toBe(false);
    expect(devSignInEnabled(parseEnv({ AUTH_GOOGLE_ID: "g", AUTH_GOOGLE_SECRET: "s" }))).toBe(false);
  });
});

describe("auth router", () => {
  it("reports no session when signed out, and the user when signed in", async () => {
    const db = database.prisma;
    expect(await callerFor(db, null).auth.session()).toBeNull();
    const user = await createUser(db, "carol@example.com", { name: "Carol" });
    expect(await callerFor(db, user.id).auth.session()).toEqual({
      user: { id: user.id, email: "carol@example.com", name: "Carol", avatarUrl: null },
    });
  });

  it("development sign-in creates the user and a database session, and sets the cookie", async () => {
    const db = database.prisma;
    const resHeaders = new Headers();
    await callerFor(db, null, { resHeaders }).auth.devSignIn({ email: "  Dana@Example.com " });
    const user = await db.user.findUniqueOrThrow({ where: { email: "dana@example.com" }, include: { sessions: true } });
    expect(user.sessions).toHaveLength(1);
    const cookie = resHeaders.get("set-cookie") ?? "";
    expect(cookie).toContain(`authjs.session-token=${user.sessions[0]!.sessionToken}`);
    expect(cookie).toContain("HttpOnly");
    // Signing in again reuses the user.
    await callerFor(db, null).auth.devSignIn({ email: "dana@example.com" });
    expect(await db.user.count({ where: { email: "dana@example.com" } })).toBe(1);
  });

  it("refuses a bad email with a field message", async () => {
    const error = await callerFor(database.prisma, null)
      .auth.devSignIn({ email: "not-an-email" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
    expect(await database.prisma.user.count({ where: { email: "not-an-email" } })).toBe(0);
  });
});

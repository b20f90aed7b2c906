// The OAuth connection flow (src/server/oauth) end to end against the fake Stripe Connect
// authorization server: integrations.connect stores the state and returns the authorize URL, the
// fake approves or denies, and the callback service consumes the state, exchanges the code with
// oauth4webapi and stores the tokens encrypted.
import { createHash } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { OAuthConnection } from "@/integrations/core/define";
import { integrations } from "@/integrations/registry";
import { startFakeServer, type FakeResponse, type RecordedRequest } from "@/integrations/testing/fake-server";
import { decryptSecret } from "@/server/crypto/secrets";
import type { Db } from "@/server/db";
import type { OAuthEnvironment } from "@/server/oauth/config";
import { completeOAuthConnection, OAUTH_STATE_TTL_MS, outcomeLocation } from "@/server/oauth/flow";
import type { StoredSecrets } from "@/server/oauth/hooks";
import { callerFor, createUser, testKeys } from "./helpers/caller";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { FAKE_SECRET_KEY, startTestStripe, type FakeStripe } from "./helpers/fake-stripe";

let database: TestDatabase;
let db: Db;
let fake: FakeStripe;
let alice: { id: string };
let bob: { id: string };

const APP_URL = "http://cue.test";

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.prisma;
  fake = await startTestStripe();
});
afterAll(async () => {
  await fake?.close();
  await database?.close();
});
beforeEach(async () => {
  await db.user.deleteMany();
  alice = await createUser(db, "alice@example.com");
  bob = await createUser(db, "bob@example.com");
});

function oauthSettings(overrides: Record<string, string | undefined> = {}): OAuthEnvironment {
  const values: Record<string, string | undefined> = {
    STRIPE_CONNECT_CLIENT_ID: fake.connectClientId,
    STRIPE_SECRET_KEY: FAKE_SECRET_KEY,
    STRIPE_CONNECT_URL: fake.url,
    STRIPE_API_URL: fake.url,
    ...overrides,
  };
  return { read: (name) => values[name], appUrl: APP_URL };
}

const api = (userId: string, oauth: OAuthEnvironment | undefined = oauthSettings()) =>
  callerFor(db, userId, { providers: { baseUrl: () => fake.url, allowPrivateNetwork: true, oauth } });

/** What the browser does: open the authorize URL, press a button on the fake's page, follow to the callback. */
async function authorize(authorizeUrl: string, decision: "allow" | "deny" = "allow") {
  const url = new URL(authorizeUrl);
  const page = await fetch(url);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain("Connect my Stripe account");
  const answer = await fetch(`${fake.url}/oauth/authorize`, {
    method: "POST",
    body: new URLSearchParams({ ...Object.fromEntries(url.searchParams), decision }),
    redirect: "manual",
  });
  expect(answer.status).toBe(303);
  return new URL(answer.headers.get("location")!);
}

const callback = (userId: string, params: URLSearchParams, options: { now?: Date; settings?: OAuthEnvironment } = {}) =>
  completeOAuthConnection(db, testKeys, options.settings ?? oauthSettings(), { provider: "stripe", userId, params, now: options.now });

describe("OAuth connections", () => {
  it("connects Stripe: state stored hashed and bound to the user, code exchanged, tokens encrypted", async () => {
    const { authorizeUrl } = await api(alice.id).integrations.connect({ provider: "stripe" });
    const url = new URL(authorizeUrl);
    expect(url.origin + url.pathname).toBe(`${fake.url}/oauth/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: "code",
      client_id: fake.connectClientId,
      scope: "read_write",
      redirect_uri: `${APP_URL}/api/oauth/stripe/callback`,
    });
    const state = url.searchParams.get("state")!;
    const [stored] = await db.oAuthState.findMany();
    expect(stored).toMatchObject({ userId: alice.id, provider: "stripe", returnTo: "/integrations", codeVerifier: null });
    expect(stored!.stateHash).not.toBe(state);
    expect(stored!.expiresAt.getTime() - Date.now()).toBeGreaterThan(OAUTH_STATE_TTL_MS - 5_000);
    expect(stored!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(OAUTH_STATE_TTL_MS);

    const redirect = await authorize(authorizeUrl);
    expect(redirect.origin + redirect.pathname).toBe(`${APP_URL}/api/oauth/stripe/callback`);
    const outcome = await callback(alice.id, redirect.searchParams);
    expect(outcome).toMatchObject({ ok: true, provider: "stripe", returnTo: "/integrations" });
    expect(outcomeLocation(outcome)).toBe("/integrations?connected=stripe");

    // The token request: the platform key as client_secret, the same redirect_uri, the code.
    const tokenRequest = fake.connectRequests.findLast((r) => r.path === "/oauth/token")!;
    expect(tokenRequest.body).toMatchObject({ grant_type: "authorization_code", client_secret: FAKE_SECRET_KEY, redirect_uri: `${APP_URL}/api/oauth/stripe/callback` });

    const connection = await db.connection.findFirstOrThrow({ where: { userId: alice.id, provider: "stripe" } });
    expect(connection.externalAccountId).toMatch(/^acct_/);
    expect(connection.label).toMatch(/^Fake Business \d+$/);
    expect(connection.status).toBe("active");
    expect(connection.secrets).not.toContain("sk_test_connected_");
    const secrets = JSON.parse(decryptSecret(testKeys, connection.secrets)) as StoredSecrets;
    expect(secrets.accessToken).toMatch(/^sk_test_connected_/);
    expect(secrets.refreshToken).toMatch(/^rt_/);
    expect(secrets.webhookSecret).toMatch(/^whsec_/);
    // Single use: the state is gone.
    expect(await db.oAuthState.count()).toBe(0);

    // Nothing secret reaches the page.
    const listed = JSON.stringify(await api(alice.id).integrations.providers());
    for (const secret of [secrets.accessToken!, secrets.refreshToken!, secrets.webhookSecret!, FAKE_SECRET_KEY, "v1."]) expect(listed).not.toContain(secret);
    const stripe = (await api(alice.id).integrations.providers()).find((p) => p.key === "stripe")!;
    expect(stripe.oauth).toEqual({ missingSettings: [] });
    expect(stripe.connections).toEqual([expect.objectContaining({ id: connection.id, status: "active", externalAccountId: connection.externalAccountId })]);
  });

  it("reconnecting the same account updates the connection instead of adding one", async () => {
    const first = await authorize((await api(alice.id).integrations.connect({ provider: "stripe" })).authorizeUrl);
    expect((await callback(alice.id, first.searchParams)).ok).toBe(true);
    const connection = await db.connection.findFirstOrThrow({ where: { userId: alice.id } });

    // The fake mints a new account per approval; pretend Stripe handed back the same one.
    const { authorizeUrl } = await api(alice.id).integrations.connect({ provider: "stripe", returnTo: "/workflows?x=1" });
    const second = await authorize(authorizeUrl);
    const code = second.searchParams.get("code")!;
    const secondAccount = fake.authCodes.get(code)!.account;
    fake.authCodes.get(code)!.account = connection.externalAccountId!;
    fake.accounts.delete(secondAccount);
    const outcome = await callback(alice.id, second.searchParams);
    expect(outcome).toMatchObject({ ok: true, connectionId: connection.id, returnTo: "/workflows?x=1" });
    expect(outcomeLocation(outcome)).toBe("/workflows?x=1&connected=stripe");
    expect(await db.connection.count()).toBe(1);
    // The old endpoint (whose secret was replaced) is deleted; one endpoint remains on the account.
    expect([...fake.webhookEndpoints.values()].filter((e) => e.account === connection.externalAccountId)).toHaveLength(1);
  });

  it("refuses a missing, unknown or reused state", async () => {
    expect(await callback(alice.id, new URLSearchParams({ code: "ac_x" }))).toMatchObject({ ok: false, reason: "invalid_state" });
    expect(await callback(alice.id, new URLSearchParams({ code: "ac_x", state: "forged-state" }))).toMatchObject({ ok: false, reason: "invalid_state" });

    const redirect = await authorize((await api(alice.id).integrations.connect({ provider: "stripe" })).authorizeUrl);
    expect((await callback(alice.id, redirect.searchParams)).ok).toBe(true);
    const replay = await callback(alice.id, redirect.searchParams);
    expect(replay).toMatchObject({ ok: false, reason: "invalid_state" });
    expect(outcomeLocation(replay)).toBe("/integrations?error=invalid_state&provider=stripe");
    expect(await db.connection.count()).toBe(1);
  });

  it("lets only one of concurrent callbacks with the same state through", async () => {
    const redirect = await authorize((await api(alice.id).integrations.connect({ provider: "stripe" })).authorizeUrl);
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => callback(alice.id, redirect.searchParams)));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(await db.connection.count()).toBe(1);
  });

  it("refuses an expired state, and consumes it", async () => {
    const redirect = await authorize((await api(alice.id).integrations.connect({ provider: "stripe" })).authorizeUrl);
    const later = new Date(Date.now() + OAUTH_STATE_TTL_MS + 1_000);
    expect(await callback(alice.id, redirect.searchParams, { now: later })).toMatchObject({ ok: false, reason: "expired_state" });
    expect(await callback(alice.id, redirect.searchParams)).toMatchObject({ ok: false, reason: "invalid_state" });
    expect(await db.connection.count()).toBe(0);
    // The code was never exchanged.
    expect(fake.authCodes.get(redirect.searchParams.get("code")!)!.used).toBe(false);
  });

  it("refuses a state started by another user", async () => {
    const redirect = await authorize((await api(alice.id).integrations.connect({ provider: "stripe" })).authorizeUrl);
    expect(await callback(bob.id, redirect.searchParams)).toMatchObject({ ok: false, reason: "wrong_user" });
    expect(await db.connection.count()).toBe(0);
    // Burnt: the rightful owner must start again rather than reuse a link that travelled.
    expect(await callback(alice.id, redirect.searchParams)).toMatchObject({ ok: false, reason: "invalid_state" });
  });

  it("reports the provider's error (the user denied access) and stores nothing", async () => {
    const redirect = await authorize((await api(alice.id).integrations.connect({ provider: "stripe" })).authorizeUrl, "deny");
    expect(redirect.searchParams.get("error")).toBe("access_denied");
    const outcome = await callback(alice.id, redirect.searchParams);
    expect(outcome).toMatchObject({ ok: false, reason: "access_denied" });
    expect(outcomeLocation(outcome)).toBe("/integrations?error=access_denied&provider=stripe");
    expect(await db.connection.count()).toBe(0);
    expect(await db.oAuthState.count()).toBe(0);
  });

  it("reports a token endpoint error (a bad code, a rejected client secret) and stores nothing", async () => {
    const redirect = await authorize((await api(alice.id).integrations.connect({ provider: "stripe" })).authorizeUrl);
    const tampered = new URLSearchParams(redirect.searchParams);
    tampered.set("code", "ac_does_not_exist");
    expect(await callback(alice.id, tampered)).toMatchObject({ ok: false, reason: "token_exchange_failed" });

    const again = await authorize((await api(alice.id).integrations.connect({ provider: "stripe" })).authorizeUrl);
    const wrongKey = oauthSettings({ STRIPE_SECRET_KEY: "sk_test_wrong_key_000" });
    expect(await callback(alice.id, again.searchParams, { settings: wrongKey })).toMatchObject({ ok: false, reason: "token_exchange_failed" });
    expect(await db.connection.count()).toBe(0);
  });

  it("says which settings are missing when the provider's OAuth app is not configured", async () => {
    const error = await api(alice.id, oauthSettings({ STRIPE_CONNECT_CLIENT_ID: undefined, STRIPE_SECRET_KEY: undefined }))
      .integrations.connect({ provider: "stripe" })
      .catch((e: unknown) => e as TRPCError);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
    expect((error as TRPCError).message).toBe(
      "Stripe is not set up on this server yet: set STRIPE_CONNECT_CLIENT_ID and STRIPE_CONNECT_SECRET_KEY or STRIPE_SECRET_KEY.",
    );
    const unconfigured = (await api(alice.id, { read: () => undefined }).integrations.providers()).find((p) => p.key === "stripe")!;
    expect(unconfigured.oauth!.missingSettings).toEqual(["STRIPE_CONNECT_CLIENT_ID", "STRIPE_CONNECT_SECRET_KEY or STRIPE_SECRET_KEY"]);
    expect(await db.oAuthState.count()).toBe(0);

    expect((await api(alice.id).integrations.connect({ provider: "twilio" }).catch((e: unknown) => e as TRPCError)) as TRPCError).toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("only returns to same-site paths", async () => {
    await api(alice.id).integrations.connect({ provider: "stripe", returnTo: "https://evil.example/steal" });
    await api(alice.id).integrations.connect({ provider: "stripe", returnTo: "//evil.example" });
    expect((await db.oAuthState.findMany()).map((s) => s.returnTo)).toEqual(["/integrations", "/integrations"]);
  });
});

describe("OAuth connections: PKCE and HTTP Basic client authentication", () => {
  // Pipedrive's declaration is another slice's work; this one has its shape (Basic auth at the
  // token endpoint, PKCE, api_domain in the token response), so the generic flow is proven for it.
  const declaration: OAuthConnection = {
    defaultBaseUrl: "https://oauth.pipedrive.com",
    authorizePath: "/oauth/authorize",
    tokenPath: "/oauth/token",
    scopes: ["base", "contacts:full"],
    pkce: true,
    clientAuth: "client_secret_basic",
    env: { baseUrl: "TEST_PIPEDRIVE_OAUTH_URL", clientId: "TEST_PIPEDRIVE_CLIENT_ID", clientSecret: ["TEST_PIPEDRIVE_CLIENT_SECRET"] },
    tokenFields: z.object({ api_domain: z.url() }),
    account: (token) => ({ externalAccountId: String(token.api_domain), label: new URL(String(token.api_domain)).hostname, settings: { apiDomain: String(token.api_domain) } }),
  };

  it("sends the S256 challenge, then the verifier and Basic credentials; checks the response with zod", async () => {
    const pipedrive = integrations.find((i) => i.key === "pipedrive")!;
    const original = pipedrive.connection;
    let answer: (request: RecordedRequest) => FakeResponse = () => ({ status: 500 });
    const server = await startFakeServer((request) => answer(request));
    pipedrive.connection = { ...original, oauth: declaration };
    try {
      const values: Record<string, string> = {
        TEST_PIPEDRIVE_OAUTH_URL: server.url,
        TEST_PIPEDRIVE_CLIENT_ID: "pd-client",
        TEST_PIPEDRIVE_CLIENT_SECRET: "pd-secret",
      };
      // The fake's api_domain is plain http on 127.0.0.1, which only a private-network setup accepts.
      const settings: OAuthEnvironment = { read: (name) => values[name], appUrl: APP_URL, allowPrivateNetwork: true };
      const start = async () => {
        const { authorizeUrl } = await api(alice.id, settings).integrations.connect({ provider: "pipedrive" });
        return new URL(authorizeUrl).searchParams;
      };

      const authorize = await start();
      expect(authorize.get("code_challenge_method")).toBe("S256");
      expect(authorize.get("scope")).toBe("base contacts:full");
      const stored = await db.oAuthState.findFirstOrThrow();
      expect(stored.codeVerifier).toMatch(/^v1\./);
      const verifier = decryptSecret(testKeys, stored.codeVerifier!);
      expect(createHash("sha256").update(verifier).digest("base64url")).toBe(authorize.get("code_challenge"));

      answer = (request) => {
        // The Pipedrive connect hook names the company (/users/me on api_domain) and asks for
        // webhooks (refused here: the connection polls); tests/pipedrive.test.ts covers both.
        if (request.path === "/api/v1/users/me") return { body: { success: true, data: { company_id: 77, company_name: "Acme" } } };
        if (request.path === "/api/v1/webhooks") return { status: 403, body: { success: false, error: "not an admin" } };
        const form = new URLSearchParams(request.body);
        // RFC 6749 §2.3.1: id and secret are form-encoded before they are joined and base64-encoded.
        const [id, secret] = Buffer.from((request.headers.authorization ?? "").replace(/^Basic /, ""), "base64")
          .toString("utf8")
          .split(":")
          .map((part) => decodeURIComponent(part.replace(/\+/g, " ")));
        if (id !== "pd-client" || secret !== "pd-secret" || form.has("client_secret")) return { status: 401, body: { error: "invalid_client" } };
        if (form.get("code") !== "pd-code" || form.get("code_verifier") !== verifier) return { status: 400, body: { error: "invalid_grant" } };
        return { body: { access_token: "pd-access", refresh_token: "pd-refresh", token_type: "Bearer", expires_in: 3600, api_domain: server.url } };
      };
      const params = new URLSearchParams({ code: "pd-code", state: authorize.get("state")! });
      const outcome = await completeOAuthConnection(db, testKeys, settings, { provider: "pipedrive", userId: alice.id, params });
      expect(outcome).toMatchObject({ ok: true, provider: "pipedrive" });
      const connection = await db.connection.findFirstOrThrow({ where: { provider: "pipedrive" } });
      expect(connection).toMatchObject({ label: "Acme", externalAccountId: "77", settings: { apiDomain: server.url } });
      const secrets = JSON.parse(decryptSecret(testKeys, connection.secrets)) as StoredSecrets;
      expect(secrets).toMatchObject({ accessToken: "pd-access", refreshToken: "pd-refresh" });
      expect(secrets.expiresAt! - Date.now()).toBeGreaterThan(3_500_000);

      // A token response without the provider's own fields is refused, not half-stored.
      const again = await start();
      answer = () => ({ body: { access_token: "pd-access-2", token_type: "Bearer" } });
      const invalid = await completeOAuthConnection(db, testKeys, settings, {
        provider: "pipedrive",
        userId: alice.id,
        params: new URLSearchParams({ code: "pd-code", state: again.get("state")! }),
      });
      expect(invalid).toMatchObject({ ok: false, reason: "invalid_token_response" });
      expect(await db.connection.count({ where: { provider: "pipedrive" } })).toBe(1);
    } finally {
      pipedrive.connection = original;
      await server.close();
    }
  });
});

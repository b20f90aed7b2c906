// Jira Cloud, Slack and GitHub connected through OAuth end to end, each against a fake of its
// authorization server and API on 127.0.0.1: integrations.connect builds the provider's authorize
// URL, the fake approves, the callback exchanges the code with oauth4webapi, the connect hooks
// look up the account (Atlassian's accessible-resources, GitHub's /user), and the stored,
// encrypted tokens then drive real actions. Plus the failure paths, reconnecting, testing and
// tenant isolation of every integrations procedure that takes a connection id.
import { TRPCError } from "@trpc/server";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createIntegrationRegistry } from "@/integrations/registry";
import { stepContext } from "@/integrations/testing/fake-server";
import { decryptSecret } from "@/server/crypto/secrets";
import type { Db } from "@/server/db";
import type { OAuthEnvironment } from "@/server/oauth/config";
import { completeOAuthConnection, outcomeLocation } from "@/server/oauth/flow";
import type { StoredSecrets } from "@/server/oauth/hooks";
import { credentialsReader } from "@/server/services/credentials";
import { callerFor, createUser, testKeys } from "./helpers/caller";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import {
  CLIENT_ID,
  CLIENT_SECRET,
  fakeApiBase,
  fakeOAuthSettings,
  GITHUB_USER,
  JIRA_SITE,
  SLACK_TEAM,
  startFakeOAuthProvider,
  type Dialect,
  type FakeOAuthProvider,
} from "./helpers/fake-oauth-provider";

const APP_URL = "http://cue.test";

let database: TestDatabase;
let db: Db;
const fakes = {} as Record<Dialect, FakeOAuthProvider>;
let alice: { id: string };
let bob: { id: string };

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.prisma;
});
afterAll(async () => {
  await database?.close();
});
beforeEach(async () => {
  await db.user.deleteMany();
  alice = await createUser(db, "alice@example.com");
  bob = await createUser(db, "bob@example.com");
  for (const dialect of ["jira", "slack", "github"] as const) fakes[dialect] = await startFakeOAuthProvider(dialect);
});
afterEach(async () => {
  for (const fake of Object.values(fakes)) await fake.close();
});

/** All three providers' OAuth apps configured, each pointing at its fake. */
function settings(): OAuthEnvironment {
  const each = Object.values(fakes).map((fake) => fakeOAuthSettings(fake, APP_URL));
  return { read: (name) => each.map((s) => s.read(name)).find((v) => v !== undefined), appUrl: APP_URL };
}

const api = (userId: string) =>
  callerFor(db, userId, {
    providers: { baseUrl: (provider) => (provider in fakes ? fakeApiBase(fakes[provider as Dialect]) : "http://127.0.0.1:9"), allowPrivateNetwork: true, oauth: settings() },
  });

const callback = (provider: Dialect, userId: string, params: URLSearchParams) =>
  completeOAuthConnection(db, testKeys, settings(), { provider, userId, params });

async function connect(provider: Dialect, userId = alice.id) {
  const { authorizeUrl } = await api(userId).integrations.connect({ provider });
  const params = await fakes[provider].approve(authorizeUrl);
  const outcome = await callback(provider, userId, params);
  return { authorizeUrl: new URL(authorizeUrl), params, outcome };
}

const storedSecrets = async (id: string) =>
  JSON.parse(decryptSecret(testKeys, (await db.connection.findUniqueOrThrow({ where: { id } })).secrets)) as StoredSecrets;

describe("Jira Cloud (Atlassian OAuth 2.0 3LO)", () => {
  it("connects: audience and consent on the authorize URL, PKCE, the Jira site from accessible-resources", async () => {
    const { authorizeUrl, outcome } = await connect("jira");
    expect(authorizeUrl.origin + authorizeUrl.pathname).toBe(`${fakes.jira.url}/authorize`);
    expect(Object.fromEntries(authorizeUrl.searchParams)).toMatchObject({
      audience: "api.atlassian.com",
      prompt: "consent",
      client_id: CLIENT_ID,
      response_type: "code",
      scope: "read:jira-work write:jira-work read:jira-user offline_access",
      redirect_uri: `${APP_URL}/api/oauth/jira/callback`,
      code_challenge_method: "S256",
    });
    expect(outcome).toMatchObject({ ok: true, provider: "jira" });

    const [exchange] = fakes.jira.tokenRequests("authorization_code");
    const form = new URLSearchParams(exchange!.body);
    expect(form.get("client_secret")).toBe(CLIENT_SECRET);
    expect(form.get("code_verifier")).toMatch(/^[\w-]{43,}$/);
    expect(exchange!.headers.accept).toBe("application/json");

    const lookup = fakes.jira.apiRequests().find((r) => r.path === "/oauth/token/accessible-resources")!;
    expect(lookup.headers.authorization).toMatch(/^Bearer jira-at-/);

    const connection = await db.connection.findFirstOrThrow({ where: { userId: alice.id, provider: "jira" } });
    expect(connection).toMatchObject({
      externalAccountId: JIRA_SITE.id,
      label: JIRA_SITE.name,
      status: "active",
      settings: { cloudId: JIRA_SITE.id, siteUrl: JIRA_SITE.url },
      scopes: "read:jira-work write:jira-work read:jira-user offline_access",
      refreshFailures: 0,
    });
    expect(connection.expiresAt!.getTime() - Date.now()).toBeGreaterThan(3_500_000);
    const secrets = await storedSecrets(connection.id);
    expect(secrets.accessToken).toMatch(/^jira-at-/);
    expect(secrets.refreshToken).toMatch(/^rt-/);
    expect(connection.secrets).not.toContain(secrets.accessToken);

    // The stored connection drives the real action through api.atlassian.com/ex/jira/{cloudId}.
    const registry = createIntegrationRegistry({ baseUrls: { jira: fakes.jira.url }, allowPrivateNetwork: true });
    const getCredentials = credentialsReader(db, testKeys, { settings: settings() });
    const output = await registry.catalog.get("jira.issue.create")!.run!(
      { project: "OPS", summary: "Payment failed" },
      stepContext({}, { userId: alice.id, getCredentials }),
    );
    expect(output).toEqual({ id: "10042", key: "OPS-123", url: `${JIRA_SITE.url}/browse/OPS-123` });

    // The page lists both ways to connect, and the connection as an OAuth one, without secrets.
    const providers = await api(alice.id).integrations.providers();
    const jira = providers.find((p) => p.key === "jira")!;
    expect(jira.oauth).toEqual({ missingSettings: [] });
    expect(jira.tokenForm).not.toBeNull();
    expect(jira.connections).toEqual([expect.objectContaining({ id: connection.id, method: "oauth", status: "active" })]);
    const listed = JSON.stringify(providers);
    for (const secret of [secrets.accessToken!, secrets.refreshToken!, CLIENT_SECRET]) expect(listed).not.toContain(secret);
  });

  it("keeps the API-token connection as the alternative", async () => {
    const providers = await api(alice.id).integrations.providers();
    const jira = providers.find((p) => p.key === "jira")!;
    expect(Object.keys((jira.tokenForm!.schema as { properties: object }).properties)).toEqual(["siteUrl", "email", "apiToken"]);
    const fake = fakes.jira;
    // A token connection checks /rest/api/3/myself on the site with Basic auth: the fake says 404 for
    // that path, which is enough to prove the token path is still wired and asks the site.
    const error = await api(alice.id)
      .integrations.connectWithToken({ provider: "jira", fields: { siteUrl: fake.url, email: "ada@acme.test", apiToken: "atlassian-token" } })
      .catch((e: unknown) => e as TRPCError);
    expect(error).toBeInstanceOf(TRPCError);
    expect(fake.requests.at(-1)!.path).toBe("/rest/api/3/myself");
    expect(fake.requests.at(-1)!.headers.authorization).toMatch(/^Basic /);
  });

  it("refuses an account that reaches no Jira site (setup_failed) and stores nothing", async () => {
    fakes.jira.sites = fakes.jira.sites.filter((site) => site.id !== JIRA_SITE.id);
    const { authorizeUrl } = await api(alice.id).integrations.connect({ provider: "jira" });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(await callback("jira", alice.id, await fakes.jira.approve(authorizeUrl))).toMatchObject({ ok: false, reason: "setup_failed" });
    expect(warn).toHaveBeenCalledWith("OAuth jira: identifying the connected account failed:", "no_jira_site");
    warn.mockRestore();
    expect(await db.connection.count()).toBe(0);
  });
});

describe("Slack (OAuth v2)", () => {
  it("installs the bot: comma-separated scopes, the bot token and the workspace", async () => {
    const { authorizeUrl, outcome } = await connect("slack");
    expect(authorizeUrl.pathname).toBe("/oauth/v2/authorize");
    expect(authorizeUrl.searchParams.get("scope")).toBe("chat:write,chat:write.public");
    expect(authorizeUrl.searchParams.has("code_challenge")).toBe(false);
    expect(outcome).toMatchObject({ ok: true, provider: "slack" });

    const connection = await db.connection.findFirstOrThrow({ where: { provider: "slack" } });
    expect(connection).toMatchObject({ externalAccountId: SLACK_TEAM.id, label: SLACK_TEAM.name, settings: { teamId: SLACK_TEAM.id, teamName: SLACK_TEAM.name } });
    const secrets = await storedSecrets(connection.id);
    expect(secrets.accessToken).toMatch(/^xoxb-/);
    // Token rotation is on in the fake: a refresh token and an expiry (12 hours) come with it.
    expect(secrets.refreshToken).toMatch(/^xoxe-1-/);
    expect(secrets.expiresAt! - Date.now()).toBeGreaterThan(43_000_000);

    const registry = createIntegrationRegistry({ baseUrls: { slack: fakeApiBase(fakes.slack) }, allowPrivateNetwork: true });
    const getCredentials = credentialsReader(db, testKeys, { settings: settings() });
    await registry.catalog.get("slack.message.post")!.run!({ channel: "#ops", text: "hi" }, stepContext({}, { userId: alice.id, getCredentials }));
    const post = fakes.slack.apiRequests().find((r) => r.path === "/api/chat.postMessage")!;
    expect(post.headers.authorization).toBe(`Bearer ${secrets.accessToken}`);
  });

  it("works without token rotation (no refresh token, no expiry)", async () => {
    fakes.slack.issueRefreshTokens = false;
    fakes.slack.expiresIn = undefined;
    expect((await connect("slack")).outcome.ok).toBe(true);
    const connection = await db.connection.findFirstOrThrow({ where: { provider: "slack" } });
    expect(connection.expiresAt).toBeNull();
    expect(await storedSecrets(connection.id)).toEqual({ accessToken: expect.stringMatching(/^xoxb-/) });
  });

  it("treats HTTP 200 with ok:false from oauth.v2.access as a failed exchange", async () => {
    const { authorizeUrl } = await api(alice.id).integrations.connect({ provider: "slack" });
    const params = await fakes.slack.approve(authorizeUrl);
    params.set("code", "code-never-issued");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const outcome = await callback("slack", alice.id, params);
    expect(outcome).toMatchObject({ ok: false, reason: "token_exchange_failed" });
    expect(warn).toHaveBeenCalledWith("OAuth slack: code exchange failed:", "invalid_code");
    warn.mockRestore();
    expect(await db.connection.count()).toBe(0);
  });
});

describe("GitHub (OAuth app)", () => {
  it("connects: JSON from the token endpoint, the account from GET /user", async () => {
    const { authorizeUrl, outcome } = await connect("github");
    expect(authorizeUrl.pathname).toBe("/login/oauth/authorize");
    expect(authorizeUrl.searchParams.get("scope")).toBe("repo admin:repo_hook");
    expect(outcome).toMatchObject({ ok: true, provider: "github" });
    expect(fakes.github.tokenRequests()[0]!.headers.accept).toBe("application/json");
    const me = fakes.github.apiRequests().find((r) => r.path === "/user")!;
    expect(me.headers.authorization).toMatch(/^Bearer gho_/);

    const connection = await db.connection.findFirstOrThrow({ where: { provider: "github" } });
    expect(connection).toMatchObject({ externalAccountId: String(GITHUB_USER.id), label: GITHUB_USER.login, expiresAt: null, scopes: "repo,admin:repo_hook" });
    expect(await storedSecrets(connection.id)).toEqual({ accessToken: expect.stringMatching(/^gho_/) });
  });

  it("stores the refresh token and expiry of GitHub App user tokens", async () => {
    fakes.github.issueRefreshTokens = true;
    fakes.github.expiresIn = 28_800;
    await connect("github");
    const connection = await db.connection.findFirstOrThrow({ where: { provider: "github" } });
    expect(connection.expiresAt!.getTime() - Date.now()).toBeGreaterThan(28_000_000);
    expect((await storedSecrets(connection.id)).refreshToken).toMatch(/^rt-/);
  });

  it("turns a personal-access-token connection of the same account into an OAuth one, keeping its webhook secret", async () => {
    const pat = await db.connection.create({
      data: {
        userId: alice.id,
        provider: "github",
        label: "octo",
        externalAccountId: String(GITHUB_USER.id),
        secrets: (await import("@/server/crypto/secrets")).encryptSecret(testKeys, JSON.stringify({ accessToken: "ghp_old", webhookSecret: "whsec-repo-secret-123" })),
      },
    });
    const before = (await api(alice.id).integrations.providers()).find((p) => p.key === "github")!;
    expect(before.connections[0]).toMatchObject({ id: pat.id, method: "token" });
    expect((await connect("github")).outcome).toMatchObject({ ok: true, connectionId: pat.id });
    const secrets = await storedSecrets(pat.id);
    expect(secrets).toMatchObject({ accessToken: expect.stringMatching(/^gho_/), webhookSecret: "whsec-repo-secret-123" });
    const after = (await api(alice.id).integrations.providers()).find((p) => p.key === "github")!;
    expect(after.connections).toEqual([expect.objectContaining({ id: pat.id, method: "oauth" })]);
  });

  it("treats GitHub's HTTP 200 error body (bad_verification_code) as a failed exchange", async () => {
    const { authorizeUrl } = await api(alice.id).integrations.connect({ provider: "github" });
    const params = await fakes.github.approve(authorizeUrl);
    params.set("code", "code-never-issued");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(await callback("github", alice.id, params)).toMatchObject({ ok: false, reason: "token_exchange_failed" });
    expect(warn).toHaveBeenCalledWith("OAuth github: code exchange failed:", "bad_verification_code");
    warn.mockRestore();
    expect(await db.connection.count()).toBe(0);
  });
});

describe.each(["jira", "slack", "github"] as const)("%s callback failures", (provider) => {
  it("refuses a bad state and a reused state", async () => {
    const { authorizeUrl } = await api(alice.id).integrations.connect({ provider });
    const params = await fakes[provider].approve(authorizeUrl);
    const forged = new URLSearchParams(params);
    forged.set("state", "forged-state");
    expect(await callback(provider, alice.id, forged)).toMatchObject({ ok: false, reason: "invalid_state" });
    expect((await callback(provider, alice.id, params)).ok).toBe(true);
    const replay = await callback(provider, alice.id, params);
    expect(replay).toMatchObject({ ok: false, reason: "invalid_state" });
    expect(outcomeLocation(replay)).toBe(`/integrations?error=invalid_state&provider=${provider}`);
    expect(await db.connection.count()).toBe(1);
  });

  it("reports the provider's error on the redirect (denied, server_error)", async () => {
    for (const [error, reason] of [
      ["access_denied", "access_denied"],
      ["server_error", "provider_error"],
    ] as const) {
      fakes[provider].denyWith = error;
      const { authorizeUrl } = await api(alice.id).integrations.connect({ provider });
      const params = await fakes[provider].approve(authorizeUrl);
      expect(await callback(provider, alice.id, params)).toMatchObject({ ok: false, reason });
    }
    expect(await db.connection.count()).toBe(0);
    expect(fakes[provider].tokenRequests()).toHaveLength(0);
  });

  it("reports an expired or already used code (the token endpoint's invalid_grant)", async () => {
    const { authorizeUrl } = await api(alice.id).integrations.connect({ provider });
    const params = await fakes[provider].approve(authorizeUrl);
    // The code expired at the provider before the callback came.
    fakes[provider].codes.get(params.get("code")!)!.used = true;
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(await callback(provider, alice.id, params)).toMatchObject({ ok: false, reason: "token_exchange_failed" });
    const logged = JSON.stringify(warn.mock.calls);
    warn.mockRestore();
    expect(logged).not.toContain(CLIENT_SECRET);
    expect(logged).not.toContain(params.get("code")!);
    expect(await db.connection.count()).toBe(0);
  });
});

describe("disconnecting revokes what Cue was granted", () => {
  it("Slack: auth.revoke with the bot token, then the connection is gone and the token is dead", async () => {
    await connect("slack");
    const connection = await db.connection.findFirstOrThrow({ where: { provider: "slack" } });
    const { accessToken } = await storedSecrets(connection.id);
    await api(alice.id).integrations.disconnect({ id: connection.id });
    const revoke = fakes.slack.apiRequests().filter((r) => r.path === "/api/auth.revoke");
    expect(revoke).toHaveLength(1);
    expect(revoke[0]!.headers.authorization).toBe(`Bearer ${accessToken}`);
    expect(fakes.slack.accessTokens.has(accessToken!)).toBe(false);
    expect(await db.connection.count()).toBe(0);
  });

  it("GitHub: deletes the OAuth grant with the app's credentials; an already revoked grant still disconnects", async () => {
    await connect("github");
    const connection = await db.connection.findFirstOrThrow({ where: { provider: "github" } });
    const { accessToken } = await storedSecrets(connection.id);
    // Revoked on GitHub's side already: the DELETE answers 404, which is what disconnecting wants.
    fakes.github.accessTokens.delete(accessToken!);
    await api(alice.id).integrations.disconnect({ id: connection.id });
    const deletes = fakes.github.requests.filter((r) => r.method === "DELETE");
    expect(deletes).toHaveLength(1);
    expect(deletes[0]!.path).toBe(`/applications/${CLIENT_ID}/grant`);
    expect(JSON.parse(deletes[0]!.body)).toEqual({ access_token: accessToken });
    expect(await db.connection.count()).toBe(0);
  });

  it("keeps the connection and says so when the provider cannot revoke; leaves pasted tokens alone", async () => {
    await connect("github");
    const oauth = await db.connection.findFirstOrThrow({ where: { provider: "github" } });
    const failing = callerFor(db, alice.id, {
      providers: { baseUrl: () => "http://127.0.0.1:9", allowPrivateNetwork: true, oauth: { read: (name) => (name === "GITHUB_API_URL" ? "http://127.0.0.1:9" : settings().read(name)), appUrl: APP_URL } },
    });
    await expect(failing.integrations.disconnect({ id: oauth.id })).rejects.toThrow(/GitHub did not revoke Cue's access/);
    expect(await db.connection.count({ where: { id: oauth.id } })).toBe(1);

    const pasted = await db.connection.create({
      data: { userId: alice.id, provider: "slack", label: "Pasted bot token", secrets: (await db.connection.findUniqueOrThrow({ where: { id: oauth.id } })).secrets },
    });
    await api(alice.id).integrations.disconnect({ id: pasted.id });
    expect(fakes.slack.apiRequests().filter((r) => r.path === "/api/auth.revoke")).toHaveLength(0);
    expect(await db.connection.count({ where: { id: pasted.id } })).toBe(0);
  });
});

describe("reconnecting, testing and tenant isolation", () => {
  it("reconnect restarts the flow for that connection and the callback heals it in place", async () => {
    await connect("jira");
    const connection = await db.connection.findFirstOrThrow({ where: { provider: "jira" } });
    await db.connection.update({
      where: { id: connection.id },
      data: { status: "needs_reconnect", refreshFailures: 3, lastError: "Jira no longer accepts Cue's access (invalid_grant); connect it again" },
    });

    const { authorizeUrl } = await api(alice.id).integrations.reconnect({ id: connection.id });
    expect(new URL(authorizeUrl).searchParams.get("audience")).toBe("api.atlassian.com");
    expect(await db.oAuthState.findFirstOrThrow()).toMatchObject({ userId: alice.id, provider: "jira" });
    const outcome = await callback("jira", alice.id, await fakes.jira.approve(authorizeUrl));
    expect(outcome).toMatchObject({ ok: true, connectionId: connection.id });
    expect(await db.connection.count()).toBe(1);
    expect(await db.connection.findUniqueOrThrow({ where: { id: connection.id } })).toMatchObject({
      status: "active",
      refreshFailures: 0,
      lastError: null,
      refreshLockedUntil: null,
    });
  });

  it("reconnect refuses token connections and providers without OAuth", async () => {
    const twilio = await db.connection.create({ data: { userId: alice.id, provider: "twilio", label: "Twilio", secrets: "x" } });
    await expect(api(alice.id).integrations.reconnect({ id: twilio.id })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const pat = await db.connection.create({ data: { userId: alice.id, provider: "github", label: "PAT", secrets: "x" } });
    await expect(api(alice.id).integrations.reconnect({ id: pat.id })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("test makes an authenticated call with the OAuth token and records the outcome", async () => {
    await connect("jira");
    await connect("slack");
    await connect("github");
    for (const provider of ["jira", "slack", "github"] as const) {
      const connection = await db.connection.findFirstOrThrow({ where: { provider } });
      const tested = await api(alice.id).integrations.test({ id: connection.id });
      expect(tested).toMatchObject({ id: connection.id, status: "active", lastError: null, method: "oauth" });
    }
    expect(fakes.jira.apiRequests().some((r) => r.path === `/ex/jira/${JIRA_SITE.id}/rest/api/3/myself`)).toBe(true);
    expect(fakes.slack.apiRequests().some((r) => r.path === "/api/auth.test")).toBe(true);

    // A revoked token that cannot be refreshed (GitHub OAuth app) is reported as an error.
    fakes.github.rejectAllApiCalls = true;
    const github = await db.connection.findFirstOrThrow({ where: { provider: "github" } });
    const failed = await api(alice.id).integrations.test({ id: github.id });
    expect(failed).toMatchObject({ status: "error", lastError: expect.stringContaining("GitHub rejected the credentials (HTTP 401)") });
  });

  it("test refreshes an expired token first, and a 401 once more", async () => {
    await connect("jira");
    const connection = await db.connection.findFirstOrThrow({ where: { provider: "jira" } });
    const secrets = await storedSecrets(connection.id);
    // The access token was revoked at Atlassian: the test's first call gets 401, refreshes, passes.
    fakes.jira.accessTokens.delete(secrets.accessToken!);
    const tested = await api(alice.id).integrations.test({ id: connection.id });
    expect(tested).toMatchObject({ status: "active", lastError: null });
    expect(fakes.jira.tokenRequests("refresh_token")).toHaveLength(1);
    expect((await storedSecrets(connection.id)).accessToken).not.toBe(secrets.accessToken);
  });

  it("another user's OAuth connection: reconnect, test, rename and disconnect answer NOT_FOUND and start no flow", async () => {
    await connect("jira", bob.id);
    const bobs = await db.connection.findFirstOrThrow({ where: { userId: bob.id } });
    const calls = [
      () => api(alice.id).integrations.reconnect({ id: bobs.id }),
      () => api(alice.id).integrations.test({ id: bobs.id }),
      () => api(alice.id).integrations.rename({ id: bobs.id, label: "mine now" }),
      () => api(alice.id).integrations.disconnect({ id: bobs.id }),
    ];
    for (const call of calls) await expect(call()).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db.connection.findUniqueOrThrow({ where: { id: bobs.id } })).toMatchObject({ label: JIRA_SITE.name, status: "active" });
    expect(await db.oAuthState.count()).toBe(0);
    expect((await api(alice.id).integrations.providers()).flatMap((p) => p.connections)).toEqual([]);
  });
});

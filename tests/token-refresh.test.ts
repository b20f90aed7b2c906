// OAuth token refresh (src/server/oauth/refresh.ts through credentialsReader): proactive when the
// access token expires within five minutes, once more after a 401 (and never in a loop),
// single-flight within a process and across processes (the Connection.refreshLockedUntil lease),
// rotated refresh tokens always saved, and failures counted into needs_reconnect, which the
// workflows list then shows. Against fake Atlassian and Slack token endpoints on 127.0.0.1.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { GetCredentials } from "@/engine/types";
import { jira } from "@/integrations/jira";
import { jiraOAuth } from "@/integrations/jira/oauth";
import { createIntegrationRegistry } from "@/integrations/registry";
import { rejectionOf, stepContext } from "@/integrations/testing/fake-server";
import { decryptSecret, encryptSecret } from "@/server/crypto/secrets";
import { openDatabase, type Db } from "@/server/db";
import type { OAuthEnvironment } from "@/server/oauth/config";
import type { StoredSecrets } from "@/server/oauth/hooks";
import { MAX_REFRESH_FAILURES } from "@/server/oauth/refresh";
import { credentialsReader } from "@/server/services/credentials";
import { callerFor, createUser, testKeys } from "./helpers/caller";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { CLIENT_ID, CLIENT_SECRET, fakeOAuthSettings, JIRA_SITE, SLACK_TEAM, startFakeOAuthProvider, type FakeOAuthProvider } from "./helpers/fake-oauth-provider";

const APP_URL = "http://cue.test";
const MINUTE = 60_000;

let database: TestDatabase;
let db: Db;
let fake: FakeOAuthProvider;
let alice: { id: string };
let warn: ReturnType<typeof vi.spyOn>;

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
  fake = await startFakeOAuthProvider("jira");
  warn = vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterEach(async () => {
  // Nothing secret is ever logged: not the client secret, not a token the fake issued.
  const logged = JSON.stringify(warn.mock.calls);
  for (const secret of [CLIENT_SECRET, ...fake.accessTokens, ...fake.refreshTokens]) expect(logged).not.toContain(secret);
  warn.mockRestore();
  await fake.close();
});

const settings = (): OAuthEnvironment => fakeOAuthSettings(fake, APP_URL);
const reader = (options: Parameters<typeof credentialsReader>[2] = {}): GetCredentials => credentialsReader(db, testKeys, { settings: settings(), pollMs: 20, ...options });

/** A Jira OAuth connection whose tokens the fake knows, expiring `expiresInMs` from now. */
async function seedJira(expiresInMs: number, userId = alice.id, targetDb: Db = db) {
  const accessToken = `jira-at-seed-${Math.random().toString(36).slice(2)}`;
  const refreshToken = `rt-seed-${Math.random().toString(36).slice(2)}`;
  fake.accessTokens.add(accessToken);
  fake.refreshTokens.add(refreshToken);
  const expiresAt = Date.now() + expiresInMs;
  const connection = await targetDb.connection.create({
    data: {
      userId,
      provider: "jira",
      label: JIRA_SITE.name,
      externalAccountId: JIRA_SITE.id,
      secrets: encryptSecret(testKeys, JSON.stringify({ accessToken, refreshToken, expiresAt })),
      settings: { cloudId: JIRA_SITE.id, siteUrl: JIRA_SITE.url },
      scopes: jiraOAuth.scopes.join(" "),
      expiresAt: new Date(expiresAt),
    },
  });
  return { id: connection.id, accessToken, refreshToken };
}

const stored = async (id: string) => {
  const row = await db.connection.findUniqueOrThrow({ where: { id } });
  return { row, secrets: JSON.parse(decryptSecret(testKeys, row.secrets)) as StoredSecrets };
};

const createIssue = (getCredentials: GetCredentials) => {
  const registry = createIntegrationRegistry({ baseUrls: { jira: fake.url }, allowPrivateNetwork: true });
  return registry.catalog.get("jira.issue.create")!.run!({ project: "OPS", summary: "Payment failed" }, stepContext({}, { userId: alice.id, getCredentials }));
};
const issueRequests = () => fake.requests.filter((r) => r.path.endsWith("/rest/api/3/issue"));

describe("proactive refresh", () => {
  it("leaves a token that is valid for more than five minutes alone", async () => {
    const seeded = await seedJira(60 * MINUTE);
    const credentials = await reader()(alice.id, "jira");
    expect(credentials).toEqual({ accessToken: seeded.accessToken, extra: { cloudId: JIRA_SITE.id, siteUrl: JIRA_SITE.url } });
    expect(fake.tokenRequests("refresh_token")).toHaveLength(0);
  });

  it("refreshes a token expiring within five minutes and saves the rotated refresh token in the same write", async () => {
    const seeded = await seedJira(4 * MINUTE);
    const credentials = await reader()(alice.id, "jira");
    const [request] = fake.tokenRequests("refresh_token");
    expect(Object.fromEntries(new URLSearchParams(request!.body))).toMatchObject({
      grant_type: "refresh_token",
      refresh_token: seeded.refreshToken,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    expect(credentials.accessToken).not.toBe(seeded.accessToken);
    expect(fake.accessTokens.has(credentials.accessToken!)).toBe(true);
    // Actions never see the refresh token.
    expect(credentials).not.toHaveProperty("refreshToken");

    const { row, secrets } = await stored(seeded.id);
    expect(secrets.accessToken).toBe(credentials.accessToken);
    expect(secrets.refreshToken).toMatch(/^rt-/);
    expect(secrets.refreshToken).not.toBe(seeded.refreshToken);
    expect(fake.refreshTokens.has(secrets.refreshToken!)).toBe(true);
    expect(row.secrets).not.toContain(secrets.refreshToken!);
    expect(row).toMatchObject({ status: "active", refreshFailures: 0, lastError: null, refreshLockedUntil: null });
    expect(row.expiresAt!.getTime() - Date.now()).toBeGreaterThan(59 * MINUTE);
    expect(secrets.expiresAt).toBe(row.expiresAt!.getTime());

    // The next read uses the saved token: no second refresh.
    expect((await reader()(alice.id, "jira")).accessToken).toBe(credentials.accessToken);
    expect(fake.tokenRequests("refresh_token")).toHaveLength(1);
  });

  it("refreshes with HTTP Basic client authentication when the declaration says so (Pipedrive's way)", async () => {
    const original = jira.connection.oauth;
    jira.connection.oauth = { ...jiraOAuth, clientAuth: "client_secret_basic" };
    try {
      await seedJira(-MINUTE);
      await reader()(alice.id, "jira");
      const [request] = fake.tokenRequests("refresh_token");
      // RFC 6749 §2.3.1: id and secret are form-encoded, joined with ":", then base64-encoded.
      const basic = request!.headers.authorization!.replace(/^Basic /, "");
      expect(Buffer.from(basic, "base64").toString("utf8").split(":").map(decodeURIComponent)).toEqual([CLIENT_ID, CLIENT_SECRET]);
      expect(fake.tokenRequests("refresh_token")).toHaveLength(1);
      expect(new URLSearchParams(request!.body).has("client_secret")).toBe(false);
    } finally {
      jira.connection.oauth = original;
    }
  });
});

describe("refresh on 401", () => {
  it("refreshes once and retries the action once when the provider answers 401", async () => {
    const seeded = await seedJira(60 * MINUTE);
    // Revoked at Atlassian before its stated expiry.
    fake.accessTokens.delete(seeded.accessToken);
    const output = await createIssue(reader());
    expect(output).toMatchObject({ key: "OPS-123" });
    expect(issueRequests().map((r) => r.headers.authorization)).toEqual([`Bearer ${seeded.accessToken}`, expect.not.stringContaining(seeded.accessToken)]);
    expect(fake.tokenRequests("refresh_token")).toHaveLength(1);
  });

  it("does not loop: a second 401 fails the step", async () => {
    await seedJira(60 * MINUTE);
    fake.rejectAllApiCalls = true;
    const error = await rejectionOf(createIssue(reader()));
    expect(error).toMatchObject({ code: "auth", status: 401, retryable: false });
    expect(issueRequests()).toHaveLength(2);
    expect(fake.tokenRequests("refresh_token")).toHaveLength(1);
  });

  it("does not retry a token connection (nothing to refresh)", async () => {
    await db.connection.create({
      data: {
        userId: alice.id,
        provider: "jira",
        label: "token",
        secrets: encryptSecret(testKeys, JSON.stringify({ username: "ada@acme.test", password: "atlassian-token" })),
        settings: { baseUrl: fake.url, siteUrl: fake.url },
      },
    });
    const error = await rejectionOf(createIssue(reader()));
    expect(error).toMatchObject({ code: "auth", status: 401 });
    expect(issueRequests()).toHaveLength(1);
    expect(fake.tokenRequests()).toHaveLength(0);
  });
});

describe("single flight", () => {
  it("20 parallel getCredentials calls in one process send exactly one refresh request", async () => {
    await seedJira(MINUTE);
    fake.refreshDelayMs = 150;
    const getCredentials = reader();
    const results = await Promise.all(Array.from({ length: 20 }, () => getCredentials(alice.id, "jira")));
    expect(fake.tokenRequests("refresh_token")).toHaveLength(1);
    expect(new Set(results.map((r) => r.accessToken)).size).toBe(1);
  });

  it("across processes (separate readers and database clients) the lease lets only one refresh", async () => {
    const seeded = await seedJira(MINUTE);
    fake.refreshDelayMs = 300;
    // A second "process": its own database client where the database allows one, and its own
    // in-process map, so only the lease in the database can keep them apart.
    const second = process.env.TEST_DATABASE_URL ? openDatabase(process.env.TEST_DATABASE_URL, { schema: database.label.replace(/^postgres:/, "") }) : null;
    try {
      const otherDb = second?.prisma ?? db;
      const processA = credentialsReader(db, testKeys, { settings: settings(), pollMs: 20, inFlight: new Map() });
      const processB = credentialsReader(otherDb, testKeys, { settings: settings(), pollMs: 20, inFlight: new Map() });
      const results = await Promise.all([
        ...Array.from({ length: 5 }, () => processA(alice.id, "jira")),
        ...Array.from({ length: 5 }, () => processB(alice.id, "jira")),
      ]);
      expect(fake.tokenRequests("refresh_token")).toHaveLength(1);
      const tokens = new Set(results.map((r) => r.accessToken));
      expect(tokens.size).toBe(1);
      expect(tokens.has(seeded.accessToken)).toBe(false);
      expect((await stored(seeded.id)).row.refreshLockedUntil).toBeNull();
    } finally {
      await second?.close();
    }
  });

  it("waits while another process holds the lease, then uses the token it saved", async () => {
    const seeded = await seedJira(-MINUTE);
    await db.connection.update({ where: { id: seeded.id }, data: { refreshLockedUntil: new Date(Date.now() + 30_000) } });
    const pending = reader()(alice.id, "jira");
    // The other process finishes its refresh: new tokens, lease released.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const theirs = { accessToken: "jira-at-from-other-process", refreshToken: "rt-from-other-process", expiresAt: Date.now() + 60 * MINUTE };
    await db.connection.update({
      where: { id: seeded.id },
      data: { secrets: encryptSecret(testKeys, JSON.stringify(theirs)), expiresAt: new Date(theirs.expiresAt), refreshLockedUntil: null },
    });
    expect((await pending).accessToken).toBe(theirs.accessToken);
    expect(fake.tokenRequests()).toHaveLength(0);
  });

  it("takes over a lease its holder abandoned (expired) and refreshes once", async () => {
    const seeded = await seedJira(-MINUTE);
    await db.connection.update({ where: { id: seeded.id }, data: { refreshLockedUntil: new Date(Date.now() - 1_000) } });
    const credentials = await reader()(alice.id, "jira");
    expect(credentials.accessToken).not.toBe(seeded.accessToken);
    expect(fake.tokenRequests("refresh_token")).toHaveLength(1);
  });
});

describe("failures", () => {
  it("counts failures, keeps using a still-valid token, and needs reconnecting after three in a row", async () => {
    const seeded = await seedJira(2 * MINUTE);
    fake.refreshFailure = { status: 503 };
    const getCredentials = reader();
    for (let attempt = 1; attempt < MAX_REFRESH_FAILURES; attempt++) {
      // The token still works for two minutes: the step goes on with it.
      expect((await getCredentials(alice.id, "jira")).accessToken).toBe(seeded.accessToken);
      expect((await stored(seeded.id)).row).toMatchObject({ status: "active", refreshFailures: attempt, refreshLockedUntil: null });
    }
    const error = await rejectionOf(getCredentials(alice.id, "jira"));
    expect(error.code).toBe("auth");
    expect(error.message).toBe("Jira connection needs reconnecting: refreshing the Jira access token failed 3 times in a row (http_503)");
    const { row } = await stored(seeded.id);
    expect(row).toMatchObject({ status: "needs_reconnect", refreshFailures: 3, lastError: "refreshing the Jira access token failed 3 times in a row (http_503)" });
    expect(fake.tokenRequests("refresh_token")).toHaveLength(3);

    // Later steps are told why, without another refresh attempt.
    const later = await rejectionOf(getCredentials(alice.id, "jira"));
    expect(later.message).toContain("Jira connection needs reconnecting: refreshing the Jira access token failed 3 times");
    expect(fake.tokenRequests("refresh_token")).toHaveLength(3);

    // The workflows list and the editor warn about workflows that use Jira.
    const api = callerFor(db, alice.id);
    const { id } = await api.workflows.create({
      name: "Failed payments to Jira",
      graph: {
        nodes: [
          { id: "t1", type: "stripe.charge.failed", config: {}, position: { x: 0, y: 0 } },
          { id: "a1", type: "jira.issue.create", config: { project: "OPS", summary: "x" }, position: { x: 0, y: 120 } },
        ],
        edges: [{ id: "e1", source: "t1", target: "a1" }],
      },
    });
    await api.workflows.create({ name: "No Jira", graph: { nodes: [{ id: "t1", type: "manual.run", config: {}, position: { x: 0, y: 0 } }], edges: [] } });
    const warning = { provider: "jira", message: "Jira connection needs reconnecting: refreshing the Jira access token failed 3 times in a row (http_503)" };
    const list = await api.workflows.list({ limit: 20 });
    expect(list.items.find((w) => w.id === id)!.connectionWarnings).toEqual([warning]);
    expect(list.items.find((w) => w.id !== id)!.connectionWarnings).toEqual([]);
    expect((await api.workflows.get({ id })).connectionWarnings).toEqual([warning]);
    expect(JSON.stringify(list)).not.toContain('"graph"');
  });

  it("a failure while the token is already expired fails the step as retryable; success resets the count", async () => {
    const seeded = await seedJira(-MINUTE);
    fake.refreshFailure = { status: 500 };
    const error = await rejectionOf(reader()(alice.id, "jira"));
    expect(error).toMatchObject({ code: "server", retryable: true });
    expect((await stored(seeded.id)).row.refreshFailures).toBe(1);
    fake.refreshFailure = null;
    await reader()(alice.id, "jira");
    expect((await stored(seeded.id)).row).toMatchObject({ status: "active", refreshFailures: 0, lastError: null });
  });

  it("invalid_grant needs reconnecting at once", async () => {
    const seeded = await seedJira(MINUTE);
    fake.refreshTokens.clear();
    const error = await rejectionOf(reader()(alice.id, "jira"));
    expect(error.code).toBe("auth");
    expect((await stored(seeded.id)).row).toMatchObject({
      status: "needs_reconnect",
      refreshFailures: 1,
      lastError: "Jira no longer accepts Cue's access (invalid_grant); connect it again",
    });
    // The Integrations page shows it with the reason.
    const jiraProvider = (await callerFor(db, alice.id).integrations.providers()).find((p) => p.key === "jira")!;
    expect(jiraProvider.connections[0]).toMatchObject({ status: "needs_reconnect", method: "oauth", lastError: expect.stringContaining("invalid_grant") });
  });

  it("Slack's HTTP 200 ok:false (invalid_refresh_token) is a dead grant too", async () => {
    const slack = await startFakeOAuthProvider("slack");
    try {
      slack.accessTokens.add("xoxe.xoxb-old");
      const connection = await db.connection.create({
        data: {
          userId: alice.id,
          provider: "slack",
          label: SLACK_TEAM.name,
          externalAccountId: SLACK_TEAM.id,
          secrets: encryptSecret(testKeys, JSON.stringify({ accessToken: "xoxe.xoxb-old", refreshToken: "xoxe-1-unknown", expiresAt: Date.now() + MINUTE })),
          scopes: "chat:write",
        },
      });
      const error = await rejectionOf(credentialsReader(db, testKeys, { settings: fakeOAuthSettings(slack, APP_URL) })(alice.id, "slack"));
      expect(error.message).toBe("Slack connection needs reconnecting: Slack no longer accepts Cue's access (invalid_refresh_token); connect it again");
      expect((await db.connection.findUniqueOrThrow({ where: { id: connection.id } })).status).toBe("needs_reconnect");
    } finally {
      await slack.close();
    }
  });

  it("refreshes Slack rotating tokens (token_type bot) and keeps the connection healthy", async () => {
    const slack = await startFakeOAuthProvider("slack");
    try {
      slack.refreshTokens.add("xoxe-1-valid");
      const connection = await db.connection.create({
        data: {
          userId: alice.id,
          provider: "slack",
          label: SLACK_TEAM.name,
          externalAccountId: SLACK_TEAM.id,
          secrets: encryptSecret(testKeys, JSON.stringify({ accessToken: "xoxe.xoxb-old", refreshToken: "xoxe-1-valid", expiresAt: Date.now() - MINUTE })),
          scopes: "chat:write",
        },
      });
      const credentials = await credentialsReader(db, testKeys, { settings: fakeOAuthSettings(slack, APP_URL) })(alice.id, "slack");
      expect(credentials.accessToken).toMatch(/^xoxb-/);
      const secrets = JSON.parse(decryptSecret(testKeys, (await db.connection.findUniqueOrThrow({ where: { id: connection.id } })).secrets)) as StoredSecrets;
      expect(secrets.refreshToken).toMatch(/^xoxe-1-/);
      expect(secrets.refreshToken).not.toBe("xoxe-1-valid");
    } finally {
      await slack.close();
    }
  });
});

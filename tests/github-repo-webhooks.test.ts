// Repository webhooks Cue creates and removes itself for the New GitHub issue trigger, for OAuth
// and pasted-token GitHub connections, against the fake GitHub: watching creates the hook with a
// per-connection secret that deliveries are then verified with; unwatching and disconnecting
// delete it; GitHub's refusals read clearly; another user's connection is NOT_FOUND; no output
// carries the secret.
import { TRPCError } from "@trpc/server";
import { afterEach, beforeAll, afterAll, beforeEach, describe, expect, it } from "vitest";
import type { WorkflowGraph } from "@/engine/types";
import { decryptSecret } from "@/server/crypto/secrets";
import type { Db } from "@/server/db";
import { completeOAuthConnection } from "@/server/oauth/flow";
import type { StoredSecrets } from "@/server/oauth/hooks";
import { githubSignature, receiveGithubWebhook } from "@/server/services/github-webhooks";
import { callerFor, createUser, RecordingQueue, testKeys } from "./helpers/caller";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { CLIENT_ID, fakeApiBase, fakeOAuthSettings, GITHUB_USER, startFakeOAuthProvider, type FakeOAuthProvider } from "./helpers/fake-oauth-provider";

const APP_URL = "https://cue.example";
const WEB = `${GITHUB_USER.login}/web`;
const API = `${GITHUB_USER.login}/api`;

let database: TestDatabase;
let db: Db;
let github: FakeOAuthProvider;
let alice: { id: string };
let bob: { id: string };
let queue: RecordingQueue;

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
  github = await startFakeOAuthProvider("github");
  queue = new RecordingQueue();
});
afterEach(async () => {
  await github.close();
});

const providers = (apiBase = fakeApiBase(github)) => ({
  baseUrl: (provider: string) => (provider === "github" ? apiBase : "http://127.0.0.1:9"),
  allowPrivateNetwork: true,
  oauth: fakeOAuthSettings(github, APP_URL, { GITHUB_API_URL: apiBase }),
});
const api = (userId: string, apiBase?: string) => callerFor(db, userId, { providers: providers(apiBase), queue });

async function connectWithOAuth(userId = alice.id) {
  const { authorizeUrl } = await api(userId).integrations.connect({ provider: "github" });
  const outcome = await completeOAuthConnection(db, testKeys, providers().oauth, { provider: "github", userId, params: await github.approve(authorizeUrl) });
  if (!outcome.ok) throw new Error(`connect failed: ${outcome.reason}`);
  return outcome.connectionId;
}

const storedSecrets = async (id: string) =>
  JSON.parse(decryptSecret(testKeys, (await db.connection.findUniqueOrThrow({ where: { id } })).secrets)) as StoredSecrets;

async function failure(promise: Promise<unknown>): Promise<TRPCError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error;
    throw error;
  }
  throw new Error("expected the procedure to fail");
}

const newIssueWorkflow: WorkflowGraph = {
  nodes: [
    { id: "t1", type: "github.issue.opened", config: {}, position: { x: 0, y: 0 } },
    { id: "a1", type: "slack.message.post", config: { channel: "#bugs", text: "New issue: {{trigger.issue.title}}" }, position: { x: 0, y: 100 } },
  ],
  edges: [{ id: "e1", source: "t1", target: "a1" }],
};

const user = { login: "octocat", id: 1, html_url: "https://github.com/octocat" };
const issueOpened = {
  action: "opened",
  issue: { id: 1, number: 7, title: "Checkout broken", body: null, state: "open", html_url: `https://github.com/${WEB}/issues/7`, user, labels: [], assignees: [], created_at: "2026-03-02T14:25:27Z" },
  repository: { id: 2, name: "web", full_name: WEB, private: false, html_url: `https://github.com/${WEB}`, owner: user },
  sender: user,
};

function signedDelivery(connectionId: string, secret: string, deliveryId = "5f1c6f2e-0001") {
  const rawBody = JSON.stringify(issueOpened);
  return {
    connectionId,
    rawBody,
    headers: new Headers({ "x-github-event": "issues", "x-github-delivery": deliveryId, "x-hub-signature-256": githubSignature(secret, rawBody) }),
  };
}

const createdHooks = () => github.hookRequests().filter((r) => r.method === "POST");
const hookBody = (index: number) =>
  JSON.parse(createdHooks()[index]!.body) as { name: string; active: boolean; events: string[]; config: { url: string; content_type: string; secret: string; insecure_ssl: string } };

describe("watching a repository", () => {
  it("creates the repository webhook with a generated secret, and deliveries signed with it start the workflow once", async () => {
    const connectionId = await connectWithOAuth();
    const { accessToken } = await storedSecrets(connectionId);
    const { id: workflowId } = await api(alice.id).workflows.create({ name: "Triage", graph: newIssueWorkflow });
    await api(alice.id).workflows.activate({ id: workflowId });

    const watched = await api(alice.id).integrations.githubWatchRepository({ connectionId, repository: WEB });
    expect(watched).toEqual({ repository: WEB, hookId: expect.any(Number), webhookUrl: `${APP_URL}/api/webhooks/github/${connectionId}` });

    const [request] = createdHooks();
    expect(request!.path).toBe(`/repos/${WEB}/hooks`);
    expect(request!.headers.authorization).toBe(`Bearer ${accessToken}`);
    expect(request!.headers.accept).toBe("application/vnd.github+json");
    const body = hookBody(0);
    expect(body).toMatchObject({
      name: "web",
      active: true,
      events: ["issues"],
      config: { url: `${APP_URL}/api/webhooks/github/${connectionId}`, content_type: "json", insecure_ssl: "0" },
    });
    expect(body.config.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(github.hooks.get(watched.hookId)).toMatchObject({ repository: WEB, events: ["issues"] });

    // Stored encrypted with the tokens; only the hook id is in the (non-secret) settings.
    const row = await db.connection.findUniqueOrThrow({ where: { id: connectionId } });
    expect((await storedSecrets(connectionId)).webhookSecret).toBe(body.config.secret);
    expect(row.secrets).not.toContain(body.config.secret);
    expect(JSON.stringify(row.settings)).not.toContain(body.config.secret);

    // GitHub signs the delivery with the secret it was given.
    const first = await receiveGithubWebhook(db, queue, testKeys, signedDelivery(connectionId, body.config.secret));
    expect(first).toMatchObject({ event: "issues.opened" });
    expect(first.runIds).toHaveLength(1);
    expect(await db.workflowRun.findUniqueOrThrow({ where: { id: first.runIds[0]! } })).toMatchObject({ userId: alice.id, workflowId, triggerType: "github.issue.opened" });
    expect((await receiveGithubWebhook(db, queue, testKeys, signedDelivery(connectionId, body.config.secret))).runIds).toEqual([]);
    await expect(receiveGithubWebhook(db, queue, testKeys, signedDelivery(connectionId, "a-guess-at-the-secret", "d-2"))).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect(await db.workflowRun.count()).toBe(1);

    // A second repository reuses the connection's secret; the page sees both, and no secret.
    await api(alice.id).integrations.githubWatchRepository({ connectionId, repository: API });
    expect(hookBody(1).config.secret).toBe(body.config.secret);
    const listed = await api(alice.id).integrations.githubRepositoryWebhooks({ connectionId });
    expect(listed).toEqual({
      webhookUrl: `${APP_URL}/api/webhooks/github/${connectionId}`,
      pastedSecret: false,
      repositories: [
        { repository: WEB, hookId: watched.hookId },
        { repository: API, hookId: expect.any(Number) },
      ],
    });
    const outputs = JSON.stringify([watched, listed, await api(alice.id).integrations.providers()]);
    expect(outputs).not.toContain(body.config.secret);
    expect(outputs).not.toContain(accessToken);
  });

  it("refuses a malformed name, a repository GitHub hides, a duplicate and a token without admin:repo_hook, storing nothing", async () => {
    const connectionId = await connectWithOAuth();
    const { appRouter } = await import("@/server/api/root");
    const { getErrorShape } = await import("@trpc/server/unstable-core-do-not-import");
    for (const repository of ["not a repo", "octo-acme", "https://github.com/octo-acme/web", "octo-acme/web/issues", "-octo/web", "octo/.."]) {
      const input = { connectionId, repository };
      const error = await failure(api(alice.id).integrations.githubWatchRepository(input));
      expect(error.code).toBe("BAD_REQUEST");
      const shape = getErrorShape({ config: appRouter._def._config, error, type: "mutation", path: "integrations.githubWatchRepository", input, ctx: undefined }) as {
        data: { fieldErrors: Record<string, string[]> };
      };
      expect(shape.data.fieldErrors.repository).toEqual(["Enter the repository as owner/repo, for example octocat/hello-world"]);
    }
    expect(github.hookRequests()).toHaveLength(0);

    const hidden = await failure(api(alice.id).integrations.githubWatchRepository({ connectionId, repository: `${GITHUB_USER.login}/private-elsewhere` }));
    expect(hidden.code).toBe("BAD_REQUEST");
    expect(hidden.message).toBe(`Cue cannot see that repository (${GITHUB_USER.login}/private-elsewhere): check the name and that the token/app can access it.`);

    await api(alice.id).integrations.githubWatchRepository({ connectionId, repository: WEB });
    for (const repository of [WEB, WEB.toUpperCase()]) {
      const duplicate = await failure(api(alice.id).integrations.githubWatchRepository({ connectionId, repository }));
      expect(duplicate.code).toBe("CONFLICT");
      expect(duplicate.message).toMatch(/already watches/);
    }
    expect(createdHooks()).toHaveLength(2); // the hidden one and WEB; duplicates never reach GitHub

    github.hookScope = false;
    const scope = await failure(api(alice.id).integrations.githubWatchRepository({ connectionId, repository: API }));
    expect(scope.code).toBe("BAD_REQUEST");
    expect(scope.message).toMatch(/needs the admin:repo_hook scope/);

    // A hook made by hand with the same URL: GitHub answers 422 "Hook already exists".
    github.hookScope = true;
    github.hooks.set(1, { id: 1, repository: API, name: "web", active: true, events: ["issues"], config: { url: `${APP_URL}/api/webhooks/github/${connectionId}`, content_type: "json" }, token: "by-hand" });
    const exists = await failure(api(alice.id).integrations.githubWatchRepository({ connectionId, repository: API }));
    expect(exists.code).toBe("CONFLICT");
    expect(exists.message).toMatch(/already has a webhook pointing at this connection/);

    const listed = await api(alice.id).integrations.githubRepositoryWebhooks({ connectionId });
    expect(listed.repositories.map((r) => r.repository)).toEqual([WEB]);
  });

  it("concurrent watches lose nothing: one secret for all, one hook per repository", async () => {
    const connectionId = await connectWithOAuth();
    const watch = (repository: string) => api(alice.id).integrations.githubWatchRepository({ connectionId, repository });
    const results = await Promise.allSettled([watch(WEB), watch(API), watch(WEB)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    const listed = await api(alice.id).integrations.githubRepositoryWebhooks({ connectionId });
    expect(listed.repositories.map((r) => r.repository).sort()).toEqual([API, WEB].sort());
    expect(new Set([...github.hooks.values()].map((h) => h.config.secret))).toEqual(new Set([(await storedSecrets(connectionId)).webhookSecret]));
    expect([...github.hooks.keys()].sort()).toEqual(listed.repositories.map((r) => r.hookId).sort());
  });

  it("refreshes an expired GitHub App user token and retries once when GitHub answers 401", async () => {
    github.issueRefreshTokens = true;
    github.expiresIn = 28_800;
    const connectionId = await connectWithOAuth();
    const { accessToken: stale } = await storedSecrets(connectionId);
    github.accessTokens.delete(stale!);

    await api(alice.id).integrations.githubWatchRepository({ connectionId, repository: WEB });
    expect(github.tokenRequests("refresh_token")).toHaveLength(1);
    const attempts = createdHooks();
    expect(attempts.map((r) => r.headers.authorization)).toEqual([`Bearer ${stale}`, `Bearer ${(await storedSecrets(connectionId)).accessToken}`]);
    // The refresh kept the webhook secret written before it.
    expect((await storedSecrets(connectionId)).webhookSecret).toBe(hookBody(1).config.secret);
  });

  it("keeps the watched repositories and their secret when the account is reconnected", async () => {
    const connectionId = await connectWithOAuth();
    await api(alice.id).integrations.githubWatchRepository({ connectionId, repository: WEB });
    const secret = hookBody(0).config.secret;
    expect(await connectWithOAuth()).toBe(connectionId);
    expect((await storedSecrets(connectionId)).webhookSecret).toBe(secret);
    expect((await api(alice.id).integrations.githubRepositoryWebhooks({ connectionId })).repositories.map((r) => r.repository)).toEqual([WEB]);
  });
});

describe("pasted tokens", () => {
  const PAT = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
  const PASTED = "repo-webhook-secret-0123456789";

  it("a hand-made webhook's pasted secret keeps working, and is the one watched repositories are signed with", async () => {
    github.accessTokens.add(PAT);
    const { id: connectionId } = await api(alice.id).integrations.connectWithToken({ provider: "github", fields: { token: PAT, webhookSecret: PASTED } });
    const { id: workflowId } = await api(alice.id).workflows.create({ name: "Triage", graph: newIssueWorkflow });
    await api(alice.id).workflows.activate({ id: workflowId });
    expect(await api(alice.id).integrations.githubRepositoryWebhooks({ connectionId })).toMatchObject({ pastedSecret: true, repositories: [] });
    expect((await receiveGithubWebhook(db, queue, testKeys, signedDelivery(connectionId, PASTED))).runIds).toHaveLength(1);

    await api(alice.id).integrations.githubWatchRepository({ connectionId, repository: WEB });
    expect(createdHooks()[0]!.headers.authorization).toBe(`Bearer ${PAT}`);
    expect(hookBody(0).config.secret).toBe(PASTED);
    expect(await api(alice.id).integrations.githubRepositoryWebhooks({ connectionId })).toMatchObject({ pastedSecret: true });
  });

  it("a token connection without a secret gets a generated one when it watches a repository", async () => {
    github.accessTokens.add(PAT);
    const { id: connectionId } = await api(alice.id).integrations.connectWithToken({ provider: "github", fields: { token: PAT } });
    await expect(receiveGithubWebhook(db, queue, testKeys, signedDelivery(connectionId, "anything-at-all"))).rejects.toMatchObject({ code: "FORBIDDEN" });
    await api(alice.id).integrations.githubWatchRepository({ connectionId, repository: WEB });
    expect(await api(alice.id).integrations.githubRepositoryWebhooks({ connectionId })).toMatchObject({ pastedSecret: false });
    expect((await storedSecrets(connectionId)).webhookSecret).toBe(hookBody(0).config.secret);
  });
});

describe("unwatching and disconnecting", () => {
  it("unwatch deletes the hook at GitHub and forgets it", async () => {
    const connectionId = await connectWithOAuth();
    const { hookId } = await api(alice.id).integrations.githubWatchRepository({ connectionId, repository: WEB });
    expect(await api(alice.id).integrations.githubUnwatchRepository({ connectionId, repository: WEB })).toEqual({ repository: WEB });
    const deletes = github.hookRequests().filter((r) => r.method === "DELETE");
    expect(deletes.map((r) => r.path)).toEqual([`/repos/${WEB}/hooks/${hookId}`]);
    expect(github.hooks.size).toBe(0);
    expect((await api(alice.id).integrations.githubRepositoryWebhooks({ connectionId })).repositories).toEqual([]);
    expect((await failure(api(alice.id).integrations.githubUnwatchRepository({ connectionId, repository: WEB }))).code).toBe("NOT_FOUND");

    // Deleted in GitHub already: unwatching still forgets it.
    const again = await api(alice.id).integrations.githubWatchRepository({ connectionId, repository: WEB });
    github.hooks.delete(again.hookId);
    await api(alice.id).integrations.githubUnwatchRepository({ connectionId, repository: WEB });
    expect((await api(alice.id).integrations.githubRepositoryWebhooks({ connectionId })).repositories).toEqual([]);
  });

  it("disconnect deletes every remaining hook, then revokes the grant", async () => {
    const connectionId = await connectWithOAuth();
    const web = await api(alice.id).integrations.githubWatchRepository({ connectionId, repository: WEB });
    const apiHook = await api(alice.id).integrations.githubWatchRepository({ connectionId, repository: API });
    await api(alice.id).integrations.disconnect({ id: connectionId });
    const deletes = github.requests.filter((r) => r.method === "DELETE").map((r) => r.path);
    expect(deletes).toEqual([`/repos/${WEB}/hooks/${web.hookId}`, `/repos/${API}/hooks/${apiHook.hookId}`, `/applications/${CLIENT_ID}/grant`]);
    expect(github.hooks.size).toBe(0);
    expect(await db.connection.count()).toBe(0);
  });

  it("keeps the connection, its hooks and the grant when GitHub cannot be reached", async () => {
    const connectionId = await connectWithOAuth();
    await api(alice.id).integrations.githubWatchRepository({ connectionId, repository: WEB });

    github.hookFailureStatus = 502;
    const outage = await failure(api(alice.id).integrations.disconnect({ id: connectionId }));
    expect(outage.message).toMatch(new RegExp(`Could not remove Cue's webhook from ${WEB}: GitHub failed with HTTP 502`));
    const offline = await failure(api(alice.id, "http://127.0.0.1:9").integrations.disconnect({ id: connectionId }));
    expect(offline.message).toMatch(/GitHub could not be reached/);

    expect(github.requests.some((r) => r.path.includes("/grant"))).toBe(false);
    expect(github.hooks.size).toBe(1);
    expect((await api(alice.id).integrations.githubRepositoryWebhooks({ connectionId })).repositories).toHaveLength(1);

    github.hookFailureStatus = null;
    await api(alice.id).integrations.disconnect({ id: connectionId });
    expect(github.hooks.size).toBe(0);
    expect(await db.connection.count()).toBe(0);
  });

  it("still disconnects when the grant was revoked on GitHub's side (the hooks cannot be reached any more)", async () => {
    const connectionId = await connectWithOAuth();
    await api(alice.id).integrations.githubWatchRepository({ connectionId, repository: WEB });
    github.accessTokens.clear();
    await api(alice.id).integrations.disconnect({ id: connectionId });
    expect(await db.connection.count()).toBe(0);

    // Nor do unreadable secrets (a retired encryption key) keep a connection from going.
    const unreadable = await connectWithOAuth();
    await api(alice.id).integrations.githubWatchRepository({ connectionId: unreadable, repository: WEB });
    await db.connection.update({ where: { id: unreadable }, data: { secrets: "retired:AAAA" } });
    await api(alice.id).integrations.disconnect({ id: unreadable });
    expect(await db.connection.count()).toBe(0);
  });
});

describe("tenant isolation", () => {
  it("another user's connection is NOT_FOUND for every GitHub webhook procedure, and GitHub is never called", async () => {
    const connectionId = await connectWithOAuth();
    await api(alice.id).integrations.githubWatchRepository({ connectionId, repository: WEB });
    const before = github.hookRequests().length;
    for (const attempt of [
      () => api(bob.id).integrations.githubWatchRepository({ connectionId, repository: API }),
      () => api(bob.id).integrations.githubUnwatchRepository({ connectionId, repository: WEB }),
      () => api(bob.id).integrations.githubRepositoryWebhooks({ connectionId }),
    ]) {
      expect((await failure(attempt())).code).toBe("NOT_FOUND");
    }
    expect(github.hookRequests()).toHaveLength(before);
    expect(github.hooks.size).toBe(1);
    // A connection of another provider is not a GitHub connection either.
    const slack = await db.connection.create({ data: { userId: alice.id, provider: "slack", label: "Slack", secrets: "x" } });
    expect((await failure(api(alice.id).integrations.githubWatchRepository({ connectionId: slack.id, repository: WEB }))).code).toBe("NOT_FOUND");
  });
});

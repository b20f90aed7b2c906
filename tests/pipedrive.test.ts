// Pipedrive end to end against a fake Pipedrive (its OAuth server and the company's API on two
// origins): OAuth (HTTP Basic client auth, api_domain, the callback's failure paths), webhooks
// created on connect and, with a fresh token, deleted on disconnect before the grant is revoked,
// webhook intake (Basic auth, malformed, oversized, duplicates), and the polling fallback surviving
// a restart without dropping or doubling.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { WorkflowGraph } from "@/engine/types";
import { createIntegrationRegistry } from "@/integrations/registry";
import { stepContext } from "@/integrations/testing/fake-server";
import { decryptSecret, encryptSecret } from "@/server/crypto/secrets";
import type { Db } from "@/server/db";
import { AppError } from "@/lib/errors";
import { readRawBody } from "@/server/http/responses";
import type { OAuthEnvironment } from "@/server/oauth/config";
import { completeOAuthConnection, outcomeLocation } from "@/server/oauth/flow";
import type { StoredSecrets } from "@/server/oauth/hooks";
import { credentialsReader } from "@/server/services/credentials";
import { PIPEDRIVE_WEBHOOK_USER } from "@/server/services/pipedrive-connect";
import { connectedAccountsTick } from "@/server/services/connected-accounts-tick";
import { MAX_PIPEDRIVE_BODY_BYTES, pollPipedrive, receivePipedriveWebhook } from "@/server/services/pipedrive-events";
import { callerFor, createUser, RecordingQueue, testKeys } from "./helpers/caller";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import {
  basicCredentials,
  PD_ACCESS_TOKEN,
  PD_CLIENT_ID,
  PD_CLIENT_SECRET,
  PD_COMPANY,
  PD_REFRESH_TOKEN,
  startFakePipedrive,
  type FakePipedrive,
} from "./helpers/fake-pipedrive";

let database: TestDatabase;
let db: Db;
let fake: FakePipedrive;
let queue: RecordingQueue;
let alice: { id: string };
let bob: { id: string };

const APP_URL = "http://cue.test";

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.prisma;
  fake = await startFakePipedrive();
});
afterAll(async () => {
  await fake?.close();
  await database?.close();
});
beforeEach(async () => {
  await db.user.deleteMany();
  queue = new RecordingQueue();
  fake.reset();
  alice = await createUser(db, "alice@example.com");
  bob = await createUser(db, "bob@example.com");
});

/** The OAuth app pointed at the fake's OAuth server; loopback api_domains allowed unless told otherwise. */
function oauthSettings(allowPrivateNetwork = true): OAuthEnvironment {
  const values: Record<string, string> = { PIPEDRIVE_CLIENT_ID: PD_CLIENT_ID, PIPEDRIVE_CLIENT_SECRET: PD_CLIENT_SECRET, PIPEDRIVE_OAUTH_URL: fake.oauthUrl };
  return { read: (name) => values[name], appUrl: APP_URL, allowPrivateNetwork };
}

// API calls that ignored the connection's api_domain would land on the OAuth server, and fail there.
const api = (userId: string) => callerFor(db, userId, { queue, providers: { baseUrl: () => fake.oauthUrl, allowPrivateNetwork: true, oauth: oauthSettings() } });

const callback = (userId: string, params: URLSearchParams, settings = oauthSettings()) =>
  completeOAuthConnection(db, testKeys, settings, { provider: "pipedrive", userId, params });

/** Starts connecting and has the user install the app at the fake; returns the callback's query. */
async function authorize(userId: string) {
  const { authorizeUrl } = await api(userId).integrations.connect({ provider: "pipedrive" });
  return { authorizeUrl, params: await fake.approve(authorizeUrl) };
}

/** The whole OAuth flow: connect, approve at Pipedrive (a code for our state), callback. */
async function connectPipedrive(userId: string) {
  const { authorizeUrl, params } = await authorize(userId);
  const outcome = await callback(userId, params);
  if (!outcome.ok) throw new Error(`connect failed: ${outcome.reason}`);
  const connection = await db.connection.findUniqueOrThrow({ where: { id: outcome.connectionId } });
  const secrets = JSON.parse(decryptSecret(testKeys, connection.secrets)) as StoredSecrets;
  return { connection, settings: connection.settings as Record<string, string>, secrets, authorizeUrl };
}

const graphFor = (trigger: "pipedrive.person.created" | "pipedrive.deal.won"): WorkflowGraph => ({
  nodes: [
    { id: "t1", type: trigger, config: {}, position: { x: 0, y: 0 } },
    { id: "a1", type: "slack.message.post", config: { channel: "#sales", text: "{{trigger.data.id}}" }, position: { x: 0, y: 120 } },
  ],
  edges: [{ id: "e1", source: "t1", target: "a1" }],
});

async function activeWorkflow(userId: string, trigger: "pipedrive.person.created" | "pipedrive.deal.won", name: string = trigger) {
  const { id } = await api(userId).workflows.create({ name, graph: graphFor(trigger) });
  await api(userId).workflows.activate({ id });
  return id;
}

async function appError(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** What reached the fake, in order, with webhook ids masked: "api DELETE /api/v1/webhooks/<id>". */
const disconnectCalls = () => fake.log.map(({ server, request }) => `${server} ${request.method} ${request.path.replace(/\/\d+$/, "/<id>")}`);

/** Cue revoked its refresh token with the app's Basic credentials, and Pipedrive honoured it. */
function expectRevoked() {
  const revoke = fake.revokeRequests.at(-1)!;
  expect(basicCredentials(revoke.headers.authorization)).toEqual({ id: PD_CLIENT_ID, secret: PD_CLIENT_SECRET });
  expect(Object.fromEntries(new URLSearchParams(revoke.body))).toEqual({ token: PD_REFRESH_TOKEN, token_type_hint: "refresh_token" });
  expect(fake.refreshTokens.size).toBe(0);
}

const basic = (password: string, user = PIPEDRIVE_WEBHOOK_USER) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

function personCreatedEvent(id: string, personId = 1234) {
  return {
    meta: { action: "create", entity: "person", entity_id: String(personId), id, company_id: String(PD_COMPANY.id), user_id: "18487521", timestamp: "2026-03-02T14:25:27.000Z", version: "2.0" },
    data: { id: personId, name: "Jenny Rosen", first_name: "Jenny", last_name: "Rosen", emails: [], phones: [], org_id: null, owner_id: 18487521, add_time: "2026-03-02T14:25:27Z" },
    previous: null,
  };
}

describe("Pipedrive OAuth", () => {
  it("authorizes without PKCE, exchanges the code with HTTP Basic client auth and keeps api_domain and the company", async () => {
    const { connection, settings, secrets, authorizeUrl } = await connectPipedrive(alice.id);
    const url = new URL(authorizeUrl);
    expect(url.origin + url.pathname).toBe(`${fake.oauthUrl}/oauth/authorize`);
    expect(url.searchParams.get("client_id")).toBe(PD_CLIENT_ID);
    expect(url.searchParams.get("redirect_uri")).toBe(`${APP_URL}/api/oauth/pipedrive/callback`);
    expect(url.searchParams.has("code_challenge")).toBe(false);

    const [tokenRequest] = fake.tokenRequests;
    expect(tokenRequest!.headers.authorization).toMatch(/^Basic /);
    expect(basicCredentials(tokenRequest!.headers.authorization)).toEqual({ id: PD_CLIENT_ID, secret: PD_CLIENT_SECRET });
    const form = new URLSearchParams(tokenRequest!.body);
    expect(form.get("grant_type")).toBe("authorization_code");
    expect(form.get("redirect_uri")).toBe(`${APP_URL}/api/oauth/pipedrive/callback`);
    expect(form.has("client_secret")).toBe(false);
    expect(form.has("code_verifier")).toBe(false);

    expect(connection).toMatchObject({ provider: "pipedrive", externalAccountId: String(PD_COMPANY.id), label: PD_COMPANY.name, status: "active" });
    // The company's API lives on the api_domain the token response named, not on the OAuth server.
    expect(fake.url).not.toBe(fake.oauthUrl);
    expect(settings).toMatchObject({ apiDomain: fake.url, companyId: String(PD_COMPANY.id), companyName: PD_COMPANY.name, eventDelivery: "webhooks" });
    // /users/me was asked on the company's api_domain with the new token.
    expect(fake.requests.find((r) => r.path === "/api/v1/users/me")!.headers.authorization).toBe(`Bearer ${PD_ACCESS_TOKEN}`);
    expect(fake.oauthRequests.map((r) => `${r.method} ${r.path.replace(/\?.*/, "")}`)).toEqual(["GET /oauth/authorize", "POST /oauth/token"]);
    expect(secrets).toMatchObject({ accessToken: PD_ACCESS_TOKEN, refreshToken: PD_REFRESH_TOKEN, webhookSecret: expect.any(String) });
    expect(connection.secrets).not.toContain(PD_ACCESS_TOKEN);
    expect(connection.secrets).not.toContain(secrets.webhookSecret!);
    const listed = JSON.stringify(await api(alice.id).integrations.providers());
    for (const secret of [PD_ACCESS_TOKEN, PD_REFRESH_TOKEN, secrets.webhookSecret!]) expect(listed).not.toContain(secret);
  });

  it("sends every API call (users/me, webhooks, persons, Test) to the api_domain, none to the OAuth server", async () => {
    const { connection } = await connectPipedrive(alice.id);
    // Actions fall back to the provider's base URL only without an api_domain: point it at the wrong server.
    const registry = createIntegrationRegistry({ baseUrls: { pipedrive: fake.oauthUrl }, allowPrivateNetwork: true });
    const getCredentials = credentialsReader(db, testKeys, { settings: oauthSettings() });
    const person = await registry.catalog.get("pipedrive.person.create")!.run!({ name: "Jenny Rosen", email: "jenny@example.com" }, stepContext({}, { userId: alice.id, getCredentials }));
    expect(person).toEqual({ id: 1, name: "Jenny Rosen" });
    expect((await api(alice.id).integrations.test({ id: connection.id })).status).toBe("active");

    const apiCalls = fake.requests.map((r) => `${r.method} ${r.path}`);
    expect(apiCalls).toEqual(["GET /api/v1/users/me", "POST /api/v1/webhooks", "POST /api/v1/webhooks", "POST /api/v1/persons", "GET /api/v1/users/me"]);
    expect(fake.requests.every((r) => r.headers.authorization === `Bearer ${PD_ACCESS_TOKEN}`)).toBe(true);
    expect(fake.oauthRequests.filter((r) => !r.path.startsWith("/oauth/"))).toEqual([]);
  });

  it("refuses an api_domain that is not https, or not public, unless private networks are allowed", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const strict = oauthSettings(false);
    // The fake's own api_domain is http://127.0.0.1:…
    expect(await callback(alice.id, (await authorize(alice.id)).params, strict)).toMatchObject({ ok: false, reason: "setup_failed" });
    // https, but a loopback address.
    fake.apiDomain = fake.url.replace("http:", "https:");
    expect(await callback(alice.id, (await authorize(alice.id)).params, strict)).toMatchObject({ ok: false, reason: "setup_failed" });
    warn.mockRestore();
    // The code was exchanged, but the token never left for the named host.
    expect(fake.tokenRequests).toHaveLength(2);
    expect(fake.requests).toHaveLength(0);
    expect(await db.connection.count()).toBe(0);

    // Allowed (this deployment's HTTP_ALLOW_PRIVATE_NETWORK), the same plain-http domain connects.
    fake.apiDomain = fake.url;
    expect(await callback(alice.id, (await authorize(alice.id)).params, oauthSettings(true))).toMatchObject({ ok: true });
  });

  it("reconnecting the same company updates the connection and replaces its webhooks", async () => {
    const first = await connectPipedrive(alice.id);
    const second = await connectPipedrive(alice.id);
    expect(second.connection.id).toBe(first.connection.id);
    expect(await db.connection.count()).toBe(1);
    expect([...fake.webhooks.keys()].sort()).toEqual(second.settings.webhookIds!.split(",").sort());
    expect(second.secrets.webhookSecret).not.toBe(first.secrets.webhookSecret);
  });
});

describe("Pipedrive callback failures", () => {
  it("refuses a bad state and a reused state", async () => {
    const { params } = await authorize(alice.id);
    const forged = new URLSearchParams(params);
    forged.set("state", "forged-state");
    expect(await callback(alice.id, forged)).toMatchObject({ ok: false, reason: "invalid_state" });
    expect((await callback(alice.id, params)).ok).toBe(true);
    const replay = await callback(alice.id, params);
    expect(replay).toMatchObject({ ok: false, reason: "invalid_state" });
    expect(outcomeLocation(replay)).toBe("/integrations?error=invalid_state&provider=pipedrive");
    expect(fake.tokenRequests).toHaveLength(1);
    expect(await db.connection.count()).toBe(1);
  });

  it("reports Pipedrive's error on the redirect (denied, server_error) without asking for tokens", async () => {
    for (const [error, reason] of [
      ["access_denied", "access_denied"],
      ["server_error", "provider_error"],
    ] as const) {
      fake.denyWith = error;
      const { params } = await authorize(alice.id);
      expect(params.get("error")).toBe(error);
      expect(await callback(alice.id, params)).toMatchObject({ ok: false, reason });
    }
    expect(fake.tokenRequests).toHaveLength(0);
    expect(await db.connection.count()).toBe(0);
  });

  it("reports an expired, unknown or already used code (Pipedrive's invalid_grant), logging no secret", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    // Expired at Pipedrive before the callback came.
    const late = await authorize(alice.id);
    fake.codes.get(late.params.get("code")!)!.expiresAt = Date.now() - 1;
    expect(await callback(alice.id, late.params)).toMatchObject({ ok: false, reason: "token_exchange_failed" });
    // Never issued.
    const forged = await authorize(alice.id);
    forged.params.set("code", "pd-code-never-issued");
    expect(await callback(alice.id, forged.params)).toMatchObject({ ok: false, reason: "token_exchange_failed" });
    // Used once already, presented again with a fresh state.
    const first = await authorize(alice.id);
    expect((await callback(alice.id, first.params)).ok).toBe(true);
    const again = await authorize(alice.id);
    again.params.set("code", first.params.get("code")!);
    expect(await callback(alice.id, again.params)).toMatchObject({ ok: false, reason: "token_exchange_failed" });
    const logged = JSON.stringify(warn.mock.calls);
    warn.mockRestore();
    expect(logged).toContain("invalid_grant");
    for (const secret of [PD_CLIENT_SECRET, late.params.get("code")!, first.params.get("code")!]) expect(logged).not.toContain(secret);
    expect(fake.tokenRequests).toHaveLength(4);
    expect(await db.connection.count()).toBe(1);
  });
});

describe("Pipedrive webhooks", () => {
  it("creates one v2 webhook per trigger event on connect, behind Basic auth with the stored secret", async () => {
    const { settings, secrets } = await connectPipedrive(alice.id);
    const hooks = [...fake.webhooks.values()];
    expect(hooks.map((h) => `${h.event_action}.${h.event_object}`).sort()).toEqual(["change.deal", "create.person"]);
    for (const hook of hooks) {
      expect(hook).toMatchObject({
        subscription_url: `${APP_URL}/api/webhooks/pipedrive/${settings.webhookToken}`,
        http_auth_user: PIPEDRIVE_WEBHOOK_USER,
        http_auth_password: secrets.webhookSecret,
        version: "2.0",
      });
    }
    expect(settings.webhookToken).toMatch(/^[\w-]{32}$/);
    expect(settings.webhookIds!.split(",")).toHaveLength(2);
    for (const r of fake.requests.filter((r) => r.path === "/api/v1/webhooks")) expect(r.headers.authorization).toBe(`Bearer ${PD_ACCESS_TOKEN}`);
  });

  it("deletes the webhooks and revokes the grant on disconnect, and keeps the connection if Pipedrive cannot be reached", async () => {
    const { connection } = await connectPipedrive(alice.id);
    fake.failWebhookDeletes = 503;
    const refused = await api(alice.id).integrations.disconnect({ id: connection.id }).catch((e: Error) => e);
    expect((refused as Error).message).toMatch(/Pipedrive could not be reached to remove Cue's webhooks; the connection was kept/);
    expect(await db.connection.count()).toBe(1);
    expect(fake.revokeRequests).toHaveLength(0);

    fake.failWebhookDeletes = null;
    fake.log.length = 0;
    await api(alice.id).integrations.disconnect({ id: connection.id });
    expect(disconnectCalls()).toEqual(["api DELETE /api/v1/webhooks/<id>", "api DELETE /api/v1/webhooks/<id>", "oauth POST /oauth/revoke"]);
    expect(fake.webhooks.size).toBe(0);
    const deletes = fake.requests.filter((r) => r.method === "DELETE" && r.path.startsWith("/api/v1/webhooks/"));
    expect(deletes.every((r) => r.headers.authorization === `Bearer ${PD_ACCESS_TOKEN}`)).toBe(true);
    expectRevoked();
    expect(await db.connection.count()).toBe(0);
  });

  it("refreshes an expired access token before deleting the webhooks, then revokes the grant", async () => {
    const { connection, secrets } = await connectPipedrive(alice.id);
    // An hour later: the stored token has expired, and Pipedrive refuses it.
    await db.connection.update({ where: { id: connection.id }, data: { secrets: encryptSecret(testKeys, JSON.stringify({ ...secrets, expiresAt: Date.now() - 60_000 })) } });
    fake.accessToken = "pd-access-token-after-the-old-one";
    fake.log.length = 0;

    await api(alice.id).integrations.disconnect({ id: connection.id });

    expect(disconnectCalls()).toEqual(["oauth POST /oauth/token", "api DELETE /api/v1/webhooks/<id>", "api DELETE /api/v1/webhooks/<id>", "oauth POST /oauth/revoke"]);
    const refresh = fake.tokenRequests.at(-1)!;
    expect(basicCredentials(refresh.headers.authorization)).toEqual({ id: PD_CLIENT_ID, secret: PD_CLIENT_SECRET });
    expect(Object.fromEntries(new URLSearchParams(refresh.body))).toEqual({ grant_type: "refresh_token", refresh_token: PD_REFRESH_TOKEN });
    const deletes = fake.requests.filter((r) => r.method === "DELETE");
    expect(deletes.map((r) => r.headers.authorization)).toEqual(["Bearer pd-access-token-refreshed-1", "Bearer pd-access-token-refreshed-1"]);
    expect(fake.webhooks.size).toBe(0);
    expectRevoked();
    expect(await db.connection.count()).toBe(0);
  });

  it("refreshes once and retries when Pipedrive answers 401 to a token that has not expired", async () => {
    const { connection } = await connectPipedrive(alice.id);
    fake.accessToken = "rotated-elsewhere";
    fake.log.length = 0;

    await api(alice.id).integrations.disconnect({ id: connection.id });

    expect(disconnectCalls()).toEqual([
      "api DELETE /api/v1/webhooks/<id>",
      "oauth POST /oauth/token",
      "api DELETE /api/v1/webhooks/<id>",
      "api DELETE /api/v1/webhooks/<id>",
      "oauth POST /oauth/revoke",
    ]);
    const deletes = fake.requests.filter((r) => r.method === "DELETE").map((r) => r.headers.authorization);
    expect(deletes).toEqual([`Bearer ${PD_ACCESS_TOKEN}`, "Bearer pd-access-token-refreshed-1", "Bearer pd-access-token-refreshed-1"]);
    expect(fake.webhooks.size).toBe(0);
    expectRevoked();
    expect(await db.connection.count()).toBe(0);
  });

  it("fails clearly and keeps the connection when Pipedrive still refuses the deletes after a refresh", async () => {
    const { connection } = await connectPipedrive(alice.id);
    fake.failWebhookDeletes = 401;
    fake.log.length = 0;

    const refused = await api(alice.id).integrations.disconnect({ id: connection.id }).catch((e: { code?: string; message: string }) => e);
    expect(refused).toMatchObject({ code: "BAD_REQUEST" });
    expect((refused as Error).message).toMatch(/^Pipedrive refused to remove Cue's webhooks \(.*401.*\); the connection was kept/);
    expect(disconnectCalls()).toEqual(["api DELETE /api/v1/webhooks/<id>", "oauth POST /oauth/token", "api DELETE /api/v1/webhooks/<id>"]);
    expect(fake.webhooks.size).toBe(2);
    expect(fake.revokeRequests).toHaveLength(0);
    expect(await db.connection.findUniqueOrThrow({ where: { id: connection.id } })).toMatchObject({ status: "active" });
  });

  it("keeps the connection when the revoke fails, and finishes on the next try", async () => {
    const { connection } = await connectPipedrive(alice.id);
    fake.failRevoke = 503;
    const refused = await api(alice.id).integrations.disconnect({ id: connection.id }).catch((e: Error) => e);
    expect((refused as Error).message).toMatch(/Pipedrive did not revoke Cue's access \(http_503\); the connection was kept/);
    expect(await db.connection.count()).toBe(1);
    expect(fake.webhooks.size).toBe(0);

    fake.failRevoke = null;
    await api(alice.id).integrations.disconnect({ id: connection.id });
    expectRevoked();
    expect(await db.connection.count()).toBe(0);
  });

  it("disconnects an uninstalled app (its grant is dead, its webhooks gone) without anything left to undo", async () => {
    const { connection } = await connectPipedrive(alice.id);
    fake.uninstall();
    fake.log.length = 0;
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    await api(alice.id).integrations.disconnect({ id: connection.id });
    warn.mockRestore();
    expect(disconnectCalls()).toEqual(["api DELETE /api/v1/webhooks/<id>", "oauth POST /oauth/token"]);
    expect(await db.connection.count()).toBe(0);
  });

  it("another user cannot disconnect the connection", async () => {
    const { connection } = await connectPipedrive(alice.id);
    const error = await api(bob.id).integrations.disconnect({ id: connection.id }).catch((e: { code?: string }) => e);
    expect(error).toMatchObject({ code: "NOT_FOUND" });
    expect(fake.webhooks.size).toBe(2);
  });

  it("falls back to polling when Pipedrive refuses the webhooks, leaving none behind", async () => {
    fake.refuseWebhooks = 403;
    const { settings, secrets } = await connectPipedrive(alice.id);
    expect(settings).toMatchObject({ eventDelivery: "polling", webhookToken: "", webhookIds: "" });
    expect(settings.webhookError).toMatch(/403|Permission/);
    expect(secrets.webhookSecret).toBeUndefined();
    expect(fake.webhooks.size).toBe(0);

    // Nothing to delete on disconnect; the grant is still revoked.
    fake.log.length = 0;
    await api(alice.id).integrations.disconnect({ id: (await db.connection.findFirstOrThrow()).id });
    expect(disconnectCalls()).toEqual(["oauth POST /oauth/revoke"]);
    expectRevoked();
  });
});

describe("Pipedrive webhook intake", () => {
  async function setUp() {
    const { connection, settings, secrets } = await connectPipedrive(alice.id);
    const receive = (rawBody: string, authorization: string | null = basic(secrets.webhookSecret!), token = settings.webhookToken!) =>
      receivePipedriveWebhook(db, queue, testKeys, { token, authorization, rawBody });
    return { connection, settings, secrets, receive };
  }

  it("starts each matching active workflow of the owner, once", async () => {
    const { connection, receive } = await setUp();
    const one = await activeWorkflow(alice.id, "pipedrive.person.created", "One");
    const two = await activeWorkflow(alice.id, "pipedrive.person.created", "Two");
    await activeWorkflow(alice.id, "pipedrive.deal.won");
    await connectPipedrive(bob.id);
    const bobs = await activeWorkflow(bob.id, "pipedrive.person.created");

    const result = await receive(JSON.stringify(personCreatedEvent("evt-1")));
    expect(result).toEqual({ received: true, duplicate: false, event: "create.person", runs: 2 });
    const runs = await db.workflowRun.findMany({ select: { workflowId: true, dedupKey: true, triggerType: true } });
    expect(runs.map((r) => r.workflowId).sort()).toEqual([one, two].sort());
    expect(runs.some((r) => r.workflowId === bobs)).toBe(false);
    expect(runs.every((r) => r.dedupKey === "pipedrive:evt-1" && r.triggerType === "pipedrive.person.created")).toBe(true);
    expect(await db.connectionEvent.findMany()).toEqual([
      expect.objectContaining({ connectionId: connection.id, eventId: "evt-1", type: "create.person", dispatchedAt: expect.any(Date) }),
    ]);
  });

  it("a won deal starts deal-won workflows; a renamed deal starts nothing", async () => {
    const { receive } = await setUp();
    const won = await activeWorkflow(alice.id, "pipedrive.deal.won");
    const deal = { id: 881, title: "Acme", value: 1, currency: "USD", status: "won", person_id: 1, org_id: null, owner_id: 1, stage_id: 1, pipeline_id: 1, won_time: "2026-03-05T09:12:44Z", add_time: "2026-02-11T16:03:10Z", update_time: "2026-03-05T09:12:44Z" };
    const meta = { action: "change", entity: "deal", entity_id: "881", company_id: "1", user_id: "1", timestamp: "2026-03-05T09:12:44Z", version: "2.0" };
    expect(await receive(JSON.stringify({ meta: { ...meta, id: "won-1" }, data: deal, previous: { status: "open" } }))).toMatchObject({ runs: 1 });
    expect(await receive(JSON.stringify({ meta: { ...meta, id: "rename-1" }, data: deal, previous: { title: "Old" } }))).toMatchObject({ runs: 0 });
    expect((await db.workflowRun.findMany()).map((r) => r.workflowId)).toEqual([won]);
  });

  it("acknowledges duplicate deliveries, sequential and concurrent, creating one event and one run per workflow", async () => {
    const { receive } = await setUp();
    const one = await activeWorkflow(alice.id, "pipedrive.person.created", "One");
    const two = await activeWorkflow(alice.id, "pipedrive.person.created", "Two");
    const body = JSON.stringify(personCreatedEvent("evt-dup"));
    expect(await receive(body)).toMatchObject({ duplicate: false, runs: 2 });
    for (let i = 0; i < 5; i++) expect(await receive(body)).toEqual({ received: true, duplicate: true, event: "create.person", runs: 0 });
    const concurrent = await Promise.all(Array.from({ length: 20 }, () => receive(body)));
    expect(concurrent.every((r) => r.duplicate && r.runs === 0)).toBe(true);
    expect(await db.connectionEvent.count()).toBe(1);
    expect((await db.workflowRun.findMany()).map((r) => r.workflowId).sort()).toEqual([one, two].sort());
  });

  it("refuses bad, missing or foreign credentials, an unknown URL and malformed bodies, storing nothing", async () => {
    const { receive, secrets } = await setUp();
    await activeWorkflow(alice.id, "pipedrive.person.created");
    const body = JSON.stringify(personCreatedEvent("evt-x"));
    expect((await appError(receive(body, basic("wrong-password")))).httpStatus).toBe(401);
    expect((await appError(receive(body, basic(secrets.webhookSecret!, "someone")))).httpStatus).toBe(401);
    expect((await appError(receive(body, null))).httpStatus).toBe(401);
    expect((await appError(receive(body, `Bearer ${secrets.webhookSecret}`))).httpStatus).toBe(401);
    // Bob's secret does not open Alice's URL.
    const bobs = await connectPipedrive(bob.id);
    expect((await appError(receive(body, basic(bobs.secrets.webhookSecret!)))).httpStatus).toBe(401);
    expect((await appError(receive(body, basic(secrets.webhookSecret!), "no-such-token"))).httpStatus).toBe(404);
    expect((await appError(receive(body, basic(secrets.webhookSecret!), ""))).httpStatus).toBe(404);

    const malformed = await appError(receive("{not json"));
    expect(malformed.httpStatus).toBe(400);
    expect(malformed.message).toBe("The body is not valid JSON");
    expect((await appError(receive(JSON.stringify({ data: {} })))).httpStatus).toBe(400);
    expect((await appError(receive("null"))).httpStatus).toBe(400);

    const big = new Request(`${APP_URL}/api/webhooks/pipedrive/x`, { method: "POST", body: "x".repeat(MAX_PIPEDRIVE_BODY_BYTES + 1) });
    expect((await appError(readRawBody(big, MAX_PIPEDRIVE_BODY_BYTES))).httpStatus).toBe(413);

    expect(await db.connectionEvent.count()).toBe(0);
    expect(await db.workflowRun.count()).toBe(0);
  });

  it("stops listening once the connection is revoked", async () => {
    const { connection, receive } = await setUp();
    await db.connection.update({ where: { id: connection.id }, data: { status: "revoked" } });
    expect((await appError(receive(JSON.stringify(personCreatedEvent("evt-r"))))).httpStatus).toBe(404);
  });

  it("acknowledges once stored even if dispatching fails, and the tick dispatches it later", async () => {
    const { settings, secrets } = await setUp();
    const flow = await activeWorkflow(alice.id, "pipedrive.person.created");
    // The database fails while the workflows are looked up: after the event was stored.
    const hiccup = new Proxy(db, {
      get(target, prop, receiver) {
        if (prop === "workflow") return { findMany: () => Promise.reject(new Error("database hiccup")) };
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    const result = await receivePipedriveWebhook(hiccup, queue, testKeys, {
      token: settings.webhookToken!,
      authorization: basic(secrets.webhookSecret!),
      rawBody: JSON.stringify(personCreatedEvent("evt-later")),
    });
    expect(result).toEqual({ received: true, duplicate: false, event: "create.person", runs: 0 });
    expect(await db.workflowRun.count()).toBe(0);
    expect((await db.connectionEvent.findFirstOrThrow()).dispatchedAt).toBeNull();

    // Too fresh for the sweep (an in-flight delivery may still be dispatching it)…
    await connectedAccountsTick(db, queue, testKeys, new Date());
    expect(await db.workflowRun.count()).toBe(0);
    // …then dispatched once.
    await connectedAccountsTick(db, queue, testKeys, new Date(Date.now() + 60_000));
    await connectedAccountsTick(db, queue, testKeys, new Date(Date.now() + 120_000));
    expect((await db.workflowRun.findMany()).map((r) => r.workflowId)).toEqual([flow]);
    expect((await db.connectionEvent.findFirstOrThrow()).dispatchedAt).not.toBeNull();
  });
});

describe("Pipedrive polling fallback", () => {
  const at = (iso: string) => new Date(iso);

  it("hands over new persons and newly won deals once each, across a restart, with no drop or double", async () => {
    fake.refuseWebhooks = 403;
    const { connection, settings } = await connectPipedrive(alice.id);
    const since = settings.pollSince!;
    const t = (offsetSeconds: number) => new Date(new Date(since).getTime() + offsetSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const created = await activeWorkflow(alice.id, "pipedrive.person.created");
    const won = await activeWorkflow(alice.id, "pipedrive.deal.won");

    // Before the connect: never handed over.
    fake.persons.push({ id: 1, name: "Old Person", add_time: t(-3600), update_time: t(10) });
    fake.deals.push({ id: 50, title: "Old win", status: "won", person_id: 1, won_time: t(-3600), add_time: t(-7200), update_time: t(10) });
    // After: three persons in the same second (ids break the tie), one deal won, one merely edited.
    fake.persons.push(
      { id: 2, name: "Ann", add_time: t(20), update_time: t(20) },
      { id: 3, name: "Ben", add_time: t(20), update_time: t(20) },
      { id: 4, name: "Cat", add_time: t(25), update_time: t(30) },
    );
    fake.deals.push(
      { id: 60, title: "New win", status: "won", person_id: 2, won_time: t(22), add_time: t(-100), update_time: t(22) },
      { id: 61, title: "Still open", status: "open", person_id: 2, won_time: null, add_time: t(-100), update_time: t(23) },
    );

    const first = await pollPipedrive(db, queue, testKeys, at(t(40)), { intervalMs: 60_000 });
    expect(first).toEqual({ polled: 1, events: 4 });
    const personRuns = async () => (await db.workflowRun.findMany({ where: { workflowId: created }, orderBy: { createdAt: "asc" } })).map((r) => (r.trigger as { data: { id: number } }).data.id);
    const dealRuns = async () => (await db.workflowRun.findMany({ where: { workflowId: won } })).map((r) => (r.trigger as { data: { id: number } }).data.id);
    expect(await personRuns()).toEqual([2, 3, 4]);
    expect(await dealRuns()).toEqual([60]);
    // The v2 lists were read page by page with the cursor and the token.
    const listCalls = fake.requests.filter((r) => r.path.startsWith("/api/v2/"));
    expect(listCalls.some((r) => r.path.includes("cursor=2"))).toBe(true);
    expect(listCalls.every((r) => r.headers.authorization === `Bearer ${PD_ACCESS_TOKEN}`)).toBe(true);
    const cursor = (await db.connection.findUniqueOrThrow({ where: { id: connection.id } })).pollCursor as { person: { id: number }; deal: { id: number } };
    expect(cursor.person).toMatchObject({ id: 4 });

    // Within the interval nothing is asked.
    const before = fake.requests.length;
    expect(await pollPipedrive(db, queue, testKeys, at(t(70)), { intervalMs: 60_000 })).toEqual({ polled: 0, events: 0 });
    expect(fake.requests.length).toBe(before);

    // A crash: the cursor write of the last poll was lost (back to the start), and the process
    // died after storing person 5's event but before dispatching it. A new process polls.
    fake.persons.push({ id: 5, name: "Dan", add_time: t(80), update_time: t(80) }, { id: 6, name: "Eve", add_time: t(80), update_time: t(81) });
    fake.deals.push({ id: 62, title: "Another win", status: "won", person_id: 5, won_time: t(85), add_time: t(-100), update_time: t(85) });
    await db.connection.update({ where: { id: connection.id }, data: { pollCursor: { person: { time: since, id: 0 }, deal: { time: since, id: 0 } } } });
    await db.connectionEvent.create({
      data: { connectionId: connection.id, provider: "pipedrive", eventId: "poll:create.person:5", type: "create.person", payload: { meta: { action: "create", entity: "person", id: "poll:create.person:5" }, data: { ...fake.persons.at(-2), emails: [], phones: [], org_id: null, owner_id: 1, first_name: null, last_name: null }, previous: null } },
    });
    const restarted = new RecordingQueue();
    await pollPipedrive(db, restarted, testKeys, at(t(200)), { intervalMs: 60_000 });
    expect(await personRuns()).toEqual([2, 3, 4, 5, 6]);
    expect(await dealRuns()).toEqual([60, 62]);
    expect(restarted.enqueued).toHaveLength(3);

    // And again: nothing new, nothing doubled.
    await pollPipedrive(db, restarted, testKeys, at(t(400)), { intervalMs: 60_000 });
    expect(await personRuns()).toEqual([2, 3, 4, 5, 6]);
    expect(await dealRuns()).toEqual([60, 62]);
    expect(await db.connectionEvent.count()).toBe(7);
  });

  it("records a failed poll on the connection and retries from the same cursor", async () => {
    fake.refuseWebhooks = 403;
    const { connection, settings } = await connectPipedrive(alice.id);
    const created = await activeWorkflow(alice.id, "pipedrive.person.created");
    const t = (s: number) => new Date(new Date(settings.pollSince!).getTime() + s * 1000).toISOString();
    fake.persons.push({ id: 7, name: "Fay", add_time: t(5), update_time: t(5) });
    fake.accessToken = "rotated-elsewhere";
    await pollPipedrive(db, queue, testKeys, new Date(t(10)));
    expect((await db.connection.findUniqueOrThrow({ where: { id: connection.id } })).lastError).toMatch(/Checking Pipedrive for new events failed/);
    fake.accessToken = PD_ACCESS_TOKEN;
    await pollPipedrive(db, queue, testKeys, new Date(t(100)));
    expect((await db.connection.findUniqueOrThrow({ where: { id: connection.id } })).lastError).toBeNull();
    expect(await db.workflowRun.count({ where: { workflowId: created } })).toBe(1);
  });

  it("does not poll connections that receive webhooks", async () => {
    await connectPipedrive(alice.id);
    fake.requests.length = 0;
    expect(await pollPipedrive(db, queue, testKeys, new Date())).toEqual({ polled: 0, events: 0 });
    expect(fake.requests).toHaveLength(0);
  });
});

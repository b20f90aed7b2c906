// Pipedream Connect against a fake Pipedream API: the Connect token request (client credentials,
// then the token for the Cue user, checked at the fake), and account webhooks verified by
// HMAC-SHA256 over the raw body that create, revoke or flag the user's connection, idempotently.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeServer, type FakeServer, type RecordedRequest } from "@/integrations/testing/fake-server";
import type { Db } from "@/server/db";
import { AppError } from "@/lib/errors";
import { readRawBody } from "@/server/http/responses";
import type { OAuthEnvironment } from "@/server/oauth/config";
import {
  clearPipedreamTokenCache,
  MAX_PIPEDREAM_BODY_BYTES,
  pipedreamSignature,
  receivePipedreamWebhook,
} from "@/server/services/pipedream-connect";
import { callerFor, createUser, testKeys } from "./helpers/caller";
import { createTestDatabase, type TestDatabase } from "./helpers/db";

let database: TestDatabase;
let db: Db;
let fake: FakeServer;
let alice: { id: string };
let bob: { id: string };

const APP_URL = "http://cue.test";
const CLIENT_ID = "pd_client_123";
const CLIENT_SECRET = "pd_secret_456";
const PROJECT = "proj_abc123";
const WEBHOOK_SECRET = "pipedream-webhook-secret-0123456789";
let deleteStatus = 200;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.prisma;
  fake = await startFakeServer((request: RecordedRequest) => {
    const url = new URL(request.path, "http://fake");
    if (request.method === "POST" && url.pathname === "/v1/oauth/token") {
      const body = JSON.parse(request.body) as Record<string, string>;
      if (body.grant_type !== "client_credentials" || body.client_id !== CLIENT_ID || body.client_secret !== CLIENT_SECRET) {
        return { status: 401, body: { error: "invalid_client" } };
      }
      return { status: 200, body: { access_token: "pd-api-token", token_type: "Bearer", expires_in: 3600 } };
    }
    if (request.headers.authorization !== "Bearer pd-api-token") return { status: 401, body: { error: "unauthorized" } };
    if (request.method === "POST" && url.pathname === `/v1/connect/${PROJECT}/tokens`) {
      return { status: 200, body: { token: "ctok_1", expires_at: "2026-11-23T22:00:00Z", connect_link_url: "https://pipedream.com/_static/connect.html?token=ctok_1&connectLink=true" } };
    }
    if (request.method === "DELETE" && url.pathname.startsWith(`/v1/connect/${PROJECT}/accounts/`)) return { status: deleteStatus };
    return { status: 404, body: { error: "not found" } };
  });
});
afterAll(async () => {
  await fake?.close();
  await database?.close();
});
beforeEach(async () => {
  await db.user.deleteMany();
  fake.requests.length = 0;
  deleteStatus = 200;
  clearPipedreamTokenCache();
  alice = await createUser(db, "alice@example.com");
  bob = await createUser(db, "bob@example.com");
});

function settings(overrides: Record<string, string | undefined> = {}): OAuthEnvironment {
  const values: Record<string, string | undefined> = {
    PIPEDREAM_CLIENT_ID: CLIENT_ID,
    PIPEDREAM_CLIENT_SECRET: CLIENT_SECRET,
    PIPEDREAM_PROJECT_ID: PROJECT,
    PIPEDREAM_ENVIRONMENT: "production",
    PIPEDREAM_API_URL: fake.url,
    ...overrides,
  };
  return { read: (name) => values[name], appUrl: APP_URL };
}

const api = (userId: string, oauth = settings()) => callerFor(db, userId, { providers: { baseUrl: () => fake.url, allowPrivateNetwork: true, oauth } });

function event(kind: string, userId: string, extra: Record<string, unknown> = {}) {
  return {
    event: kind,
    external_user_id: userId,
    account: { id: "apn_slack_1", name: "Acme workspace", healthy: true, app: { name_slug: "slack", name: "Slack" } },
    ...extra,
  };
}

function signed(body: unknown, secret = WEBHOOK_SECRET) {
  const rawBody = typeof body === "string" ? body : JSON.stringify(body);
  return { rawBody, signature: pipedreamSignature(secret, rawBody) };
}

const receive = (delivery: { rawBody: string; signature: string | null }) => receivePipedreamWebhook(db, testKeys, WEBHOOK_SECRET, delivery);

async function appError(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("Pipedream Connect: connect link", () => {
  it("gets an access token with client credentials, then a Connect token for the Cue user", async () => {
    const { url, expiresAt } = await api(alice.id).integrations.pipedreamConnect({ app: "slack" });
    expect(url).toBe("https://pipedream.com/_static/connect.html?token=ctok_1&connectLink=true&app=slack");
    expect(expiresAt).toBe("2026-11-23T22:00:00Z");

    const [tokenRequest, connectRequest] = fake.requests;
    expect(tokenRequest!.path).toBe("/v1/oauth/token");
    expect(JSON.parse(tokenRequest!.body)).toEqual({ grant_type: "client_credentials", client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
    expect(connectRequest!.path).toBe(`/v1/connect/${PROJECT}/tokens`);
    expect(connectRequest!.headers.authorization).toBe("Bearer pd-api-token");
    expect(connectRequest!.headers["x-pd-environment"]).toBe("production");
    expect(JSON.parse(connectRequest!.body)).toMatchObject({ external_user_id: alice.id, webhook_uri: `${APP_URL}/api/webhooks/pipedream` });

    // The access token is reused until it expires.
    await api(bob.id).integrations.pipedreamConnect({ app: "google_sheets" });
    expect(fake.requests.filter((r) => r.path === "/v1/oauth/token")).toHaveLength(1);
    expect(JSON.parse(fake.requests.at(-1)!.body)).toMatchObject({ external_user_id: bob.id });
  });

  it("says what is missing when Pipedream is not configured, and refuses a bad app slug", async () => {
    const error = await api(alice.id, settings({ PIPEDREAM_PROJECT_ID: undefined, PIPEDREAM_CLIENT_SECRET: undefined }))
      .integrations.pipedreamConnect({ app: "slack" })
      .catch((e: { code?: string; message?: string }) => e);
    expect(error).toMatchObject({ code: "BAD_REQUEST", message: "Pipedream Connect is not set up on this server yet: set PIPEDREAM_CLIENT_SECRET, PIPEDREAM_PROJECT_ID." });
    const bad = await api(alice.id).integrations.pipedreamConnect({ app: "../../evil" }).catch((e: { code?: string }) => e);
    expect(bad).toMatchObject({ code: "BAD_REQUEST" });
    expect(fake.requests).toHaveLength(0);
  });

  it("reports a rejected client secret without leaking it", async () => {
    const error = await api(alice.id, settings({ PIPEDREAM_CLIENT_SECRET: "wrong-secret" }))
      .integrations.pipedreamConnect({ app: "slack" })
      .catch((e: { code?: string; message?: string }) => e);
    expect(error).toMatchObject({ code: "BAD_REQUEST" });
    expect((error as { message: string }).message).toMatch(/Pipedream refused the request \(HTTP 401/);
    expect((error as { message: string }).message).not.toContain("wrong-secret");
  });
});

describe("Pipedream Connect: account webhooks", () => {
  it("creates the connection on account.connected, shown as connected through Pipedream", async () => {
    const result = await receive(signed(event("account.connected", alice.id)));
    expect(result).toMatchObject({ received: true, event: "account.connected", status: "active" });
    const connection = await db.connection.findFirstOrThrow();
    expect(connection).toMatchObject({ userId: alice.id, provider: "pipedream", externalAccountId: "apn_slack_1", label: "Slack — Acme workspace", status: "active" });
    expect(connection.settings).toEqual({ app: "slack", appName: "Slack", accountName: "Acme workspace" });
    const pipedream = (await api(alice.id).integrations.providers()).find((p) => p.key === "pipedream")!;
    expect(pipedream).toMatchObject({ kind: "external", name: "Pipedream Connect" });
    expect(pipedream.connections).toEqual([expect.objectContaining({ id: connection.id, status: "active", label: "Slack — Acme workspace" })]);
    expect((await api(bob.id).integrations.providers()).find((p) => p.key === "pipedream")!.connections).toEqual([]);
  });

  it("is idempotent under redelivery, including concurrent ones", async () => {
    const delivery = signed(event("account.connected", alice.id));
    await receive(delivery);
    await receive(delivery);
    await Promise.all(Array.from({ length: 10 }, () => receive(delivery)));
    expect(await db.connection.count()).toBe(1);
  });

  it("marks the connection revoked on account.disconnected and in error on account.error, and back on reconnect", async () => {
    await receive(signed(event("account.connected", alice.id)));
    const error = signed(event("account.error", alice.id, { error: "The Slack token was revoked" }));
    expect(await receive(error)).toMatchObject({ status: "error" });
    expect(await receive(error)).toMatchObject({ status: "error" });
    expect(await db.connection.findFirstOrThrow()).toMatchObject({ status: "error", lastError: "The Slack token was revoked" });

    const disconnected = signed(event("account.disconnected", alice.id));
    expect(await receive(disconnected)).toMatchObject({ status: "revoked" });
    expect(await receive(disconnected)).toMatchObject({ status: "revoked" });
    expect(await db.connection.findFirstOrThrow()).toMatchObject({ status: "revoked", lastError: null });

    await receive(signed(event("account.connected", alice.id)));
    expect(await db.connection.findFirstOrThrow()).toMatchObject({ status: "active", lastError: null });
    expect(await db.connection.count()).toBe(1);
  });

  it("accepts Pipedream's own CONNECTION_SUCCESS name, with the user on the account", async () => {
    const body = { event: "CONNECTION_SUCCESS", connect_token: "ctok_1", environment: "production", account: { id: "apn_gs_1", name: "me@acme.com", external_id: bob.id, app: { name_slug: "google_sheets", name: "Google Sheets" } } };
    await receive(signed(body));
    expect(await db.connection.findFirstOrThrow()).toMatchObject({ userId: bob.id, label: "Google Sheets — me@acme.com", status: "active" });
  });

  it("rejects a bad, missing or other-secret signature and a tampered body, storing nothing", async () => {
    const good = signed(event("account.connected", alice.id));
    expect((await appError(receive({ rawBody: good.rawBody, signature: null }))).httpStatus).toBe(401);
    expect((await appError(receive({ rawBody: good.rawBody, signature: "sha256=" + "0".repeat(64) }))).httpStatus).toBe(401);
    expect((await appError(receive(signed(event("account.connected", alice.id), "another-secret")))).httpStatus).toBe(401);
    expect((await appError(receive({ rawBody: good.rawBody.replace(alice.id, bob.id), signature: good.signature }))).httpStatus).toBe(401);
    // Not configured on this server: nothing can be verified, so nothing is accepted.
    expect((await appError(receivePipedreamWebhook(db, testKeys, undefined, good))).httpStatus).toBe(404);
    expect((await appError(receive(signed("{not json")))).httpStatus).toBe(400);
    expect((await appError(receive(signed({ event: "account.unknown", external_user_id: alice.id })))).httpStatus).toBe(400);
    const big = new Request(`${APP_URL}/api/webhooks/pipedream`, { method: "POST", body: "x".repeat(MAX_PIPEDREAM_BODY_BYTES + 1) });
    expect((await appError(readRawBody(big, MAX_PIPEDREAM_BODY_BYTES))).httpStatus).toBe(413);
    expect(await db.connection.count()).toBe(0);
  });

  it("answers 404 for an unknown user and stores nothing", async () => {
    const error = await appError(receive(signed(event("account.connected", "user_that_does_not_exist"))));
    expect(error.httpStatus).toBe(404);
    expect(error.message).toMatch(/No Cue user/);
    expect(await db.connection.count()).toBe(0);
  });

  it("disconnecting in Cue removes the account at Pipedream too; another user's id is NOT_FOUND", async () => {
    await receive(signed(event("account.connected", alice.id)));
    const connection = await db.connection.findFirstOrThrow();
    expect(await api(bob.id).integrations.disconnect({ id: connection.id }).catch((e: { code?: string }) => e)).toMatchObject({ code: "NOT_FOUND" });

    deleteStatus = 500;
    expect(await api(alice.id).integrations.disconnect({ id: connection.id }).catch((e: { code?: string }) => e)).toMatchObject({ code: "BAD_REQUEST" });
    expect(await db.connection.count()).toBe(1);

    deleteStatus = 204;
    await api(alice.id).integrations.disconnect({ id: connection.id });
    const deletion = fake.requests.findLast((r) => r.method === "DELETE")!;
    expect(deletion.path).toBe(`/v1/connect/${PROJECT}/accounts/apn_slack_1`);
    expect(deletion.headers["x-pd-environment"]).toBe("production");
    expect(await db.connection.count()).toBe(0);
  });
});

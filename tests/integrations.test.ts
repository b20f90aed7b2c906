// Token connections: validated by a real call to the provider (a local fake) before saving,
// stored encrypted, never returned, and scoped to their owner.
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeServer, type FakeResponse, type FakeServer, type RecordedRequest } from "@/integrations/testing/fake-server";
import { decryptSecret } from "@/server/crypto/secrets";
import type { Db } from "@/server/db";
import { credentialsReader } from "@/server/services/credentials";
import { callerFor, createUser, testKeys } from "./helpers/caller";
import { createTestDatabase, type TestDatabase } from "./helpers/db";

let database: TestDatabase;
let db: Db;
let fake: FakeServer;
let respond: (request: RecordedRequest) => FakeResponse;
let alice: { id: string };
let bob: { id: string };

const SID = "AC0123456789abcdef";
const TOKEN = "twilio-auth-token-123";

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.prisma;
  fake = await startFakeServer((request) => respond(request));
});
afterAll(async () => {
  await fake?.close();
  await database?.close();
});
beforeEach(async () => {
  fake.requests.length = 0;
  respond = (request) =>
    request.headers.authorization === `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString("base64")}`
      ? { status: 200, body: { sid: SID, friendly_name: "Acme Support" } }
      : { status: 401, body: { code: 20003, message: "Authenticate" } };
  await db.user.deleteMany();
  alice = await createUser(db, "alice@example.com");
  bob = await createUser(db, "bob@example.com");
});

const providers = () => ({ baseUrl: () => fake.url, allowPrivateNetwork: true });
const api = (userId: string | null) => callerFor(db, userId, { providers: providers() });

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

describe("token connections", () => {
  it("verifies Twilio credentials with the provider, then stores them encrypted", async () => {
    const connection = await api(alice.id).integrations.connectWithToken({ provider: "twilio", fields: { accountSid: SID, authToken: TOKEN } });
    expect(connection).toMatchObject({ provider: "twilio", label: "Acme Support", status: "active", externalAccountId: SID });
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /2010-04-01/Accounts/${SID}.json`]);
    expect(JSON.stringify(connection)).not.toContain(TOKEN);

    const row = await db.connection.findUniqueOrThrow({ where: { id: connection.id } });
    expect(row.secrets).not.toContain(TOKEN);
    expect(JSON.parse(decryptSecret(testKeys, row.secrets))).toEqual({ username: SID, password: TOKEN });
    // Actions get them back through getCredentials.
    expect(await credentialsReader(db, testKeys)(alice.id, "twilio")).toMatchObject({ username: SID, password: TOKEN });
    expect(await credentialsReader(db, testKeys)(bob.id, "twilio")).toEqual({});

    const listed = await api(alice.id).integrations.providers();
    expect(JSON.stringify(listed)).not.toContain(TOKEN);
    expect(JSON.stringify(listed)).not.toContain("v1.");
    expect(listed.find((p) => p.key === "twilio")!.connections).toHaveLength(1);
    expect(listed.find((p) => p.key === "twilio")!.tokenForm!.secretFields).toEqual(["authToken"]);
  });

  it("refuses credentials the provider rejects, and bad fields, storing nothing", async () => {
    const rejected = await failure(api(alice.id).integrations.connectWithToken({ provider: "twilio", fields: { accountSid: SID, authToken: "wrong-token-value" } }));
    expect(rejected.code).toBe("BAD_REQUEST");
    expect(rejected.message).toMatch(/Twilio did not accept these credentials/);
    expect(rejected.message).not.toContain("wrong-token-value");

    const invalid = await failure(api(alice.id).integrations.connectWithToken({ provider: "twilio", fields: { accountSid: "XY1", authToken: "" } }));
    expect(invalid.code).toBe("BAD_REQUEST");
    expect((invalid.cause as { fieldErrors?: Record<string, string[]> }).fieldErrors).toMatchObject({
      accountSid: ["Account SIDs start with AC"],
    });
    expect((await failure(api(alice.id).integrations.connectWithToken({ provider: "stripe", fields: {} }))).message).toMatch(/OAuth/);
    expect((await failure(api(alice.id).integrations.connectWithToken({ provider: "nope", fields: {} }))).message).toMatch(/Unknown provider/);
    expect(await db.connection.count()).toBe(0);
  });

  it("tests, renames and disconnects only the owner's connections", async () => {
    const { id } = await api(alice.id).integrations.connectWithToken({ provider: "twilio", label: "Support line", fields: { accountSid: SID, authToken: TOKEN } });
    for (const attempt of [
      () => api(bob.id).integrations.test({ id }),
      () => api(bob.id).integrations.rename({ id, label: "Mine" }),
      () => api(bob.id).integrations.disconnect({ id }),
    ]) {
      expect((await failure(attempt())).code).toBe("NOT_FOUND");
    }
    expect((await failure(api(null).integrations.providers())).code).toBe("UNAUTHORIZED");
    expect((await api(alice.id).integrations.rename({ id, label: "Billing line" })).label).toBe("Billing line");

    // The provider starts refusing: a test marks the connection errored with the reason.
    respond = () => ({ status: 401, body: { code: 20003, message: "Authenticate" } });
    const tested = await api(alice.id).integrations.test({ id });
    expect(tested.status).toBe("error");
    expect(tested.lastError).toMatch(/Twilio/);
    respond = () => ({ status: 200, body: { sid: SID } });
    expect((await api(alice.id).integrations.test({ id })).status).toBe("active");

    await api(alice.id).integrations.disconnect({ id });
    expect(await db.connection.count()).toBe(0);
  });
});

describe("SendGrid keys are validated on save", () => {
  const KEY = "SG.cue-test-key-id.cue-test-key-secret_0123456789";
  /** SendGrid's scopes check: this answer for the key as a Bearer token, 401 for anything else. */
  const scopesCheck =
    (status: number, body: unknown) =>
    (request: RecordedRequest): FakeResponse =>
      request.method === "GET" && request.path === "/v3/scopes" && request.headers.authorization === `Bearer ${KEY}`
        ? { status, body }
        : { status: 401, body: { errors: [{ field: null, message: "authorization required" }] } };
  const connectSendGrid = (apiKey: string) => api(alice.id).integrations.connectWithToken({ provider: "sendgrid", fields: { apiKey } });

  it("checks the key with SendGrid (GET /v3/scopes, Bearer) and stores it encrypted on a 200", async () => {
    respond = scopesCheck(200, { scopes: ["mail.send", "scopes.read"] });
    const connection = await connectSendGrid(KEY);
    expect(connection).toMatchObject({ provider: "sendgrid", label: "SendGrid", status: "active" });
    expect(fake.requests.map((r) => `${r.method} ${r.path} ${r.headers.authorization}`)).toEqual([`GET /v3/scopes Bearer ${KEY}`]);
    expect(JSON.stringify(connection)).not.toContain(KEY);
    const row = await db.connection.findUniqueOrThrow({ where: { id: connection.id } });
    expect(row.secrets).not.toContain(KEY);
    expect(JSON.parse(decryptSecret(testKeys, row.secrets))).toEqual({ accessToken: KEY });
    expect(await credentialsReader(db, testKeys)(alice.id, "sendgrid")).toMatchObject({ accessToken: KEY });
  });

  it("refuses a key SendGrid answers 401 or 403 to, and a malformed key, saving nothing", async () => {
    for (const [status, message] of [
      [401, "authorization required"],
      [403, "access forbidden"],
    ] as const) {
      respond = () => ({ status, body: { errors: [{ field: null, message }] } });
      const refused = await failure(connectSendGrid(KEY));
      expect(refused.code).toBe("BAD_REQUEST");
      expect(refused.message).toMatch(/^SendGrid did not accept these credentials/);
      expect(refused.message).toContain(String(status));
      expect(refused.message).not.toContain(KEY);
    }
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /v3/scopes", "GET /v3/scopes"]);

    // A key that is not shaped like one is a field error, and SendGrid is not even asked.
    const malformed = await failure(connectSendGrid("not-a-sendgrid-key"));
    expect(malformed.code).toBe("BAD_REQUEST");
    expect((malformed.cause as { fieldErrors?: Record<string, string[]> }).fieldErrors).toEqual({ apiKey: ["SendGrid API keys look like SG.xxxx.yyyy"] });
    expect(fake.requests).toHaveLength(2);
    expect(await db.connection.count()).toBe(0);
  });
});

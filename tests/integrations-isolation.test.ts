// Tenant isolation across the whole integrations router, found at runtime: every procedure either
// takes a connection id (then another user's id answers NOT_FOUND and changes nothing, while the
// same call on the caller's own connection gets past the ownership check) or is listed as taking
// none. A procedure added to the router without a row here fails the first test.
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { integrationsRouter } from "@/server/api/routers/integrations/_router";
import { configureBilling } from "@/server/billing/runtime";
import { encryptSecret } from "@/server/crypto/secrets";
import type { Db } from "@/server/db";
import { contactSyncSettled } from "@/server/services/contacts-sync";
import { callerFor, createUser, testKeys } from "./helpers/caller";
import { createTestDatabase, type TestDatabase } from "./helpers/db";

let database: TestDatabase;
let db: Db;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.prisma;
  // Unmetered: the plan gate of contact sync must not be what answers before the ownership check.
  configureBilling(null);
});
afterAll(async () => {
  await database?.close();
});

/** The kinds of connection the procedures act on; each procedure is tried on the kind it accepts. */
type Kind = "stripe" | "pipedrive" | "github";

const WATCHED_REPOSITORY = "octocat/hello-world";

/** Nothing here is reachable: a call that gets past the ownership check fails fast, and not NOT_FOUND. */
const UNREACHABLE = "http://127.0.0.1:9";

async function connectionOf(userId: string, kind: Kind, label: string) {
  const data = {
    stripe: {
      externalAccountId: `acct_${label.replace(/\W/g, "")}`,
      scopes: "read_write",
      secrets: { accessToken: "sk_test_connected_token", webhookSecret: "whsec_connected_endpoint" },
      settings: { webhookEndpointId: "we_connected" },
    },
    pipedrive: {
      externalAccountId: `company-${label.replace(/\W/g, "")}`,
      scopes: "base",
      secrets: { accessToken: "pd-access", refreshToken: "pd-refresh", webhookSecret: "pd-webhook-secret" },
      settings: { apiDomain: UNREACHABLE, eventDelivery: "webhooks", webhookToken: `tok-${label.replace(/\W/g, "")}` },
    },
    github: {
      externalAccountId: `gh-${label.replace(/\W/g, "")}`,
      scopes: "repo",
      secrets: { accessToken: "gho_0123456789abcdefghijklmnopqrstuvwxyz", webhookSecret: "gh-webhook-secret" },
      // Watched, so unwatching it on one's own connection gets as far as calling GitHub.
      settings: { login: "octocat", watchedRepositories: JSON.stringify([{ repository: WATCHED_REPOSITORY, hookId: 1 }]) },
    },
  }[kind];
  return db.connection.create({
    data: { userId, provider: kind, label, externalAccountId: data.externalAccountId, scopes: data.scopes, secrets: encryptSecret(testKeys, JSON.stringify(data.secrets)), settings: data.settings },
  });
}

/**
 * Every procedure that takes a connection id: which kind of connection it acts on, and its input
 * given that id. Add the new procedure here (and nowhere else) when the router grows.
 */
const TAKES_CONNECTION_ID: Record<string, { kind: Kind; input: (id: string) => unknown }> = {
  reconnect: { kind: "stripe", input: (id) => ({ id }) },
  test: { kind: "stripe", input: (id) => ({ id }) },
  rename: { kind: "stripe", input: (id) => ({ id, label: "Mine now" }) },
  disconnect: { kind: "stripe", input: (id) => ({ id }) },
  stripeRecentPayments: { kind: "stripe", input: (connectionId) => ({ connectionId }) },
  pipedriveSync: { kind: "pipedrive", input: (connectionId) => ({ connectionId }) },
  pipedriveSyncSelected: { kind: "pipedrive", input: (connectionId) => ({ connectionId, personIds: [1, 2] }) },
  pipedrivePersons: { kind: "pipedrive", input: (connectionId) => ({ connectionId }) },
  pipedriveSyncStatus: { kind: "pipedrive", input: (connectionId) => ({ connectionId }) },
  pipedriveSyncHistory: { kind: "pipedrive", input: (connectionId) => ({ connectionId }) },
  contacts: { kind: "pipedrive", input: (connectionId) => ({ connectionId }) },
  githubWatchRepository: { kind: "github", input: (connectionId) => ({ connectionId, repository: "octocat/another-repo" }) },
  githubUnwatchRepository: { kind: "github", input: (connectionId) => ({ connectionId, repository: WATCHED_REPOSITORY }) },
  githubRepositoryWebhooks: { kind: "github", input: (connectionId) => ({ connectionId }) },
};

/** Procedures that take no connection id, each with why, checked below not to leak one anyway. */
const TAKES_NO_CONNECTION_ID: Record<string, string> = {
  providers: "lists the caller's own connections",
  connect: "starts a new OAuth connection by provider",
  connectWithToken: "creates a new connection from pasted credentials",
  pipedreamConnect: "opens Pipedream Connect for an app slug",
  contactSyncAccess: "reads the caller's plan",
};

const procedures = integrationsRouter._def.procedures as Record<string, { _def: { type: string; inputs: unknown[] } }>;

/** The field names of a procedure's input objects (zod), to catch an id field on a "no id" procedure. */
function inputFields(name: string): string[] {
  return procedures[name]!._def.inputs.flatMap((schema) => Object.keys((schema as { shape?: Record<string, unknown> }).shape ?? {}));
}

type AnyCaller = Record<string, (input?: unknown) => Promise<unknown>>;
const integrationsOf = (userId: string) => callerFor(db, userId, { providers: { baseUrl: () => UNREACHABLE, allowPrivateNetwork: true } }).integrations as unknown as AnyCaller;

async function outcome(call: Promise<unknown>): Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }> {
  return call.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

describe("integrations router: the isolation table", () => {
  it("classifies every procedure of the router, and only procedures that exist", () => {
    const names = Object.keys(procedures).sort();
    const classified = [...Object.keys(TAKES_CONNECTION_ID), ...Object.keys(TAKES_NO_CONNECTION_ID)];
    expect(names.filter((name) => !classified.includes(name)), "procedures with no row in TAKES_CONNECTION_ID or TAKES_NO_CONNECTION_ID").toEqual([]);
    expect(classified.filter((name) => !names.includes(name)), "rows for procedures the router no longer has").toEqual([]);
    expect(Object.keys(TAKES_CONNECTION_ID).filter((name) => name in TAKES_NO_CONNECTION_ID)).toEqual([]);
  });

  it("lists as taking no connection id only procedures whose input has no id field", () => {
    for (const name of Object.keys(TAKES_NO_CONNECTION_ID)) {
      expect(inputFields(name).filter((field) => /^id$|connection/i.test(field)), name).toEqual([]);
    }
  });
});

describe("integrations router: another user's connection", () => {
  let alice: { id: string };
  let bob: { id: string };

  beforeEach(async () => {
    await db.user.deleteMany();
    alice = await createUser(db, "alice@example.com");
    bob = await createUser(db, "bob@example.com");
  });

  it("answers NOT_FOUND on every procedure taking a connection id, and leaves the owner's connections as they were", async () => {
    const owned: Record<Kind, string> = {
      stripe: (await connectionOf(alice.id, "stripe", "Alice's Stripe")).id,
      pipedrive: (await connectionOf(alice.id, "pipedrive", "Alice's Pipedrive")).id,
      github: (await connectionOf(alice.id, "github", "Alice's GitHub")).id,
    };
    const before = await db.connection.findMany({ where: { userId: alice.id }, orderBy: { id: "asc" } });
    const intruder = integrationsOf(bob.id);

    for (const [name, { kind, input }] of Object.entries(TAKES_CONNECTION_ID)) {
      const result = await outcome(intruder[name]!(input(owned[kind])));
      expect(result.ok, `${name} succeeded on another user's connection`).toBe(false);
      const error = (result as { error: unknown }).error;
      expect(error, name).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code, `${name}: ${(error as Error).message}`).toBe("NOT_FOUND");
    }

    // Label, status, secrets (the ciphertext itself), settings, timestamps: nothing moved.
    expect(await db.connection.findMany({ where: { userId: alice.id }, orderBy: { id: "asc" } })).toEqual(before);
    expect(await db.oAuthState.count()).toBe(0);
    expect(await db.contactSyncRun.count()).toBe(0);
    expect(await db.connectionEvent.count()).toBe(0);
    // And the procedures without an id do not hand the ids out either.
    const listed = JSON.stringify([await intruder.providers!(), await intruder.contacts!({})]);
    for (const id of Object.values(owned)) expect(listed).not.toContain(id);
  });

  it("gets past the ownership check on the caller's own connection of the same kind (the NOT_FOUND above is about the owner)", async () => {
    const self = integrationsOf(bob.id);
    for (const [name, { kind, input }] of Object.entries(TAKES_CONNECTION_ID)) {
      // A fresh one each time: disconnect, for one, may remove it.
      const own = await connectionOf(bob.id, kind, `Bob's ${kind} for ${name}`);
      const result = await outcome(self[name]!(input(own.id)));
      if (!result.ok) expect((result.error as TRPCError).code, `${name}: ${(result.error as Error).message}`).not.toBe("NOT_FOUND");
      const runId = result.ok ? (result.value as { runId?: string } | null)?.runId : undefined;
      if (runId) await contactSyncSettled(runId);
    }
  });
});

// Stripe Connect: the webhook endpoint created on the connected account at connect time, events
// from that account verified with its own secret, stored once, acknowledged, and dispatched to its
// owner's workflows (a failed dispatch retried by the tick), disconnect (endpoint deleted, platform
// deauthorized), recent payments, and another user's calls on the connection reaching nothing at
// Stripe (the router-wide isolation walk is tests/integrations-isolation.test.ts).
import { createServer } from "node:http";
import { TRPCError } from "@trpc/server";
import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { WorkflowGraph } from "@/engine/types";
import { AppError } from "@/lib/errors";
import type { Db } from "@/server/db";
import { readRawBody } from "@/server/http/responses";
import type { OAuthEnvironment } from "@/server/oauth/config";
import { completeOAuthConnection } from "@/server/oauth/flow";
import { sweepPendingEvents } from "@/server/services/connection-events";
import { connectedAccountsTick } from "@/server/services/connected-accounts-tick";
import {
  formatMoney,
  MAX_CONNECT_WEBHOOK_BYTES,
  receiveStripeConnectWebhook,
  redactStripeSecrets,
  STRIPE_CONNECT_EVENT_TYPES,
} from "@/server/services/stripe-connect";
import { callerFor, createUser, RecordingQueue, testKeys } from "./helpers/caller";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { FAKE_SECRET_KEY, startTestStripe, type FakeStripe } from "./helpers/fake-stripe";

let database: TestDatabase;
let db: Db;
let fake: FakeStripe;
let queue: RecordingQueue;
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
  queue = new RecordingQueue();
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

const api = (userId: string, oauth: OAuthEnvironment = oauthSettings()) =>
  callerFor(db, userId, { queue, providers: { baseUrl: () => fake.url, allowPrivateNetwork: true, oauth } });

/** Connects a new fake Stripe account for the user through the whole OAuth flow. */
async function connectStripe(userId: string) {
  const { authorizeUrl } = await api(userId).integrations.connect({ provider: "stripe" });
  const url = new URL(authorizeUrl);
  const location = fake.authorizeDecision({ ...Object.fromEntries(url.searchParams), decision: "allow" } as never);
  const outcome = await completeOAuthConnection(db, testKeys, oauthSettings(), { provider: "stripe", userId, params: new URL(location).searchParams });
  if (!outcome.ok) throw new Error(`connect failed: ${outcome.reason}`);
  const connection = await db.connection.findUniqueOrThrow({ where: { id: outcome.connectionId } });
  const account = connection.externalAccountId!;
  const endpoint = [...fake.webhookEndpoints.values()].find((e) => e.account === account)!;
  return { connection, account, endpoint };
}

const chargeFailedGraph: WorkflowGraph = {
  nodes: [
    { id: "t1", type: "stripe.charge.failed", config: {}, position: { x: 0, y: 0 } },
    { id: "a1", type: "slack.message.post", config: { channel: "#ops", text: "Payment failed: {{trigger.data.object.id}}" }, position: { x: 0, y: 120 } },
  ],
  edges: [{ id: "e1", source: "t1", target: "a1" }],
};

async function activeWorkflow(userId: string, name: string) {
  const caller = api(userId);
  const { id } = await caller.workflows.create({ name, graph: chargeFailedGraph });
  await caller.workflows.activate({ id });
  return id;
}

function chargeFailedEvent(account: string, id = `evt_${Math.random().toString(36).slice(2)}`) {
  return {
    id,
    object: "event",
    account,
    api_version: "2025-01-27.acacia",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    type: "charge.failed",
    data: { object: { id: "ch_failed_1", object: "charge", amount: 2000, currency: "usd", status: "failed", customer: "cus_1" } },
  };
}

function signed(event: unknown, secret: string, timestamp?: number) {
  const rawBody = JSON.stringify(event);
  return { rawBody, signature: Stripe.webhooks.generateTestHeaderString({ payload: rawBody, secret, ...(timestamp ? { timestamp } : {}) }) };
}

const receive = (delivery: { rawBody: string; signature: string | null }) => receiveStripeConnectWebhook(db, queue, testKeys, delivery);

async function appError(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("Stripe Connect: connecting", () => {
  it("creates a webhook endpoint on the connected account for the trigger events, secret stored encrypted", async () => {
    const { connection, account, endpoint } = await connectStripe(alice.id);
    expect(endpoint).toMatchObject({ url: `${APP_URL}/api/webhooks/stripe/connect`, account });
    expect([...endpoint.enabled_events].sort()).toEqual([...STRIPE_CONNECT_EVENT_TYPES].sort());
    expect(STRIPE_CONNECT_EVENT_TYPES).toContain("charge.failed");
    const create = fake.requests.findLast((r) => r.method === "POST" && r.path === "/v1/webhook_endpoints")!;
    expect(create.headers["stripe-account"]).toBe(account);
    expect(create.headers.authorization).toBe(`Bearer ${FAKE_SECRET_KEY}`);
    expect(connection.settings).toEqual({ webhookEndpointId: endpoint.id });
    expect(connection.secrets).not.toContain(endpoint.secret);
    expect(connection.label).toBe(fake.accounts.get(account)!.settings.dashboard.display_name);
  });
});

describe("Stripe Connect: webhook intake", () => {
  it("verifies with the account's own secret, stores the event and starts each matching active workflow once", async () => {
    const { connection, account, endpoint } = await connectStripe(alice.id);
    const first = await activeWorkflow(alice.id, "Failed payments → Slack");
    const second = await activeWorkflow(alice.id, "Also on failed payments");
    const draft = await api(alice.id).workflows.create({ name: "Draft", graph: chargeFailedGraph });
    // Bob listens for the same event on his own workflows: Alice's account must not start them.
    await connectStripe(bob.id);
    const bobs = await activeWorkflow(bob.id, "Bob's");

    const event = chargeFailedEvent(account);
    const result = await receive(signed(event, endpoint.secret));
    expect(result).toEqual({ received: true, id: event.id, runs: 2 });
    const runs = await db.workflowRun.findMany({ select: { workflowId: true, userId: true, dedupKey: true, triggerType: true } });
    expect(runs.map((r) => r.workflowId).sort()).toEqual([first, second].sort());
    expect(runs.every((r) => r.userId === alice.id && r.dedupKey === `stripe:${event.id}` && r.triggerType === "stripe.charge.failed")).toBe(true);
    expect(runs.some((r) => r.workflowId === draft.id || r.workflowId === bobs)).toBe(false);
    expect(queue.enqueued).toHaveLength(2);
    const stored = await db.connectionEvent.findMany();
    expect(stored).toEqual([expect.objectContaining({ connectionId: connection.id, eventId: event.id, type: "charge.failed", dispatchedAt: expect.any(Date) })]);
    expect(stored[0]!.payload).toEqual(event);
  });

  it("acknowledges 1000 duplicate deliveries and creates nothing more: one event, one run per workflow", async () => {
    const { account, endpoint } = await connectStripe(alice.id);
    const one = await activeWorkflow(alice.id, "One");
    const two = await activeWorkflow(alice.id, "Two");
    const event = chargeFailedEvent(account, "evt_duplicate_delivery");
    const delivery = signed(event, endpoint.secret);
    expect(await receive(delivery)).toMatchObject({ runs: 2 });
    // Bounded batches: the duplicates also race each other, as retries from Stripe can.
    for (let batch = 0; batch < 50; batch++) {
      const results = await Promise.all(Array.from({ length: 20 }, () => receive(delivery)));
      for (const result of results) expect(result).toEqual({ received: true, duplicate: true, id: event.id });
    }
    expect(await db.connectionEvent.count()).toBe(1);
    const runs = await db.workflowRun.findMany({ select: { workflowId: true } });
    expect(runs.map((r) => r.workflowId).sort()).toEqual([one, two].sort());
  });

  it("acknowledges a stored event whose dispatch failed, and a later tick starts each matching workflow once", async () => {
    const { account, endpoint } = await connectStripe(alice.id);
    const one = await activeWorkflow(alice.id, "One");
    const two = await activeWorkflow(alice.id, "Two");
    // The database fails while the workflows are looked up: after the event was stored.
    const hiccup = new Proxy(db, {
      get(target, prop, receiver) {
        if (prop === "workflow") return { findMany: () => Promise.reject(new Error("database hiccup")) };
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    const event = chargeFailedEvent(account, "evt_dispatch_fails");
    const delivery = signed(event, endpoint.secret);
    expect(await receiveStripeConnectWebhook(hiccup, queue, testKeys, delivery)).toEqual({ received: true, id: event.id, runs: 0, pending: true });
    expect(await db.workflowRun.count()).toBe(0);
    expect(await db.connectionEvent.findMany()).toEqual([expect.objectContaining({ eventId: event.id, dispatchedAt: null })]);

    const start = Date.now();
    // Too fresh for the sweep: the request that stored it may still be dispatching it.
    await sweepPendingEvents(db, queue, new Date(start));
    expect(await db.workflowRun.count()).toBe(0);
    await sweepPendingEvents(db, queue, new Date(start + 60_000));
    await sweepPendingEvents(db, queue, new Date(start + 120_000));
    const runs = await db.workflowRun.findMany({ select: { workflowId: true, dedupKey: true } });
    expect(runs.map((r) => r.workflowId).sort()).toEqual([one, two].sort());
    expect(runs.every((r) => r.dedupKey === `stripe:${event.id}`)).toBe(true);
    expect((await db.connectionEvent.findFirstOrThrow()).dispatchedAt).toEqual(expect.any(Date));
    // Stripe redelivering it now changes nothing.
    expect(await receive(delivery)).toEqual({ received: true, duplicate: true, id: event.id });
    expect(await db.workflowRun.count()).toBe(2);
  });

  it("acknowledges when enqueueing fails after the runs were stored, and the worker's tick retries it without a second run", async () => {
    const { account, endpoint } = await connectStripe(alice.id);
    const one = await activeWorkflow(alice.id, "One");
    const two = await activeWorkflow(alice.id, "Two");
    const failing = new RecordingQueue();
    let failures = 1;
    failing.enqueue = async (runs) => {
      if (failures-- > 0) throw new Error("queue unavailable");
      await RecordingQueue.prototype.enqueue.call(failing, runs);
    };
    const event = chargeFailedEvent(account, "evt_enqueue_fails");
    expect(await receiveStripeConnectWebhook(db, failing, testKeys, signed(event, endpoint.secret))).toEqual({ received: true, id: event.id, runs: 0, pending: true });
    // The runs are in the database (queued: the queue's poll or the worker sweep picks them up).
    const stored = await db.workflowRun.findMany({ select: { id: true, workflowId: true, status: true } });
    expect(stored.map((r) => r.workflowId).sort()).toEqual([one, two].sort());
    expect(stored.every((r) => r.status === "queued")).toBe(true);

    // The tick every process that executes runs does (src/worker/main.ts, src/server/runtime.ts).
    const start = Date.now();
    await connectedAccountsTick(db, failing, testKeys, new Date(start + 60_000));
    await connectedAccountsTick(db, failing, testKeys, new Date(start + 120_000));
    expect((await db.workflowRun.findMany({ select: { id: true } })).map((r) => r.id).sort()).toEqual(stored.map((r) => r.id).sort());
    expect((await db.connectionEvent.findFirstOrThrow()).dispatchedAt).toEqual(expect.any(Date));
  });

  it("rejects a forged signature, a stale timestamp, a missing header and malformed bodies, storing nothing", async () => {
    const { account, endpoint } = await connectStripe(alice.id);
    await activeWorkflow(alice.id, "Listening");
    const event = chargeFailedEvent(account);

    const forged = await appError(receive(signed(event, "whsec_forged_secret_value")));
    expect(forged.httpStatus).toBe(400);
    expect(forged.message).toMatch(/Invalid Stripe signature/);

    // Another account's secret does not do either.
    const other = await connectStripe(alice.id);
    expect((await appError(receive(signed(event, other.endpoint.secret)))).httpStatus).toBe(400);

    const stale = await appError(receive(signed(event, endpoint.secret, Math.floor(Date.now() / 1000) - 600)));
    expect(stale.httpStatus).toBe(400);
    expect(stale.message).toMatch(/tolerance/i);

    // A signed body tampered with afterwards.
    const good = signed(event, endpoint.secret);
    const tampered = { rawBody: good.rawBody.replace('"amount":2000', '"amount":1'), signature: good.signature };
    expect((await appError(receive(tampered))).httpStatus).toBe(400);

    expect((await appError(receive({ rawBody: JSON.stringify(event), signature: null }))).message).toBe("Missing Stripe-Signature header");
    expect((await appError(receive({ rawBody: "{not json", signature: "t=1,v1=x" }))).message).toBe("The body is not valid JSON");
    expect((await appError(receive({ rawBody: "[]", signature: "t=1,v1=x" }))).httpStatus).toBe(400);
    const noAccount = { ...event, account: undefined };
    expect((await appError(receive(signed(noAccount, endpoint.secret)))).message).toMatch(/connected account/);

    expect(await db.connectionEvent.count()).toBe(0);
    expect(await db.workflowRun.count()).toBe(0);
  });

  it("rejects events from an unknown account with a 404, storing nothing", async () => {
    const { endpoint } = await connectStripe(alice.id);
    await activeWorkflow(alice.id, "Listening");
    const error = await appError(receive(signed(chargeFailedEvent("acct_unknown000"), endpoint.secret)));
    expect(error.httpStatus).toBe(404);
    expect(await db.connectionEvent.count()).toBe(0);
    expect(await db.workflowRun.count()).toBe(0);
  });

  it("acknowledges event types no trigger uses without storing them", async () => {
    const { account, endpoint } = await connectStripe(alice.id);
    const result = await receive(signed({ ...chargeFailedEvent(account), type: "account.updated" }, endpoint.secret));
    expect(result).toEqual({ received: true, ignored: true, type: "account.updated" });
    expect(await db.connectionEvent.count()).toBe(0);
  });

  it("refuses oversized bodies before reading them all", async () => {
    const big = new Request("http://cue.test/api/webhooks/stripe/connect", { method: "POST", body: "x".repeat(MAX_CONNECT_WEBHOOK_BYTES + 1) });
    expect((await appError(readRawBody(big, MAX_CONNECT_WEBHOOK_BYTES))).httpStatus).toBe(413);
  });

  it("accepts what the fake Stripe signs and sends for the account", async () => {
    // The fake posts to the endpoint URL; here the "app" is a tiny server calling the same service.
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        receive({ rawBody: Buffer.concat(chunks).toString("utf8"), signature: (req.headers["stripe-signature"] as string) ?? null }).then(
          (result) => res.writeHead(200).end(JSON.stringify(result)),
          (error: AppError) => res.writeHead(error.httpStatus ?? 500).end(error.message),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { account, endpoint } = await connectStripe(alice.id);
      endpoint.url = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/webhooks/stripe/connect`;
      const workflowId = await activeWorkflow(alice.id, "Listening");
      const { statuses, event } = await fake.sendConnectEvent(account, "charge.failed");
      expect(statuses).toEqual([200]);
      expect(await db.workflowRun.findMany({ select: { workflowId: true, dedupKey: true } })).toEqual([{ workflowId, dedupKey: `stripe:${event.id}` }]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("Stripe Connect: disconnecting", () => {
  it("deletes the endpoint on the account and deauthorizes before deleting the connection", async () => {
    const { connection, account, endpoint } = await connectStripe(alice.id);
    await api(alice.id).integrations.disconnect({ id: connection.id });
    expect(fake.webhookEndpoints.has(endpoint.id)).toBe(false);
    const del = fake.requests.findLast((r) => r.method === "DELETE")!;
    expect(del.path).toBe(`/v1/webhook_endpoints/${endpoint.id}`);
    expect(del.headers["stripe-account"]).toBe(account);
    const deauthorize = fake.connectRequests.findLast((r) => r.path === "/oauth/deauthorize")!;
    expect(deauthorize.body).toEqual({ client_id: fake.connectClientId, stripe_user_id: account });
    expect(fake.accounts.get(account)!.connected).toBe(false);
    expect(await db.connection.count()).toBe(0);
  });

  it("still disconnects when the user already removed Cue in Stripe", async () => {
    const { connection, account, endpoint } = await connectStripe(alice.id);
    fake.webhookEndpoints.delete(endpoint.id);
    fake.accounts.get(account)!.connected = false;
    await api(alice.id).integrations.disconnect({ id: connection.id });
    expect(await db.connection.count()).toBe(0);
  });

  it("keeps the connection when Stripe refuses, saying so", async () => {
    const { connection, endpoint } = await connectStripe(alice.id);
    const error = await api(alice.id, oauthSettings({ STRIPE_SECRET_KEY: "sk_test_wrong_key_000" }))
      .integrations.disconnect({ id: connection.id })
      .catch((e: unknown) => e as TRPCError);
    expect(error).toMatchObject({ code: "BAD_REQUEST" });
    expect((error as TRPCError).message).toMatch(/nothing was changed/);
    expect((error as TRPCError).message).not.toContain("sk_test_wrong_key_000");
    expect(await db.connection.count()).toBe(1);
    expect(fake.webhookEndpoints.has(endpoint.id)).toBe(true);
  });
});

describe("Stripe Connect: recent payments", () => {
  it("lists the account's succeeded charges newest first, money formatted by currency", async () => {
    const { connection, account } = await connectStripe(alice.id);
    fake.addCharge(account, { amount: 12500, currency: "kwd", status: "succeeded", created: Math.floor(Date.now() / 1000) - 60, description: "Newest" });
    const payments = await api(alice.id).integrations.stripeRecentPayments({ connectionId: connection.id });
    expect(payments.map((p) => [p.description, p.formatted])).toEqual([
      ["Newest", "KWD\u00a012.500"],
      ["Order #1003", "¥1,200"],
      ["Order #1001", "$12.50"],
    ]);
    const list = fake.requests.findLast((r) => r.path === "/v1/charges")!;
    expect(list.headers["stripe-account"]).toBe(account);
    expect(formatMoney(100, "EUR")).toBe("€1.00");
    expect(formatMoney(500, "jpy")).toBe("¥500");
  });
});

describe("Stripe Connect: another user's connection", () => {
  it("answers NOT_FOUND to the Stripe-touching procedures and calls Stripe for none of them", async () => {
    const { connection, endpoint } = await connectStripe(alice.id);
    const intruder = api(bob.id);
    const stripeCalls = fake.requests.length + fake.connectRequests.length;
    const attempts: [string, () => Promise<unknown>][] = [
      ["test", () => intruder.integrations.test({ id: connection.id })],
      ["rename", () => intruder.integrations.rename({ id: connection.id, label: "Mine now" })],
      ["disconnect", () => intruder.integrations.disconnect({ id: connection.id })],
      ["stripeRecentPayments", () => intruder.integrations.stripeRecentPayments({ connectionId: connection.id })],
    ];
    for (const [name, attempt] of attempts) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code, name).toBe("NOT_FOUND");
    }
    expect(JSON.stringify(await intruder.integrations.providers())).not.toContain(connection.id);
    expect(await db.connection.findUniqueOrThrow({ where: { id: connection.id } })).toMatchObject({ label: connection.label, userId: alice.id });
    expect(fake.webhookEndpoints.has(endpoint.id)).toBe(true);
    expect(fake.requests.length + fake.connectRequests.length).toBe(stripeCalls);
  });
});

describe("Stripe messages shown or logged", () => {
  it("never carry keys or secrets", () => {
    expect(redactStripeSecrets("Invalid API Key provided: sk_test_****1234 (whsec_abc, rt_x)")).toBe("Invalid API Key provided: [redacted] ([redacted], [redacted])");
  });
});

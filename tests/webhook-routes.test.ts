// The webhook route handlers themselves (src/app/api/webhooks/**/route.ts), driven with real
// Requests: a good delivery is accepted; a body over the route's limit (declared by a truthful
// Content-Length, which is refused before a byte is read, or streamed without one, which is cut
// off at the limit), malformed JSON and a missing signature each get a 4xx JSON error and store
// nothing. The routes take the database, run queue and key ring from the process singletons
// (src/server/db.ts, src/server/runtime.ts); there is no injection point, so this file fills the
// globalThis slots those singletons are kept in before the first request, and the routes use the
// test database without opening one of their own.
import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { POST as billingWebhook } from "@/app/api/webhooks/stripe/route";
import { POST as githubWebhook } from "@/app/api/webhooks/github/[connectionId]/route";
import { POST as pipedreamWebhook } from "@/app/api/webhooks/pipedream/route";
import { POST as pipedriveWebhook } from "@/app/api/webhooks/pipedrive/[connectionId]/route";
import { POST as stripeConnectWebhook } from "@/app/api/webhooks/stripe/connect/route";
import { POST as workflowWebhook } from "@/app/api/webhooks/workflows/[token]/route";
import type { WorkflowGraph } from "@/engine/types";
import type { RunQueue } from "@/queue/types";
import { configureBilling, createBillingRuntime } from "@/server/billing/runtime";
import { encryptSecret, type KeyRing } from "@/server/crypto/secrets";
import type { Database, Db } from "@/server/db";
import { MAX_STRIPE_WEBHOOK_BYTES } from "@/server/services/billing-webhooks";
import { MAX_WEBHOOK_BODY_BYTES, signWebhookBody } from "@/server/services/dispatch";
import { githubSignature, MAX_GITHUB_BODY_BYTES } from "@/server/services/github-webhooks";
import { MAX_PIPEDREAM_BODY_BYTES, pipedreamSignature } from "@/server/services/pipedream-connect";
import { PIPEDRIVE_WEBHOOK_USER } from "@/server/services/pipedrive-connect";
import { MAX_PIPEDRIVE_BODY_BYTES } from "@/server/services/pipedrive-events";
import { MAX_CONNECT_WEBHOOK_BYTES } from "@/server/services/stripe-connect";
import { callerFor, createUser, RecordingQueue, testKeys } from "./helpers/caller";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { FAKE_SECRET_KEY, PRICES, WEBHOOK_SECRET as BILLING_SECRET } from "./helpers/fake-stripe";

// src/env.ts reads the environment once, when first imported: set what the routes read before that.
const PIPEDREAM_SECRET = vi.hoisted(() => {
  const secret = "pipedream-route-secret-0123456789";
  process.env.PIPEDREAM_WEBHOOK_SECRET = secret;
  return secret;
});

const CONNECT_SECRET = "whsec_connected_account_routes";
const CONNECT_ACCOUNT = "acct_routes000001";
const GITHUB_SECRET = "github-repo-webhook-secret";
const PIPEDRIVE_TOKEN = "pd-webhook-token-routes";
const PIPEDRIVE_SECRET = "pipedrive-basic-secret";
const WORKFLOW_SECRET = "workflow-webhook-secret";

/** The slots src/server/db.ts and src/server/runtime.ts keep their one instance in. */
const processSingletons = globalThis as unknown as { cueDatabase?: Database; cueRunQueue?: RunQueue; cueKeyRing?: KeyRing };

let database: TestDatabase;
let db: Db;
let queue: RecordingQueue;
let alice: { id: string };
let githubConnection: string;
let workflowToken: string;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.prisma;
  processSingletons.cueDatabase = database;
  processSingletons.cueKeyRing = testKeys;
  // Billing's own seam; nothing at this URL is called by the deliveries below.
  configureBilling(createBillingRuntime({ secretKey: FAKE_SECRET_KEY, webhookSecret: BILLING_SECRET, apiUrl: "http://127.0.0.1:9", prices: PRICES }));
});
afterAll(async () => {
  configureBilling(null);
  delete processSingletons.cueDatabase;
  delete processSingletons.cueRunQueue;
  delete processSingletons.cueKeyRing;
  await database?.close();
});

const graph = (trigger: string): WorkflowGraph => ({
  nodes: [
    { id: "t1", type: trigger, config: {}, position: { x: 0, y: 0 } },
    { id: "a1", type: "slack.message.post", config: { channel: "#ops", text: "Event" }, position: { x: 0, y: 100 } },
  ],
  edges: [{ id: "e1", source: "t1", target: "a1" }],
});

beforeEach(async () => {
  await db.user.deleteMany();
  await db.stripeEvent.deleteMany();
  queue = new RecordingQueue();
  processSingletons.cueRunQueue = queue;
  alice = await createUser(db, "alice@example.com");
  // Billing is configured (for its route): Business lets every trigger below be activated.
  await db.billingSubscription.create({
    data: { id: `sub_${alice.id}`, userId: alice.id, stripeCustomerId: `cus_${alice.id}`, priceId: PRICES.business.month, plan: "business", interval: "month", status: "active", stripeCreatedAt: new Date() },
  });
  const secrets = (value: object) => encryptSecret(testKeys, JSON.stringify(value));
  await db.connection.create({
    data: { userId: alice.id, provider: "stripe", label: "Shop", externalAccountId: CONNECT_ACCOUNT, scopes: "read_write", secrets: secrets({ webhookSecret: CONNECT_SECRET }), settings: {} },
  });
  githubConnection = (
    await db.connection.create({
      data: { userId: alice.id, provider: "github", label: "octocat", secrets: secrets({ token: "ghp_routes", webhookSecret: GITHUB_SECRET }), settings: {} },
    })
  ).id;
  await db.connection.create({
    data: {
      userId: alice.id,
      provider: "pipedrive",
      label: "Acme",
      externalAccountId: "company-1",
      scopes: "base",
      secrets: secrets({ accessToken: "pd-access", webhookSecret: PIPEDRIVE_SECRET }),
      settings: { webhookToken: PIPEDRIVE_TOKEN, eventDelivery: "webhooks" },
    },
  });
  const api = callerFor(db, alice.id, { queue });
  for (const trigger of ["stripe.charge.failed", "github.issue.opened", "pipedrive.person.created"]) {
    const { id } = await api.workflows.create({ name: trigger, graph: graph(trigger) });
    await api.workflows.activate({ id });
  }
  const hook = await api.workflows.create({ name: "Inbound", graph: graph("webhook.received") });
  await api.workflows.activate({ id: hook.id });
  await api.workflows.setWebhookSecret({ id: hook.id, secret: WORKFLOW_SECRET });
  workflowToken = (await db.workflow.findUniqueOrThrow({ where: { id: hook.id } })).webhookToken!;
});

/** What any refused delivery must leave untouched. */
async function storedRows() {
  const [events, runs, stripeEvents, connections] = await Promise.all([
    db.connectionEvent.count(),
    db.workflowRun.count(),
    db.stripeEvent.count(),
    db.connection.findMany({ select: { id: true, status: true, label: true, lastError: true, updatedAt: true }, orderBy: { id: "asc" } }),
  ]);
  return { events, runs, stripeEvents, connections };
}

const params = <T>(value: T) => ({ params: Promise.resolve(value) });

interface RouteCase {
  route: string;
  limit: number;
  handle: (request: Request) => Promise<Response>;
  /** A well-formed event this route acts on (or acknowledges). */
  body: () => string;
  /** The headers of a genuine delivery of `body`, signature included. */
  headers: (body: string) => Record<string, string>;
  /** The header(s) carrying the signature or credentials. */
  signatureHeaders: string[];
  /** A genuine delivery's status, and the connection events and runs it stores. */
  accepted: { status: number; events: number; runs: number };
  missingSignature: { status: number; error: RegExp };
  malformed: { error: RegExp };
}

function stripeEvent(type: string, extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    id: `evt_${Math.random().toString(36).slice(2)}`,
    object: "event",
    api_version: "2025-01-27.acacia",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    type,
    data: { object: { id: "ch_1", object: "charge", amount: 2000, currency: "usd", status: "failed" } },
    ...extra,
  });
}
const stripeSignature = (payload: string, secret: string) => Stripe.webhooks.generateTestHeaderString({ payload, secret });
const basic = (secret: string) => `Basic ${Buffer.from(`${PIPEDRIVE_WEBHOOK_USER}:${secret}`).toString("base64")}`;

const cases: RouteCase[] = [
  {
    route: "/api/webhooks/stripe/connect",
    limit: MAX_CONNECT_WEBHOOK_BYTES,
    handle: (request) => stripeConnectWebhook(request),
    body: () => stripeEvent("charge.failed", { account: CONNECT_ACCOUNT }),
    headers: (body) => ({ "content-type": "application/json", "stripe-signature": stripeSignature(body, CONNECT_SECRET) }),
    signatureHeaders: ["stripe-signature"],
    accepted: { status: 200, events: 1, runs: 1 },
    missingSignature: { status: 400, error: /Missing Stripe-Signature header/ },
    malformed: { error: /not valid JSON/ },
  },
  {
    route: "/api/webhooks/stripe",
    limit: MAX_STRIPE_WEBHOOK_BYTES,
    handle: (request) => billingWebhook(request),
    // An event type billing does not act on: acknowledged without calling Stripe back.
    body: () => stripeEvent("account.updated"),
    headers: (body) => ({ "content-type": "application/json", "stripe-signature": stripeSignature(body, BILLING_SECRET) }),
    signatureHeaders: ["stripe-signature"],
    accepted: { status: 200, events: 0, runs: 0 },
    missingSignature: { status: 400, error: /Missing Stripe-Signature header/ },
    malformed: { error: /^The body is not valid JSON$/ },
  },
  {
    route: "/api/webhooks/github/<connectionId>",
    limit: MAX_GITHUB_BODY_BYTES,
    handle: (request) => githubWebhook(request, params({ connectionId: githubConnection })),
    body: () => JSON.stringify({ action: "opened", issue: { number: 1, title: "Broken" }, repository: { full_name: "octocat/hello" } }),
    headers: (body) => ({
      "content-type": "application/json",
      "x-hub-signature-256": githubSignature(GITHUB_SECRET, body),
      "x-github-event": "issues",
      "x-github-delivery": crypto.randomUUID(),
    }),
    signatureHeaders: ["x-hub-signature-256"],
    accepted: { status: 202, events: 1, runs: 1 },
    missingSignature: { status: 401, error: /X-Hub-Signature-256/ },
    malformed: { error: /not valid JSON/ },
  },
  {
    route: "/api/webhooks/pipedream",
    limit: MAX_PIPEDREAM_BODY_BYTES,
    handle: (request) => pipedreamWebhook(request),
    body: () => JSON.stringify({ event: "account.error", external_user_id: alice.id, error: "quota" }),
    headers: (body) => ({ "content-type": "application/json", "x-pd-signature": pipedreamSignature(PIPEDREAM_SECRET, body) }),
    signatureHeaders: ["x-pd-signature"],
    accepted: { status: 200, events: 0, runs: 0 },
    missingSignature: { status: 401, error: /x-pd-signature/ },
    malformed: { error: /not valid JSON/ },
  },
  {
    route: "/api/webhooks/pipedrive/<token>",
    limit: MAX_PIPEDRIVE_BODY_BYTES,
    handle: (request) => pipedriveWebhook(request, params({ connectionId: PIPEDRIVE_TOKEN })),
    body: () =>
      JSON.stringify({
        meta: { id: crypto.randomUUID(), action: "create", entity: "person", entity_id: "1", company_id: "1", user_id: "1", timestamp: new Date().toISOString(), version: "2.0" },
        data: { id: 1, name: "Ada" },
        previous: null,
      }),
    headers: () => ({ "content-type": "application/json", authorization: basic(PIPEDRIVE_SECRET) }),
    signatureHeaders: ["authorization"],
    accepted: { status: 202, events: 1, runs: 1 },
    missingSignature: { status: 401, error: /credentials/ },
    malformed: { error: /not valid JSON/ },
  },
  {
    route: "/api/webhooks/workflows/<token>",
    limit: MAX_WEBHOOK_BODY_BYTES,
    handle: (request) => workflowWebhook(request, params({ token: workflowToken })),
    body: () => JSON.stringify({ email: "ada@example.com" }),
    headers: (body) => ({ "content-type": "application/json", "x-cue-signature": signWebhookBody(WORKFLOW_SECRET, body) }),
    signatureHeaders: ["x-cue-signature"],
    accepted: { status: 202, events: 0, runs: 1 },
    missingSignature: { status: 401, error: /x-cue-signature/ },
    malformed: { error: /not valid JSON/ },
  },
];

const request = (body: BodyInit | null, headers: Record<string, string>) =>
  new Request("http://cue.test/api/webhooks", { method: "POST", headers, body, ...(body instanceof ReadableStream ? { duplex: "half" } : {}) } as RequestInit);

/** A body of `total` bytes (unbounded if Infinity), produced only as it is read. */
function meteredBody(total: number, chunk = 64 * 1024) {
  const meter = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const size = Math.min(chunk, total - meter.pulled);
        if (size <= 0) return controller.close();
        meter.pulled += size;
        controller.enqueue(new Uint8Array(size).fill(0x7b));
      },
      cancel() {
        meter.cancelled = true;
      },
    },
    // Nothing is read ahead: `pulled` is exactly what the handler asked for.
    { highWaterMark: 0 },
  );
  return { stream, meter };
}

async function expectJsonError(response: Response, status: number, error?: RegExp) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/application\/json/);
  const body = (await response.json()) as { error?: unknown };
  expect(typeof body.error).toBe("string");
  if (error) expect(body.error).toMatch(error);
}

describe.each(cases)("POST $route", (route) => {
  it("accepts a genuine delivery (the harness reaches the service)", async () => {
    const before = await storedRows();
    const body = route.body();
    const response = await route.handle(request(body, route.headers(body)));
    expect(response.status, await response.clone().text()).toBe(route.accepted.status);
    const after = await storedRows();
    expect({ events: after.events - before.events, runs: after.runs - before.runs }).toEqual({ events: route.accepted.events, runs: route.accepted.runs });
  });

  it("refuses a body over the limit declared by Content-Length before reading any of it", async () => {
    const before = await storedRows();
    const { stream, meter } = meteredBody(route.limit + 1);
    const response = await route.handle(request(stream, { ...route.headers(""), "content-length": String(route.limit + 1) }));
    await expectJsonError(response, 413, new RegExp(`larger than ${route.limit} bytes`));
    expect(meter.pulled).toBe(0);
    expect(await storedRows()).toEqual(before);
  });

  it("cuts off a body streamed past the limit without Content-Length", async () => {
    const before = await storedRows();
    const { stream, meter } = meteredBody(Number.POSITIVE_INFINITY);
    const response = await route.handle(request(stream, route.headers("")));
    await expectJsonError(response, 413, new RegExp(`larger than ${route.limit} bytes`));
    expect(meter.cancelled).toBe(true);
    expect(meter.pulled).toBeLessThanOrEqual(route.limit + 64 * 1024);
    expect(await storedRows()).toEqual(before);
  });

  it("refuses malformed JSON, even correctly signed", async () => {
    const before = await storedRows();
    const body = '{"id": "evt_1", not json';
    const response = await route.handle(request(body, route.headers(body)));
    await expectJsonError(response, 400, route.malformed.error);
    expect(await storedRows()).toEqual(before);
  });

  it("refuses a delivery without its signature header", async () => {
    const before = await storedRows();
    const body = route.body();
    const headers = Object.fromEntries(Object.entries(route.headers(body)).filter(([name]) => !route.signatureHeaders.includes(name)));
    const response = await route.handle(request(body, headers));
    await expectJsonError(response, route.missingSignature.status, route.missingSignature.error);
    expect(await storedRows()).toEqual(before);
  });
});

describe("POST /api/webhooks/github/<connectionId>", () => {
  it("refuses a signed delivery without X-GitHub-Delivery (nothing to deduplicate it by)", async () => {
    const before = await storedRows();
    const github = cases.find((c) => c.route.startsWith("/api/webhooks/github"))!;
    const body = github.body();
    const { "x-github-delivery": _delivery, ...headers } = github.headers(body);
    const response = await github.handle(request(body, headers));
    await expectJsonError(response, 400, /X-GitHub-Delivery/);
    expect(await storedRows()).toEqual(before);
  });
});

describe("POST /api/webhooks/stripe/connect", () => {
  it("answers 200 once the event is stored even when dispatching it fails, leaving it pending for the tick", async () => {
    const connect = cases[0]!;
    let failures = 1;
    queue.enqueue = async (runs) => {
      if (failures-- > 0) throw new Error("queue unavailable");
      await RecordingQueue.prototype.enqueue.call(queue, runs);
    };
    const body = connect.body();
    const response = await connect.handle(request(body, connect.headers(body)));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ received: true, runs: 0, pending: true });
    expect(await db.connectionEvent.findMany({ select: { eventId: true, dispatchedAt: true } })).toEqual([{ eventId: JSON.parse(body).id, dispatchedAt: null }]);
  });

  it("answers 500 (so Stripe redelivers) when the event could not be stored", async () => {
    const connect = cases[0]!;
    const broken = new Proxy(database.prisma, {
      get(target, prop, receiver) {
        if (prop === "connectionEvent") return { createMany: () => Promise.reject(new Error("database down")) };
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    processSingletons.cueDatabase = { ...database, prisma: broken };
    try {
      const body = connect.body();
      const response = await connect.handle(request(body, connect.headers(body)));
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ error: "Internal error" });
    } finally {
      processSingletons.cueDatabase = database;
    }
    expect(await db.connectionEvent.count()).toBe(0);
    expect(await db.workflowRun.count()).toBe(0);
  });
});

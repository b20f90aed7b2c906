// The billing API and plan enforcement on a real database, with the real `stripe` SDK talking to
// a local fake Stripe: plans and prices, Checkout (customer created once), portal, cancel/resume,
// prorated plan changes, usage, the activation limit and the monthly run quota.
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { WorkflowGraph } from "@/engine/types";
import { parseEnv } from "@/env";
import { createCallerFactory, router } from "@/server/api/trpc";
import { entitledProcedure, planGatedProcedure } from "@/server/billing/procedures";
import { configureBilling, type BillingRuntime } from "@/server/billing/runtime";
import { syncSubscription } from "@/server/billing/sync";
import type { Db } from "@/server/db";
import { dispatchEvent } from "@/server/services/dispatch";
import { callerFor, createUser, RecordingQueue, testKeys } from "./helpers/caller";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { FAKE_SECRET_KEY, PRICES, runtimeFor, startTestStripe, type FakeStripe } from "./helpers/fake-stripe";

let database: TestDatabase;
let db: Db;
let fake: FakeStripe;
let billing: BillingRuntime;
let alice: { id: string };

const ORIGIN = "http://cue.test";
const headers = () => new Headers({ host: "cue.test" });

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.prisma;
  fake = await startTestStripe();
  billing = runtimeFor(fake);
});
afterAll(async () => {
  configureBilling(null);
  await fake?.close();
  await database?.close();
});
beforeEach(async () => {
  configureBilling(billing);
  fake.requests.length = 0;
  await db.user.deleteMany();
  alice = await createUser(db, "alice@example.com", { name: "Alice" });
});

const api = (userId: string, queue = new RecordingQueue()) => callerFor(db, userId, { headers: headers(), queue });

const graph = (action: "jira" | "pipedrive" = "jira"): WorkflowGraph => ({
  nodes: [
    { id: "t1", type: "stripe.charge.failed", config: {}, position: { x: 0, y: 0 } },
    action === "jira"
      ? { id: "a1", type: "jira.issue.create", config: { project: "OPS", summary: "Failed: {{trigger.data.object.customer}}" }, position: { x: 0, y: 120 } }
      : {
          id: "a1",
          type: "pipedrive.person.create",
          config: { name: "Customer", email: "someone@example.com", phone: "+14155550123" },
          position: { x: 0, y: 120 },
        },
  ],
  edges: [{ id: "e1", source: "t1", target: "a1" }],
});

async function errorOf(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

/** Free → paid the way a user does it: Checkout session, "Pay" at the fake, mirror from Stripe. */
async function subscribe(userId: string, plan: "pro" | "business", interval: "month" | "year" = "month") {
  const { url } = await api(userId).billing.createCheckoutSession({ plan, interval });
  const sessionId = url.split("/").at(-1)!;
  const { subscription } = await fake.completeCheckout(sessionId);
  await syncSubscription(db, billing, subscription.id);
  return subscription.id as string;
}

async function createActiveWorkflows(userId: string, count: number) {
  for (let i = 0; i < count; i++) {
    const { id } = await api(userId).workflows.create({ name: `Flow ${i}`, graph: graph() });
    await api(userId).workflows.activate({ id });
  }
}

describe("billing API", () => {
  it("lists Free, Pro and Business with their limits and the prices Stripe reports", async () => {
    const plans = await api(alice.id).billing.plans();
    expect(plans.map((p) => p.key)).toEqual(["free", "pro", "business"]);
    expect(plans[0]).toMatchObject({ name: "Free", limits: { activeWorkflows: 3, runsPerMonth: 100, pipedrive: false }, prices: null });
    expect(plans[1]!.limits).toMatchObject({ activeWorkflows: 25, runsPerMonth: 10_000 });
    expect(plans[2]!.limits).toMatchObject({ activeWorkflows: null, runsPerMonth: 100_000, pipedrive: true });
    expect(plans[1]!.prices).toEqual({
      month: { id: PRICES.pro.month, amount: 1900, currency: "usd" },
      year: { id: PRICES.pro.year, amount: 19000, currency: "usd" },
    });
    expect(fake.requests.every((r) => r.headers.authorization === `Bearer ${FAKE_SECRET_KEY}`)).toBe(true);
  });

  it("the fake refuses a wrong secret key, and the page still lists plans without amounts", async () => {
    const wrong = runtimeFor(fake, "sk_test_wrong");
    await expect(wrong.stripe.customers.create({})).rejects.toThrow(/Invalid API Key/);
    configureBilling(wrong);
    const plans = await api(alice.id).billing.plans();
    expect(plans[1]!.prices?.month).toEqual({ id: PRICES.pro.month, amount: null, currency: null });
  });

  it("says billing is not configured without a Stripe key, and meters nothing", async () => {
    configureBilling(null);
    const caller = api(alice.id);
    expect(await caller.billing.subscription()).toMatchObject({ billingEnabled: false, plan: "free", subscription: null });
    const error = await errorOf(caller.billing.createCheckoutSession({ plan: "pro", interval: "month" }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(/Billing is not configured/);
    await createActiveWorkflows(alice.id, 4);
    expect(await caller.billing.usage()).toMatchObject({ metered: false, activeWorkflows: { used: 4, limit: null } });
  });

  it("creates a Checkout session for the plan and interval, creating the Stripe customer once", async () => {
    const caller = api(alice.id);
    const first = await caller.billing.createCheckoutSession({ plan: "pro", interval: "year" });
    const second = await caller.billing.createCheckoutSession({ plan: "business", interval: "month" });
    expect(first.url).toMatch(new RegExp(`^${fake.url}/checkout/cs_test_`));
    const customerCreates = fake.requests.filter((r) => r.method === "POST" && r.path === "/v1/customers");
    expect(customerCreates).toHaveLength(1);
    expect(customerCreates[0]!.body).toMatchObject({ email: "alice@example.com", metadata: { cueUserId: alice.id } });
    const sessions = fake.requests.filter((r) => r.path === "/v1/checkout/sessions");
    expect(sessions.map((r) => r.body.line_items[0].price)).toEqual([PRICES.pro.year, PRICES.business.month]);
    const account = await db.billingAccount.findUniqueOrThrow({ where: { userId: alice.id } });
    expect(sessions.every((r) => r.body.customer === account.stripeCustomerId)).toBe(true);
    expect(sessions[0]!.body).toMatchObject({
      mode: "subscription",
      client_reference_id: alice.id,
      success_url: `${ORIGIN}/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${ORIGIN}/billing?checkout=cancelled`,
      subscription_data: { metadata: { cueUserId: alice.id, plan: "pro" } },
    });
    expect(second.url).not.toBe(first.url);
    const bad = await errorOf(caller.billing.createCheckoutSession({ plan: "free" as "pro", interval: "month" }));
    expect(bad.code).toBe("BAD_REQUEST");
  });

  it("shows the subscription after Checkout; cancel ends it at period end; resume clears that", async () => {
    const subscriptionId = await subscribe(alice.id, "pro");
    const caller = api(alice.id);
    const current = await caller.billing.subscription();
    const periodEnd = new Date(fake.subscriptions.get(subscriptionId).items.data[0].current_period_end * 1000);
    expect(current).toMatchObject({
      billingEnabled: true,
      plan: "pro",
      planName: "Pro",
      subscription: { id: subscriptionId, status: "active", interval: "month", cancelAtPeriodEnd: false, renewsAt: periodEnd, endsAt: null, paymentProblem: false },
    });
    expect((await errorOf(caller.billing.createCheckoutSession({ plan: "business", interval: "month" }))).code).toBe("CONFLICT");

    const cancelled = await caller.billing.cancel();
    expect(cancelled.subscription).toMatchObject({ cancelAtPeriodEnd: true, endsAt: periodEnd, renewsAt: null });
    expect(cancelled.plan).toBe("pro"); // paid until the period ends
    const update = fake.requests.filter((r) => r.method === "POST" && r.path === `/v1/subscriptions/${subscriptionId}`);
    expect(update.at(-1)!.body).toMatchObject({ cancel_at_period_end: "true" });

    const resumed = await caller.billing.resume();
    expect(resumed.subscription).toMatchObject({ cancelAtPeriodEnd: false, endsAt: null, renewsAt: periodEnd });
    expect(fake.subscriptions.get(subscriptionId).cancel_at_period_end).toBe(false);
    expect((await errorOf(caller.billing.resume())).message).toMatch(/not set to end/);
  });

  it("changes plan with proration and refuses plan changes without a subscription", async () => {
    const caller = api(alice.id);
    expect((await errorOf(caller.billing.changePlan({ plan: "business", interval: "month" }))).message).toMatch(/no active subscription/);
    const subscriptionId = await subscribe(alice.id, "pro");
    const changed = await caller.billing.changePlan({ plan: "business", interval: "year" });
    expect(changed).toMatchObject({ plan: "business", subscription: { plan: "business", interval: "year" } });
    const update = fake.requests.filter((r) => r.method === "POST" && r.path === `/v1/subscriptions/${subscriptionId}`).at(-1)!;
    expect(update.body).toMatchObject({
      items: [{ id: fake.subscriptions.get(subscriptionId).items.data[0].id, price: PRICES.business.year }],
      proration_behavior: "create_prorations",
    });
    expect((await errorOf(caller.billing.changePlan({ plan: "business", interval: "year" }))).message).toMatch(/already on Business/);
  });

  it("opens the billing portal for the user's customer, returning to the billing page", async () => {
    const { url } = await api(alice.id).billing.createPortalSession();
    expect(url).toMatch(new RegExp(`^${fake.url}/portal/bps_`));
    const request = fake.requests.find((r) => r.path === "/v1/billing_portal/sessions")!;
    const account = await db.billingAccount.findUniqueOrThrow({ where: { userId: alice.id } });
    expect(request.body).toEqual({ customer: account.stripeCustomerId, return_url: `${ORIGIN}/billing` });
  });
});

describe("billing configuration", () => {
  it("is all or nothing: a Stripe key without the webhook secret and prices names what is missing", () => {
    expect(parseEnv({}).STRIPE_SECRET_KEY).toBeUndefined();
    expect(() => parseEnv({ STRIPE_SECRET_KEY: "sk_test_x" })).toThrow(/STRIPE_WEBHOOK_SECRET: is required when STRIPE_SECRET_KEY is set/);
    expect(() => parseEnv({ STRIPE_SECRET_KEY: "sk_test_x" })).toThrow(/STRIPE_PRICE_BUSINESS_YEARLY: is required when STRIPE_SECRET_KEY is set/);
    expect(() => parseEnv({ STRIPE_API_URL: "ftp://stripe.local" })).toThrow(/STRIPE_API_URL/);
    const full = parseEnv({
      STRIPE_SECRET_KEY: "sk_test_x",
      STRIPE_WEBHOOK_SECRET: "whsec_x",
      STRIPE_API_URL: "http://127.0.0.1:12111",
      STRIPE_PRICE_PRO_MONTHLY: "price_1",
      STRIPE_PRICE_PRO_YEARLY: "price_2",
      STRIPE_PRICE_BUSINESS_MONTHLY: "price_3",
      STRIPE_PRICE_BUSINESS_YEARLY: "price_4",
    });
    expect(full.STRIPE_API_URL).toBe("http://127.0.0.1:12111");
  });
});

describe("entitlements", () => {
  it("refuses a fourth active workflow on Free, naming the limit and the plan that lifts it", async () => {
    await createActiveWorkflows(alice.id, 3);
    const caller = api(alice.id);
    const { id } = await caller.workflows.create({ name: "Fourth", graph: graph() });
    const error = await errorOf(caller.workflows.activate({ id }));
    expect(error.code).toBe("FORBIDDEN");
    expect(error.message).toBe(
      "Your Free plan allows 3 active workflows and 3 are active. Upgrade to Pro for 25 active workflows, or pause another workflow first.",
    );
    expect((await db.workflow.findUniqueOrThrow({ where: { id } })).status).toBe("draft");
    // A new version of an already active workflow does not add to the count.
    const active = await db.workflow.findFirstOrThrow({ where: { userId: alice.id, status: "active" } });
    await expect(caller.workflows.activate({ id: active.id })).resolves.toMatchObject({ status: "active", version: 2 });
    expect(await caller.billing.usage()).toMatchObject({ plan: "free", metered: true, activeWorkflows: { used: 3, limit: 3 } });

    await subscribe(alice.id, "pro");
    await expect(caller.workflows.activate({ id })).resolves.toMatchObject({ status: "active" });
    expect(await caller.billing.usage()).toMatchObject({ plan: "pro", activeWorkflows: { used: 4, limit: 25 }, runs: { limit: 10_000 } });
  });

  it("keeps Pipedrive off the Free plan", async () => {
    const caller = api(alice.id);
    const { id } = await caller.workflows.create({ name: "CRM", graph: graph("pipedrive") });
    const error = await errorOf(caller.workflows.activate({ id }));
    expect(error.code).toBe("FORBIDDEN");
    expect(error.message).toBe("Pipedrive is not included in the Free plan. Upgrade to Pro to use Pipedrive in workflows.");
    await subscribe(alice.id, "pro");
    await expect(caller.workflows.activate({ id })).resolves.toMatchObject({ status: "active" });
  });

  it("records runs over the monthly quota as failed with quota_exceeded instead of running them", async () => {
    const queue = new RecordingQueue();
    const caller = api(alice.id, queue);
    const { id } = await caller.workflows.create({ name: "Busy", graph: graph() });
    await caller.workflows.activate({ id });
    const now = new Date();
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15));
    const row = (createdAt: Date, test = false) => ({ workflowId: id, userId: alice.id, triggerType: "stripe.charge.failed", trigger: {}, status: "succeeded" as const, createdAt, test });
    // 99 runs this month, plus ones that must not count: last month's and editor test runs.
    await db.workflowRun.createMany({ data: [...Array.from({ length: 99 }, () => row(now)), row(lastMonth), row(lastMonth), row(now, true)] });
    expect((await caller.billing.usage()).runs).toMatchObject({ used: 99, limit: 100 });

    // One event, two deliveries' worth of runs: the 100th runs, the 101st is refused and recorded.
    await dispatchEvent(db, queue, "stripe", "charge.failed", { id: "evt_100", type: "charge.failed", data: { object: {} } }, { userId: alice.id });
    const { runIds } = await dispatchEvent(db, queue, "stripe", "charge.failed", { id: "evt_101", type: "charge.failed", data: { object: {} } }, { userId: alice.id });
    expect(runIds).toHaveLength(1);
    const refused = await db.workflowRun.findUniqueOrThrow({ where: { id: runIds[0]! } });
    expect(refused.status).toBe("failed");
    expect(refused.finishedAt).not.toBeNull();
    expect(refused.error).toMatchObject({ code: "quota_exceeded" });
    expect((refused.error as { message: string }).message).toMatch(/Monthly run quota reached: the Free plan includes 100 runs a month .*Upgrade to Pro for 10,000 runs a month/);
    expect(queue.enqueued).not.toContain(refused.id);
    expect(queue.enqueued).toHaveLength(1);
    // A redelivery of the refused event stays one recorded refusal; refusals do not use up quota.
    await dispatchEvent(db, queue, "stripe", "charge.failed", { id: "evt_101", type: "charge.failed", data: { object: {} } }, { userId: alice.id });
    expect(await db.workflowRun.count({ where: { userId: alice.id, status: "failed" } })).toBe(1);
    expect((await caller.billing.usage()).runs).toMatchObject({ used: 100, limit: 100 });
    const manual = await db.workflowRun.findUniqueOrThrow({ where: { id: (await caller.workflows.runNow({ id })).runId } });
    expect(manual.error).toMatchObject({ code: "quota_exceeded" });

    // Test runs from the editor stay available (and uncounted) so a user can keep building.
    const { runId } = await caller.workflows.testRun({ id, dryRun: true });
    expect((await db.workflowRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe("queued");
    expect(queue.enqueued).toContain(runId);

    await subscribe(alice.id, "pro");
    const after = await dispatchEvent(db, queue, "stripe", "charge.failed", { id: "evt_102", type: "charge.failed", data: { object: {} } }, { userId: alice.id });
    expect((await db.workflowRun.findUniqueOrThrow({ where: { id: after.runIds[0]! } })).status).toBe("queued");
  });

  it("gives procedures the caller's entitlements and gates features by plan", async () => {
    const gated = router({
      plan: entitledProcedure.query(({ ctx }) => ctx.entitlements.plan),
      crm: planGatedProcedure("pipedrive").query(() => "synced"),
    });
    const call = createCallerFactory(gated)({
      db,
      user: { id: alice.id },
      headers: new Headers(),
      resHeaders: new Headers(),
      queue: new RecordingQueue(),
      keys: testKeys,
      providers: { baseUrl: () => "", allowPrivateNetwork: true },
    });
    expect(await call.plan()).toBe("free");
    const error = await errorOf(call.crm());
    expect(error.code).toBe("FORBIDDEN");
    expect(error.message).toBe("Pipedrive is not included in the Free plan. Upgrade to Pro to use it.");
    await subscribe(alice.id, "business");
    expect(await call.plan()).toBe("business");
    expect(await call.crm()).toBe("synced");
  });
});

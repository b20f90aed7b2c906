// Stripe webhooks for Cue's billing, signed with the SDK's test header helper and verified by the
// real constructEvent: forged, stale and duplicate deliveries, and every order of subscription
// events converging on what the (fake) Stripe API says.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type Stripe from "stripe";
import { AppError } from "@/lib/errors";
import { configureBilling, type BillingRuntime } from "@/server/billing/runtime";
import type { Db } from "@/server/db";
import { ensureCustomer, getSubscription } from "@/server/services/billing";
import { receiveStripeWebhook } from "@/server/services/billing-webhooks";
import { mirrorSubscription } from "@/server/billing/sync";
import { createUser } from "./helpers/caller";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { PRICES, runtimeFor, signedDelivery, startTestStripe, type FakeStripe } from "./helpers/fake-stripe";

let database: TestDatabase;
let db: Db;
let fake: FakeStripe;
let billing: BillingRuntime;
let alice: { id: string };
let customer: string;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.prisma;
  fake = await startTestStripe();
  billing = runtimeFor(fake);
  configureBilling(billing);
});
afterAll(async () => {
  configureBilling(null);
  await fake?.close();
  await database?.close();
});
beforeEach(async () => {
  await db.user.deleteMany();
  await db.stripeEvent.deleteMany();
  alice = await createUser(db, "alice@example.com");
  customer = await ensureCustomer(db, billing, alice.id);
  fake.requests.length = 0;
});

type Event = ReturnType<FakeStripe["event"]>;

const deliver = (event: Event, options: { secret?: string; timestamp?: number } = {}) =>
  receiveStripeWebhook(db, billing, signedDelivery(event, options));

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

async function activeWorkflows(count: number) {
  for (let i = 0; i < count; i++) {
    await db.workflow.create({
      data: {
        userId: alice.id,
        name: `Flow ${i}`,
        status: "active",
        graph: { nodes: [], edges: [] },
        webhookToken: `token-${alice.id}-${i}`,
        lastRunAt: new Date(Date.now() - i * 60_000),
      },
    });
  }
}

const snapshot = (id: string) => structuredClone(fake.subscriptions.get(id)) as Stripe.Subscription;

describe("Stripe webhook verification", () => {
  it("refuses forged, stale and unsigned deliveries without storing anything", async () => {
    const sub = fake.createSubscription({ customer, price: PRICES.pro.month });
    const event = fake.event("customer.subscription.created", sub);
    const forged = await refusal(deliver(event, { secret: "whsec_someone_else" }));
    expect(forged.httpStatus).toBe(400);
    expect(forged.message).toMatch(/Invalid Stripe signature/);
    const stale = await refusal(deliver(event, { timestamp: Math.floor(Date.now() / 1000) - 600 }));
    expect(stale.message).toMatch(/Invalid Stripe signature: Timestamp outside the tolerance zone/);
    // A body changed after signing no longer matches its signature.
    const { signature } = signedDelivery(event);
    const tampered = await refusal(receiveStripeWebhook(db, billing, { rawBody: JSON.stringify({ ...event, type: "invoice.paid" }), signature }));
    expect(tampered.message).toMatch(/Invalid Stripe signature/);
    const unsigned = await refusal(receiveStripeWebhook(db, billing, { rawBody: JSON.stringify(event), signature: null }));
    expect(unsigned.message).toBe("Missing Stripe-Signature header");
    const off = await refusal(receiveStripeWebhook(db, null, signedDelivery(event)));
    expect(off.httpStatus).toBe(404);
    expect(await db.stripeEvent.count()).toBe(0);
    expect(await db.billingSubscription.count()).toBe(0);
    expect(fake.requests).toHaveLength(0);
  });

  it("acknowledges event types outside the allowlist without storing or acting on them", async () => {
    const result = await deliver(fake.event("charge.refunded", { id: "ch_1", object: "charge" }));
    expect(result).toEqual({ received: true, ignored: true, type: "charge.refunded" });
    expect(await db.stripeEvent.count()).toBe(0);
  });

  it("stores each event once: a duplicate delivery answers and does nothing else", async () => {
    const sub = fake.createSubscription({ customer, price: PRICES.pro.month });
    const event = fake.event("customer.subscription.created", sub);
    expect(await deliver(event)).toEqual({ received: true, id: event.id, subscriptionId: sub.id });
    const retrievals = fake.requests.length;
    expect(await deliver(event)).toEqual({ received: true, duplicate: true, id: event.id });
    expect(fake.requests).toHaveLength(retrievals);
    expect(await db.stripeEvent.findMany({ select: { id: true, type: true } })).toEqual([{ id: event.id, type: "customer.subscription.created" }]);
  });

  it("retries an event whose processing failed when Stripe redelivers it", async () => {
    const sub = fake.createSubscription({ customer, price: PRICES.pro.month });
    const event = fake.event("customer.subscription.created", sub);
    const broken = runtimeFor(fake, "sk_test_revoked");
    await expect(receiveStripeWebhook(db, broken, signedDelivery(event))).rejects.toThrow(/Invalid API Key/);
    expect(await db.stripeEvent.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({ processedAt: null, error: expect.stringMatching(/Invalid API Key/) });
    expect(await deliver(event)).toMatchObject({ id: event.id, subscriptionId: sub.id });
    expect((await getSubscription(db, billing, alice.id)).plan).toBe("pro");
  });
});

describe("mirroring subscriptions", () => {
  it("checkout.session.completed re-fetches the session and its subscription", async () => {
    const session = await billing.stripe.checkout.sessions.create({
      mode: "subscription",
      customer,
      line_items: [{ price: PRICES.business.year, quantity: 1 }],
      success_url: "http://cue.test/billing",
      cancel_url: "http://cue.test/billing",
    });
    const { subscription } = await fake.completeCheckout(session.id);
    const completed = fake.events.find((e) => e.type === "checkout.session.completed" && e.data.object.id === session.id)!;
    // The payload claims nothing useful: what counts is what Stripe answers when asked.
    completed.data.object = { id: session.id, object: "checkout.session" };
    await deliver(completed);
    expect(await getSubscription(db, billing, alice.id)).toMatchObject({
      plan: "business",
      subscription: { id: subscription.id, interval: "year", status: "active" },
    });
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /v1/checkout/sessions",
      `GET /v1/checkout/sessions/${session.id}`,
      `GET /v1/subscriptions/${subscription.id}`,
    ]);
  });

  it("invoice.payment_failed shows a payment problem; invoice.paid clears it, even if the failure arrives late", async () => {
    const sub = fake.createSubscription({ customer, price: PRICES.pro.month });
    await deliver(fake.event("customer.subscription.created", sub));
    const invoice = fake.createInvoice({ subscription: sub.id, status: "open", attempt_count: 1 });
    fake.updateSubscription(sub.id, { status: "past_due" });
    const failed = fake.event("invoice.payment_failed", invoice);
    await deliver(failed);
    expect((await getSubscription(db, billing, alice.id)).subscription).toMatchObject({ status: "past_due", paymentProblem: true });
    expect((await getSubscription(db, billing, alice.id)).plan).toBe("pro"); // Stripe is still retrying

    invoice.status = "paid";
    fake.updateSubscription(sub.id, { status: "active" });
    await deliver(fake.event("invoice.paid", invoice));
    expect((await getSubscription(db, billing, alice.id)).subscription).toMatchObject({ status: "active", paymentProblem: false });
    // A second failure notice for the invoice now paid changes nothing: Stripe says it is paid.
    await deliver(fake.event("invoice.payment_failed", { ...invoice, status: "open" }));
    expect((await getSubscription(db, billing, alice.id)).subscription).toMatchObject({ paymentProblem: false });
  });

  it("records payment_intent.succeeded without touching subscriptions", async () => {
    const event = fake.event("payment_intent.succeeded", { id: "pi_1", object: "payment_intent", customer });
    expect(await deliver(event)).toEqual({ received: true, id: event.id, subscriptionId: null });
    expect(await db.stripeEvent.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({ processedAt: expect.any(Date) });
  });

  it("ignores subscriptions of customers that are not Cue users", async () => {
    const stranger = await billing.stripe.customers.create({ email: "stranger@example.com" });
    const sub = fake.createSubscription({ customer: stranger.id, price: PRICES.pro.month });
    await deliver(fake.event("customer.subscription.created", sub));
    expect(await db.billingSubscription.count()).toBe(0);
  });
});

/** Every ordering of a list. */
function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [items.slice()];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe("event order does not matter", () => {
  it("created, updated and deleted in every order end on Free, with workflows over the limit paused", async () => {
    // Stripe's history: Pro, upgraded to Business, then deleted at period end. Each event carries
    // the snapshot of its moment; the fake keeps the truth (deleted).
    const sub = fake.createSubscription({ customer, price: PRICES.pro.month });
    const created = fake.event("customer.subscription.created", snapshot(sub.id));
    fake.updateSubscription(sub.id, { price: PRICES.business.month });
    const updated = fake.event("customer.subscription.updated", snapshot(sub.id));
    fake.updateSubscription(sub.id, { status: "canceled" });
    const deleted = fake.event("customer.subscription.deleted", snapshot(sub.id));

    const orders = permutations([created, updated, deleted]);
    expect(orders).toHaveLength(6);
    for (const order of orders) {
      await db.workflow.deleteMany();
      await db.billingSubscription.deleteMany();
      await db.stripeEvent.deleteMany();
      await activeWorkflows(5);
      // A duplicate mixed in, as Stripe may send.
      for (const event of [...order, order[0]!]) await deliver(event);
      const label = order.map((e) => e.type.split(".").at(-1)).join(" → ");
      const state = await getSubscription(db, billing, alice.id);
      expect(state.plan, label).toBe("free");
      expect(state.subscription, label).toBeNull();
      expect(state.lastEnded, label).toMatchObject({ planName: "Business" });
      expect(await db.billingSubscription.findUniqueOrThrow({ where: { id: sub.id } }), label).toMatchObject({ status: "canceled", plan: "business" });
      const workflows = await db.workflow.findMany({ orderBy: { name: "asc" } });
      expect(workflows.map((w) => w.status), label).toEqual(["active", "active", "active", "paused", "paused"]);
      expect(workflows[3]!.pausedReason, label).toBe(
        "Paused because the Free plan allows 3 active workflows. Upgrade to Pro for 25 active workflows, or pause another workflow and activate this one again.",
      );
      expect(await db.workflow.count(), label).toBe(5); // paused, never deleted
    }
  });

  it("switching subscriptions converges on the new one in every order of the old one's events", async () => {
    // The old Pro subscription is created, updated, then deleted; a new Business one is created.
    const old = fake.createSubscription({ customer, price: PRICES.pro.month });
    const oldCreated = fake.event("customer.subscription.created", snapshot(old.id));
    fake.updateSubscription(old.id, { cancel_at_period_end: true });
    const oldUpdated = fake.event("customer.subscription.updated", snapshot(old.id));
    fake.updateSubscription(old.id, { status: "canceled" });
    const oldDeleted = fake.event("customer.subscription.deleted", snapshot(old.id));
    const next = fake.createSubscription({ customer, price: PRICES.business.year });
    const nextCreated = fake.event("customer.subscription.created", snapshot(next.id));

    const orders = permutations([oldCreated, oldUpdated, oldDeleted, nextCreated]);
    expect(orders).toHaveLength(24);
    for (const order of orders) {
      await db.billingSubscription.deleteMany();
      await db.stripeEvent.deleteMany();
      for (const event of order) await deliver(event);
      const label = order.map((e) => `${e.data.object.id === old.id ? "old" : "new"}.${e.type.split(".").at(-1)}`).join(" → ");
      const state = await getSubscription(db, billing, alice.id);
      expect(state.plan, label).toBe("business");
      expect(state.subscription, label).toMatchObject({ id: next.id, interval: "year", status: "active", cancelAtPeriodEnd: false });
    }
  });

  it("a stale live snapshot never revives a subscription Stripe has ended", async () => {
    const sub = fake.createSubscription({ customer, price: PRICES.pro.month });
    fake.updateSubscription(sub.id, { status: "canceled" });
    await deliver(fake.event("customer.subscription.deleted", snapshot(sub.id)));
    // A read from before the cancellation (a slow retrieve racing this one) is refused by the mirror.
    await mirrorSubscription(db, billing, { ...snapshot(sub.id), status: "active" });
    expect((await db.billingSubscription.findUniqueOrThrow({ where: { id: sub.id } })).status).toBe("canceled");
    expect((await getSubscription(db, billing, alice.id)).plan).toBe("free");
  });
});

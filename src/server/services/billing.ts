// Billing operations behind the `billing` router: plans with their Stripe prices, the user's
// subscription as mirrored from Stripe, Checkout and portal sessions, cancel/resume/change plan.
// Writes go to Stripe first; what Stripe answers is mirrored at once, and webhooks confirm it.
import type Stripe from "stripe";
import type { Db } from "@/server/db";
import { AppError } from "@/lib/errors";
import { ENTITLING_STATUSES, entitlements, enforcePlanLimits } from "@/server/billing/entitlements";
import { isPlanKey, PLAN_ORDER, planRank, PLANS, type BillingInterval, type PaidPlanKey, type PlanKey } from "@/server/billing/plans";
import type { BillingRuntime } from "@/server/billing/runtime";
import { mirrorSubscription } from "@/server/billing/sync";

function requireBilling(billing: BillingRuntime | null): BillingRuntime {
  if (!billing) throw new AppError("BAD_REQUEST", "Billing is not configured on this server (STRIPE_SECRET_KEY is not set).");
  return billing;
}

// ---------------------------------------------------------------------------------------------
// Plans and prices
// ---------------------------------------------------------------------------------------------

export interface PriceInfo {
  id: string;
  /** In the currency's smallest unit (cents), as Stripe reports it; null if Stripe could not say. */
  amount: number | null;
  currency: string | null;
}

const PRICE_CACHE_MS = 10 * 60 * 1000;
// Per runtime, so a reconfigured runtime (another Stripe account, a test's fake) starts empty.
const priceCache = new WeakMap<BillingRuntime, Map<string, { info: PriceInfo; at: number }>>();

async function priceInfo(billing: BillingRuntime, id: string): Promise<PriceInfo> {
  const cache = priceCache.get(billing) ?? new Map<string, { info: PriceInfo; at: number }>();
  priceCache.set(billing, cache);
  const hit = cache.get(id);
  if (hit && Date.now() - hit.at < PRICE_CACHE_MS) return hit.info;
  try {
    const price = await billing.stripe.prices.retrieve(id);
    const info = { id, amount: price.unit_amount, currency: price.currency };
    cache.set(id, { info, at: Date.now() });
    return info;
  } catch (error) {
    // The page still offers the plan; Checkout shows the amount.
    console.error(`billing: could not read price ${id}:`, error instanceof Error ? error.message : error);
    return { id, amount: null, currency: null };
  }
}

export async function listPlans(billing: BillingRuntime | null) {
  return Promise.all(
    PLAN_ORDER.map(async (key) => {
      const plan = PLANS[key];
      const prices =
        key !== "free" && billing
          ? {
              month: await priceInfo(billing, billing.prices[key].month),
              year: await priceInfo(billing, billing.prices[key].year),
            }
          : null;
      return { key: plan.key, name: plan.name, tagline: plan.tagline, limits: plan.limits, prices };
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// The current subscription
// ---------------------------------------------------------------------------------------------

const PAYMENT_PROBLEM_STATUSES = new Set(["past_due", "unpaid", "incomplete"]);
const ENDED_STATUSES = new Set(["canceled", "incomplete_expired"]);

/** The subscription that decides the plan (the best entitling one), else the latest one not ended. */
async function currentRow(db: Db, userId: string) {
  const rows = await db.billingSubscription.findMany({ where: { userId }, orderBy: { stripeCreatedAt: "desc" } });
  const entitling = rows
    .filter((r) => (ENTITLING_STATUSES as readonly string[]).includes(r.status) && isPlanKey(r.plan))
    .sort((a, b) => planRank(b.plan as PlanKey) - planRank(a.plan as PlanKey));
  return entitling[0] ?? rows.find((r) => !ENDED_STATUSES.has(r.status)) ?? null;
}

export async function getSubscription(db: Db, billing: BillingRuntime | null, userId: string) {
  const ent = await entitlements(db, userId);
  const row = billing ? await currentRow(db, userId) : null;
  const lastEnded = billing && !row
    ? await db.billingSubscription.findFirst({
        where: { userId, status: { in: [...ENDED_STATUSES] } },
        orderBy: { endedAt: { sort: "desc", nulls: "last" } },
        select: { plan: true, endedAt: true },
      })
    : null;
  const ending = row ? row.cancelAtPeriodEnd || row.cancelAt !== null : false;
  return {
    billingEnabled: billing !== null,
    plan: ent.plan,
    planName: PLANS[ent.plan].name,
    subscription: row
      ? {
          id: row.id,
          plan: row.plan as PlanKey,
          planName: isPlanKey(row.plan) ? PLANS[row.plan].name : row.plan,
          interval: row.interval as BillingInterval,
          status: row.status,
          currentPeriodEnd: row.currentPeriodEnd,
          cancelAtPeriodEnd: ending,
          /** When a cancelled subscription stops (and the account drops to its next plan). */
          endsAt: ending ? (row.cancelAt ?? row.currentPeriodEnd) : null,
          renewsAt: ending ? null : row.currentPeriodEnd,
          paymentProblem: PAYMENT_PROBLEM_STATUSES.has(row.status) || row.paymentFailed,
        }
      : null,
    lastEnded: lastEnded ? { planName: isPlanKey(lastEnded.plan) ? PLANS[lastEnded.plan].name : lastEnded.plan, endedAt: lastEnded.endedAt } : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Checkout and the billing portal
// ---------------------------------------------------------------------------------------------

/** The user's Stripe customer, created the first time it is needed and reused ever after. */
export async function ensureCustomer(db: Db, billing: BillingRuntime, userId: string): Promise<string> {
  const existing = await db.billingAccount.findUnique({ where: { userId }, select: { stripeCustomerId: true } });
  if (existing) return existing.stripeCustomerId;
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, name: true } });
  // The idempotency key makes two concurrent first checkouts get the same customer from Stripe.
  const customer = await billing.stripe.customers.create(
    { ...(user.email ? { email: user.email } : {}), ...(user.name ? { name: user.name } : {}), metadata: { cueUserId: userId } },
    { idempotencyKey: `cue-customer-${userId}` },
  );
  await db.billingAccount.createMany({ data: [{ userId, stripeCustomerId: customer.id }], skipDuplicates: true });
  const account = await db.billingAccount.findUniqueOrThrow({ where: { userId }, select: { stripeCustomerId: true } });
  return account.stripeCustomerId;
}

export async function createCheckoutSession(
  db: Db,
  billingOrNull: BillingRuntime | null,
  userId: string,
  input: { plan: PaidPlanKey; interval: BillingInterval; origin: string },
) {
  const billing = requireBilling(billingOrNull);
  const live = await currentRow(db, userId);
  if (live && (ENTITLING_STATUSES as readonly string[]).includes(live.status)) {
    throw new AppError("CONFLICT", `You already subscribe to ${PLANS[live.plan as PlanKey]?.name ?? live.plan}; change your plan instead of starting a second subscription.`);
  }
  const customer = await ensureCustomer(db, billing, userId);
  const session = await billing.stripe.checkout.sessions.create({
    mode: "subscription",
    customer,
    client_reference_id: userId,
    line_items: [{ price: billing.prices[input.plan][input.interval], quantity: 1 }],
    subscription_data: { metadata: { cueUserId: userId, plan: input.plan } },
    metadata: { cueUserId: userId },
    success_url: `${input.origin}/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${input.origin}/billing?checkout=cancelled`,
  });
  if (!session.url) throw new AppError("INTERNAL", "Stripe did not return a Checkout URL");
  return { url: session.url };
}

export async function createPortalSession(db: Db, billingOrNull: BillingRuntime | null, userId: string, input: { origin: string }) {
  const billing = requireBilling(billingOrNull);
  const customer = await ensureCustomer(db, billing, userId);
  const session = await billing.stripe.billingPortal.sessions.create({ customer, return_url: `${input.origin}/billing` });
  return { url: session.url };
}

// ---------------------------------------------------------------------------------------------
// Cancel, resume, change plan
// ---------------------------------------------------------------------------------------------

async function liveSubscription(db: Db, userId: string) {
  const row = await currentRow(db, userId);
  if (!row || !(ENTITLING_STATUSES as readonly string[]).includes(row.status)) {
    throw new AppError("BAD_REQUEST", "You have no active subscription.");
  }
  return row;
}

/** Mirrors what Stripe answered to an update, then applies the (possibly lower) plan's limits. */
async function applyUpdate(db: Db, billing: BillingRuntime, userId: string, subscription: Stripe.Subscription) {
  await mirrorSubscription(db, billing, subscription);
  await enforcePlanLimits(db, userId);
  return getSubscription(db, billing, userId);
}

export async function cancelSubscription(db: Db, billingOrNull: BillingRuntime | null, userId: string) {
  const billing = requireBilling(billingOrNull);
  const row = await liveSubscription(db, userId);
  const updated = await billing.stripe.subscriptions.update(row.id, { cancel_at_period_end: true, expand: ["latest_invoice"] });
  return applyUpdate(db, billing, userId, updated);
}

export async function resumeSubscription(db: Db, billingOrNull: BillingRuntime | null, userId: string) {
  const billing = requireBilling(billingOrNull);
  const row = await liveSubscription(db, userId);
  if (!row.cancelAtPeriodEnd && !row.cancelAt) throw new AppError("BAD_REQUEST", "Your subscription is not set to end.");
  const updated = await billing.stripe.subscriptions.update(row.id, { cancel_at_period_end: false, expand: ["latest_invoice"] });
  return applyUpdate(db, billing, userId, updated);
}

/**
 * Moves the live subscription to another paid plan or interval, prorated by Stripe. Moving to
 * Free is cancelling (at period end); starting from Free is Checkout.
 */
export async function changePlan(
  db: Db,
  billingOrNull: BillingRuntime | null,
  userId: string,
  input: { plan: PaidPlanKey; interval: BillingInterval },
) {
  const billing = requireBilling(billingOrNull);
  const row = await liveSubscription(db, userId);
  if (row.plan === input.plan && row.interval === input.interval && !row.cancelAtPeriodEnd) {
    throw new AppError("BAD_REQUEST", `You are already on ${PLANS[input.plan].name} (${input.interval === "year" ? "yearly" : "monthly"}).`);
  }
  // The item id comes from Stripe, not the mirror: the item is what gets re-priced.
  const current = await billing.stripe.subscriptions.retrieve(row.id);
  const item = current.items.data[0];
  if (!item) throw new AppError("INTERNAL", "The subscription has no item to change");
  const updated = await billing.stripe.subscriptions.update(row.id, {
    items: [{ id: item.id, price: billing.prices[input.plan][input.interval] }],
    proration_behavior: "create_prorations",
    // Choosing a plan means staying: a pending cancellation is withdrawn.
    cancel_at_period_end: false,
    expand: ["latest_invoice"],
  });
  return applyUpdate(db, billing, userId, updated);
}

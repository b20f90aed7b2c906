// Mirrors Stripe subscriptions into BillingSubscription. Every write starts from a fresh retrieve,
// never from a webhook payload, so deliveries that come twice, late or out of order all converge
// on what Stripe says now.
import type Stripe from "stripe";
import type { Db } from "@/server/db";
import { enforcePlanLimits } from "@/server/billing/entitlements";
import { planForPrice } from "@/server/billing/plans";
import type { BillingRuntime } from "@/server/billing/runtime";

/** Stripe never moves a subscription out of these; a live-looking read after one is stale. */
const TERMINAL_STATUSES = new Set(["canceled", "incomplete_expired"]);

const toDate = (seconds: number | null | undefined) => (seconds ? new Date(seconds * 1000) : null);

export const idOf = (value: string | { id: string } | null | undefined) => (typeof value === "string" ? value : (value?.id ?? null));

export function isMissingResource(error: unknown): boolean {
  return (error as { code?: string; statusCode?: number } | null)?.code === "resource_missing" || (error as { statusCode?: number } | null)?.statusCode === 404;
}

/** The Cue user a Stripe customer belongs to: the one we created it for. */
async function ownerOf(db: Db, customerId: string, subscription: Stripe.Subscription): Promise<string | null> {
  const account = await db.billingAccount.findUnique({ where: { stripeCustomerId: customerId }, select: { userId: true } });
  if (account) return account.userId;
  // Checkout also stamps the user id on the subscription (server-side, so it is trustworthy).
  const userId = subscription.metadata?.cueUserId;
  if (!userId) return null;
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true } });
  return user?.id ?? null;
}

/** Writes what Stripe says about one subscription; returns the owner, or null if it is not ours. */
export async function mirrorSubscription(db: Db, billing: BillingRuntime, subscription: Stripe.Subscription): Promise<string | null> {
  const customerId = idOf(subscription.customer);
  const item = subscription.items.data[0];
  if (!customerId || !item) return null;
  const userId = await ownerOf(db, customerId, subscription);
  if (!userId) {
    console.warn(`billing: subscription ${subscription.id} belongs to no Cue user (customer ${customerId}); ignored`);
    return null;
  }
  const sold = planForPrice(billing.prices, item.price.id);
  if (!sold) {
    console.warn(`billing: subscription ${subscription.id} uses price ${item.price.id}, which no plan sells; ignored`);
    return null;
  }
  const existing = await db.billingSubscription.findUnique({ where: { id: subscription.id }, select: { status: true } });
  if (existing && TERMINAL_STATUSES.has(existing.status) && !TERMINAL_STATUSES.has(subscription.status)) return userId;

  const invoice = typeof subscription.latest_invoice === "object" ? subscription.latest_invoice : null;
  const data = {
    userId,
    stripeCustomerId: customerId,
    priceId: item.price.id,
    plan: sold.plan,
    interval: sold.interval,
    status: subscription.status,
    currentPeriodStart: toDate(item.current_period_start),
    currentPeriodEnd: toDate(item.current_period_end),
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    cancelAt: toDate(subscription.cancel_at),
    canceledAt: toDate(subscription.canceled_at),
    endedAt: toDate(subscription.ended_at),
    // An invoice still open after a payment attempt is a payment problem even before Stripe moves
    // the subscription to past_due.
    paymentFailed: invoice ? invoice.status === "open" && invoice.attempt_count > 0 : false,
    stripeCreatedAt: toDate(subscription.created) ?? new Date(),
  };
  await db.billingSubscription.upsert({ where: { id: subscription.id }, create: { id: subscription.id, ...data }, update: data });
  return userId;
}

/**
 * Re-fetches one subscription from Stripe, mirrors it and applies the resulting plan's limits
 * (pausing workflows a downgrade no longer allows). A subscription Stripe does not know is ignored.
 */
export async function syncSubscription(db: Db, billing: BillingRuntime, subscriptionId: string): Promise<string | null> {
  let subscription: Stripe.Subscription;
  try {
    subscription = await billing.stripe.subscriptions.retrieve(subscriptionId, { expand: ["latest_invoice"] });
  } catch (error) {
    if (isMissingResource(error)) return null;
    throw error;
  }
  const userId = await mirrorSubscription(db, billing, subscription);
  if (userId) await enforcePlanLimits(db, userId);
  return userId;
}

// Cue's plans, defined once: display names, limits and features. Stripe price ids come from the
// environment (src/server/billing/runtime.ts); every other number about a plan lives here.

export const PLAN_KEYS = ["free", "pro", "business"] as const;
export type PlanKey = (typeof PLAN_KEYS)[number];

export const BILLING_INTERVALS = ["month", "year"] as const;
export type BillingInterval = (typeof BILLING_INTERVALS)[number];

export type PaidPlanKey = Exclude<PlanKey, "free">;

export interface PlanLimits {
  /** Workflows that may be active at once; null is unlimited. */
  activeWorkflows: number | null;
  /** Non-test runs started per billing period (calendar month on Free); null is unlimited. */
  runsPerMonth: number | null;
  /** Pipedrive triggers and actions (the issue: "Free: no Pipedrive"). */
  pipedrive: boolean;
  /** Run-queue priority: higher goes first when the queue is busy. */
  queuePriority: number;
  /** Importing Pipedrive persons into Cue's contacts (the issue: "contact sync, Business only"). */
  contactSync: boolean;
}

export interface Plan {
  key: PlanKey;
  name: string;
  tagline: string;
  limits: PlanLimits;
}

export const PLANS: Record<PlanKey, Plan> = {
  free: {
    key: "free",
    name: "Free",
    tagline: "For trying Cue on a few automations.",
    limits: { activeWorkflows: 3, runsPerMonth: 100, pipedrive: false, queuePriority: 0, contactSync: false },
  },
  pro: {
    key: "pro",
    name: "Pro",
    tagline: "For a business that runs on its automations.",
    limits: { activeWorkflows: 25, runsPerMonth: 10_000, pipedrive: true, queuePriority: 0, contactSync: false },
  },
  business: {
    key: "business",
    name: "Business",
    tagline: "Unlimited workflows, CRM sync and priority runs.",
    limits: { activeWorkflows: null, runsPerMonth: 100_000, pipedrive: true, queuePriority: 10, contactSync: true },
  },
};

/**
 * What an instance without billing configured (self-hosted, no STRIPE_SECRET_KEY) allows: there
 * is nobody to pay, so nothing is metered.
 */
export const UNMETERED_LIMITS: PlanLimits = { activeWorkflows: null, runsPerMonth: null, pipedrive: true, queuePriority: 0, contactSync: true };

/** Plans in ascending order: upgrades go right, downgrades left. */
export const PLAN_ORDER: readonly PlanKey[] = PLAN_KEYS;

export const planRank = (plan: PlanKey) => PLAN_ORDER.indexOf(plan);

export function isPlanKey(value: string): value is PlanKey {
  return (PLAN_KEYS as readonly string[]).includes(value);
}

export type PriceIds = Record<PaidPlanKey, Record<BillingInterval, string>>;

/** The plan and interval a Stripe price id sells, or null for a price Cue does not know. */
export function planForPrice(prices: PriceIds, priceId: string): { plan: PaidPlanKey; interval: BillingInterval } | null {
  for (const plan of ["pro", "business"] as const) {
    for (const interval of BILLING_INTERVALS) {
      if (prices[plan][interval] === priceId) return { plan, interval };
    }
  }
  return null;
}

export type LimitName = "activeWorkflows" | "runsPerMonth" | "pipedrive" | "contactSync";

/** The cheapest plan above `current` that lifts a limit past `needed` (or grants the feature). */
export function planThatLifts(current: PlanKey, limit: LimitName, needed = 0): Plan | null {
  for (const key of PLAN_ORDER.slice(planRank(current) + 1)) {
    const value = PLANS[key].limits[limit];
    if (typeof value === "boolean" ? value : value === null || value > needed) return PLANS[key];
  }
  return null;
}

export function formatLimit(value: number | null): string {
  return value === null ? "unlimited" : value.toLocaleString("en-US");
}

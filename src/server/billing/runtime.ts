// The Stripe side of billing: one SDK client, the webhook secret and the price ids, built from the
// environment once. Without STRIPE_SECRET_KEY billing is "not configured" and nothing is metered.
import Stripe from "stripe";
import { env } from "@/env";
import type { PriceIds } from "@/server/billing/plans";

export interface BillingRuntime {
  stripe: Stripe;
  webhookSecret: string;
  prices: PriceIds;
}

export interface BillingSettings {
  secretKey: string;
  webhookSecret: string;
  /** Base URL of the Stripe API (a local fake in tests, a proxy when self-hosting); default api.stripe.com. */
  apiUrl?: string;
  prices: PriceIds;
}

export function createBillingRuntime(settings: BillingSettings): BillingRuntime {
  const api = settings.apiUrl ? new URL(settings.apiUrl) : null;
  const protocol = api?.protocol === "http:" ? "http" : "https";
  const stripe = new Stripe(settings.secretKey, {
    ...(api ? { host: api.hostname, port: api.port || (protocol === "http" ? 80 : 443), protocol } : {}),
    // Webhooks and the page's polling recover from a failed call; retrying inside a request only
    // makes the user wait longer.
    maxNetworkRetries: 0,
    telemetry: false,
    appInfo: { name: "Cue" },
  });
  return { stripe, webhookSecret: settings.webhookSecret, prices: settings.prices };
}

function fromEnv(): BillingRuntime | null {
  if (!env.STRIPE_SECRET_KEY) return null;
  // src/env.ts refuses a secret key without the webhook secret and all four prices.
  return createBillingRuntime({
    secretKey: env.STRIPE_SECRET_KEY,
    webhookSecret: env.STRIPE_WEBHOOK_SECRET!,
    apiUrl: env.STRIPE_API_URL,
    prices: {
      pro: { month: env.STRIPE_PRICE_PRO_MONTHLY!, year: env.STRIPE_PRICE_PRO_YEARLY! },
      business: { month: env.STRIPE_PRICE_BUSINESS_MONTHLY!, year: env.STRIPE_PRICE_BUSINESS_YEARLY! },
    },
  });
}

const globalForBilling = globalThis as unknown as { cueBilling?: BillingRuntime | null };

/** The process's billing runtime, or null when billing is not configured. */
export function getBilling(): BillingRuntime | null {
  if (globalForBilling.cueBilling === undefined) globalForBilling.cueBilling = fromEnv();
  return globalForBilling.cueBilling;
}

/**
 * Replaces the runtime built from the environment: integration tests point the real SDK at a
 * local fake Stripe this way, and null turns billing off.
 */
export function configureBilling(runtime: BillingRuntime | null): void {
  globalForBilling.cueBilling = runtime;
}

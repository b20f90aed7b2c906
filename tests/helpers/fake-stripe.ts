// The fake Stripe API (e2e/fake-stripe.mjs) for the Vitest suite, plus a billing runtime whose
// real `stripe` SDK talks to it: the same code path production uses, pointed at 127.0.0.1.
import Stripe from "stripe";
import { startFakeStripe } from "../../e2e/fake-stripe.mjs";
import type { PriceIds } from "@/server/billing/plans";
import { createBillingRuntime, type BillingRuntime } from "@/server/billing/runtime";

export type FakeStripe = Awaited<ReturnType<typeof startFakeStripe>>;

export const FAKE_SECRET_KEY = "sk_test_cue_fake_0123456789";
export const WEBHOOK_SECRET = "whsec_cue_test_0123456789abcdef";

export const PRICES: PriceIds = {
  pro: { month: "price_pro_month_test", year: "price_pro_year_test" },
  business: { month: "price_business_month_test", year: "price_business_year_test" },
};

export function startTestStripe(options: { webhook?: { url: string; secret: string } } = {}): Promise<FakeStripe> {
  return startFakeStripe({
    secretKey: FAKE_SECRET_KEY,
    prices: [
      { id: PRICES.pro.month, unit_amount: 1900, currency: "usd", interval: "month" },
      { id: PRICES.pro.year, unit_amount: 19000, currency: "usd", interval: "year" },
      { id: PRICES.business.month, unit_amount: 9900, currency: "usd", interval: "month" },
      { id: PRICES.business.year, unit_amount: 99000, currency: "usd", interval: "year" },
    ],
    ...options,
  });
}

export function runtimeFor(fake: FakeStripe, secretKey = FAKE_SECRET_KEY): BillingRuntime {
  return createBillingRuntime({ secretKey, webhookSecret: WEBHOOK_SECRET, apiUrl: fake.url, prices: PRICES });
}

/** A signed delivery of `event`, as Stripe would send it (timestamp in seconds, default now). */
export function signedDelivery(event: unknown, options: { secret?: string; timestamp?: number } = {}) {
  const rawBody = JSON.stringify(event);
  const signature = Stripe.webhooks.generateTestHeaderString({
    payload: rawBody,
    secret: options.secret ?? WEBHOOK_SECRET,
    ...(options.timestamp !== undefined ? { timestamp: options.timestamp } : {}),
  });
  return { rawBody, signature };
}

// Realistic Stripe payloads (shapes from Stripe's API reference, ids and values made up) used as
// trigger samples for test runs and the canvas's reference picker.
import type { z } from "zod";
import type { charge, checkoutSession, invoice, paymentIntent, subscription } from "./objects";

const created = 1772461527;

export function eventEnvelope<T extends string, O>(id: string, type: T, object: O, previousAttributes?: Record<string, unknown>) {
  return {
    id,
    object: "event" as const,
    type,
    api_version: "2025-03-31.basil",
    created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: "req_Q8hWmV1yPzX2aB", idempotency_key: "5c1b8a4e-7f0d-4d2b-9a6e-3f1c2b7d8e90" },
    data: previousAttributes ? { object, previous_attributes: previousAttributes } : { object },
  };
}

export const succeededCharge: z.output<typeof charge> = {
  id: "ch_3QxYz2LkdIwHu7ix0snN0B15",
  object: "charge",
  amount: 4900,
  amount_captured: 4900,
  amount_refunded: 0,
  currency: "usd",
  customer: "cus_RfT6kP9gQmZ1xA",
  description: "Pro plan — March",
  receipt_email: "jenny.rosen@example.com",
  receipt_url: "https://pay.stripe.com/receipts/payment/CAcaFwoVYWNjdF8xTTJKVGtMa2RJd0h1N2l4KLeM8b0GMgb",
  billing_details: {
    address: { city: "San Francisco", country: "US", line1: "510 Townsend St", line2: null, postal_code: "94103", state: "CA" },
    name: "Jenny Rosen",
    email: "jenny.rosen@example.com",
    phone: "+14155550123",
  },
  failure_code: null,
  failure_message: null,
  outcome: { network_status: "approved_by_network", reason: null, seller_message: "Payment complete.", type: "authorized" },
  paid: true,
  payment_intent: "pi_3QxYz2LkdIwHu7ix0T1bQ9aK",
  status: "succeeded",
  metadata: { order_id: "6735" },
  created,
  livemode: false,
};

export const failedCharge: z.output<typeof charge> = {
  ...succeededCharge,
  id: "ch_3QxZa9LkdIwHu7ix1Hq5mR2c",
  amount_captured: 0,
  receipt_url: null,
  failure_code: "card_declined",
  failure_message: "Your card was declined.",
  outcome: { network_status: "declined_by_network", reason: "generic_decline", seller_message: "The bank did not return any further details with this decline.", type: "issuer_declined" },
  paid: false,
  status: "failed",
};

export const succeededPaymentIntent: z.output<typeof paymentIntent> = {
  id: "pi_3QxYz2LkdIwHu7ix0T1bQ9aK",
  object: "payment_intent",
  amount: 4900,
  amount_received: 4900,
  currency: "usd",
  customer: "cus_RfT6kP9gQmZ1xA",
  description: "Pro plan — March",
  receipt_email: "jenny.rosen@example.com",
  status: "succeeded",
  last_payment_error: null,
  latest_charge: "ch_3QxYz2LkdIwHu7ix0snN0B15",
  metadata: { order_id: "6735" },
  created,
  livemode: false,
};

export const failedPaymentIntent: z.output<typeof paymentIntent> = {
  ...succeededPaymentIntent,
  id: "pi_3QxZa9LkdIwHu7ix1B7fW3kD",
  amount_received: 0,
  status: "requires_payment_method",
  last_payment_error: {
    code: "card_declined",
    decline_code: "insufficient_funds",
    message: "Your card has insufficient funds.",
    type: "card_error",
  },
  latest_charge: "ch_3QxZa9LkdIwHu7ix1Hq5mR2c",
};

export const activeSubscription: z.output<typeof subscription> = {
  id: "sub_1QxYz2LkdIwHu7ixV3n8pQ4r",
  object: "subscription",
  customer: "cus_RfT6kP9gQmZ1xA",
  status: "active",
  cancel_at_period_end: false,
  cancel_at: null,
  canceled_at: null,
  ended_at: null,
  trial_end: null,
  currency: "usd",
  items: {
    object: "list",
    data: [
      {
        id: "si_RfT7bC2dE3fG4h",
        price: {
          id: "price_1QwXyZLkdIwHu7ixPro0Mnth",
          object: "price",
          product: "prod_RfT5ProPlan01",
          currency: "usd",
          unit_amount: 4900,
          recurring: { interval: "month", interval_count: 1 },
          nickname: "Pro monthly",
        },
        quantity: 1,
        current_period_start: created,
        current_period_end: created + 31 * 24 * 3600,
      },
    ],
  },
  metadata: { workspace_id: "ws_4821" },
  created,
  livemode: false,
};

export const paidInvoice: z.output<typeof invoice> = {
  id: "in_1QxYz2LkdIwHu7ixK9s0Lm3N",
  object: "invoice",
  customer: "cus_RfT6kP9gQmZ1xA",
  customer_email: "jenny.rosen@example.com",
  customer_name: "Jenny Rosen",
  amount_due: 4900,
  amount_paid: 4900,
  amount_remaining: 0,
  currency: "usd",
  status: "paid",
  number: "A1B2C3D4-0007",
  hosted_invoice_url: "https://invoice.stripe.com/i/acct_1M2JTkLkdIwHu7ix/test_YWNjdF8xTTJKVGtMa2RJd0h1N2l4",
  invoice_pdf: "https://pay.stripe.com/invoice/acct_1M2JTkLkdIwHu7ix/test_YWNjdF8xTTJKVGtMa2RJd0h1N2l4/pdf",
  attempt_count: 1,
  next_payment_attempt: null,
  billing_reason: "subscription_cycle",
  period_start: created - 31 * 24 * 3600,
  period_end: created,
  metadata: {},
  created,
  livemode: false,
};

export const failedInvoice: z.output<typeof invoice> = {
  ...paidInvoice,
  id: "in_1QxZa9LkdIwHu7ixW2e4Rt6Y",
  amount_paid: 0,
  amount_remaining: 4900,
  status: "open",
  number: "A1B2C3D4-0008",
  attempt_count: 2,
  next_payment_attempt: created + 3 * 24 * 3600,
};

export const completedCheckoutSession: z.output<typeof checkoutSession> = {
  id: "cs_test_a1QxYz2LkdIwHu7ixB8c9D0e1F2g3H4i5J6k7L8m9N0",
  object: "checkout.session",
  mode: "subscription",
  status: "complete",
  payment_status: "paid",
  amount_subtotal: 4900,
  amount_total: 4900,
  currency: "usd",
  customer: "cus_RfT6kP9gQmZ1xA",
  customer_email: null,
  customer_details: {
    email: "jenny.rosen@example.com",
    name: "Jenny Rosen",
    phone: null,
    address: { city: null, country: "US", line1: null, line2: null, postal_code: "94103", state: null },
  },
  client_reference_id: "user_8f2k1",
  payment_intent: null,
  subscription: "sub_1QxYz2LkdIwHu7ixV3n8pQ4r",
  metadata: {},
  created,
  livemode: false,
};

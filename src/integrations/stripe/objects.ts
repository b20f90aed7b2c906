// The Stripe objects Cue's Stripe triggers carry (https://docs.stripe.com/api). Loose objects:
// Stripe adds fields often, and workflows may read any of them, but the ones listed are typed
// so {{trigger.data.object.…}} references can be checked.
import { z } from "zod";

const metadata = z.record(z.string(), z.string());
const stripeTimestamp = z.number().int();

const address = z
  .object({
    city: z.string().nullable(),
    country: z.string().nullable(),
    line1: z.string().nullable(),
    line2: z.string().nullable(),
    postal_code: z.string().nullable(),
    state: z.string().nullable(),
  })
  .loose();

export const charge = z
  .object({
    id: z.string(),
    object: z.literal("charge"),
    amount: z.number().int(),
    amount_captured: z.number().int(),
    amount_refunded: z.number().int(),
    currency: z.string(),
    customer: z.string().nullable(),
    description: z.string().nullable(),
    receipt_email: z.string().nullable(),
    receipt_url: z.string().nullable(),
    billing_details: z
      .object({
        address: address.nullable(),
        name: z.string().nullable(),
        email: z.string().nullable(),
        phone: z.string().nullable(),
      })
      .loose(),
    failure_code: z.string().nullable(),
    failure_message: z.string().nullable(),
    outcome: z
      .object({ network_status: z.string().nullable(), reason: z.string().nullable(), seller_message: z.string().nullable(), type: z.string() })
      .loose()
      .nullable(),
    paid: z.boolean(),
    payment_intent: z.string().nullable(),
    status: z.enum(["succeeded", "pending", "failed"]),
    metadata,
    created: stripeTimestamp,
    livemode: z.boolean(),
  })
  .loose();

export const paymentIntent = z
  .object({
    id: z.string(),
    object: z.literal("payment_intent"),
    amount: z.number().int(),
    amount_received: z.number().int(),
    currency: z.string(),
    customer: z.string().nullable(),
    description: z.string().nullable(),
    receipt_email: z.string().nullable(),
    status: z.enum(["requires_payment_method", "requires_confirmation", "requires_action", "processing", "requires_capture", "canceled", "succeeded"]),
    last_payment_error: z
      .object({
        code: z.string().optional(),
        decline_code: z.string().optional(),
        message: z.string().optional(),
        type: z.string(),
      })
      .loose()
      .nullable(),
    latest_charge: z.string().nullable(),
    metadata,
    created: stripeTimestamp,
    livemode: z.boolean(),
  })
  .loose();

const price = z
  .object({
    id: z.string(),
    object: z.literal("price"),
    product: z.string(),
    currency: z.string(),
    unit_amount: z.number().int().nullable(),
    recurring: z.object({ interval: z.enum(["day", "week", "month", "year"]), interval_count: z.number().int() }).loose().nullable(),
    nickname: z.string().nullable(),
  })
  .loose();

export const subscription = z
  .object({
    id: z.string(),
    object: z.literal("subscription"),
    customer: z.string(),
    status: z.enum(["incomplete", "incomplete_expired", "trialing", "active", "past_due", "canceled", "unpaid", "paused"]),
    cancel_at_period_end: z.boolean(),
    cancel_at: stripeTimestamp.nullable(),
    canceled_at: stripeTimestamp.nullable(),
    ended_at: stripeTimestamp.nullable(),
    trial_end: stripeTimestamp.nullable(),
    currency: z.string(),
    items: z
      .object({
        object: z.literal("list"),
        data: z.array(
          z
            .object({
              id: z.string(),
              price,
              quantity: z.number().int().optional(),
              // Since API version 2025-03-31 the billing period lives on each item.
              current_period_start: stripeTimestamp.optional(),
              current_period_end: stripeTimestamp.optional(),
            })
            .loose(),
        ),
      })
      .loose(),
    metadata,
    created: stripeTimestamp,
    livemode: z.boolean(),
  })
  .loose();

export const invoice = z
  .object({
    id: z.string(),
    object: z.literal("invoice"),
    customer: z.string().nullable(),
    customer_email: z.string().nullable(),
    customer_name: z.string().nullable(),
    amount_due: z.number().int(),
    amount_paid: z.number().int(),
    amount_remaining: z.number().int(),
    currency: z.string(),
    status: z.enum(["draft", "open", "paid", "uncollectible", "void"]).nullable(),
    number: z.string().nullable(),
    hosted_invoice_url: z.string().nullable(),
    invoice_pdf: z.string().nullable(),
    attempt_count: z.number().int(),
    next_payment_attempt: stripeTimestamp.nullable(),
    billing_reason: z.string().nullable(),
    period_start: stripeTimestamp,
    period_end: stripeTimestamp,
    metadata: metadata.nullable(),
    created: stripeTimestamp,
    livemode: z.boolean(),
  })
  .loose();

export const checkoutSession = z
  .object({
    id: z.string(),
    object: z.literal("checkout.session"),
    mode: z.enum(["payment", "setup", "subscription"]),
    status: z.enum(["open", "complete", "expired"]).nullable(),
    payment_status: z.enum(["paid", "unpaid", "no_payment_required"]),
    amount_subtotal: z.number().int().nullable(),
    amount_total: z.number().int().nullable(),
    currency: z.string().nullable(),
    customer: z.string().nullable(),
    customer_email: z.string().nullable(),
    customer_details: z
      .object({ email: z.string().nullable(), name: z.string().nullable(), phone: z.string().nullable(), address: address.nullable() })
      .loose()
      .nullable(),
    client_reference_id: z.string().nullable(),
    payment_intent: z.string().nullable(),
    subscription: z.string().nullable(),
    metadata: metadata.nullable(),
    created: stripeTimestamp,
    livemode: z.boolean(),
  })
  .loose();

/** The Event envelope every Stripe webhook delivers (https://docs.stripe.com/api/events/object). */
export function stripeEvent<T extends string, O extends z.ZodType>(type: T, object: O) {
  return z
    .object({
      id: z.string(),
      object: z.literal("event"),
      type: z.literal(type),
      api_version: z.string().nullable(),
      created: stripeTimestamp,
      livemode: z.boolean(),
      /** Set for events from connected accounts (Stripe Connect). */
      account: z.string().optional(),
      pending_webhooks: z.number().int(),
      request: z.object({ id: z.string().nullable(), idempotency_key: z.string().nullable() }).loose().nullable(),
      data: z.object({
        object,
        /** On *.updated events: the changed fields with their previous values. */
        previous_attributes: z.record(z.string(), z.unknown()).optional(),
      }),
    })
    .loose();
}

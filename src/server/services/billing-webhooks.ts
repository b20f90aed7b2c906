// Stripe webhooks for Cue's own billing: verify the signature on the raw body, keep only the
// event types billing acts on, store each event once by id, then re-fetch the subscription it
// concerns from Stripe and mirror that (the payload is only a hint of what to re-fetch).
import type Stripe from "stripe";
import type { BillingRuntime } from "@/server/billing/runtime";
import { idOf, isMissingResource, syncSubscription } from "@/server/billing/sync";
import type { Db } from "@/server/db";
import { AppError } from "@/lib/errors";

export const MAX_STRIPE_WEBHOOK_BYTES = 512 * 1024;

/** Seconds a signature's timestamp may be old: Stripe's default, against replayed deliveries. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

type Handler = (billing: BillingRuntime, object: Stripe.Event.Data.Object) => Promise<string | null>;

/** Which subscription an event concerns, read back from Stripe rather than from the payload. */
const subscriptionOfEvent: Record<string, Handler> = {
  "checkout.session.completed": async (billing, object) => {
    const session = await billing.stripe.checkout.sessions.retrieve((object as Stripe.Checkout.Session).id);
    return session.mode === "subscription" ? idOf(session.subscription) : null;
  },
  "customer.subscription.created": async (_billing, object) => (object as Stripe.Subscription).id,
  "customer.subscription.updated": async (_billing, object) => (object as Stripe.Subscription).id,
  "customer.subscription.deleted": async (_billing, object) => (object as Stripe.Subscription).id,
  "invoice.paid": (billing, object) => subscriptionOfInvoice(billing, object as Stripe.Invoice),
  "invoice.payment_failed": (billing, object) => subscriptionOfInvoice(billing, object as Stripe.Invoice),
  // Subscription payments arrive as invoice.paid; a bare payment intent changes no subscription.
  // It is accepted so it is stored (audit) and acknowledged.
  "payment_intent.succeeded": async () => null,
};

export const STRIPE_EVENT_TYPES = Object.keys(subscriptionOfEvent);

async function subscriptionOfInvoice(billing: BillingRuntime, object: Stripe.Invoice): Promise<string | null> {
  if (!object.id) return null;
  const invoice = await billing.stripe.invoices.retrieve(object.id);
  return idOf(invoice.parent?.subscription_details?.subscription);
}

export type StripeWebhookResult =
  | { received: true; ignored: true; type: string }
  | { received: true; duplicate: true; id: string }
  | { received: true; id: string; subscriptionId: string | null };

export async function receiveStripeWebhook(
  db: Db,
  billing: BillingRuntime | null,
  input: { rawBody: string; signature: string | null },
): Promise<StripeWebhookResult> {
  if (!billing) throw new AppError("NOT_FOUND", "Billing is not configured on this server");
  if (!input.signature) throw new AppError("BAD_REQUEST", "Missing Stripe-Signature header");
  let event: Stripe.Event;
  try {
    event = billing.stripe.webhooks.constructEvent(input.rawBody, input.signature, billing.webhookSecret, SIGNATURE_TOLERANCE_SECONDS);
  } catch (error) {
    // The SDK checks the signature first, then parses: a correctly signed body that is not JSON is a body problem.
    if (error instanceof SyntaxError) throw new AppError("BAD_REQUEST", "The body is not valid JSON");
    throw new AppError("BAD_REQUEST", `Invalid Stripe signature: ${(error as Error).message}`);
  }
  const handler = subscriptionOfEvent[event.type];
  // Acknowledged (2xx) so Stripe stops sending it, but neither stored nor acted on.
  if (!handler) return { received: true, ignored: true, type: event.type };

  const stored = await db.stripeEvent.createMany({
    data: [{ id: event.id, type: event.type, createdAt: new Date(event.created * 1000) }],
    skipDuplicates: true,
  });
  if (stored.count === 0) {
    const existing = await db.stripeEvent.findUnique({ where: { id: event.id }, select: { processedAt: true } });
    // Processed before: nothing more to do. Stored but not processed: the earlier attempt failed
    // (and answered 500), so this redelivery is the retry.
    if (existing?.processedAt) return { received: true, duplicate: true, id: event.id };
  }
  try {
    const subscriptionId = await handler(billing, event.data.object);
    if (subscriptionId) await syncSubscription(db, billing, subscriptionId);
    await db.stripeEvent.update({ where: { id: event.id }, data: { processedAt: new Date(), error: null } });
    return { received: true, id: event.id, subscriptionId };
  } catch (error) {
    if (isMissingResource(error)) {
      // The object is gone at Stripe (a deleted test-mode object, say): nothing left to mirror.
      await db.stripeEvent.update({ where: { id: event.id }, data: { processedAt: new Date(), error: "resource missing at Stripe" } });
      return { received: true, id: event.id, subscriptionId: null };
    }
    const message = error instanceof Error ? error.message : String(error);
    // Recording the failure is best effort: the original error is what must reach the caller (a
    // 500, so Stripe redelivers).
    await db.stripeEvent.update({ where: { id: event.id }, data: { error: message.slice(0, 1000) } }).catch(() => undefined);
    throw error;
  }
}

// One trigger per Stripe event type Cue listens to. The payload is Stripe's Event as delivered,
// so workflows read the object at {{trigger.data.object.…}}.
import type { z } from "zod";
import { defineTrigger, type TriggerDefinition } from "../core/define";
import { charge, checkoutSession, invoice, paymentIntent, stripeEvent, subscription } from "./objects";
import * as samples from "./samples";

interface StripeTriggerSpec<O extends z.ZodType> {
  /** Stripe's event type, e.g. "charge.failed"; the canonical key is "stripe." + this. */
  event: string;
  title: string;
  description: string;
  phrases: string[];
  object: O;
  sampleObject: z.output<O>;
  previousAttributes?: Record<string, unknown>;
}

function stripeTrigger<O extends z.ZodType>(spec: StripeTriggerSpec<O>): TriggerDefinition {
  return defineTrigger({
    type: `stripe.${spec.event}`,
    title: spec.title,
    description: spec.description,
    // The raw event name is a phrase too: people paste it from Stripe's dashboard.
    phrases: [...spec.phrases, spec.event],
    payloadSchema: stripeEvent(spec.event, spec.object),
    sample: samples.eventEnvelope(`evt_${spec.event.replace(/\W/g, "_")}_1QxYz2LkdIwHu7ix`, spec.event, spec.sampleObject, spec.previousAttributes),
    event: { name: spec.event },
  });
}

export const stripeTriggers = [
  stripeTrigger({
    event: "charge.succeeded",
    title: "Charge succeeded",
    description: "Starts when a Stripe charge succeeds.",
    phrases: ["payment succeeds", "payment received", "customer pays", "successful payment", "charge succeeds", "someone pays", "paiement reussi", "pago exitoso", "zahlung erfolgreich"],
    object: charge,
    sampleObject: samples.succeededCharge,
  }),
  stripeTrigger({
    event: "charge.failed",
    title: "Charge failed",
    description: "Starts when a Stripe charge fails, e.g. the card is declined.",
    phrases: ["payment fails", "payment failed", "card is declined", "charge fails", "failed payment", "declined card", "card gets declined", "payment is declined", "paiement echoue", "paiement refuse", "falla un pago", "pago fallido", "pago rechazado", "zahlung fehlschlagt", "zahlung fehlgeschlagen"],
    object: charge,
    sampleObject: samples.failedCharge,
  }),
  stripeTrigger({
    event: "payment_intent.succeeded",
    title: "Payment intent succeeded",
    description: "Starts when a Stripe PaymentIntent completes.",
    phrases: ["payment intent succeeds", "payment completes", "payment is completed", "payment goes through"],
    object: paymentIntent,
    sampleObject: samples.succeededPaymentIntent,
  }),
  stripeTrigger({
    event: "payment_intent.payment_failed",
    title: "Payment intent failed",
    description: "Starts when a payment attempt on a Stripe PaymentIntent fails.",
    phrases: ["payment attempt fails", "payment intent fails", "payment does not go through", "insufficient funds"],
    object: paymentIntent,
    sampleObject: samples.failedPaymentIntent,
  }),
  stripeTrigger({
    event: "customer.subscription.created",
    title: "Subscription created",
    description: "Starts when a customer subscribes.",
    phrases: ["new subscription", "customer subscribes", "subscription starts", "someone subscribes", "new subscriber", "subscription created", "subscriber signs up", "customer signs up for a plan"],
    object: subscription,
    sampleObject: samples.activeSubscription,
  }),
  stripeTrigger({
    event: "customer.subscription.updated",
    title: "Subscription updated",
    description: "Starts when a subscription changes: plan, quantity, status or renewal.",
    phrases: ["subscription changes", "plan changes", "customer upgrades", "customer downgrades", "subscription updated", "subscription renews"],
    object: subscription,
    sampleObject: { ...samples.activeSubscription, cancel_at_period_end: true, cancel_at: samples.activeSubscription.created + 31 * 24 * 3600 },
    previousAttributes: { cancel_at_period_end: false, cancel_at: null },
  }),
  stripeTrigger({
    event: "customer.subscription.deleted",
    title: "Subscription canceled",
    description: "Starts when a subscription ends.",
    phrases: ["subscription is canceled", "customer cancels", "customer churns", "subscription ends", "subscription deleted", "cancellation", "subscription cancelled", "customer cancels their subscription"],
    object: subscription,
    sampleObject: {
      ...samples.activeSubscription,
      status: "canceled",
      canceled_at: samples.activeSubscription.created + 40 * 24 * 3600,
      ended_at: samples.activeSubscription.created + 40 * 24 * 3600,
    },
  }),
  stripeTrigger({
    event: "invoice.paid",
    title: "Invoice paid",
    description: "Starts when a Stripe invoice is paid.",
    phrases: ["invoice is paid", "invoice paid", "subscription payment received", "renewal paid", "customer pays an invoice"],
    object: invoice,
    sampleObject: samples.paidInvoice,
  }),
  stripeTrigger({
    event: "invoice.payment_failed",
    title: "Invoice payment failed",
    description: "Starts when paying a Stripe invoice fails, e.g. a subscription renewal.",
    phrases: ["invoice payment fails", "renewal fails", "subscription payment failed", "dunning", "invoice not paid", "failed invoice payment", "failed invoice", "renewal payment fails"],
    object: invoice,
    sampleObject: samples.failedInvoice,
  }),
  stripeTrigger({
    event: "checkout.session.completed",
    title: "Checkout completed",
    description: "Starts when a customer completes a Stripe Checkout session.",
    phrases: ["checkout completed", "customer completes checkout", "someone buys", "new purchase", "new order", "checkout session completed"],
    object: checkoutSession,
    sampleObject: samples.completedCheckoutSession,
  }),
];

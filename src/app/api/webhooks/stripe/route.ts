// Stripe webhooks for Cue's own billing: raw body → verify → store once → mirror (in the service).
import { getBilling } from "@/server/billing/runtime";
import { getDb } from "@/server/db";
import { errorResponse, readRawBody } from "@/server/http/responses";
import { MAX_STRIPE_WEBHOOK_BYTES, receiveStripeWebhook } from "@/server/services/billing-webhooks";

export async function POST(request: Request) {
  try {
    const result = await receiveStripeWebhook(getDb(), getBilling(), {
      // The signature covers the exact bytes Stripe sent: never parse before verifying.
      rawBody: await readRawBody(request, MAX_STRIPE_WEBHOOK_BYTES),
      signature: request.headers.get("stripe-signature"),
    });
    return Response.json(result);
  } catch (error) {
    return errorResponse(error);
  }
}

// Stripe webhooks from connected accounts: raw body → verify with that account's secret → store
// once → start its owner's workflows → 200 (all in the service). Only a failed store is a 5xx: a
// stored event whose dispatch failed is acknowledged and retried by the scheduler tick.
import { getDb } from "@/server/db";
import { errorResponse, readRawBody } from "@/server/http/responses";
import { getKeyRing, getRunQueue } from "@/server/runtime";
import { MAX_CONNECT_WEBHOOK_BYTES, receiveStripeConnectWebhook } from "@/server/services/stripe-connect";

export async function POST(request: Request) {
  try {
    const result = await receiveStripeConnectWebhook(getDb(), getRunQueue(), getKeyRing(), {
      // The signature covers the exact bytes Stripe sent: never parse before verifying.
      rawBody: await readRawBody(request, MAX_CONNECT_WEBHOOK_BYTES),
      signature: request.headers.get("stripe-signature"),
    });
    return Response.json(result);
  } catch (error) {
    return errorResponse(error);
  }
}

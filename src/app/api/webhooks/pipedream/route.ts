// Pipedream Connect account events: HMAC over the raw body → create, revoke or flag the connection.
import { env } from "@/env";
import { getDb } from "@/server/db";
import { errorResponse, readRawBody } from "@/server/http/responses";
import { getKeyRing } from "@/server/runtime";
import { MAX_PIPEDREAM_BODY_BYTES, PIPEDREAM_SIGNATURE_HEADER, receivePipedreamWebhook } from "@/server/services/pipedream-connect";

export async function POST(request: Request) {
  try {
    const result = await receivePipedreamWebhook(getDb(), getKeyRing(), env.PIPEDREAM_WEBHOOK_SECRET, {
      rawBody: await readRawBody(request, MAX_PIPEDREAM_BODY_BYTES),
      signature: request.headers.get(PIPEDREAM_SIGNATURE_HEADER),
    });
    return Response.json(result);
  } catch (error) {
    return errorResponse(error);
  }
}

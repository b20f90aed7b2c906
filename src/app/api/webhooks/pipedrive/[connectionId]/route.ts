// Pipedrive webhooks v2 for one connection (the path segment is the connection's webhook token):
// Basic auth → store once → 202 → dispatch, all in the service.
import { getDb } from "@/server/db";
import { errorResponse, readRawBody } from "@/server/http/responses";
import { getKeyRing, getRunQueue } from "@/server/runtime";
import { MAX_PIPEDRIVE_BODY_BYTES, receivePipedriveWebhook } from "@/server/services/pipedrive-events";

export async function POST(request: Request, { params }: { params: Promise<{ connectionId: string }> }) {
  try {
    const result = await receivePipedriveWebhook(getDb(), getRunQueue(), getKeyRing(), {
      token: (await params).connectionId,
      authorization: request.headers.get("authorization"),
      rawBody: await readRawBody(request, MAX_PIPEDRIVE_BODY_BYTES),
    });
    return Response.json(result, { status: 202 });
  } catch (error) {
    return errorResponse(error);
  }
}

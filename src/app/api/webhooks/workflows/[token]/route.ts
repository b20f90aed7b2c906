// Inbound webhook for workflows with a webhook.received trigger: verify, store the run, answer.
import { getDb } from "@/server/db";
import { errorResponse, readRawBody } from "@/server/http/responses";
import { getKeyRing, getRunQueue } from "@/server/runtime";
import { MAX_WEBHOOK_BODY_BYTES, receiveWorkflowWebhook } from "@/server/services/dispatch";

async function handle(request: Request, { params }: { params: Promise<{ token: string }> }) {
  try {
    const url = new URL(request.url);
    const result = await receiveWorkflowWebhook(getDb(), getRunQueue(), getKeyRing(), {
      token: (await params).token,
      method: request.method,
      headers: request.headers,
      query: url.searchParams,
      rawBody: await readRawBody(request, MAX_WEBHOOK_BODY_BYTES),
    });
    return Response.json(result, { status: 202 });
  } catch (error) {
    return errorResponse(error);
  }
}

export { handle as POST, handle as PUT, handle as GET };

// Webhooks from GitHub repositories for one GitHub connection: verify, dispatch, answer.
import { getDb } from "@/server/db";
import { errorResponse, readRawBody } from "@/server/http/responses";
import { getKeyRing, getRunQueue } from "@/server/runtime";
import { MAX_GITHUB_BODY_BYTES, receiveGithubWebhook } from "@/server/services/github-webhooks";

export async function POST(request: Request, { params }: { params: Promise<{ connectionId: string }> }) {
  try {
    const result = await receiveGithubWebhook(getDb(), getRunQueue(), getKeyRing(), {
      connectionId: (await params).connectionId,
      headers: request.headers,
      rawBody: await readRawBody(request, MAX_GITHUB_BODY_BYTES),
    });
    return Response.json({ event: result.event, duplicate: result.duplicate ?? false, runs: result.runIds.length }, { status: 202 });
  } catch (error) {
    return errorResponse(error);
  }
}

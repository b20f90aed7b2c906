// Shared pieces of the REST route handlers (webhooks, OAuth callbacks): bounded raw bodies and
// AppError → JSON responses, so every handler answers errors the same way.
import { AppError } from "@/lib/errors";

/** Reads the raw body, refusing more than `limit` bytes without buffering past it. */
export async function readRawBody(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) throw new AppError("PAYLOAD_TOO_LARGE", `The body is larger than ${limit} bytes`);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new AppError("PAYLOAD_TOO_LARGE", `The body is larger than ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function errorResponse(error: unknown): Response {
  if (error instanceof AppError) {
    return Response.json({ error: error.message }, { status: error.httpStatus });
  }
  console.error("route handler failed:", error instanceof Error ? error.message : error);
  return Response.json({ error: "Internal error" }, { status: 500 });
}

// Webhooks from GitHub repositories into a user's GitHub connection: the repository's webhook
// (content type application/json) points at /api/webhooks/github/<connectionId> and is signed
// with the secret the user saved on that connection (X-Hub-Signature-256). Deliveries are
// deduplicated by X-GitHub-Delivery through dispatchEvent.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { RunQueue } from "@/queue/types";
import { decryptSecret, type KeyRing } from "@/server/crypto/secrets";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import type { StoredSecrets } from "@/server/oauth/hooks";
import { dispatchEvent } from "@/server/services/dispatch";

export const MAX_GITHUB_BODY_BYTES = 5 * 1024 * 1024;

export function githubSignature(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

function matches(expected: string, given: string | null): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given.trim());
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface GithubDelivery {
  connectionId: string;
  headers: Headers;
  rawBody: string;
}

export async function receiveGithubWebhook(db: Db, queue: RunQueue, keys: KeyRing, delivery: GithubDelivery) {
  const connection = await db.connection.findFirst({
    where: { id: delivery.connectionId, provider: "github" },
    select: { id: true, secrets: true, status: true },
  });
  if (!connection || connection.status === "revoked") throw new AppError("NOT_FOUND", "No GitHub connection listens at this URL");
  const { webhookSecret } = JSON.parse(decryptSecret(keys, connection.secrets)) as StoredSecrets;
  if (!webhookSecret) {
    throw new AppError("FORBIDDEN", "This GitHub connection has no webhook secret: reconnect it with one to receive events");
  }
  if (!matches(githubSignature(webhookSecret, delivery.rawBody), delivery.headers.get("x-hub-signature-256"))) {
    throw new AppError("UNAUTHORIZED", "Missing or invalid X-Hub-Signature-256");
  }
  const event = delivery.headers.get("x-github-event");
  const deliveryId = delivery.headers.get("x-github-delivery");
  if (!event || !deliveryId) throw new AppError("BAD_REQUEST", "Missing X-GitHub-Event or X-GitHub-Delivery header");
  if (event === "ping") return { event, runIds: [] as string[] };
  let payload: unknown;
  try {
    payload = JSON.parse(delivery.rawBody);
  } catch {
    throw new AppError("BAD_REQUEST", "The body is not valid JSON (set the webhook's content type to application/json)");
  }
  const action = (payload as { action?: unknown } | null)?.action;
  const eventType = typeof action === "string" ? `${event}.${action}` : event;
  const { runIds } = await dispatchEvent(db, queue, "github", eventType, payload, { connectionId: connection.id }, { eventId: deliveryId });
  return { event: eventType, runIds };
}

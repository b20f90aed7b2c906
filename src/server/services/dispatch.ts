// Where events become runs. Provider webhooks (Stripe, Pipedrive, GitHub), inbound workflow
// webhooks and the scheduler all end here: find the matching active workflows, insert one run
// each (deduplicated by the event's own id), enqueue.
import { createHmac, timingSafeEqual } from "node:crypto";
import { Cron } from "croner";
import type { WorkflowGraph } from "@/engine/types";
import { triggersForEvent } from "@/integrations/registry";
import type { RunQueue } from "@/queue/types";
import { decryptSecret, type KeyRing } from "@/server/crypto/secrets";
import type { Db } from "@/server/db";
import { AppError } from "@/lib/errors";
import { cachedWebhookWorkflow } from "@/server/http/webhook-cache";
import { startRuns, type NewRun } from "@/server/services/runs";

/** Whose workflows an event may start: the owner of the account it came from. */
export type AccountRef = { userId: string } | { connectionId: string } | { externalAccountId: string; provider: string };

async function ownersOf(db: Db, ref: AccountRef): Promise<string[]> {
  if ("userId" in ref) return [ref.userId];
  const connections = await db.connection.findMany({
    where: "connectionId" in ref ? { id: ref.connectionId } : { provider: ref.provider, externalAccountId: ref.externalAccountId },
    select: { userId: true },
  });
  return [...new Set(connections.map((c) => c.userId))];
}

/**
 * Starts every matching active workflow of the account's owner, once per event: the event's id
 * (payload.id, as Stripe, GitHub deliveries and Pipedrive send) deduplicates repeated deliveries.
 */
export async function dispatchEvent(
  db: Db,
  queue: RunQueue,
  provider: string,
  eventType: string,
  payload: unknown,
  account: AccountRef,
  options: { eventId?: string } = {},
): Promise<{ runIds: string[]; matched: number }> {
  const triggerTypes = triggersForEvent(provider, eventType, payload);
  if (triggerTypes.length === 0) return { runIds: [], matched: 0 };
  const userIds = await ownersOf(db, account);
  if (userIds.length === 0) return { runIds: [], matched: 0 };
  const workflows = await db.workflow.findMany({
    where: { userId: { in: userIds }, status: "active", triggerType: { in: triggerTypes } },
    select: { id: true, userId: true, activeVersionId: true, triggerType: true },
  });
  const eventId = options.eventId ?? idOf(payload);
  const runs: NewRun[] = workflows.map((w) => ({
    workflowId: w.id,
    userId: w.userId,
    versionId: w.activeVersionId,
    triggerType: w.triggerType!,
    trigger: payload,
    dedupKey: eventId ? `${provider}:${eventId}` : null,
  }));
  return { runIds: await startRuns(db, queue, runs), matched: workflows.length };
}

function idOf(payload: unknown): string | undefined {
  const id = (payload as { id?: unknown } | null)?.id;
  return typeof id === "string" || typeof id === "number" ? String(id) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Inbound webhooks: POST /api/webhooks/workflows/<token>
// ---------------------------------------------------------------------------------------------

export const WEBHOOK_SIGNATURE_HEADER = "x-cue-signature";
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

export function signWebhookBody(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

function signatureMatches(secret: string, body: string, header: string | null): boolean {
  if (!header) return false;
  const expected = Buffer.from(signWebhookBody(secret, body));
  const given = Buffer.from(header.trim());
  return expected.length === given.length && timingSafeEqual(expected, given);
}

// Headers that carry credentials are not stored in the run's payload.
const PRIVATE_HEADERS = new Set(["authorization", "cookie", "proxy-authorization", WEBHOOK_SIGNATURE_HEADER]);

export interface InboundWebhook {
  token: string;
  method: string;
  headers: Headers;
  query: URLSearchParams;
  rawBody: string;
}

export async function receiveWorkflowWebhook(db: Db, queue: RunQueue, keys: KeyRing, hook: InboundWebhook) {
  const workflow = await cachedWebhookWorkflow(hook.token, async () => {
    const row = await db.workflow.findUnique({
      where: { webhookToken: hook.token },
      select: { id: true, userId: true, status: true, triggerType: true, activeVersionId: true, webhookSecret: true },
    });
    if (!row) return null;
    return {
      id: row.id,
      userId: row.userId,
      active: row.status === "active" && row.triggerType === "webhook.received",
      activeVersionId: row.activeVersionId,
      secret: row.webhookSecret ? decryptSecret(keys, row.webhookSecret) : null,
    };
  });
  if (!workflow?.active) throw new AppError("NOT_FOUND", "No active workflow listens at this URL");
  if (workflow.secret !== null && !signatureMatches(workflow.secret, hook.rawBody, hook.headers.get(WEBHOOK_SIGNATURE_HEADER))) {
    throw new AppError("UNAUTHORIZED", `Missing or invalid ${WEBHOOK_SIGNATURE_HEADER} signature`);
  }
  let body: unknown = hook.rawBody;
  if ((hook.headers.get("content-type") ?? "").includes("json") && hook.rawBody) {
    try {
      body = JSON.parse(hook.rawBody);
    } catch {
      throw new AppError("BAD_REQUEST", "The body is not valid JSON");
    }
  } else if ((hook.headers.get("content-type") ?? "").includes("application/x-www-form-urlencoded")) {
    body = Object.fromEntries(new URLSearchParams(hook.rawBody));
  }
  const headers = Object.fromEntries([...hook.headers.entries()].filter(([name]) => !PRIVATE_HEADERS.has(name)));
  const payload = { method: hook.method, headers, query: Object.fromEntries(hook.query), body };
  const idempotencyKey = hook.headers.get("idempotency-key");
  const runIds = await startRuns(db, queue, [
    {
      workflowId: workflow.id,
      userId: workflow.userId,
      versionId: workflow.activeVersionId,
      triggerType: "webhook.received",
      trigger: payload,
      dedupKey: idempotencyKey ? `webhook:${idempotencyKey.slice(0, 200)}` : null,
    },
  ]);
  return { runId: runIds[0] ?? null, duplicate: runIds.length === 0 };
}

// ---------------------------------------------------------------------------------------------
// Schedules: each active schedule.cron workflow fires at nextFireAt. The row is advanced with a
// compare-and-set on the old value and the run is keyed by the occurrence, so however many
// processes tick, each occurrence fires once; occurrences missed while nothing ran fire on the
// next tick (up to MAX_CATCH_UP each).
// ---------------------------------------------------------------------------------------------

const MAX_CATCH_UP = 10;

export async function fireDueSchedules(db: Db, queue: RunQueue, now: Date): Promise<number> {
  const due = await db.workflow.findMany({
    where: { status: "active", triggerType: "schedule.cron", nextFireAt: { lte: now } },
    select: { id: true, userId: true, activeVersionId: true, nextFireAt: true },
    take: 100,
  });
  let fired = 0;
  for (const workflow of due) {
    const version = workflow.activeVersionId
      ? await db.workflowVersion.findUnique({ where: { id: workflow.activeVersionId }, select: { graph: true } })
      : null;
    const trigger = (version?.graph as unknown as WorkflowGraph | undefined)?.nodes.find((n) => n.type === "schedule.cron");
    const config = (trigger?.config ?? {}) as { cron?: string; timezone?: string };
    if (!config.cron) continue;
    const cron = new Cron(config.cron, { timezone: config.timezone ?? "UTC", paused: true });
    const occurrences: Date[] = [];
    let next: Date | null = workflow.nextFireAt!;
    while (next && next <= now && occurrences.length < MAX_CATCH_UP) {
      occurrences.push(next);
      next = cron.nextRun(next);
    }
    // Skip far-behind occurrences beyond the catch-up window.
    while (next && next <= now) next = cron.nextRun(now);
    const { count } = await db.workflow.updateMany({
      where: { id: workflow.id, nextFireAt: workflow.nextFireAt },
      data: { nextFireAt: next },
    });
    if (count === 0) continue; // another process advanced it
    const runIds = await startRuns(
      db,
      queue,
      occurrences.map((at) => ({
        workflowId: workflow.id,
        userId: workflow.userId,
        versionId: workflow.activeVersionId,
        triggerType: "schedule.cron",
        trigger: { firedAt: at.toISOString(), cron: config.cron, timezone: config.timezone ?? "UTC" },
        dedupKey: `cron:${at.toISOString()}`,
      })),
    );
    fired += runIds.length;
  }
  return fired;
}

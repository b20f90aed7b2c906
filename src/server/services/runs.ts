// Runs: starting them (manual, test, events, webhooks, schedules), reading their history,
// replaying failures and cancelling. Rows are committed before the queue hears of them.
import { randomUUID } from "node:crypto";
import type { WorkflowGraph } from "@/engine/types";
import { validateGraph } from "@/engine";
import { Prisma } from "@/generated/prisma/client";
import type { RunStatus } from "@/generated/prisma/enums";
import { GroupCommit } from "@/queue/group-commit";
import type { ClaimedRun } from "@/queue/claim";
import type { IntakeLease, QueuedRun, RunQueue } from "@/queue/types";
import { decideRunQuota, QUOTA_EXCEEDED } from "@/server/billing/entitlements";
import { getCatalog } from "@/server/catalog";
import { sqlOf, type Db } from "@/server/db";
import { AppError, notFound } from "@/lib/errors";
import { triggerTypeOf } from "@/server/services/workflows";

export interface NewRun {
  workflowId: string;
  userId: string;
  versionId: string | null;
  triggerType: string;
  trigger: unknown;
  dedupKey?: string | null;
  test?: boolean;
  dryRun?: boolean;
  graph?: WorkflowGraph;
}

// The intake's one statement: many runs, duplicates skipped by the (workflowId, dedupKey) unique
// index, the inserted ones returned. Rows travel as one JSON parameter, so the statement text
// (and its plan) is the same whatever the batch size. A row offered a lease (lockedBy set: the
// in-process queue has a free slot for it) is inserted already running under that lease, unless
// its workflow has a concurrency limit (those are claimed under the workflow's lock, claim.ts).
const INSERT_RUNS = `INSERT INTO "WorkflowRun" (id, "workflowId", "userId", "versionId", status, "triggerType", trigger, graph, test, "dryRun", "dedupKey",
    error, "finishedAt", "lockedBy", "lockedUntil", "startedAt")
  SELECT x.id, x."workflowId", x."userId", x."versionId", (CASE WHEN l.leased THEN 'running' ELSE x.status END)::"RunStatus", x."triggerType",
    COALESCE(x.trigger, 'null'::jsonb), x.graph, x.test, x."dryRun", x."dedupKey", x.error, x."finishedAt",
    CASE WHEN l.leased THEN x."lockedBy" END, CASE WHEN l.leased THEN x."lockedUntil" END, CASE WHEN l.leased THEN $2::timestamp(3) END
  FROM jsonb_to_recordset($1::jsonb) AS x(id text, "workflowId" text, "userId" text, "versionId" text, status text, "triggerType" text,
    trigger jsonb, graph jsonb, test boolean, "dryRun" boolean, "dedupKey" text, error jsonb, "finishedAt" timestamp(3), "lockedBy" text,
    "lockedUntil" timestamp(3))
  LEFT JOIN "Workflow" w ON w.id = x."workflowId"
  CROSS JOIN LATERAL (SELECT x."lockedBy" IS NOT NULL AND w."maxConcurrency" IS NULL AS leased) l
  ON CONFLICT ("workflowId", "dedupKey") DO NOTHING
  RETURNING id, status::text AS status`;

interface CreatedRun extends QueuedRun {
  status: string;
}

interface IntakeRequest {
  runs: readonly NewRun[];
  queue: RunQueue;
}

/** Inserts one batch of runs (from any number of callers) in one statement; per request, the runs created. */
async function insertRuns(db: Db, requests: IntakeRequest[]): Promise<CreatedRun[][]> {
  const runs = requests.flatMap((request) => request.runs);
  // Billing: runs over the owner's monthly quota are recorded as failed (quota_exceeded), not run.
  const quota = await decideRunQuota(db, runs);
  const now = new Date();
  // Free worker slots, per queue (in practice the process's one queue), for runs that will run.
  const leases = new Map<RunQueue, IntakeLease | undefined>();
  const wanted = new Map<RunQueue, number>();
  let i = 0;
  for (const request of requests) {
    for (const _ of request.runs) if (!quota[i++]!.refused) wanted.set(request.queue, (wanted.get(request.queue) ?? 0) + 1);
  }
  for (const [queue, count] of wanted) leases.set(queue, queue.reserve?.(count));
  const left = new Map([...leases].map(([queue, lease]) => [queue, lease?.slots ?? 0]));
  i = 0;
  const rows = requests.flatMap((request) => {
    const queueLease = leases.get(request.queue);
    return request.runs.map((run) => {
      const refused = quota[i++]!.refused;
      const leased = !refused && queueLease !== undefined && left.get(request.queue)! > 0;
      if (leased) left.set(request.queue, left.get(request.queue)! - 1);
      return {
        id: randomUUID(),
        workflowId: run.workflowId,
        userId: run.userId,
        versionId: run.versionId,
        triggerType: run.triggerType,
        trigger: run.trigger ?? null,
        graph: run.graph ?? null,
        test: run.test ?? false,
        dryRun: run.dryRun ?? false,
        dedupKey: run.dedupKey ?? null,
        lockedBy: leased ? queueLease.workerId : null,
        lockedUntil: leased ? queueLease.until : null,
        ...(refused
          ? { status: "failed", error: { nodeId: "", code: QUOTA_EXCEEDED, message: quota[i - 1]!.message! }, finishedAt: now }
          : { status: "queued", error: null, finishedAt: null }),
      };
    });
  });
  let inserted: { id: string; status: string }[];
  try {
    ({ rows: inserted } = await sqlOf(db)<{ id: string; status: string }>(INSERT_RUNS, [JSON.stringify(rows), now]));
  } catch (error) {
    for (const queueLease of leases.values()) queueLease?.start([]);
    throw error;
  }
  const status = new Map(inserted.map((row) => [row.id, row.status]));
  // Runs inserted running are the queue's already: it starts them once the callers are answered.
  const started = new Map<RunQueue, ClaimedRun[]>();
  let next = 0;
  const created = requests.map((request) =>
    request.runs.flatMap(() => {
      const row = rows[next++]!;
      const created = status.get(row.id);
      if (!created) return [];
      if (created === "running") {
        const { id, workflowId, userId, versionId, trigger, graph, dryRun, test } = row;
        started.set(request.queue, [...(started.get(request.queue) ?? []), { id, workflowId, userId, versionId, trigger, graph, dryRun, test }]);
      }
      return [{ id: row.id, userId: row.userId, workflowId: row.workflowId, status: created }];
    }),
  );
  for (const [queue, queueLease] of leases) queueLease?.start(started.get(queue) ?? []);
  return created;
}

const intakes = new WeakMap<Db, GroupCommit<IntakeRequest, CreatedRun[]>>();

/**
 * Inserts runs, skipping any whose (workflow, dedupKey) already exists, then enqueues the new
 * ones. Returns the ids created: a duplicate delivery creates nothing. Concurrent callers (a burst
 * of webhooks) share one INSERT through group commit, and each returns only after the statement
 * carrying its runs has committed, so a webhook is still acknowledged only once its run is stored.
 * When the in-process queue has free worker slots, runs are inserted already leased to it and
 * start without a claim (IntakeLease); the others are enqueued.
 */
export async function startRuns(db: Db, queue: RunQueue, runs: readonly NewRun[]): Promise<string[]> {
  if (runs.length === 0) return [];
  let intake = intakes.get(db);
  if (!intake) intakes.set(db, (intake = new GroupCommit((requests) => insertRuns(db, requests))));
  const created = await intake.submit({ runs, queue });
  await queue.enqueue(created.filter((r) => r.status === "queued").map(({ id, userId, workflowId }) => ({ id, userId, workflowId })));
  return created.map((r) => r.id);
}

async function ownedWorkflow(db: Db, userId: string, id: string) {
  const workflow = await db.workflow.findFirst({ where: { id, userId } });
  if (!workflow) throw notFound("Workflow");
  return workflow;
}

/** Runs the saved draft now, with the trigger's sample payload unless one is given. */
export async function testRun(db: Db, queue: RunQueue, userId: string, input: { id: string; payload?: unknown; dryRun?: boolean }) {
  const workflow = await ownedWorkflow(db, userId, input.id);
  const graph = workflow.graph as unknown as WorkflowGraph;
  const validation = validateGraph(graph, getCatalog());
  if (!validation.ok) {
    throw new AppError("BAD_REQUEST", `Fix the workflow before testing it: ${validation.issues[0]?.message}`, { issues: validation.issues });
  }
  const triggerType = triggerTypeOf(graph)!;
  const payload = input.payload !== undefined ? input.payload : getCatalog().get(triggerType)?.sample;
  const [runId] = await startRuns(db, queue, [
    { workflowId: workflow.id, userId, versionId: null, triggerType, trigger: payload, test: true, dryRun: input.dryRun ?? false, graph },
  ]);
  return { runId: runId! };
}

/** "Run now": an active workflow's current version, as if its trigger had fired with this payload. */
export async function runNow(db: Db, queue: RunQueue, userId: string, input: { id: string; payload?: unknown }) {
  const workflow = await ownedWorkflow(db, userId, input.id);
  if (workflow.status !== "active" || !workflow.activeVersionId || !workflow.triggerType) {
    throw new AppError("BAD_REQUEST", "Activate the workflow before running it (or use a test run).");
  }
  const payload = input.payload !== undefined ? input.payload : { data: {} };
  const [runId] = await startRuns(db, queue, [
    { workflowId: workflow.id, userId, versionId: workflow.activeVersionId, triggerType: workflow.triggerType, trigger: payload },
  ]);
  return { runId: runId! };
}

const runSummarySelect = {
  id: true,
  status: true,
  triggerType: true,
  test: true,
  dryRun: true,
  error: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
} as const;

export async function listRuns(
  db: Db,
  userId: string,
  input: { workflowId: string; status?: RunStatus; cursor?: string | null; limit: number },
) {
  await ownedWorkflow(db, userId, input.workflowId);
  const rows = await db.workflowRun.findMany({
    where: { workflowId: input.workflowId, userId, ...(input.status ? { status: input.status } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
    select: runSummarySelect,
  });
  const items = rows.slice(0, input.limit);
  return { items, nextCursor: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
}

/**
 * The trigger step of a started run. The write path does not store it: its output is the run's
 * trigger payload, which the run row already holds (runs started before that was the case have a
 * stored one, which wins).
 */
function triggerStep(
  graph: WorkflowGraph,
  run: { status: string; trigger: unknown; startedAt: Date | null; steps: { nodeId: string }[] },
) {
  const trigger = graph.nodes.find((node) => getCatalog().get(node.type)?.kind === "trigger");
  if (!trigger || !run.startedAt || run.status === "queued" || run.steps.some((step) => step.nodeId === trigger.id)) return [];
  return [
    {
      nodeId: trigger.id,
      status: "succeeded" as const,
      input: null,
      output: run.trigger,
      preview: null,
      error: null,
      attempts: 1,
      startedAt: run.startedAt,
      finishedAt: run.startedAt,
      resumeAt: null,
    },
  ];
}

export async function getRun(db: Db, userId: string, id: string) {
  const run = await db.workflowRun.findFirst({
    where: { id, userId },
    select: {
      ...runSummarySelect,
      workflowId: true,
      trigger: true,
      resumeAt: true,
      graph: true,
      version: { select: { version: true, graph: true } },
      steps: {
        select: {
          nodeId: true,
          status: true,
          input: true,
          output: true,
          preview: true,
          error: true,
          attempts: true,
          startedAt: true,
          finishedAt: true,
          resumeAt: true,
        },
      },
    },
  });
  if (!run) throw notFound("Run");
  const graph = (run.graph ?? run.version?.graph ?? { nodes: [], edges: [] }) as unknown as WorkflowGraph;
  // Steps in the graph's order, so the timeline reads top to bottom.
  const order = new Map(graph.nodes.map((node, index) => [node.id, index]));
  const steps = [...run.steps, ...triggerStep(graph, run)].sort(
    (a, b) =>
      (a.startedAt?.getTime() ?? Infinity) - (b.startedAt?.getTime() ?? Infinity) ||
      (order.get(a.nodeId) ?? 0) - (order.get(b.nodeId) ?? 0),
  );
  const { graph: _graph, version, ...rest } = run;
  return {
    ...rest,
    version: version?.version ?? null,
    nodes: graph.nodes.map((node) => ({ id: node.id, type: node.type })),
    steps: steps.map((step) => ({ ...step, error: step.error as { message: string; code: string; retryable: boolean } | null })),
  };
}

/**
 * Re-runs a failed run from its failed step with the workflow's current configuration (the draft
 * for test runs, the active version otherwise), so fixing a step and replaying is how a failure
 * gets resolved. Steps that succeeded are kept and not repeated.
 */
export async function replayRun(db: Db, queue: RunQueue, userId: string, id: string) {
  const run = await db.workflowRun.findFirst({
    where: { id, userId },
    select: { id: true, status: true, test: true, userId: true, workflowId: true, workflow: { select: { graph: true, activeVersionId: true } } },
  });
  if (!run) throw notFound("Run");
  if (run.status !== "failed") throw new AppError("BAD_REQUEST", "Only a failed run can be replayed.");
  const configuration = run.test
    ? { graph: run.workflow.graph as Prisma.InputJsonValue }
    : run.workflow.activeVersionId
      ? { versionId: run.workflow.activeVersionId }
      : {};
  await db.$transaction([
    db.runStep.deleteMany({ where: { runId: id, status: { notIn: ["succeeded", "skipped"] } } }),
    db.workflowRun.update({
      where: { id },
      data: {
        ...configuration,
        status: "queued",
        error: Prisma.JsonNull,
        finishedAt: null,
        resumeAt: null,
        lockedBy: null,
        lockedUntil: null,
      },
    }),
  ]);
  await queue.enqueue([{ id, userId: run.userId, workflowId: run.workflowId }]);
  return { id };
}

export async function cancelRun(db: Db, queue: RunQueue, userId: string, id: string) {
  const run = await db.workflowRun.findFirst({ where: { id, userId }, select: { id: true } });
  if (!run) throw notFound("Run");
  const { count } = await db.workflowRun.updateMany({
    where: { id, status: { in: ["queued", "running", "waiting"] } },
    data: { status: "cancelled", finishedAt: new Date(), lockedBy: null, lockedUntil: null, resumeAt: null },
  });
  if (count === 0) throw new AppError("BAD_REQUEST", "This run has already finished.");
  queue.abort(id);
  return { id };
}

// Runs: starting them (manual, test, events, webhooks, schedules), reading their history,
// replaying failures and cancelling. Rows are committed before the queue hears of them.
import type { WorkflowGraph } from "@/engine/types";
import { validateGraph } from "@/engine";
import { Prisma } from "@/generated/prisma/client";
import type { RunStatus } from "@/generated/prisma/enums";
import type { RunQueue } from "@/queue/types";
import { decideRunQuota, QUOTA_EXCEEDED } from "@/server/billing/entitlements";
import { getCatalog } from "@/server/catalog";
import type { Db } from "@/server/db";
import { AppError, notFound } from "@/server/errors";
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

const asJson = (value: unknown) => (value === undefined ? Prisma.JsonNull : (JSON.parse(JSON.stringify(value ?? null)) as Prisma.InputJsonValue));

/**
 * Inserts runs, skipping any whose (workflow, dedupKey) already exists, then enqueues the new
 * ones. Returns the ids created: a duplicate delivery creates nothing.
 */
export async function startRuns(db: Db, queue: RunQueue, runs: readonly NewRun[]): Promise<string[]> {
  if (runs.length === 0) return [];
  // Billing: runs over the owner's monthly quota are recorded as failed (quota_exceeded), not run.
  const quota = await decideRunQuota(db, runs);
  const created = await db.workflowRun.createManyAndReturn({
    data: runs.map((run, i) => ({
      workflowId: run.workflowId,
      userId: run.userId,
      versionId: run.versionId,
      triggerType: run.triggerType,
      trigger: asJson(run.trigger),
      dedupKey: run.dedupKey ?? null,
      test: run.test ?? false,
      dryRun: run.dryRun ?? false,
      graph: run.graph ? asJson(run.graph) : Prisma.JsonNull,
      ...(quota[i]!.refused
        ? { status: "failed" as const, error: { nodeId: "", code: QUOTA_EXCEEDED, message: quota[i]!.message! }, finishedAt: new Date() }
        : {}),
    })),
    skipDuplicates: true,
    select: { id: true, status: true, userId: true, workflowId: true },
  });
  const ids = created.map((r) => r.id);
  await queue.enqueue(created.filter((r) => r.status === "queued").map(({ id, userId, workflowId }) => ({ id, userId, workflowId })));
  return ids;
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
  const steps = [...run.steps].sort(
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

// Executes one claimed run: loads its graph and earlier step results from the database, runs the
// engine, and records every step as it settles, so a worker that dies loses nothing and a resumed
// run repeats no step that had succeeded.
import { executeRun, type ExecuteResult } from "@/engine";
import type { GetCredentials, NodeCatalog, StepResult, WorkflowGraph } from "@/engine/types";
import { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";

export interface RunDeps {
  db: Db;
  catalog: NodeCatalog;
  getCredentials: GetCredentials;
  /** Test hooks; production uses the engine's defaults. */
  retry?: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
  stepTimeoutMs?: number;
}

const json = (value: unknown) =>
  value === undefined || value === null ? Prisma.JsonNull : (JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue);

function toStepResult(row: {
  nodeId: string;
  status: StepResult["status"];
  input: unknown;
  output: unknown;
  error: unknown;
  attempts: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  resumeAt: Date | null;
}): StepResult {
  return {
    nodeId: row.nodeId,
    status: row.status,
    input: row.input ?? undefined,
    output: row.output ?? undefined,
    error: (row.error as StepResult["error"]) ?? undefined,
    attempts: row.attempts,
    startedAt: row.startedAt ?? undefined,
    finishedAt: row.finishedAt ?? undefined,
    resumeAt: row.resumeAt ?? undefined,
  };
}

function stepData(step: StepResult) {
  return {
    status: step.status,
    input: json(step.input),
    output: json(step.output),
    preview: json(step.preview),
    error: json(step.error),
    attempts: step.attempts,
    startedAt: step.startedAt ?? null,
    finishedAt: step.finishedAt ?? null,
    resumeAt: step.resumeAt ?? null,
  };
}

function upsertStep(db: Db, runId: string, step: StepResult) {
  const data = stepData(step);
  return db.runStep.upsert({
    where: { runId_nodeId: { runId, nodeId: step.nodeId } },
    create: { runId, nodeId: step.nodeId, ...data },
    update: data,
  });
}

// A step still running after this long is written as running, so the run view shows progress
// on slow actions; fast steps never pay for that write.
const SHOW_RUNNING_AFTER_MS = 250;

/**
 * The run's write path. Step results are buffered and written in one transaction at the points
 * that matter for crash safety: when an action settles (before the next side effect can start)
 * and when the run settles (together with the run row). A trigger and a condition before an
 * action therefore cost no write of their own. A step that has not been written is simply run
 * again after a crash, which is harmless because only actions have side effects and every
 * settled action is written before anything else happens.
 */
class StepWriter {
  private readonly pending = new Map<string, StepResult>();
  private runningTimer: NodeJS.Timeout | undefined;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly runId: string,
    private readonly isAction: (nodeId: string) => boolean,
  ) {}

  record = async (step: StepResult): Promise<void> => {
    clearTimeout(this.runningTimer);
    this.pending.set(step.nodeId, step);
    if (step.status === "running") {
      // A retry (it carries the last error) is shown at once; a fresh start only if it is slow.
      if (step.error) return this.flush();
      this.runningTimer = setTimeout(() => void this.flush().catch(() => undefined), SHOW_RUNNING_AFTER_MS);
      return;
    }
    if (this.isAction(step.nodeId)) await this.flush();
  };

  /** Writes what is buffered, plus `also` in the same transaction. Writes never overlap. */
  flush(also: Prisma.PrismaPromise<unknown>[] = []): Promise<void> {
    clearTimeout(this.runningTimer);
    const steps = [...this.pending.values()];
    this.pending.clear();
    const write = this.chain.then(async () => {
      const operations = [...steps.map((step) => upsertStep(this.db, this.runId, step)), ...also];
      if (operations.length) await this.db.$transaction(operations);
    });
    this.chain = write.catch(() => undefined);
    return write;
  }
}

// Versions never change once created, so their parsed graphs are kept: this also lets the
// engine reuse its execution plan, which it caches per graph object.
const versionGraphs = new Map<string, WorkflowGraph>();
const MAX_CACHED_VERSIONS = 1_000;

async function graphOf(db: Db, run: { versionId: string | null; graph: unknown }): Promise<WorkflowGraph | undefined> {
  if (run.graph) return run.graph as WorkflowGraph;
  if (!run.versionId) return undefined;
  const cached = versionGraphs.get(run.versionId);
  if (cached) return cached;
  const version = await db.workflowVersion.findUnique({ where: { id: run.versionId }, select: { graph: true } });
  if (!version) return undefined;
  if (versionGraphs.size >= MAX_CACHED_VERSIONS) versionGraphs.delete(versionGraphs.keys().next().value!);
  const graph = version.graph as unknown as WorkflowGraph;
  versionGraphs.set(run.versionId, graph);
  return graph;
}

const TERMINAL = new Set(["succeeded", "failed", "cancelled"]);

/**
 * Runs a run this worker has claimed (status running, lockedBy = workerId). Returns the engine's
 * result, or null when the run vanished or is no longer ours.
 */
export async function processRun(deps: RunDeps, runId: string, workerId: string, signal?: AbortSignal): Promise<ExecuteResult | null> {
  const { db } = deps;
  const run = await db.workflowRun.findUnique({ where: { id: runId }, include: { steps: true } });
  if (!run || run.status !== "running" || run.lockedBy !== workerId) return null;
  const graph = await graphOf(db, run);

  let result: ExecuteResult;
  let writer: StepWriter | undefined;
  if (!graph) {
    result = { status: "failed", steps: [], error: { nodeId: "", message: "The workflow version this run belongs to no longer exists", code: "config" } };
  } else {
    const types = new Map(graph.nodes.map((node) => [node.id, node.type]));
    writer = new StepWriter(db, run.id, (nodeId) => deps.catalog.get(types.get(nodeId) ?? "")?.kind === "action");
    result = await executeRun({
      graph,
      catalog: deps.catalog,
      runId: run.id,
      userId: run.userId,
      trigger: run.trigger,
      previous: run.steps.map(toStepResult),
      getCredentials: deps.getCredentials,
      dryRun: run.dryRun,
      signal,
      retry: deps.retry,
      stepTimeoutMs: deps.stepTimeoutMs,
      onStep: writer.record,
    });
  }

  const now = new Date();
  // Only a run still ours and still running is settled here: a cancel that landed meanwhile wins.
  const settle = db.workflowRun.updateMany({
    where: { id: run.id, status: "running", lockedBy: workerId },
    data: {
      status: result.status,
      error: json(result.error),
      resumeAt: result.resumeAt ?? null,
      finishedAt: TERMINAL.has(result.status) ? now : null,
      lockedBy: null,
      lockedUntil: null,
    },
  });
  const touch = db.workflow.updateMany({ where: { id: run.workflowId }, data: { lastRunAt: now } });
  const finalWrites = run.test ? [settle] : [settle, touch];
  if (writer) await writer.flush(finalWrites);
  else await db.$transaction(finalWrites);
  return result;
}

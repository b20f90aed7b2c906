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

async function saveStep(db: Db, runId: string, step: StepResult) {
  const data = {
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
  await db.runStep.upsert({
    where: { runId_nodeId: { runId, nodeId: step.nodeId } },
    create: { runId, nodeId: step.nodeId, ...data },
    update: data,
  });
}

const TERMINAL = new Set(["succeeded", "failed", "cancelled"]);

/**
 * Runs a run this worker has claimed (status running, lockedBy = workerId). Returns the engine's
 * result, or null when the run vanished or is no longer ours.
 */
export async function processRun(deps: RunDeps, runId: string, workerId: string, signal?: AbortSignal): Promise<ExecuteResult | null> {
  const { db } = deps;
  const run = await db.workflowRun.findUnique({
    where: { id: runId },
    include: { steps: true, version: { select: { graph: true } } },
  });
  if (!run || run.status !== "running" || run.lockedBy !== workerId) return null;
  const graph = (run.graph ?? run.version?.graph) as unknown as WorkflowGraph | undefined;

  let result: ExecuteResult;
  if (!graph) {
    result = { status: "failed", steps: [], error: { nodeId: "", message: "The workflow version this run belongs to no longer exists", code: "config" } };
  } else {
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
      onStep: (step) => saveStep(db, run.id, step),
    });
  }

  const now = new Date();
  // Only a run still ours and still running is settled here: a cancel that landed meanwhile wins.
  await db.workflowRun.updateMany({
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
  if (!run.test) await db.workflow.update({ where: { id: run.workflowId }, data: { lastRunAt: now } }).catch(() => undefined);
  return result;
}

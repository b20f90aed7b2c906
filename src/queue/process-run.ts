// Executes one claimed run: its graph and earlier step results in, the engine run, every result
// recorded through the process's group commit (run-writes.ts), so a worker that dies loses nothing
// and a resumed run repeats no step that had succeeded.
import { executeRun, type ExecuteResult } from "@/engine";
import type { GetCredentials, NodeCatalog, NodeKind, StepResult, WorkflowGraph } from "@/engine/types";
import { sqlOf, type Db } from "@/server/db";
import type { ClaimedRun } from "./claim";
import { runWriteBatch, type RunWriteBatch } from "./run-writes";

export interface RunDeps {
  db: Db;
  catalog: NodeCatalog;
  getCredentials: GetCredentials;
  /** Test hooks; production uses the engine's defaults. */
  retry?: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number; maxInlineWaitMs?: number };
  stepTimeoutMs?: number;
}

interface StepRow {
  runId: string;
  nodeId: string;
  status: StepResult["status"];
  input: unknown;
  output: unknown;
  error: unknown;
  attempts: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  resumeAt: Date | null;
}

function toStepResult(row: StepRow): StepResult {
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

/** The recorded steps of several runs, in one query (claimed batches, replays, resumed runs). */
export async function loadSteps(db: Db, runIds: readonly string[]): Promise<Map<string, StepResult[]>> {
  const byRun = new Map<string, StepResult[]>();
  if (runIds.length === 0) return byRun;
  const { rows } = await sqlOf(db)<StepRow>(
    `SELECT "runId", "nodeId", status::text AS status, input, output, error, attempts, "startedAt", "finishedAt", "resumeAt"
     FROM "RunStep" WHERE "runId" = ANY($1::text[])`,
    [runIds],
  );
  for (const row of rows) {
    let steps = byRun.get(row.runId);
    if (!steps) byRun.set(row.runId, (steps = []));
    steps.push(toStepResult(row));
  }
  return byRun;
}

// A step still running after this long is written as running, so the run view shows progress
// on slow actions; fast steps never pay for that write.
const SHOW_RUNNING_AFTER_MS = 250;

/**
 * One run's view of the write path. Results are buffered and handed to the group commit only
 * when crash safety needs them: before an action starts while an earlier action's result is not
 * yet durable (so no side effect can be repeated after a crash), and when the run settles
 * (together with the run row). A condition therefore costs no write of its own, a trigger is
 * never written (it is the run's trigger payload), and a run whose actions are its last steps is
 * written once. A step that has not been written is
 * simply run again after a crash, which is harmless because only actions have side effects and
 * every settled action is durable before anything else with a side effect happens.
 */
class StepWriter {
  private readonly pending = new Map<string, StepResult>();
  private unsavedAction = false;
  private runningTimer: NodeJS.Timeout | undefined;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly batch: RunWriteBatch,
    private readonly runId: string,
    private readonly kindOf: (nodeId: string) => NodeKind | undefined,
  ) {}

  record = async (step: StepResult): Promise<void> => {
    const kind = this.kindOf(step.nodeId);
    // The trigger step's output is the run's own trigger payload: it is derived from the run row
    // (here on every execution, in getRun for the run view), never stored a second time.
    if (kind === "trigger") return;
    clearTimeout(this.runningTimer);
    const action = kind === "action";
    if (step.status === "running") {
      // About to perform a side effect: the previous one's result must be durable first.
      if (action && this.unsavedAction) await this.flush();
      this.pending.set(step.nodeId, step);
      // A retry (it carries the last error) is shown at once; a fresh start only if it is slow.
      if (step.error) return this.flush();
      this.runningTimer = setTimeout(() => void this.flush().catch(() => undefined), SHOW_RUNNING_AFTER_MS);
      return;
    }
    this.pending.set(step.nodeId, step);
    if (action) this.unsavedAction = true;
  };

  /** Hands what is buffered (and the run's settlement) to the group commit. Writes never overlap. */
  flush(settle?: Parameters<RunWriteBatch["write"]>[1]): Promise<void> {
    clearTimeout(this.runningTimer);
    const steps = [...this.pending.values()].map((step) => ({ runId: this.runId, step }));
    this.pending.clear();
    this.unsavedAction = false;
    const write = this.chain.then(() => this.batch.write(steps, settle));
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
 * result (status "waiting" with resumeAt for a delay or a long retry wait: whoever queues the run
 * again should do so at resumeAt), or null when the run vanished or is no longer ours.
 */
export async function processRun(deps: RunDeps, runId: string, workerId: string, signal?: AbortSignal): Promise<ExecuteResult | null> {
  const {
    rows: [run],
  } = await sqlOf(deps.db)<ClaimedRun>(
    `SELECT id, "workflowId", "userId", "versionId", trigger, graph, "dryRun", test FROM "WorkflowRun"
     WHERE id = $1 AND status = 'running' AND "lockedBy" = $2`,
    [runId, workerId],
  );
  if (!run) return null;
  const steps = await loadSteps(deps.db, [runId]);
  return executeClaimedRun(deps, run, steps.get(runId) ?? [], workerId, signal);
}

/** processRun for a run whose row and steps the caller already has (the in-process queue's batch claim). */
export async function executeClaimedRun(
  deps: RunDeps,
  run: ClaimedRun,
  previous: StepResult[],
  workerId: string,
  signal?: AbortSignal,
): Promise<ExecuteResult> {
  const batch = runWriteBatch(deps.db);
  const graph = await graphOf(deps.db, run);

  let result: ExecuteResult;
  let writer: StepWriter | undefined;
  if (!graph) {
    result = { status: "failed", steps: [], error: { nodeId: "", message: "The workflow version this run belongs to no longer exists", code: "config" } };
  } else {
    const types = new Map(graph.nodes.map((node) => [node.id, node.type]));
    writer = new StepWriter(batch, run.id, (nodeId) => deps.catalog.get(types.get(nodeId) ?? "")?.kind);
    result = await executeRun({
      graph,
      catalog: deps.catalog,
      runId: run.id,
      userId: run.userId,
      trigger: run.trigger,
      previous,
      getCredentials: deps.getCredentials,
      dryRun: run.dryRun,
      signal,
      retry: deps.retry,
      stepTimeoutMs: deps.stepTimeoutMs,
      onStep: writer.record,
    });
  }

  const settle = {
    runId: run.id,
    workerId,
    status: result.status,
    error: result.error ?? null,
    resumeAt: result.resumeAt ?? null,
    finishedAt: TERMINAL.has(result.status) ? new Date() : null,
    touchWorkflowId: run.test ? undefined : run.workflowId,
  };
  if (writer) await writer.flush(settle);
  else await batch.write([], settle);
  return result;
}

// Run state through group commit (group-commit.ts). Every worker in the process hands its step
// results and run settlements to one RunWriteBatch per database; each commit is one statement
// (steps upserted, runs settled, workflows touched), whatever the number of runs in it. A caller's promise resolves only once that transaction has
// committed, so "awaited" still means "durable": the engine awaits an action's result before the
// next side effect starts, exactly as with one transaction per write, but a busy server pays one
// commit per batch instead of one per run.
import { randomUUID } from "node:crypto";
import type { StepResult } from "@/engine/types";
import { sqlOf, type Db, type Sql } from "@/server/db";
import { GroupCommit } from "./group-commit";

export interface RunSettlement {
  runId: string;
  /** Only a run still running under this worker's lease is settled: a cancel that landed meanwhile wins. */
  workerId: string;
  status: "succeeded" | "failed" | "waiting" | "cancelled";
  error: unknown;
  resumeAt: Date | null;
  finishedAt: Date | null;
  /** Set Workflow.lastRunAt (not for test runs). */
  touchWorkflowId?: string;
}

interface Pending {
  steps: readonly { runId: string; step: StepResult }[];
  settle?: RunSettlement;
}

const STEP_COLUMNS = `id text, "runId" text, "nodeId" text, status text, input jsonb, output jsonb, preview jsonb, error jsonb,
  attempts int, "startedAt" timestamp(3), "finishedAt" timestamp(3), "resumeAt" timestamp(3)`;

// One statement, so one implicit transaction and no BEGIN/COMMIT round trips: data-modifying
// CTEs all run, atomically, even when nothing reads their output. Rows travel as JSON parameters,
// so the text (and plan) of the statement is the same whatever the batch holds.
const COMMIT_RUN_STATE = `WITH steps AS (
    INSERT INTO "RunStep" (id, "runId", "nodeId", status, input, output, preview, error, attempts, "startedAt", "finishedAt", "resumeAt")
    SELECT x.id, x."runId", x."nodeId", x.status::"StepStatus", x.input, x.output, x.preview, x.error, x.attempts, x."startedAt", x."finishedAt", x."resumeAt"
    FROM jsonb_to_recordset($1::jsonb) AS x(${STEP_COLUMNS})
    ON CONFLICT ("runId", "nodeId") DO UPDATE SET status = EXCLUDED.status, input = EXCLUDED.input, output = EXCLUDED.output,
      preview = EXCLUDED.preview, error = EXCLUDED.error, attempts = EXCLUDED.attempts, "startedAt" = EXCLUDED."startedAt",
      "finishedAt" = EXCLUDED."finishedAt", "resumeAt" = EXCLUDED."resumeAt"
    RETURNING 1
  ), settled AS (
    UPDATE "WorkflowRun" r SET status = x.status::"RunStatus", error = x.error, "resumeAt" = x."resumeAt",
      "finishedAt" = x."finishedAt", "lockedBy" = NULL, "lockedUntil" = NULL
    FROM jsonb_to_recordset($2::jsonb) AS x(id text, "workerId" text, status text, error jsonb, "resumeAt" timestamp(3), "finishedAt" timestamp(3))
    WHERE r.id = x.id AND r.status = 'running' AND r."lockedBy" = x."workerId"
    RETURNING 1
  ), touched AS (
    UPDATE "Workflow" w SET "lastRunAt" = $4 WHERE w.id = ANY($3::text[]) RETURNING 1
  )
  SELECT 1`;

export class RunWriteBatch {
  private readonly group = new GroupCommit<Pending, void>((batch) => this.commit(batch));

  constructor(private readonly sql: Sql) {}

  /** Writes steps (and optionally settles their run); resolves once committed. */
  write(steps: readonly { runId: string; step: StepResult }[], settle?: RunSettlement): Promise<void> {
    if (steps.length === 0 && !settle) return Promise.resolve();
    return this.group.submit({ steps, settle });
  }

  private async commit(batch: Pending[]): Promise<void[]> {
    // A step written twice in one batch (its "running" row, then its result) is written once, last wins.
    const steps = new Map<string, Record<string, unknown>>();
    const settles: Record<string, unknown>[] = [];
    const touched = new Set<string>();
    for (const item of batch) {
      for (const { runId, step } of item.steps) {
        steps.set(`${runId}\u0000${step.nodeId}`, {
          id: randomUUID(),
          runId,
          nodeId: step.nodeId,
          status: step.status,
          input: step.input,
          output: step.output,
          preview: step.preview,
          error: step.error,
          attempts: step.attempts,
          startedAt: step.startedAt,
          finishedAt: step.finishedAt,
          resumeAt: step.resumeAt,
        });
      }
      if (item.settle) {
        const { runId, workerId, status, error, resumeAt, finishedAt, touchWorkflowId } = item.settle;
        settles.push({ id: runId, workerId, status, error, resumeAt, finishedAt });
        if (touchWorkflowId) touched.add(touchWorkflowId);
      }
    }
    await this.sql(COMMIT_RUN_STATE, [JSON.stringify([...steps.values()]), JSON.stringify(settles), [...touched], new Date()]);
    return batch.map(() => undefined);
  }
}

const batches = new WeakMap<Db, RunWriteBatch>();

/** The process's write batch for this database (all workers share it, whatever queue runs them). */
export function runWriteBatch(db: Db): RunWriteBatch {
  let batch = batches.get(db);
  if (!batch) batches.set(db, (batch = new RunWriteBatch(sqlOf(db))));
  return batch;
}

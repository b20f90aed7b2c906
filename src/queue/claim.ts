// Claiming runs for execution, shared by every queue backend. A claim is a conditional UPDATE
// that sets a lease (lockedBy/lockedUntil), so two workers, loops or processes never execute the
// same run at once; the lease is renewed while the run executes, and a dead worker's runs are
// retaken once their lease has expired. A workflow's maxConcurrency is enforced here, under a row
// lock on the workflow, so it holds across processes.
import type { StepResult } from "@/engine/types";
import { sqlOf, type Db } from "@/server/db";

export const DEFAULT_LEASE_MS = 60_000;

/** How soon a run refused for its workflow's concurrency limit is worth trying again. */
export const CONCURRENCY_RETRY_MS = 1_000;

export type ClaimOutcome =
  | { claimed: true }
  /** Someone else has it, it finished, or it is waiting and not due yet. */
  | { claimed: false; reason: "unavailable" }
  /** Its workflow already runs maxConcurrency runs: it stays queued; try again after retryAfterMs. */
  | { claimed: false; reason: "concurrency_limit"; retryAfterMs: number };

/** A run as claimRuns hands it over: everything processRun needs except its earlier steps. */
export interface ClaimedRun {
  id: string;
  workflowId: string;
  userId: string;
  versionId: string | null;
  trigger: unknown;
  graph: unknown;
  dryRun: boolean;
  test: boolean;
}

const CLAIMED_COLUMNS = `r.id, r."workflowId", r."userId", r."versionId", r.trigger, r.graph, r."dryRun", r.test`;

// The run's own row is the lease; "due" is: queued, waiting past its resumeAt, or running on a
// lease that lapsed (its worker died).
// `now` is the SQL parameter holding the current time.
const due = (now: string) =>
  `(r.status = 'queued' OR (r.status = 'waiting' AND r."resumeAt" <= ${now}) OR (r.status = 'running' AND r."lockedUntil" < ${now}))`;

// A fresh run starts now; a resumed one (delay, retry wait, dead worker) keeps its start.
const LEASE = `status = 'running', "lockedBy" = $2, "lockedUntil" = $4, "resumeAt" = NULL,
  "startedAt" = CASE WHEN r.status = 'queued' THEN $3 ELSE r."startedAt" END`;

/**
 * Takes a due run for this worker unless its workflow is at its concurrency limit. One statement
 * for a workflow without a limit; a short transaction (lock the workflow row, count its live
 * leases, claim) for one with a limit, so concurrent claimers in any process serialise on it.
 */
export async function tryClaimRun(db: Db, runId: string, workerId: string, leaseMs = DEFAULT_LEASE_MS): Promise<ClaimOutcome> {
  const now = new Date();
  const until = new Date(now.getTime() + leaseMs);
  const sql = sqlOf(db);
  const { rowCount } = await sql(
    `UPDATE "WorkflowRun" r SET ${LEASE}
     FROM "Workflow" w
     WHERE r.id = $1 AND w.id = r."workflowId" AND w."maxConcurrency" IS NULL AND ${due("$3")}`,
    [runId, workerId, now, until],
  );
  if (rowCount === 1) return { claimed: true };
  const { rows: limited } = await sql<{ maxConcurrency: number | null }>(
    `SELECT w."maxConcurrency" FROM "WorkflowRun" r JOIN "Workflow" w ON w.id = r."workflowId" WHERE r.id = $1`,
    [runId],
  );
  if (limited[0]?.maxConcurrency == null) return { claimed: false, reason: "unavailable" };
  return claimLimited(db, runId, workerId, now, until);
}

async function claimLimited(db: Db, runId: string, workerId: string, now: Date, until: Date): Promise<ClaimOutcome> {
  return db.$transaction(async (tx) => {
    // Serialises claimers of this workflow: the count below then sees every committed claim.
    const [workflow] = await tx.$queryRawUnsafe<{ id: string; maxConcurrency: number | null }[]>(
      `SELECT w.id, w."maxConcurrency" FROM "Workflow" w JOIN "WorkflowRun" r ON r."workflowId" = w.id WHERE r.id = $1 FOR UPDATE OF w`,
      runId,
    );
    if (!workflow) return { claimed: false, reason: "unavailable" } as const;
    const limit = workflow.maxConcurrency;
    const claimed = await tx.$executeRawUnsafe(
      `UPDATE "WorkflowRun" r SET ${LEASE}
       WHERE r.id = $1 AND ${due("$3")}
         AND ($5::int IS NULL OR (SELECT count(*) FROM "WorkflowRun" o
              WHERE o."workflowId" = $6 AND o.status = 'running' AND o."lockedUntil" >= $3 AND o.id <> $1) < $5::int)`,
      runId,
      workerId,
      now,
      until,
      limit,
      workflow.id,
    );
    if (claimed === 1) return { claimed: true } as const;
    const [still] = await tx.$queryRawUnsafe<{ due: boolean }[]>(`SELECT ${due("$2")} AS due FROM "WorkflowRun" r WHERE r.id = $1`, runId, now);
    return still?.due
      ? ({ claimed: false, reason: "concurrency_limit", retryAfterMs: CONCURRENCY_RETRY_MS } as const)
      : ({ claimed: false, reason: "unavailable" } as const);
  });
}

/** Takes a queued, due-waiting or orphaned run for this worker; false when someone else has it, it is not due, or its workflow is at its concurrency limit (see tryClaimRun to tell which). */
export async function claimRun(db: Db, runId: string, workerId: string, leaseMs = DEFAULT_LEASE_MS): Promise<boolean> {
  return (await tryClaimRun(db, runId, workerId, leaseMs)).claimed;
}

/** A claimed run with its earlier step results (replayed and resumed runs have some). */
export interface ClaimedRunWithSteps extends ClaimedRun {
  steps: StepResult[];
}

// Earlier steps come back inside the claim's own statement: times as epoch milliseconds, since
// JSON has no timestamp type.
const epoch = (column: string) => `(extract(epoch from s."${column}") * 1000)`;
const STEPS_OF_RUN = `COALESCE((SELECT jsonb_agg(jsonb_build_object('nodeId', s."nodeId", 'status', s.status, 'input', s.input,
  'output', s.output, 'error', s.error, 'attempts', s.attempts, 'startedAt', ${epoch("startedAt")}, 'finishedAt', ${epoch("finishedAt")},
  'resumeAt', ${epoch("resumeAt")})) FROM "RunStep" s WHERE s."runId" = c.id), '[]'::jsonb) AS steps`;

interface StepJson {
  nodeId: string;
  status: StepResult["status"];
  input: unknown;
  output: unknown;
  error: StepResult["error"] | null;
  attempts: number;
  startedAt: number | null;
  finishedAt: number | null;
  resumeAt: number | null;
}

const date = (ms: number | null) => (ms === null ? undefined : new Date(Math.round(ms)));

/**
 * The batch path of the in-process queue: claims every due run among `runIds` whose workflow has
 * no concurrency limit, in one statement that also returns their rows and earlier steps. The
 * others (limited workflows, runs someone else holds) are left for tryClaimRun, one by one.
 */
export async function claimRuns(db: Db, runIds: readonly string[], workerId: string, leaseMs = DEFAULT_LEASE_MS): Promise<ClaimedRunWithSteps[]> {
  if (runIds.length === 0) return [];
  const now = new Date();
  const { rows } = await sqlOf(db)<ClaimedRun & { steps: StepJson[] }>(
    `WITH c AS (
       UPDATE "WorkflowRun" r SET ${LEASE}
       FROM "Workflow" w
       WHERE r.id = ANY($1::text[]) AND w.id = r."workflowId" AND w."maxConcurrency" IS NULL AND ${due("$3")}
       RETURNING ${CLAIMED_COLUMNS}
     )
     SELECT c.*, ${STEPS_OF_RUN} FROM c`,
    [runIds, workerId, now, new Date(now.getTime() + leaseMs)],
  );
  return rows.map((row) => ({
    ...row,
    steps: row.steps.map((step) => ({
      nodeId: step.nodeId,
      status: step.status,
      input: step.input ?? undefined,
      output: step.output ?? undefined,
      error: step.error ?? undefined,
      attempts: step.attempts,
      startedAt: date(step.startedAt),
      finishedAt: date(step.finishedAt),
      resumeAt: date(step.resumeAt),
    })),
  }));
}

/**
 * Extends this worker's lease on a run it executes. False when the run is no longer ours or no
 * longer running (cancelled meanwhile): the caller should abort it.
 */
export async function renewLease(db: Db, runId: string, workerId: string, leaseMs = DEFAULT_LEASE_MS): Promise<boolean> {
  const { rowCount } = await sqlOf(db)(
    `UPDATE "WorkflowRun" SET "lockedUntil" = $3 WHERE id = $1 AND "lockedBy" = $2 AND status = 'running'`,
    [runId, workerId, new Date(Date.now() + leaseMs)],
  );
  return rowCount === 1;
}

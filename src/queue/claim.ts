// Claiming a run for execution, shared by every queue backend. A claim is one conditional UPDATE
// that sets a lease (lockedBy/lockedUntil), so two workers, loops or processes never execute the
// same run at once; the lease is renewed while the run executes, and a dead worker's runs are
// retaken once their lease has expired.
import type { Db } from "@/server/db";

export const DEFAULT_LEASE_MS = 60_000;

/** Takes a queued, due-waiting or orphaned run for this worker; false when someone else has it or it is not due. */
export async function claimRun(db: Db, runId: string, workerId: string, leaseMs = DEFAULT_LEASE_MS): Promise<boolean> {
  const now = new Date();
  const lease = { status: "running" as const, lockedBy: workerId, lockedUntil: new Date(now.getTime() + leaseMs), resumeAt: null };
  // The common case, a fresh run, is one statement; resuming a delayed or orphaned run is a second.
  const fresh = await db.workflowRun.updateMany({ where: { id: runId, status: "queued" }, data: { ...lease, startedAt: now } });
  if (fresh.count === 1) return true;
  const resumed = await db.workflowRun.updateMany({
    where: {
      id: runId,
      OR: [
        { status: "waiting", resumeAt: { lte: now } },
        { status: "running", lockedUntil: { lt: now } },
      ],
    },
    data: lease,
  });
  return resumed.count === 1;
}

/**
 * Extends this worker's lease on a run it executes. False when the run is no longer ours or no
 * longer running (cancelled meanwhile): the caller should abort it.
 */
export async function renewLease(db: Db, runId: string, workerId: string, leaseMs = DEFAULT_LEASE_MS): Promise<boolean> {
  const { count } = await db.workflowRun.updateMany({
    where: { id: runId, lockedBy: workerId, status: "running" },
    data: { lockedUntil: new Date(Date.now() + leaseMs) },
  });
  return count === 1;
}

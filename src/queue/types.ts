// The run queue: one interface, two backends (in-process by default; BullMQ on Redis when
// REDIS_URL is set). Runs are rows first: a run is enqueued only after its row is committed, and
// a backend may lose its in-memory (or Redis) state at any time without losing a run, because the
// database is the truth and each backend re-reads due work from it.
import type { ClaimedRun } from "./claim";

/** What the queue needs to order a committed run: its owner (fairness, plan priority). */
export interface QueuedRun {
  id: string;
  userId: string;
  workflowId: string;
}

/**
 * Worker slots a queue holds for runs being inserted right now (in-process queue only): intake
 * writes those runs already leased to `workerId` (status running), so a run that starts at once
 * skips the claim's rewrite of its row. A crash before they finish leaves leased rows, retaken
 * like any dead worker's (reclaimOrphansOnStart, or once `until` has passed).
 */
export interface IntakeLease {
  workerId: string;
  until: Date;
  slots: number;
  /** Starts the runs that were inserted leased (after the insert committed); frees the other slots. */
  start(runs: readonly ClaimedRun[]): void;
}

export interface RunQueue {
  /** Hands committed runs to the workers. Never rejects: a run it fails to hand over is found again in the database. */
  enqueue(runs: readonly QueuedRun[]): Promise<void>;
  /** Up to `count` free worker slots for runs leased at intake; undefined when none is free now or other runs wait. */
  reserve?(count: number): IntakeLease | undefined;
  /** Aborts a run being executed (its row is already marked cancelled). */
  abort(runId: string): void;
  /**
   * A workflow's trigger schedule may have changed (activated, paused, deleted, new version).
   * Backends with their own scheduler (BullMQ job schedulers) update it; others read the database.
   */
  scheduleChanged(workflowId: string): Promise<void>;
  start(): void;
  /** Stops taking work and waits for in-flight runs to finish or be handed back. */
  stop(): Promise<void>;
}

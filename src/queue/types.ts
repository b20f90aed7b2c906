// The run queue: one interface, two backends (in-process by default; BullMQ on Redis when
// REDIS_URL is set). Runs are rows first: a run is enqueued only after its row is committed, and
// a backend may lose its in-memory (or Redis) state at any time without losing a run, because the
// database is the truth and each backend re-reads due work from it.

/** What the queue needs to order a committed run: its owner (fairness, plan priority). */
export interface QueuedRun {
  id: string;
  userId: string;
  workflowId: string;
}

export interface RunQueue {
  /** Hands committed runs to the workers. Never rejects: a run it fails to hand over is found again in the database. */
  enqueue(runs: readonly QueuedRun[]): Promise<void>;
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

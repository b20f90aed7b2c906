// The run queue: one interface, two backends (in-process by default; BullMQ on Redis at scale).
// Runs are rows first: a run is enqueued only after its row is committed, and a backend may lose
// its in-memory state at any time without losing a run, because the database is the truth.
export interface RunQueue {
  /** Hands committed runs to the workers. */
  enqueue(runIds: readonly string[]): void;
  /** Aborts a run this process is executing (its row is already marked cancelled). */
  abort(runId: string): void;
  start(): void;
  /** Stops taking work and waits for in-flight runs to finish or be handed back. */
  stop(): Promise<void>;
}

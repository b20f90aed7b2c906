// The embedded run queue: workers inside the web process, durable through the database.
// Enqueued ids go straight to an in-memory list for low latency; a poll loop picks up whatever
// memory does not know about: runs queued before a restart, delayed runs whose time has come, and
// runs whose worker died (their lease expired). Claiming is one conditional UPDATE, so two loops
// (or two processes) never execute the same run at once.
import { randomUUID } from "node:crypto";
import type { Db } from "@/server/db";
import { claimRun, DEFAULT_LEASE_MS, renewLease } from "./claim";
import { processRun, type RunDeps } from "./process-run";
import type { QueuedRun, RunQueue } from "./types";

export interface InProcessQueueOptions {
  concurrency: number;
  pollIntervalMs: number;
  /** How long a claim lasts without renewal; a dead worker's runs are retaken after it. */
  leaseMs?: number;
  /**
   * Only for a database no other process can use (embedded PGlite): runs left "running" by an
   * earlier process are orphans, so they are taken back at start instead of after their lease.
   */
  reclaimOrphansOnStart?: boolean;
  /** Called on each poll tick (the scheduler hooks in here). */
  onTick?: (now: Date) => Promise<void>;
  onError?: (error: unknown) => void;
}

export class InProcessRunQueue implements RunQueue {
  readonly workerId = `inproc-${randomUUID()}`;
  private readonly pending: string[] = [];
  private readonly pendingSet = new Set<string>();
  private readonly running = new Map<string, AbortController>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private stopped = true;
  private idleWaiters: (() => void)[] = [];
  private readonly leaseMs: number;

  constructor(
    private readonly deps: RunDeps,
    private readonly options: InProcessQueueOptions,
  ) {
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  private get db(): Db {
    return this.deps.db;
  }

  enqueue(runs: readonly QueuedRun[]): Promise<void> {
    this.enqueueIds(runs.map((run) => run.id));
    return Promise.resolve();
  }

  /** Embedded mode reads schedules from the database on every poll (fireDueSchedules). */
  scheduleChanged(): Promise<void> {
    return Promise.resolve();
  }

  private enqueueIds(runIds: readonly string[]): void {
    for (const id of runIds) {
      if (this.pendingSet.has(id) || this.running.has(id)) continue;
      this.pendingSet.add(id);
      this.pending.push(id);
    }
    this.pump();
  }

  abort(runId: string): void {
    this.running.get(runId)?.abort();
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const orphans = this.options.reclaimOrphansOnStart
      ? this.db.workflowRun.updateMany({
          where: { status: "running", NOT: { lockedBy: this.workerId } },
          data: { lockedUntil: new Date(0) },
        })
      : Promise.resolve();
    const tick = () => {
      void this.poll().finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.options.pollIntervalMs);
      });
    };
    void orphans.catch((error) => this.options.onError?.(error)).finally(tick);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.pending.length = 0;
    this.pendingSet.clear();
    await this.idle();
  }

  /** Resolves when no run is executing (tests and graceful shutdown). */
  idle(): Promise<void> {
    if (this.running.size === 0 && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** One poll: due work from the database, then the scheduler hook. */
  async poll(now = new Date()): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const free = this.options.concurrency * 4;
      const due = await this.db.workflowRun.findMany({
        where: {
          OR: [
            { status: "queued" },
            { status: "waiting", resumeAt: { lte: now } },
            { status: "running", lockedUntil: { lt: now } },
          ],
        },
        orderBy: { createdAt: "asc" },
        select: { id: true },
        take: free,
      });
      this.enqueueIds(due.map((r) => r.id));
      await this.options.onTick?.(now);
    } catch (error) {
      this.options.onError?.(error);
    } finally {
      this.polling = false;
    }
  }

  private pump(): void {
    while (!this.stopped && this.running.size < this.options.concurrency && this.pending.length > 0) {
      const runId = this.pending.shift()!;
      this.pendingSet.delete(runId);
      const controller = new AbortController();
      this.running.set(runId, controller);
      void this.execute(runId, controller)
        .catch((error) => this.options.onError?.(error))
        .finally(() => {
          this.running.delete(runId);
          this.pump();
          if (this.running.size === 0 && this.pending.length === 0) {
            for (const resolve of this.idleWaiters.splice(0)) resolve();
          }
        });
    }
  }

  private async execute(runId: string, controller: AbortController): Promise<void> {
    if (!(await claimRun(this.db, runId, this.workerId, this.leaseMs))) return;
    // Keep the lease while the run executes, so only a dead worker's runs are retaken; a run
    // cancelled meanwhile loses its lease and is aborted.
    const heartbeat = setInterval(() => {
      renewLease(this.db, runId, this.workerId, this.leaseMs).then(
        (ours) => ours || controller.abort(),
        (error) => this.options.onError?.(error),
      );
    }, this.leaseMs / 3);
    try {
      await processRun(this.deps, runId, this.workerId, controller.signal);
    } finally {
      clearInterval(heartbeat);
    }
  }
}

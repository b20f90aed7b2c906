// The embedded run queue: workers inside the web process, durable through the database.
// Enqueued runs go straight to an in-memory priority queue for low latency; a poll loop picks up
// whatever memory does not know about: runs queued before a restart, delayed runs whose time has
// come, and runs whose worker died (their lease expired). Pending runs are ordered fairly
// (priority.ts: a user's k-th outstanding run waits behind everyone's first), free worker slots
// are filled by claiming many runs in one statement, and their results reach the database through
// the process's group commit (run-writes.ts), so the cost per run falls as load rises.
import { randomUUID } from "node:crypto";
import type { Db } from "@/server/db";
import { claimRuns, DEFAULT_LEASE_MS, renewLease, tryClaimRun, type ClaimedRunWithSteps } from "./claim";
import { planPriorityLookup, runPriority, type PlanPriorityLookup } from "./priority";
import { executeClaimedRun, processRun, type RunDeps } from "./process-run";
import type { IntakeLease, QueuedRun, RunQueue } from "./types";

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
  /** The plan's queue priority per user (default: planPriorityLookup on the database, cached). */
  planPriority?: PlanPriorityLookup;
  /** Called on each poll tick (the scheduler hooks in here). */
  onTick?: (now: Date) => Promise<void>;
  onError?: (error: unknown) => void;
}

/** At most this many runs are claimed by one statement. */
const MAX_CLAIM_BATCH = 64;
/** A waiting run due within this long is re-enqueued by a timer instead of waiting for a poll. */
const MAX_RESUME_TIMER_MS = 5 * 60_000;

interface Entry {
  run: QueuedRun;
  priority: number;
  seq: number;
}

/** A binary min-heap on (priority, arrival): equal priorities stay first in, first out. */
class RunHeap {
  private readonly items: Entry[] = [];

  get size(): number {
    return this.items.length;
  }

  private less(a: Entry, b: Entry): boolean {
    return a.priority < b.priority || (a.priority === b.priority && a.seq < b.seq);
  }

  push(entry: Entry): void {
    const items = this.items;
    items.push(entry);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): Entry | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < items.length && this.less(items[left]!, items[smallest]!)) smallest = left;
        if (right < items.length && this.less(items[right]!, items[smallest]!)) smallest = right;
        if (smallest === i) break;
        [items[i], items[smallest]] = [items[smallest]!, items[i]!];
        i = smallest;
      }
    }
    return top;
  }

  clear(): void {
    this.items.length = 0;
  }
}

export class InProcessRunQueue implements RunQueue {
  readonly workerId = `inproc-${randomUUID()}`;
  private readonly pending = new RunHeap();
  /** Every run this queue holds: pending, being claimed, running, or parked. */
  private readonly known = new Map<string, QueuedRun>();
  private readonly running = new Map<string, AbortController>();
  /** Runs refused for their workflow's concurrency limit, by workflow: retried when one of its runs ends, and on each poll. */
  private readonly parked = new Map<string, QueuedRun[]>();
  /** Parked runs released to try their claim again. */
  private readonly probes = new Set<string>();
  /** Runs per user this queue holds (fairness). */
  private readonly outstanding = new Map<string, number>();
  private readonly resumeTimers = new Set<NodeJS.Timeout>();
  private claiming = 0;
  private claimScheduled = false;
  private claimInFlight = false;
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private stopped = true;
  private idleWaiters: (() => void)[] = [];
  private readonly leaseMs: number;
  private readonly planPriority: PlanPriorityLookup;

  constructor(
    private readonly deps: RunDeps,
    private readonly options: InProcessQueueOptions,
  ) {
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.planPriority = options.planPriority ?? planPriorityLookup(deps.db);
  }

  private get db(): Db {
    return this.deps.db;
  }

  async enqueue(runs: readonly QueuedRun[]): Promise<void> {
    const fresh: { run: QueuedRun; outstanding: number }[] = [];
    for (const run of runs) {
      if (this.known.has(run.id)) continue;
      this.known.set(run.id, run);
      const outstanding = this.outstanding.get(run.userId) ?? 0;
      this.outstanding.set(run.userId, outstanding + 1);
      fresh.push({ run, outstanding });
    }
    if (fresh.length === 0) return;
    // Plan priorities are cached per user; an unknown one is looked up once per batch of users.
    const plans = new Map<string, number>();
    for (const userId of new Set(fresh.map((f) => f.run.userId))) {
      plans.set(userId, await this.planPriority(userId).catch(() => 0));
    }
    for (const { run, outstanding } of fresh) {
      // Dropped meanwhile (stop()).
      if (this.known.get(run.id) !== run) continue;
      this.pending.push({ run, priority: runPriority(outstanding, plans.get(run.userId) ?? 0), seq: this.seq++ });
    }
    this.pump();
  }

  /**
   * Slots for runs intake inserts already leased to this worker: only when a slot is free now and
   * nothing waits in memory (so no run jumps the fair order, and a run shown as running is). The
   * slots count as a claim in flight until start() hands the runs over.
   */
  reserve(count: number): IntakeLease | undefined {
    if (this.stopped || this.pending.size > 0 || this.claimScheduled) return undefined;
    const slots = Math.min(count, this.options.concurrency - this.running.size - this.claiming);
    if (slots <= 0) return undefined;
    this.claiming += slots;
    let started = false;
    return {
      workerId: this.workerId,
      until: new Date(Date.now() + this.leaseMs),
      slots,
      start: (runs) => {
        if (started) return;
        started = true;
        this.claiming -= slots - runs.length;
        // After the intake's callers have been answered: their acks come first.
        setImmediate(() => {
          for (const claimed of runs) {
            const run = { id: claimed.id, userId: claimed.userId, workflowId: claimed.workflowId };
            this.known.set(run.id, run);
            this.outstanding.set(run.userId, (this.outstanding.get(run.userId) ?? 0) + 1);
            void this.execute(run, { ...claimed, steps: [] }).catch((error) => this.options.onError?.(error));
          }
          this.pump();
        });
      },
    };
  }

  /** Embedded mode reads schedules from the database on every poll (fireDueSchedules). */
  scheduleChanged(): Promise<void> {
    return Promise.resolve();
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
    // Runs enqueued before start wait in memory, in priority order.
    this.pump();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const timer of this.resumeTimers) clearTimeout(timer);
    this.resumeTimers.clear();
    let entry: Entry | undefined;
    while ((entry = this.pending.pop())) this.forget(entry.run);
    for (const runs of this.parked.values()) for (const run of runs) this.forget(run);
    this.parked.clear();
    this.probes.clear();
    await this.idle();
  }

  /** Resolves when no run is executing, being claimed or pending (tests and graceful shutdown). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.running.size === 0 && this.pending.size === 0 && this.claiming === 0 && !this.claimInFlight;
  }

  /** One poll: due work from the database, parked runs retried, then the scheduler hook. */
  async poll(now = new Date()): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      for (const workflowId of [...this.parked.keys()]) this.unparkOne(workflowId);
      // With a backlog in memory the workers are busy anyway; what only the database knows is
      // picked up once it drains.
      const due = this.pending.size >= this.options.concurrency ? [] : await this.db.workflowRun.findMany({
        where: {
          OR: [
            { status: "queued" },
            { status: "waiting", resumeAt: { lte: now } },
            { status: "running", lockedUntil: { lt: now } },
          ],
        },
        orderBy: { createdAt: "asc" },
        select: { id: true, userId: true, workflowId: true },
        take: this.options.concurrency * 4,
      });
      await this.enqueue(due);
      await this.options.onTick?.(now);
    } catch (error) {
      this.options.onError?.(error);
    } finally {
      this.polling = false;
    }
  }

  private forget(run: QueuedRun): void {
    if (this.known.get(run.id) !== run) return;
    this.known.delete(run.id);
    const left = (this.outstanding.get(run.userId) ?? 1) - 1;
    if (left > 0) this.outstanding.set(run.userId, left);
    else this.outstanding.delete(run.userId);
  }

  /**
   * Retries the longest-parked run of a workflow at its concurrency limit: when one of its runs
   * ends here, on each poll (runs may end in other processes), and after a parked run was claimed
   * (there may be room for more). One probe at a time, so a long line costs nothing while it waits.
   */
  private unparkOne(workflowId: string): void {
    const runs = this.parked.get(workflowId);
    const run = runs?.shift();
    if (!run) return;
    if (runs!.length === 0) this.parked.delete(workflowId);
    // It keeps its place: a parked run had been first in line.
    this.probes.add(run.id);
    this.pending.push({ run, priority: 0, seq: this.seq++ });
    this.pump();
  }

  private park(run: QueuedRun, front: boolean): void {
    const runs = this.parked.get(run.workflowId) ?? [];
    if (front) runs.unshift(run);
    else runs.push(run);
    this.parked.set(run.workflowId, runs);
  }

  /**
   * Fills free worker slots: the most deserving pending runs, claimed in one statement. One claim
   * is in flight at a time and the next waits a turn of the event loop, so runs arriving one by
   * one from concurrent webhooks are claimed together (the claim's own group commit).
   */
  private pump(): void {
    if (this.stopped) return this.settleIdle();
    if (this.claimScheduled || this.claimInFlight) return;
    if (this.options.concurrency - this.running.size - this.claiming <= 0 || this.pending.size === 0) return this.settleIdle();
    this.claimScheduled = true;
    setImmediate(() => {
      this.claimScheduled = false;
      const free = this.options.concurrency - this.running.size - this.claiming;
      if (this.stopped || free <= 0 || this.pending.size === 0) return this.settleIdle();
      const batch: QueuedRun[] = [];
      while (batch.length < Math.min(free, MAX_CLAIM_BATCH) && this.pending.size > 0) batch.push(this.pending.pop()!.run);
      this.claiming += batch.length;
      this.claimInFlight = true;
      void this.claimBatch(batch).finally(() => {
        this.claimInFlight = false;
        this.pump();
      });
    });
  }

  private settleIdle(): void {
    if (this.isIdle()) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async claimBatch(batch: QueuedRun[]): Promise<void> {
    let claimed: ClaimedRunWithSteps[] = [];
    try {
      claimed = await claimRuns(this.db, batch.map((run) => run.id), this.workerId, this.leaseMs);
    } catch (error) {
      this.options.onError?.(error);
      // Claimed or not, the database still has them: the poll finds them again.
      this.claiming -= batch.length;
      for (const run of batch) this.forget(run);
      return this.pump();
    }
    const rows = new Map(claimed.map((row) => [row.id, row]));
    for (const run of batch) {
      const row = rows.get(run.id);
      // Not claimable in bulk (a workflow with a concurrency limit, or someone else's): one by one.
      void this.execute(run, row).catch((error) => this.options.onError?.(error));
    }
  }

  private async execute(run: QueuedRun, claimed: ClaimedRunWithSteps | undefined): Promise<void> {
    let controller: AbortController | undefined;
    const wasProbe = this.probes.delete(run.id);
    try {
      if (!claimed) {
        const outcome = await tryClaimRun(this.db, run.id, this.workerId, this.leaseMs);
        if (!outcome.claimed) {
          if (outcome.reason === "concurrency_limit" && !this.stopped) {
            this.park(run, wasProbe);
            return;
          }
          this.forget(run);
          return;
        }
      }
      // A parked run got its place: there may be room for the next one too.
      if (wasProbe) this.unparkOne(run.workflowId);
      controller = new AbortController();
      this.running.set(run.id, controller);
    } finally {
      this.claiming--;
      if (!controller) this.pump();
    }
    // Keep the lease while the run executes, so only a dead worker's runs are retaken; a run
    // cancelled meanwhile loses its lease and is aborted.
    const heartbeat = setInterval(() => {
      renewLease(this.db, run.id, this.workerId, this.leaseMs).then(
        (ours) => ours || controller.abort(),
        (error) => this.options.onError?.(error),
      );
    }, this.leaseMs / 3);
    try {
      const result = claimed
        ? await executeClaimedRun(this.deps, claimed, claimed.steps, this.workerId, controller.signal)
        : await processRun(this.deps, run.id, this.workerId, controller.signal);
      if (result?.status === "waiting" && result.resumeAt) this.resumeLater(run, result.resumeAt);
    } finally {
      clearInterval(heartbeat);
      this.running.delete(run.id);
      this.forget(run);
      this.unparkOne(run.workflowId);
      this.pump();
    }
  }

  /** A run waiting a short while (a retry backoff, a short delay) is picked up on time, not at the next poll. */
  private resumeLater(run: QueuedRun, resumeAt: Date): void {
    const wait = resumeAt.getTime() - Date.now();
    if (this.stopped || wait > MAX_RESUME_TIMER_MS) return;
    const timer = setTimeout(() => {
      this.resumeTimers.delete(timer);
      void this.enqueue([run]);
    }, Math.max(0, wait) + 5);
    timer.unref();
    this.resumeTimers.add(timer);
  }
}

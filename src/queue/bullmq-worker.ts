// The worker side of the BullMQ queue (`npx cue worker`): takes run jobs, claims each run in the
// database (the lease is what makes execution exclusive, not the job), renews the lease while the
// engine runs it, and parks waiting runs (delays, long backoffs) as delayed jobs so they hold no
// slot. Cron jobs from BullMQ job schedulers become runs keyed by their occurrence. A periodic sweep
// re-reads the database so nothing depends on Redis having kept its state.
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import { Cron } from "croner";
import { DelayedError, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import type { Db } from "@/server/db";
import { startRuns } from "@/server/services/runs";
import {
  BullRunQueue,
  CRON_JOB,
  RUN_QUEUE_NAME,
  cronScheduleOf,
  schedulerIdOf,
  scheduleOfGraph,
  workflowIdOfScheduler,
  type CronJobData,
  type CronSchedule,
  type RunJobData,
} from "./bullmq";
import { renewLease, tryClaimRun } from "./claim";
import { processRun, type RunDeps } from "./process-run";
import type { WorkflowGraph } from "@/engine/types";

export interface RunWorkerOptions {
  redisUrl: string;
  concurrency: number;
  /** The run lease (RUN_LEASE_MS); also bounds how long BullMQ waits before a dead worker's job is retaken. */
  leaseMs: number;
  /** How long stop() lets in-flight runs finish before handing them back. */
  graceMs: number;
  sweepIntervalMs: number;
  /**
   * Housekeeping that in embedded mode rides on the in-process queue's poll (e.g. polling providers
   * without webhooks), run every tickIntervalMs on every worker: it must be safe to run concurrently.
   */
  onTick?: (now: Date) => Promise<unknown>;
  tickIntervalMs?: number;
  log?: (line: string) => void;
}

interface Execution {
  controller: AbortController;
  /** Set once the run's lease has been given up on shutdown: the job goes back to the queue. */
  handedBack: boolean;
}

const SWEEP_PAGE = 500;
const SWEEP_MAX_PAGES = 200;
/** Queued runs younger than this are being enqueued by the web process; the periodic sweep leaves them. */
const SWEEP_QUEUED_AFTER_MS = 10_000;

export class RunWorker {
  readonly workerId = `worker-${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  private worker: Worker<RunJobData | CronJobData> | undefined;
  private connection: Redis | undefined;
  private subscriber: Redis | undefined;
  private readonly running = new Map<string, Execution>();
  private sweepTimer: NodeJS.Timeout | undefined;
  private tickTimer: NodeJS.Timeout | undefined;
  private ticking: Promise<unknown> | undefined;
  private sweeping: Promise<void> | undefined;
  private handingBack = false;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly deps: RunDeps,
    private readonly queue: BullRunQueue,
    private readonly options: RunWorkerOptions,
  ) {}

  private get db(): Db {
    return this.deps.db;
  }

  private log(line: string) {
    (this.options.log ?? ((l: string) => console.log(l)))(line);
  }

  private get handoffId() {
    return `${this.workerId}/handoff`;
  }

  /** Runs this worker has executed to a stop (settled, or parked waiting). */
  executed = 0;

  /** Runs in flight right now (health, tests). */
  get inFlight(): number {
    return this.running.size;
  }

  isRunning(): boolean {
    return !this.stopping && Boolean(this.worker?.isRunning());
  }

  async start(): Promise<void> {
    this.subscriber = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null, connectionName: "cue-worker-abort" });
    this.subscriber.on("error", (error) => this.log(`worker: redis (abort channel): ${error.message}`));
    this.subscriber.on("message", (_channel: string, runId: string) => this.running.get(runId)?.controller.abort());
    await this.subscriber.subscribe(this.queue.abortChannel);

    await this.sweep({ force: true });

    this.connection = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null, connectionName: "cue-worker" });
    this.connection.on("error", (error) => this.log(`worker: redis: ${error.message}`));
    // BullMQ's job lock only decides when a silent worker's job is handed to another worker; that
    // worker still has to win the database claim, which waits for the run lease to expire.
    const lockMs = Math.min(this.options.leaseMs, 30_000);
    this.worker = new Worker<RunJobData | CronJobData>(RUN_QUEUE_NAME, (job, token) => this.process(job, token), {
      connection: this.connection,
      prefix: this.queue.prefix,
      concurrency: this.options.concurrency,
      lockDuration: lockMs,
      stalledInterval: lockMs,
      maxStalledCount: 5,
      removeOnComplete: { count: 0 },
      removeOnFail: { count: 0 },
    });
    this.worker.on("error", (error) => this.log(`worker: ${error.message}`));
    this.worker.on("failed", (job, error) => {
      if (job) this.log(`worker: job ${job.name} ${job.id} failed (attempt ${job.attemptsMade}): ${error.message}`);
    });
    await this.worker.waitUntilReady();

    this.sweepTimer = setInterval(() => {
      void this.sweep({ force: false });
    }, this.options.sweepIntervalMs);
    this.sweepTimer.unref();
    if (this.options.onTick) this.scheduleTick(this.options.onTick);
  }

  private scheduleTick(onTick: (now: Date) => Promise<unknown>) {
    this.tickTimer = setTimeout(() => {
      this.ticking = onTick(new Date())
        .catch((error: unknown) => this.log(`worker: periodic task failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => {
          this.ticking = undefined;
          if (!this.stopping) this.scheduleTick(onTick);
        });
    }, this.options.tickIntervalMs ?? 1_000);
    this.tickTimer.unref();
  }

  // -------------------------------------------------------------------------------------------
  // Jobs
  // -------------------------------------------------------------------------------------------

  private process(job: Job<RunJobData | CronJobData>, token: string | undefined): Promise<void> {
    if (job.name === CRON_JOB) return this.fireSchedule(job as Job<CronJobData>);
    return this.executeRun(job as Job<RunJobData>, token!);
  }

  private async executeRun(job: Job<RunJobData>, token: string): Promise<void> {
    const { runId, userId } = job.data;
    const claim = await tryClaimRun(this.db, runId, this.workerId, this.options.leaseMs);
    if (!claim.claimed && claim.reason === "concurrency_limit") {
      // Its workflow runs as many runs as it may: the run stays queued, the job comes back later.
      await job.moveToDelayed(Date.now() + claim.retryAfterMs, token);
      throw new DelayedError();
    }
    if (!claim.claimed) return this.unclaimed(job, token);

    const execution: Execution = { controller: new AbortController(), handedBack: false };
    this.running.set(runId, execution);
    if (this.handingBack) await this.handBack(runId, execution);
    // Renewal also notices a cancel the abort message missed (the run is no longer "running").
    const heartbeat = setInterval(
      () => {
        renewLease(this.db, runId, this.workerId, this.options.leaseMs).then(
          (ours) => ours || execution.controller.abort(),
          (error: unknown) => this.log(`worker: lease renewal for ${runId}: ${error instanceof Error ? error.message : String(error)}`),
        );
      },
      Math.min(this.options.leaseMs / 3, 10_000),
    );
    let result: Awaited<ReturnType<typeof processRun>>;
    try {
      result = execution.handedBack ? null : await processRun(this.deps, runId, this.workerId, execution.controller.signal);
    } catch (error) {
      // Let the job's retry (or another worker) take the run at once instead of after the lease.
      await this.db.workflowRun
        .updateMany({ where: { id: runId, lockedBy: this.workerId, status: "running" }, data: { lockedUntil: new Date(0) } })
        .catch(() => undefined);
      throw error;
    } finally {
      clearInterval(heartbeat);
      this.running.delete(runId);
    }

    if (execution.handedBack) {
      await this.db.workflowRun.updateMany({
        where: { id: runId, lockedBy: this.handoffId, status: "running" },
        data: { lockedBy: null, lockedUntil: new Date(0) },
      });
      // Due now, for any other worker (a delayed job wakes idle workers; a plain move back to
      // the prioritized list would not).
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }
    if (result) this.executed++;
    await this.queue.finished(userId, runId);
    if (result?.status === "waiting" && result.resumeAt) {
      // A delay or a long backoff: the run holds no worker slot until it is due.
      await job.moveToDelayed(result.resumeAt.getTime(), token);
      throw new DelayedError();
    }
  }

  /** The claim failed: the run is someone else's for now, not due yet, or finished. */
  private async unclaimed(job: Job<RunJobData>, token: string): Promise<void> {
    const run = await this.db.workflowRun.findUnique({
      where: { id: job.data.runId },
      select: { status: true, lockedUntil: true, resumeAt: true },
    });
    const now = Date.now();
    if (run?.status === "running" && run.lockedUntil && run.lockedUntil.getTime() > now) {
      // Another worker's lease: that worker is alive and finishes it, or died and its lease
      // expires; either way, look again then.
      await job.moveToDelayed(run.lockedUntil.getTime() + 50, token);
      throw new DelayedError();
    }
    await this.queue.finished(job.data.userId, job.data.runId);
    if (run?.status === "waiting" && run.resumeAt && run.resumeAt.getTime() > now) {
      await job.moveToDelayed(run.resumeAt.getTime(), token);
      throw new DelayedError();
    }
  }

  /** Gives up this worker's lease so the run can be retaken at once; the engine is told to stop. */
  private async handBack(runId: string, execution: Execution): Promise<void> {
    // A new lockedBy first: the aborted engine's settle (guarded by lockedBy) then cannot mark the
    // run cancelled, and the unexpired lease keeps others off until its step writes are done.
    const { count } = await this.db.workflowRun.updateMany({
      where: { id: runId, lockedBy: this.workerId, status: "running" },
      data: { lockedBy: this.handoffId },
    });
    if (count === 0) return;
    execution.handedBack = true;
    execution.controller.abort();
  }

  /** One occurrence of a cron workflow's job scheduler: one run, keyed by the occurrence. */
  private async fireSchedule(job: Job<CronJobData>): Promise<void> {
    const { workflowId } = job.data;
    const found = await cronScheduleOf(this.db, workflowId);
    if (!found) {
      await this.queue.queue.removeJobScheduler(schedulerIdOf(workflowId));
      return;
    }
    const { pattern, tz } = (job.opts.repeat ?? {}) as { pattern?: string; tz?: string };
    if (found.schedule.pattern !== pattern || found.schedule.tz !== (tz ?? "UTC")) {
      // A scheduler left over from an earlier version: replace it, fire nothing for it.
      await this.queue.upsertSchedule(workflowId, found.schedule);
      return;
    }
    const at = new Date(job.opts.prevMillis ?? job.timestamp);
    await startRuns(this.db, this.queue, [
      {
        workflowId,
        userId: found.userId,
        versionId: found.versionId,
        triggerType: "schedule.cron",
        trigger: { firedAt: at.toISOString(), cron: found.schedule.pattern, timezone: found.schedule.tz },
        dedupKey: `cron:${at.toISOString()}`,
      },
    ]);
    const next = new Cron(found.schedule.pattern, { timezone: found.schedule.tz, paused: true }).nextRun(at);
    await this.db.workflow.updateMany({ where: { id: workflowId, status: "active" }, data: { nextFireAt: next } });
  }

  // -------------------------------------------------------------------------------------------
  // The database sweep
  // -------------------------------------------------------------------------------------------

  /**
   * Re-enqueues from the database what Redis may have lost: queued runs, waiting runs (due now or
   * as delayed jobs), runs whose worker died; and makes the job schedulers match the active cron
   * workflows. Idempotent (job id = run id). Periodic sweeps run on one worker at a time.
   */
  sweep({ force }: { force: boolean }): Promise<void> {
    this.sweeping ??= this.sweepOnce(force)
      .catch((error: unknown) => this.log(`worker: sweep failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        this.sweeping = undefined;
      });
    return this.sweeping;
  }

  private async sweepOnce(force: boolean): Promise<void> {
    if (!force) {
      const lock = await this.queue.redis.set(this.queue.key("sweep-lock"), this.workerId, "PX", Math.max(500, this.options.sweepIntervalMs - 500), "NX");
      if (lock !== "OK") return;
    }
    const now = new Date();
    const queuedBefore = force ? now : new Date(now.getTime() - SWEEP_QUEUED_AFTER_MS);
    // At start every parked run is checked; later sweeps only those coming due soon, so a large
    // number of long waits costs nothing per sweep (one lost from Redis is found as it nears).
    const waitingUntil = force ? undefined : new Date(now.getTime() + 2 * this.options.sweepIntervalMs);
    let cursor: string | undefined;
    let due = 0;
    let delayed = 0;
    for (let page = 0; page < SWEEP_MAX_PAGES; page++) {
      const rows = await this.db.workflowRun.findMany({
        where: {
          OR: [
            { status: "queued", createdAt: { lte: queuedBefore } },
            { status: "waiting", resumeAt: waitingUntil ? { lte: waitingUntil } : { not: null } },
            { status: "running", lockedUntil: { lt: now } },
          ],
        },
        orderBy: { id: "asc" },
        take: SWEEP_PAGE,
        ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
        select: { id: true, userId: true, workflowId: true, status: true, resumeAt: true },
      });
      if (rows.length === 0) break;
      cursor = rows.at(-1)!.id;
      // Only runs Redis has no job for: the common case, a healthy queue, adds nothing.
      const missing = await this.withoutJobs(rows);
      const later = missing.filter((r) => r.status === "waiting" && r.resumeAt! > now);
      const ready = missing.filter((r) => !(r.status === "waiting" && r.resumeAt! > now));
      await this.queue.enqueue(ready);
      await this.queue.enqueueDelayed(later.map((r) => ({ ...r, resumeAt: r.resumeAt! })));
      due += ready.length;
      delayed += later.length;
      if (rows.length < SWEEP_PAGE) break;
    }
    const schedules = await this.syncSchedules();
    if (force || due || delayed || schedules.changed) {
      this.log(`worker: sweep: ${due} due run(s), ${delayed} delayed run(s), ${schedules.active} cron schedule(s) (${schedules.changed} updated)`);
    }
  }

  private async withoutJobs<T extends { id: string }>(rows: T[]): Promise<T[]> {
    const pipeline = this.queue.redis.pipeline();
    for (const row of rows) pipeline.exists(this.queue.queue.toKey(row.id));
    const replies = (await pipeline.exec()) ?? [];
    return rows.filter((_, i) => Number(replies[i]?.[1] ?? 0) === 0);
  }

  private async syncSchedules(): Promise<{ active: number; changed: number }> {
    const workflows = await this.db.workflow.findMany({
      where: { status: "active", triggerType: "schedule.cron", activeVersionId: { not: null } },
      select: { id: true, activeVersionId: true },
    });
    const versions = await this.db.workflowVersion.findMany({
      where: { id: { in: workflows.map((w) => w.activeVersionId!) } },
      select: { id: true, graph: true },
    });
    const graphs = new Map(versions.map((v) => [v.id, v.graph as unknown as WorkflowGraph]));
    const desired = new Map<string, CronSchedule>();
    for (const workflow of workflows) {
      const schedule = scheduleOfGraph(graphs.get(workflow.activeVersionId!));
      if (schedule) desired.set(workflow.id, schedule);
    }
    const existing = new Map<string, { pattern?: string | null; tz?: string | null }>();
    for (const scheduler of await this.queue.queue.getJobSchedulers(0, -1, true)) {
      const workflowId = workflowIdOfScheduler(scheduler.key);
      if (workflowId) existing.set(workflowId, scheduler);
    }
    let changed = 0;
    for (const [workflowId, schedule] of desired) {
      const current = existing.get(workflowId);
      if (current && current.pattern === schedule.pattern && (current.tz ?? "UTC") === schedule.tz) continue;
      await this.queue.upsertSchedule(workflowId, schedule);
      changed++;
    }
    for (const workflowId of existing.keys()) {
      if (desired.has(workflowId)) continue;
      await this.queue.queue.removeJobScheduler(schedulerIdOf(workflowId));
      changed++;
    }
    return { active: desired.size, changed };
  }

  // -------------------------------------------------------------------------------------------
  // Shutdown
  // -------------------------------------------------------------------------------------------

  /**
   * Stops taking jobs, lets in-flight runs finish for up to graceMs, then hands the rest back
   * (lease released, job back in the queue) so another worker continues them.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      clearInterval(this.sweepTimer);
      clearTimeout(this.tickTimer);
      const closing = this.worker?.close() ?? Promise.resolve();
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<"grace">((resolve) => {
        timer = setTimeout(() => resolve("grace"), this.options.graceMs);
      });
      const first = await Promise.race([closing.then(() => "closed" as const), graceOver]);
      clearTimeout(timer);
      if (first === "grace") {
        this.handingBack = true;
        const count = this.running.size;
        await Promise.all([...this.running].map(([runId, execution]) => this.handBack(runId, execution)));
        if (count) this.log(`worker: handed back ${count} in-flight run(s)`);
        await closing;
      }
      await this.sweeping;
      await this.ticking;
      await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
      await this.connection?.quit().catch(() => this.connection?.disconnect());
    })();
    return this.stopping;
  }
}

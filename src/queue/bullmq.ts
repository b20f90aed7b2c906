// The production run queue: BullMQ on Redis. The web process only enqueues (job id = run id, so a
// run is in Redis at most once) and keeps job schedulers in step with cron workflows; `npx cue
// worker` processes (src/queue/bullmq-worker.ts) execute. Redis is a fast index over the database,
// never the truth: enqueue never rejects, and workers re-read due runs and schedules from the
// database, so losing Redis state loses no run.
import { Queue, type JobsOptions } from "bullmq";
import { Redis } from "ioredis";
import type { WorkflowGraph } from "@/engine/types";
import type { Db } from "@/server/db";
import { planPriorityLookup, runPriority, type PlanPriorityLookup } from "./priority";
import type { QueuedRun, RunQueue } from "./types";

export const RUN_QUEUE_NAME = "runs";
export const RUN_JOB = "run";
export const CRON_JOB = "cron";

export interface RunJobData {
  runId: string;
  userId: string;
}

export interface CronJobData {
  workflowId: string;
}

export interface BullQueueOptions {
  redisUrl: string;
  /** Prefix of every Redis key (BullMQ's own and Cue's), so deployments can share a Redis. */
  prefix: string;
  /** How long enqueue waits for Redis before giving up (the database sweep finds the run later). */
  enqueueTimeoutMs?: number;
  onError?: (message: string, error: unknown) => void;
}

/** Removes finished jobs at once: a run's id must be free for its next enqueue (replay, resume). */
export const RUN_JOB_OPTIONS: JobsOptions = {
  removeOnComplete: true,
  removeOnFail: true,
  attempts: 5,
  backoff: { type: "exponential", delay: 1_000 },
};

/** The job scheduler of a cron workflow (BullMQ ids may not contain ":"). */
export const schedulerIdOf = (workflowId: string) => `cron-${workflowId}`;
export const workflowIdOfScheduler = (key: string) => (key.startsWith("cron-") ? key.slice("cron-".length) : null);

export interface CronSchedule {
  pattern: string;
  tz: string;
}

/** The schedule of an active schedule.cron workflow, read from its active version; null otherwise. */
export async function cronScheduleOf(
  db: Db,
  workflowId: string,
): Promise<{ userId: string; versionId: string; schedule: CronSchedule } | null> {
  const workflow = await db.workflow.findUnique({
    where: { id: workflowId },
    select: { userId: true, status: true, triggerType: true, activeVersionId: true },
  });
  if (!workflow || workflow.status !== "active" || workflow.triggerType !== "schedule.cron" || !workflow.activeVersionId) return null;
  const version = await db.workflowVersion.findUnique({ where: { id: workflow.activeVersionId }, select: { graph: true } });
  const schedule = scheduleOfGraph(version?.graph as unknown as WorkflowGraph | undefined);
  return schedule ? { userId: workflow.userId, versionId: workflow.activeVersionId, schedule } : null;
}

export function scheduleOfGraph(graph: WorkflowGraph | undefined): CronSchedule | null {
  const trigger = graph?.nodes.find((node) => node.type === "schedule.cron");
  const config = (trigger?.config ?? {}) as { cron?: unknown; timezone?: unknown };
  if (typeof config.cron !== "string" || !config.cron.trim()) return null;
  return { pattern: config.cron.trim(), tz: typeof config.timezone === "string" && config.timezone ? config.timezone : "UTC" };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class BullRunQueue implements RunQueue {
  readonly kind = "bullmq" as const;
  readonly queue: Queue<RunJobData | CronJobData>;
  readonly redis: Redis;
  private readonly priorityOf: PlanPriorityLookup;
  private readonly enqueueTimeoutMs: number;

  constructor(
    private readonly db: Db,
    private readonly options: BullQueueOptions,
  ) {
    // A few retries, not BullMQ's "forever" (which only workers need): a web request must not hang on Redis.
    this.redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 2, connectionName: "cue-queue" });
    // ioredis reports every failed reconnect: say it once a minute, not once a second.
    let lastConnectionError = 0;
    this.redis.on("error", (error) => {
      if (Date.now() - lastConnectionError < 60_000) return;
      lastConnectionError = Date.now();
      this.report("redis", error);
    });
    this.queue = new Queue(RUN_QUEUE_NAME, { connection: this.redis, prefix: options.prefix });
    this.queue.on("error", (error) => this.report("queue", error));
    this.priorityOf = planPriorityLookup(db);
    this.enqueueTimeoutMs = options.enqueueTimeoutMs ?? 5_000;
  }

  get prefix(): string {
    return this.options.prefix;
  }

  /** Cue's own keys beside BullMQ's. */
  key(...parts: string[]): string {
    return [this.options.prefix, RUN_QUEUE_NAME, "cue", ...parts].join(":");
  }

  get abortChannel(): string {
    return this.key("abort");
  }

  private report(message: string, error: unknown) {
    if (this.options.onError) this.options.onError(message, error);
    else console.error(`run queue (bullmq) ${message}:`, error instanceof Error ? error.message : error);
  }

  async enqueue(runs: readonly QueuedRun[]): Promise<void> {
    if (runs.length === 0) return;
    try {
      await withTimeout(this.add(runs), this.enqueueTimeoutMs, "enqueue");
    } catch (error) {
      // The rows are committed: the workers' database sweep enqueues them.
      this.report(`enqueue of ${runs.length} run(s) failed; the database sweep will pick them up`, error);
    }
  }

  /** Adds runs as delayed jobs due at `resumeAt` (waiting runs found by the sweep). */
  async enqueueDelayed(runs: readonly (QueuedRun & { resumeAt: Date })[]): Promise<void> {
    if (runs.length === 0) return;
    const now = Date.now();
    await this.queue.addBulk(
      runs.map((run) => ({
        name: RUN_JOB,
        data: { runId: run.id, userId: run.userId },
        opts: { ...RUN_JOB_OPTIONS, jobId: run.id, delay: Math.max(0, run.resumeAt.getTime() - now), priority: 1 },
      })),
    );
  }

  /**
   * Adds runs with a fair priority: a user's k-th outstanding run gets priority ~k, scaled by the
   * plan. Outstanding runs are a per-user set of run ids (idempotent under duplicate enqueues),
   * emptied by the workers as runs finish.
   */
  private async add(runs: readonly QueuedRun[]): Promise<void> {
    const byUser = new Map<string, QueuedRun[]>();
    for (const run of runs) byUser.set(run.userId, [...(byUser.get(run.userId) ?? []), run]);
    const pipeline = this.redis.multi();
    for (const [userId, own] of byUser) {
      const key = this.outstandingKey(userId);
      pipeline.sadd(key, ...own.map((run) => run.id));
      pipeline.scard(key);
      pipeline.expire(key, 86_400);
    }
    const replies = (await pipeline.exec()) ?? [];
    const jobs: { name: string; data: RunJobData; opts: JobsOptions }[] = [];
    let index = 0;
    for (const [userId, own] of byUser) {
      const added = Number(replies[index]?.[1] ?? own.length);
      const total = Number(replies[index + 1]?.[1] ?? own.length);
      index += 3;
      const plan = await this.priorityOf(userId).catch(() => 0);
      own.forEach((run, i) => {
        const before = Math.max(0, total - added + Math.min(i, added));
        jobs.push({
          name: RUN_JOB,
          data: { runId: run.id, userId },
          opts: { ...RUN_JOB_OPTIONS, jobId: run.id, priority: runPriority(before, plan) },
        });
      });
    }
    await this.queue.addBulk(jobs);
  }

  outstandingKey(userId: string): string {
    return this.key("outstanding", userId);
  }

  /** The run has left the queue (finished, or parked until a resumeAt): no longer counts against its owner. */
  async finished(userId: string, runId: string): Promise<void> {
    await this.redis.srem(this.outstandingKey(userId), runId);
  }

  /**
   * The row is already cancelled; the worker executing the run hears it here at once (and from its
   * lease renewal failing, should this message be lost).
   */
  abort(runId: string): void {
    this.redis.publish(this.abortChannel, runId).catch((error: unknown) => this.report("abort publish", error));
  }

  async scheduleChanged(workflowId: string): Promise<void> {
    try {
      const found = await cronScheduleOf(this.db, workflowId);
      const update: Promise<unknown> = found ? this.upsertSchedule(workflowId, found.schedule) : this.queue.removeJobScheduler(schedulerIdOf(workflowId));
      await withTimeout(update, this.enqueueTimeoutMs, "schedule update");
    } catch (error) {
      // The workers' sweep re-reads every schedule from the database.
      this.report(`schedule update for workflow ${workflowId} failed; the sweep will retry`, error);
    }
  }

  async upsertSchedule(workflowId: string, schedule: CronSchedule): Promise<void> {
    await this.queue.upsertJobScheduler(
      schedulerIdOf(workflowId),
      { pattern: schedule.pattern, tz: schedule.tz },
      { name: CRON_JOB, data: { workflowId }, opts: { removeOnComplete: true, removeOnFail: true, attempts: 5, backoff: { type: "exponential", delay: 1_000 } } },
    );
  }

  /** Redis answers (health checks). */
  async ping(timeoutMs = 2_000): Promise<boolean> {
    try {
      return (await withTimeout(this.redis.ping(), timeoutMs, "redis ping")) === "PONG";
    } catch {
      return false;
    }
  }

  /** The web process executes nothing: workers are separate processes (`npx cue worker`). */
  start(): void {}

  async stop(): Promise<void> {
    await this.queue.close().catch(() => undefined);
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

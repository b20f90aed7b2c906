// The run write path and queue mechanics on a real database (PGlite, or Postgres with
// TEST_DATABASE_URL): group-committed intake (dedup, ack only after commit, failed batches
// acknowledge nobody), crash safety of acknowledged runs and of settled actions, long retry
// waits that free the worker, per-workflow concurrency limits across two queues, and fairness.
import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { coreNodes } from "@/engine/core-nodes";
import { StepError } from "@/engine/errors";
import { fakeAction } from "@/engine/testing";
import type { NodeCatalog, NodeDefinition, StepContext, WorkflowGraph } from "@/engine/types";
import { createIntegrationRegistry } from "@/integrations/registry";
import { claimRun, tryClaimRun } from "@/queue/claim";
import { InProcessRunQueue } from "@/queue/in-process";
import type { RunDeps } from "@/queue/process-run";
import type { RunQueue } from "@/queue/types";
import { SQL, sqlOf, type Db, type Sql } from "@/server/db";
import { receiveWorkflowWebhook } from "@/server/services/dispatch";
import { startRuns, type NewRun } from "@/server/services/runs";
import { callerFor, createUser, RecordingQueue, testKeys } from "./helpers/caller";
import { createTestDatabase, type TestDatabase } from "./helpers/db";

let database: TestDatabase;
let db: Db;
let alice: { id: string };
let bob: { id: string };

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.prisma;
});
afterAll(async () => {
  await database?.close();
});
beforeEach(async () => {
  await db.user.deleteMany();
  alice = await createUser(db, "alice@example.com");
  bob = await createUser(db, "bob@example.com");
});

const registry = createIntegrationRegistry({ allowPrivateNetwork: true, extraNodes: coreNodes });

/** The real catalog plus test actions (by type). */
function catalogWith(...definitions: NodeDefinition[]): NodeCatalog {
  const extra = new Map(definitions.map((d) => [d.type, d]));
  return { get: (type) => extra.get(type) ?? registry.catalog.get(type), list: () => [...registry.catalog.list(), ...definitions] };
}

function action(type: string, run: (input: unknown, ctx: StepContext) => Promise<unknown> = async () => ({ ok: true })) {
  return fakeAction(run, { type });
}

const webhookGraph = (...actions: string[]): WorkflowGraph => ({
  nodes: [
    { id: "t1", type: "webhook.received", config: {}, position: { x: 0, y: 0 } },
    ...actions.map((type, i) => ({ id: `a${i + 1}`, type, config: {}, position: { x: 0, y: 100 * (i + 1) } })),
  ],
  edges: actions.map((_, i) => ({ id: `e${i + 1}`, source: i === 0 ? "t1" : `a${i}`, target: `a${i + 1}` })),
});

/** An active workflow written directly (test action types are not in the app's catalog). */
async function activeWorkflow(userId: string, graph: WorkflowGraph, extra: { maxConcurrency?: number } = {}) {
  const workflow = await db.workflow.create({
    data: { userId, name: "Test", graph: graph as never, status: "active", triggerType: graph.nodes[0]!.type, webhookToken: randomUUID(), ...extra },
  });
  const version = await db.workflowVersion.create({ data: { workflowId: workflow.id, version: 1, graph: graph as never } });
  await db.workflow.update({ where: { id: workflow.id }, data: { activeVersionId: version.id } });
  return { id: workflow.id, userId, versionId: version.id, token: workflow.webhookToken };
}

const newRun = (workflow: { id: string; userId: string; versionId: string }, dedupKey?: string): NewRun => ({
  workflowId: workflow.id,
  userId: workflow.userId,
  versionId: workflow.versionId,
  triggerType: "webhook.received",
  trigger: { body: { n: dedupKey ?? null } },
  dedupKey: dedupKey ?? null,
});

function queueOf(deps: Partial<RunDeps> & { catalog: NodeCatalog }, options: { concurrency?: number; leaseMs?: number; db?: Db; planPriority?: (userId: string) => Promise<number> } = {}) {
  return new InProcessRunQueue(
    { db: options.db ?? db, getCredentials: async () => ({}), retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 }, stepTimeoutMs: 5_000, ...deps },
    { concurrency: options.concurrency ?? 4, pollIntervalMs: 50, leaseMs: options.leaseMs, planPriority: options.planPriority },
  );
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const runsOf = (workflowId: string) => db.workflowRun.findMany({ where: { workflowId }, include: { steps: true } });

/** The database with its raw statements (driver-level sql and Prisma's raw ones) observed, and optionally sabotaged. */
function observed(target: Db, onStatement: (sql: string) => void): Db {
  return new Proxy(target, {
    get(object, property) {
      if (property === SQL) {
        const sql = sqlOf(object);
        return ((query: string, params?: readonly unknown[]) => {
          onStatement(query);
          return sql(query, params);
        }) as Sql;
      }
      if (property === "$queryRawUnsafe" || property === "$executeRawUnsafe") {
        return (sql: string, ...values: unknown[]) => {
          onStatement(sql);
          return (object[property] as (sql: string, ...values: unknown[]) => unknown)(sql, ...values);
        };
      }
      const value = Reflect.get(object, property) as unknown;
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(object) : value;
    },
  });
}

describe("intake through group commit", () => {
  it("shares inserts between concurrent deliveries, creates one run per Idempotency-Key, and answers only after the run is stored", async () => {
    const workflow = await activeWorkflow(alice.id, webhookGraph("test.noop"));
    let inserts = 0;
    const counted = observed(db, (sql) => {
      if (sql.includes('INSERT INTO "WorkflowRun"')) inserts++;
    });
    const queue = new RecordingQueue();
    const stored: boolean[] = [];
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        receiveWorkflowWebhook(counted, queue, testKeys, {
          token: workflow.token,
          method: "POST",
          headers: new Headers({ "content-type": "application/json", "idempotency-key": `delivery-${i % 20}` }),
          query: new URLSearchParams(),
          rawBody: JSON.stringify({ n: i % 20 }),
        }).then(async (answer) => {
          // The acknowledgement is only given once the row is committed: it is visible right now.
          if (answer.runId) stored.push((await db.workflowRun.findUnique({ where: { id: answer.runId } })) !== null);
          return answer;
        }),
      ),
    );
    const created = answers.filter((a) => a.runId);
    expect(created).toHaveLength(20);
    expect(answers.filter((a) => a.duplicate)).toHaveLength(40);
    expect(stored).toEqual(Array.from({ length: 20 }, () => true));
    expect(await db.workflowRun.count({ where: { workflowId: workflow.id } })).toBe(20);
    expect(new Set(queue.enqueued)).toEqual(new Set(created.map((a) => a.runId)));
    // Group commit: far fewer statements than deliveries.
    expect(inserts).toBeLessThan(20);
  });

  it("acknowledges nobody in a batch whose commit fails, and a redelivery then stores each run once", async () => {
    const workflow = await activeWorkflow(alice.id, webhookGraph("test.noop"));
    let failNext = true;
    const flaky = observed(db, (sql) => {
      if (failNext && sql.includes('INSERT INTO "WorkflowRun"')) {
        failNext = false;
        throw new Error("the database went away");
      }
    });
    const queue = new RecordingQueue();
    const first = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => startRuns(flaky, queue, [newRun(workflow, `evt_${i}`)])));
    expect(first.every((r) => r.status === "rejected")).toBe(true);
    expect(await db.workflowRun.count({ where: { workflowId: workflow.id } })).toBe(0);
    expect(queue.enqueued).toEqual([]);
    const again = await Promise.all(Array.from({ length: 10 }, (_, i) => startRuns(flaky, queue, [newRun(workflow, `evt_${i}`)])));
    expect(again.flat()).toHaveLength(10);
    expect(await db.workflowRun.count({ where: { workflowId: workflow.id } })).toBe(10);
  });
});

describe("crash safety", () => {
  it("executes every acknowledged run exactly once after the process that took them died before running them", async () => {
    const work = action("test.work");
    const workflow = await activeWorkflow(alice.id, webhookGraph("test.work"));
    // The first process stored and acknowledged 30 runs, then died: its queue never ran them.
    const ids = (await Promise.all(Array.from({ length: 30 }, (_, i) => startRuns(db, new RecordingQueue(), [newRun(workflow, `evt_${i}`)])))).flat();
    expect(ids).toHaveLength(30);
    const queue = queueOf({ catalog: catalogWith(work.definition) });
    queue.start();
    try {
      const runs = await until(() => runsOf(workflow.id), (rows) => rows.every((r) => r.status === "succeeded"));
      expect(runs).toHaveLength(30);
      expect(work.calls.map((c) => c.ctx.runId).sort()).toEqual([...ids].sort());
    } finally {
      await queue.stop();
    }
  });

  it("does not repeat an action whose result was committed when the worker dies before the run settles", async () => {
    const first = action("test.first");
    const second = action("test.second");
    const catalog = catalogWith(first.definition, second.definition);
    const workflow = await activeWorkflow(alice.id, webhookGraph("test.first", "test.second"));
    // This worker's database connection breaks after the first action's result is committed.
    let commits = 0;
    const dying = observed(db, (sql) => {
      if (sql.startsWith("WITH steps AS") && ++commits > 1) throw new Error("connection lost");
    });
    const doomed = queueOf({ catalog }, { db: dying, leaseMs: 300 });
    doomed.start();
    const [runId] = await startRuns(db, doomed, [newRun(workflow, "evt_crash")]);
    await until(async () => second.calls.length, (n) => n === 1);
    await doomed.stop();
    const stuck = await db.workflowRun.findUniqueOrThrow({ where: { id: runId! }, include: { steps: true } });
    expect(stuck.status).toBe("running");
    expect(stuck.steps.map((s) => [s.nodeId, s.status])).toEqual([["a1", "succeeded"]]);

    // Another worker retakes the run once the dead one's lease has lapsed.
    const rescuer = queueOf({ catalog });
    rescuer.start();
    try {
      const run = await until(() => db.workflowRun.findUniqueOrThrow({ where: { id: runId! } }), (r) => r.status === "succeeded");
      expect(run.status).toBe("succeeded");
      expect(first.calls).toHaveLength(1);
      // The second action's result had never been committed: it runs again, under the same idempotency key.
      expect(second.calls.map((c) => c.ctx.idempotencyKey)).toEqual([`${runId}:a2`, `${runId}:a2`]);
    } finally {
      await rescuer.stop();
    }
  });
});

describe("runs leased at intake", () => {
  /** A queue that offers its free slots at intake, then dies before running what it was given. */
  function dyingQueue(workerId: string, leaseMs: number) {
    const queue = new RecordingQueue() as RecordingQueue & { reserve: RunQueue["reserve"]; given: string[] };
    queue.given = [];
    queue.reserve = (count) => ({ workerId, until: new Date(Date.now() + leaseMs), slots: count, start: (runs) => queue.given.push(...runs.map((r) => r.id)) });
    return queue;
  }

  it("start without a claim when a worker slot is free: inserted running under the queue's lease, run once", async () => {
    const work = action("test.work");
    const workflow = await activeWorkflow(alice.id, webhookGraph("test.work"));
    const statements: string[] = [];
    const watched = observed(db, (sql) => statements.push(sql));
    const queue = queueOf({ catalog: catalogWith(work.definition) }, { db: watched, concurrency: 2 });
    queue.start();
    try {
      const ids = (await Promise.all(Array.from({ length: 2 }, (_, i) => startRuns(watched, queue, [newRun(workflow, `evt_${i}`)])))).flat();
      // Acknowledged: the rows are committed, already running under this queue's lease.
      const rows = await db.workflowRun.findMany({ where: { id: { in: ids } } });
      expect(rows.map((r) => [r.status === "running" || r.status === "succeeded", r.startedAt !== null])).toEqual([
        [true, true],
        [true, true],
      ]);
      await until(() => runsOf(workflow.id), (runs) => runs.every((r) => r.status === "succeeded"));
      expect(work.calls.map((c) => c.ctx.runId).sort()).toEqual([...ids].sort());
      // No claim statement: the insert was the claim.
      expect(statements.filter((sql) => sql.includes("WITH c AS") || sql.startsWith('UPDATE "WorkflowRun" r SET status'))).toEqual([]);
    } finally {
      await queue.stop();
    }
  });

  it("are inserted queued when their workflow has a concurrency limit, and claimed under it", async () => {
    const work = action("test.work");
    const workflow = await activeWorkflow(alice.id, webhookGraph("test.work"), { maxConcurrency: 1 });
    const dying = dyingQueue("worker-limited", 60_000);
    const [runId] = await startRuns(db, dying, [newRun(workflow, "evt_limited")]);
    expect(dying.given).toEqual([]);
    expect(dying.enqueued).toEqual([runId]);
    expect(await db.workflowRun.findUniqueOrThrow({ where: { id: runId! } })).toMatchObject({ status: "queued", lockedBy: null, startedAt: null });
    expect(work.calls).toHaveLength(0);
  });

  it("left by a process that died before running them are retaken at start (embedded) and run once", async () => {
    const work = action("test.work");
    const workflow = await activeWorkflow(alice.id, webhookGraph("test.work"));
    const dying = dyingQueue("worker-that-died", 60_000);
    const ids = (await Promise.all(Array.from({ length: 5 }, (_, i) => startRuns(db, dying, [newRun(workflow, `evt_${i}`)])))).flat();
    expect(dying.given.sort()).toEqual([...ids].sort());
    expect(dying.enqueued).toEqual([]);
    const stuck = await db.workflowRun.findMany({ where: { id: { in: ids } } });
    expect(stuck.every((r) => r.status === "running" && r.lockedBy === "worker-that-died" && r.startedAt !== null)).toBe(true);

    // The next process on the same (embedded) database takes back every lease at start.
    const next = new InProcessRunQueue(
      { db, catalog: catalogWith(work.definition), getCredentials: async () => ({}) },
      { concurrency: 4, pollIntervalMs: 50, reclaimOrphansOnStart: true },
    );
    next.start();
    try {
      const runs = await until(() => runsOf(workflow.id), (rows) => rows.every((r) => r.status === "succeeded"));
      expect(runs).toHaveLength(5);
      expect(work.calls.map((c) => c.ctx.runId).sort()).toEqual([...ids].sort());
    } finally {
      await next.stop();
    }
  });

  it("left by a dead worker elsewhere are retaken once their lease has expired, not before", async () => {
    const work = action("test.work");
    const workflow = await activeWorkflow(alice.id, webhookGraph("test.work"));
    const dying = dyingQueue("worker-elsewhere", 600);
    const [runId] = await startRuns(db, dying, [newRun(workflow, "evt_lease")]);
    const rescuer = queueOf({ catalog: catalogWith(work.definition) });
    rescuer.start();
    try {
      await new Promise((r) => setTimeout(r, 200));
      expect(work.calls).toHaveLength(0);
      const run = await until(() => db.workflowRun.findUniqueOrThrow({ where: { id: runId! } }), (r) => r.status === "succeeded");
      expect(run.lockedBy).toBeNull();
      expect(work.calls.map((c) => c.ctx.runId)).toEqual([runId]);
    } finally {
      await rescuer.stop();
    }
  });
});

describe("long retry waits", () => {
  it("park the run waiting instead of holding a worker, then resume the step with its next attempt", async () => {
    let calls = 0;
    const limited = action("test.limited", async () => {
      if (++calls === 1) throw new StepError("rate_limited", "HTTP 429", { status: 429, retryAfterMs: 1_500 });
      return { ok: true };
    });
    const workflow = await activeWorkflow(alice.id, webhookGraph("test.limited"));
    const queue = new InProcessRunQueue(
      { db, catalog: catalogWith(limited.definition), getCredentials: async () => ({}) },
      { concurrency: 1, pollIntervalMs: 5_000 },
    );
    queue.start();
    try {
      const [runId] = await startRuns(db, queue, [newRun(workflow, "evt_429")]);
      const waiting = await until(() => db.workflowRun.findUniqueOrThrow({ where: { id: runId! }, include: { steps: true } }), (r) => r.status === "waiting");
      expect(waiting.resumeAt!.getTime()).toBeGreaterThan(Date.now() + 500);
      expect(waiting.lockedBy).toBeNull();
      expect(waiting.steps.find((s) => s.nodeId === "a1")).toMatchObject({ status: "waiting", attempts: 1, error: { code: "rate_limited", retryable: true } });
      // No worker is busy while the run waits.
      await queue.idle();
      const done = await until(() => db.workflowRun.findUniqueOrThrow({ where: { id: runId! }, include: { steps: true } }), (r) => r.status === "succeeded", 5_000);
      expect(done.steps.find((s) => s.nodeId === "a1")).toMatchObject({ status: "succeeded", attempts: 2 });
      expect(limited.calls.map((c) => c.ctx.attempt)).toEqual([1, 2]);
    } finally {
      await queue.stop();
    }
  });
});

describe("per-workflow concurrency limit", () => {
  it("is set through the API with validation", async () => {
    const api = callerFor(db, alice.id);
    const { id } = await api.workflows.create({ name: "Limited" });
    await api.workflows.update({ id, maxConcurrency: 5 });
    expect((await api.workflows.get({ id })).maxConcurrency).toBe(5);
    for (const bad of [0, 101, 2.5]) {
      const error = await api.workflows.update({ id, maxConcurrency: bad }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code).toBe("BAD_REQUEST");
    }
    await api.workflows.update({ id, maxConcurrency: null });
    expect((await api.workflows.get({ id })).maxConcurrency).toBeNull();
    const other = await callerFor(db, bob.id).workflows.update({ id, maxConcurrency: 3 }).catch((e: unknown) => e);
    expect((other as TRPCError).code).toBe("NOT_FOUND");
  });

  it("refuses a claim beyond the limit with a distinguishable answer", async () => {
    const workflow = await activeWorkflow(alice.id, webhookGraph("test.noop"), { maxConcurrency: 1 });
    const [first, second] = await startRuns(db, new RecordingQueue(), [newRun(workflow, "a"), newRun(workflow, "b")]);
    expect(await tryClaimRun(db, first!, "worker-1")).toEqual({ claimed: true });
    expect(await tryClaimRun(db, second!, "worker-2")).toMatchObject({ claimed: false, reason: "concurrency_limit" });
    expect(await claimRun(db, second!, "worker-2")).toBe(false);
    expect((await db.workflowRun.findUniqueOrThrow({ where: { id: second! } })).status).toBe("queued");
    // A finished run frees its place; a run someone else holds is "unavailable", not limited.
    await db.workflowRun.update({ where: { id: first! }, data: { status: "succeeded", lockedBy: null, lockedUntil: null } });
    expect(await tryClaimRun(db, second!, "worker-2")).toEqual({ claimed: true });
    expect(await tryClaimRun(db, second!, "worker-3")).toEqual({ claimed: false, reason: "unavailable" });
  });

  it("holds across two queues on one database, and every run still completes", async () => {
    let inFlight = 0;
    let peak = 0;
    const slow = action("test.slow", async () => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 60));
      inFlight--;
      return { ok: true };
    });
    const catalog = catalogWith(slow.definition);
    const workflow = await activeWorkflow(alice.id, webhookGraph("test.slow"), { maxConcurrency: 2 });
    const one = queueOf({ catalog }, { concurrency: 4 });
    const two = queueOf({ catalog }, { concurrency: 4 });
    one.start();
    two.start();
    try {
      const ids = [
        ...(await startRuns(db, one, Array.from({ length: 5 }, (_, i) => newRun(workflow, `one_${i}`)))),
        ...(await startRuns(db, two, Array.from({ length: 5 }, (_, i) => newRun(workflow, `two_${i}`)))),
      ];
      const runs = await until(() => runsOf(workflow.id), (rows) => rows.length === 10 && rows.every((r) => r.status === "succeeded"), 15_000);
      expect(runs.map((r) => r.id).sort()).toEqual(ids.sort());
      expect(slow.calls).toHaveLength(10);
      expect(peak).toBe(2);
    } finally {
      await Promise.all([one.stop(), two.stop()]);
    }
  });
});

describe("fairness", () => {
  it("runs another user's run next instead of after one user's flood, and lets a higher plan advance faster", async () => {
    const order: string[] = [];
    const record = action("test.record", async (_input, ctx) => {
      order.push(ctx.userId);
      return { ok: true };
    });
    const carol = await createUser(db, "carol@example.com");
    const flood = await activeWorkflow(alice.id, webhookGraph("test.record"));
    const single = await activeWorkflow(bob.id, webhookGraph("test.record"));
    const business = await activeWorkflow(carol.id, webhookGraph("test.record"));
    const queue = queueOf(
      { catalog: catalogWith(record.definition) },
      { concurrency: 1, planPriority: async (userId) => (userId === carol.id ? 10 : 0) },
    );
    // Everything is queued before the worker starts: Alice's 12, then Carol's 6, then Bob's 1.
    await startRuns(db, queue, Array.from({ length: 12 }, (_, i) => newRun(flood, `a_${i}`)));
    await startRuns(db, queue, Array.from({ length: 6 }, (_, i) => newRun(business, `c_${i}`)));
    await startRuns(db, queue, [newRun(single, "b_0")]);
    queue.start();
    try {
      await until(async () => order.length, (n) => n === 19);
      // First-in-line runs of each user first; Bob's only run is not stuck behind 17 others.
      expect(order.indexOf(bob.id)).toBeLessThan(4);
      expect(order[0]).toBe(alice.id);
      // Carol (queuePriority 10) advances at twice Alice's rate: her 6 runs finish within the first 12.
      expect(order.slice(0, 12).filter((u) => u === carol.id)).toHaveLength(6);
    } finally {
      await queue.stop();
    }
  });
});

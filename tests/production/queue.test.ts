// Queue mode end to end: webhooks through the real route handler in this (web) process, BullMQ on
// Redis, two `cue worker` processes executing, an HTTP sink receiving each run's delivery.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openProductionEnv, startSink, waitFor, webhookToSink, type ProductionEnv, type Sink, type WorkerProcess } from "./harness";

let env: ProductionEnv;
let sink: Sink;
let workers: WorkerProcess[];

beforeAll(async () => {
  env = await openProductionEnv();
  // The flood's deliveries take a while, so it keeps both workers busy and the queue contended.
  sink = await startSink({ delayMs: (request) => (request.path === "/flood" || request.path === "/limited" ? 150 : 0) });
  workers = await Promise.all([env.startWorker({ concurrency: 2 }), env.startWorker({ concurrency: 2 })]);
});

afterAll(async () => {
  await env?.close();
  await sink?.close();
});

describe("production mode (BullMQ + worker processes)", () => {
  it("selects the BullMQ queue in the web process and reports health on both sides", async () => {
    expect(env.runtime.runQueueKind()).toBe("bullmq");
    const { GET } = await import("@/app/api/health/route");
    const response = await GET();
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", queue: "bullmq", checks: { database: "ok", redis: "ok" } });
    for (const worker of workers) {
      expect(await worker.health("/healthz")).toMatchObject({ status: 200, body: { status: "ok" } });
      expect(await worker.health("/readyz")).toMatchObject({
        status: 200,
        body: { status: "ok", checks: { database: "ok", redis: "ok", worker: "ok" } },
      });
    }
  });

  it("executes webhook runs on two workers, each delivered exactly once, without starving a second user", async () => {
    const flooder = await env.createUser("flood@example.com");
    const other = await env.createUser("other@example.com");
    const floodFlow = await env.activeWorkflow(flooder.id, webhookToSink(sink.url, ["/flood"]));
    const otherFlow = await env.activeWorkflow(other.id, webhookToSink(sink.url, ["/other"]));

    const FLOOD = 60;
    const flood = await Promise.all(
      Array.from({ length: FLOOD }, (_, i) => env.deliver(floodFlow.token, { id: `a-${i}` }, { "idempotency-key": `a-${i}` })),
    );
    expect(flood.every((r) => r.status === 202 && r.body.runId && !r.body.duplicate)).toBe(true);
    const single = await env.deliver(otherFlow.token, { id: "b-0" }, { "idempotency-key": "b-0" });
    expect(single.status).toBe(202);

    await waitFor("every run to succeed", async () => {
      const done = await env.db.workflowRun.count({ where: { status: "succeeded" } });
      return done === FLOOD + 1;
    });
    const runs = await env.db.workflowRun.findMany({ select: { id: true, status: true, lockedBy: true } });
    expect(runs).toHaveLength(FLOOD + 1);
    expect(runs.every((run) => run.status === "succeeded")).toBe(true);

    // Exactly once: one request per run, no retry, no duplicate.
    const deliveries = sink.requests.filter((r) => r.path === "/flood" || r.path === "/other");
    expect(deliveries).toHaveLength(FLOOD + 1);
    expect(new Set(deliveries.map((r) => (r.body as { event: string }).event)).size).toBe(FLOOD + 1);
    expect(new Set(deliveries.map((r) => r.key)).size).toBe(FLOOD + 1);

    // Both workers took part, and no job failed along the way.
    const executed = await Promise.all(workers.map(async (w) => (await w.health("/healthz")).body.runsExecuted as number));
    expect(executed.every((n) => n > 0)).toBe(true);
    expect(executed.reduce((a, b) => a + b, 0)).toBe(FLOOD + 1);
    expect(workers.map((w) => w.log).join("\n")).not.toMatch(/failed \(attempt/);

    // Fairness: the other user's single run, enqueued after the whole flood, is not last in line:
    // it goes ahead of most of the flooder's runs.
    const position = deliveries.findIndex((r) => r.path === "/other");
    expect(position).toBeLessThan(FLOOD / 3);
  });

  it("holds a workflow to its concurrency limit across worker processes", async () => {
    const user = await env.createUser("limited@example.com");
    const flow = await env.activeWorkflow(user.id, webhookToSink(sink.url, ["/limited"]));
    await env.db.workflow.update({ where: { id: flow.id }, data: { maxConcurrency: 1 } });
    const runIds = await Promise.all(Array.from({ length: 4 }, async (_, i) => (await env.deliver(flow.token, { id: `limited-${i}` })).body.runId!));
    await waitFor("the limited runs to succeed", async () => {
      const done = await env.db.workflowRun.count({ where: { id: { in: runIds }, status: "succeeded" } });
      return done === runIds.length;
    });
    // One at a time: each request arrives after the previous one was answered (150 ms later).
    const arrivals = sink.requests.filter((r) => r.path === "/limited").map((r) => r.at);
    expect(arrivals).toHaveLength(runIds.length);
    for (let i = 1; i < arrivals.length; i++) expect(arrivals[i]! - arrivals[i - 1]!).toBeGreaterThanOrEqual(150);
  });

  it("never fails an enqueue on Redis trouble; the workers' database sweep runs what was never enqueued", async () => {
    const { BullRunQueue } = await import("@/queue/bullmq");
    const { startRuns } = await import("@/server/services/runs");
    const user = await env.createUser("lost@example.com");
    const flow = await env.activeWorkflow(user.id, webhookToSink(sink.url, ["/lost"]));
    const { activeVersionId } = await env.db.workflow.findUniqueOrThrow({ where: { id: flow.id } });
    // Nothing listens on port 1: the enqueue gives up (and logs) instead of failing the request.
    const errors: string[] = [];
    const unreachable = new BullRunQueue(env.db, {
      redisUrl: "redis://127.0.0.1:1",
      prefix: env.prefix,
      enqueueTimeoutMs: 500,
      onError: (message) => errors.push(message),
    });
    const [runId] = await startRuns(env.db, unreachable, [
      { workflowId: flow.id, userId: user.id, versionId: activeVersionId, triggerType: "webhook.received", trigger: { body: { id: "lost-1" } } },
    ]);
    await unreachable.stop();
    expect(errors.some((message) => message.includes("database sweep"))).toBe(true);
    expect((await env.db.workflowRun.findUniqueOrThrow({ where: { id: runId! } })).status).toBe("queued");
    // The periodic sweep leaves runs the web process has only just committed to their enqueue.
    await env.db.workflowRun.update({ where: { id: runId! }, data: { createdAt: new Date(Date.now() - 60_000) } });

    await waitFor("the sweep to find and run it", async () => (await env.db.workflowRun.findUnique({ where: { id: runId! } }))?.status === "succeeded");
    expect(sink.count((r) => r.key === `${runId}:h1`)).toBe(1);
  });

  it("turns 1,000 concurrent duplicate deliveries into one run and one side effect", async () => {
    const user = await env.createUser("dupes@example.com");
    const flow = await env.activeWorkflow(user.id, webhookToSink(sink.url, ["/dupes"]));
    const answers = await Promise.all(
      Array.from({ length: 1_000 }, () => env.deliver(flow.token, { id: "evt_dup" }, { "idempotency-key": "evt_dup" })),
    );
    expect(answers.every((a) => a.status === 202)).toBe(true);
    expect(answers.filter((a) => !a.body.duplicate)).toHaveLength(1);
    const runId = answers.find((a) => !a.body.duplicate)!.body.runId!;

    await waitFor("the run to succeed", async () => (await env.db.workflowRun.findUnique({ where: { id: runId } }))?.status === "succeeded");
    expect(await env.db.workflowRun.count({ where: { workflowId: flow.id } })).toBe(1);
    // Give a stray second job every chance to show itself: the worker queues must be empty.
    const { BullRunQueue } = await import("@/queue/bullmq");
    const queue = env.runtime.getRunQueue();
    expect(queue).toBeInstanceOf(BullRunQueue);
    await waitFor("the queue to drain", async () => (await (queue as InstanceType<typeof BullRunQueue>).queue.count()) === 0);
    expect(sink.count((r) => r.path === "/dupes")).toBe(1);
  });
});

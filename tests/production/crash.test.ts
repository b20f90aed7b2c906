// Workers dying and stopping: a SIGKILLed worker's run is retaken and completed without repeating
// a step that had succeeded; SIGTERM lets in-flight runs finish, or hands them back after the grace
// period so another worker completes them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openProductionEnv, startSink, TEST_LEASE_MS, waitFor, webhookToSink, type ProductionEnv, type Sink, type WorkerProcess } from "./harness";

let env: ProductionEnv;
let sink: Sink;

beforeAll(async () => {
  env = await openProductionEnv();
  sink = await startSink();
});

afterAll(async () => {
  await env?.close();
  await sink?.close();
});

async function runOf(runId: string) {
  return env.db.workflowRun.findUniqueOrThrow({ where: { id: runId }, include: { steps: true } });
}

function keyOf(runId: string, nodeId: string) {
  return `${runId}:${nodeId}`;
}

/** The worker whose lease the run is under. */
async function holderOf(runId: string, candidates: WorkerProcess[]): Promise<WorkerProcess> {
  const { lockedBy } = await runOf(runId);
  const holder = candidates.find((worker) => worker.holds(lockedBy));
  if (!holder) throw new Error(`no candidate holds run ${runId} (lockedBy ${lockedBy})`);
  return holder;
}

describe("worker crashes and shutdowns", () => {
  it("SIGKILL mid-run: another worker completes the run; each step's side effect happens exactly once", async () => {
    const workers = await Promise.all([env.startWorker({ concurrency: 1 }), env.startWorker({ concurrency: 1 })]);
    const user = await env.createUser("crash@example.com");
    const flow = await env.activeWorkflow(user.id, webhookToSink(sink.url, ["/kill/1", "/kill/2", "/kill/3"]));
    const held = sink.hold((r) => r.path === "/kill/2");

    const { body } = await env.deliver(flow.token, { id: "kill-1" });
    const runId = body.runId!;
    await held.arrived;
    const victim = await holderOf(runId, workers);
    const survivor = workers.find((w) => w !== victim)!;
    expect((await victim.kill("SIGKILL")).signal).toBe("SIGKILL");
    held.release();

    await waitFor("the run to be completed by the other worker", async () => (await runOf(runId)).status === "succeeded", {
      timeoutMs: 10 * TEST_LEASE_MS + 10_000,
    });
    const run = await runOf(runId);
    expect(run.steps.filter((s) => s.nodeId.startsWith("h")).every((s) => s.status === "succeeded")).toBe(true);
    expect(await env.db.workflowRun.count({ where: { workflowId: flow.id } })).toBe(1);

    // Step 1 had succeeded before the crash: not sent again.
    expect(sink.count((r) => r.key === keyOf(runId, "h1"))).toBe(1);
    // Step 2 was in flight: sent again with the same Idempotency-Key, so it took effect once.
    expect(sink.count((r) => r.key === keyOf(runId, "h2"))).toBe(2);
    expect(sink.effectCount((r) => r.key === keyOf(runId, "h2"))).toBe(1);
    expect(sink.count((r) => r.key === keyOf(runId, "h3"))).toBe(1);
    expect(sink.effects.filter((r) => r.path.startsWith("/kill/")).map((r) => r.path)).toEqual(["/kill/1", "/kill/2", "/kill/3"]);
    expect((await survivor.health("/healthz")).body.runsExecuted).toBe(1);
    await survivor.kill("SIGTERM");
  });

  it("cancelling in the web process stops the run in the worker at once", async () => {
    const worker = await env.startWorker({ concurrency: 1, env: { RUN_LEASE_MS: "60000" } });
    const user = await env.createUser("cancel@example.com");
    const flow = await env.activeWorkflow(user.id, webhookToSink(sink.url, ["/cancel/1", "/cancel/2"]));
    const held = sink.hold((r) => r.path === "/cancel/1");
    const runId = (await env.deliver(flow.token, { id: "cancel-1" })).body.runId!;
    await held.arrived;
    expect(worker.holds((await runOf(runId)).lockedBy)).toBe(true);

    // Imported here: the app's modules must load after openProductionEnv has set the environment.
    const { callerFor } = await import("../helpers/caller");
    const cancelledAt = Date.now();
    await callerFor(env.db, user.id, { queue: env.runtime.getRunQueue() }).runs.cancel({ id: runId });
    // With a 60 s lease the renewal would only notice after 10 s: the abort message is what stops it.
    await waitFor("the worker to let go of the run", async () => (await worker.health("/healthz")).body.inFlight === 0);
    expect(Date.now() - cancelledAt).toBeLessThan(7_000);
    held.release();

    const run = await runOf(runId);
    expect(run.status).toBe("cancelled");
    expect(run.steps.find((s) => s.nodeId === "h2")).toBeUndefined();
    expect(sink.count((r) => r.path === "/cancel/2")).toBe(0);
    await worker.kill("SIGTERM");
  });

  it("SIGTERM lets an in-flight run finish before exiting, and takes no new work meanwhile", async () => {
    const workers = await Promise.all([
      env.startWorker({ concurrency: 1, env: { WORKER_SHUTDOWN_GRACE_MS: "30000" } }),
      env.startWorker({ concurrency: 1, env: { WORKER_SHUTDOWN_GRACE_MS: "30000" } }),
    ]);
    const user = await env.createUser("drain@example.com");
    const slow = await env.activeWorkflow(user.id, webhookToSink(sink.url, ["/drain/slow", "/drain/after"]));
    const quick = await env.activeWorkflow(user.id, webhookToSink(sink.url, ["/drain/quick"]));
    const held = sink.hold((r) => r.path === "/drain/slow");

    const slowRun = (await env.deliver(slow.token, { id: "slow-1" })).body.runId!;
    await held.arrived;
    const draining = await holderOf(slowRun, workers);
    const other = workers.find((w) => w !== draining)!;
    draining.child.kill("SIGTERM");
    await waitFor("the worker to start stopping", () => /SIGTERM: stopping/.test(draining.log));
    expect((await draining.health("/readyz")).status).toBe(503);

    // New work goes to the other worker while this one drains.
    const quickRun = (await env.deliver(quick.token, { id: "quick-1" })).body.runId!;
    await waitFor("the new run to succeed elsewhere", async () => (await runOf(quickRun)).status === "succeeded");
    expect(draining.running).toBe(true);
    expect((await runOf(slowRun)).status).toBe("running");

    held.release();
    expect(await draining.exited).toEqual({ code: 0, signal: null });
    const run = await runOf(slowRun);
    expect(run.status).toBe("succeeded");
    expect(sink.count((r) => r.key === keyOf(slowRun, "h1"))).toBe(1);
    expect(sink.count((r) => r.key === keyOf(slowRun, "h2"))).toBe(1);
    expect(draining.log).not.toMatch(/handed back/);
    await other.kill("SIGTERM");
  });

  it("SIGTERM past the grace period hands the run back; another worker completes it without repeating steps", async () => {
    const leaving = await env.startWorker({ concurrency: 1, env: { WORKER_SHUTDOWN_GRACE_MS: "300" } });
    const user = await env.createUser("handback@example.com");
    const flow = await env.activeWorkflow(user.id, webhookToSink(sink.url, ["/handback/1", "/handback/2", "/handback/3"]));
    const held = sink.hold((r) => r.path === "/handback/2");

    const runId = (await env.deliver(flow.token, { id: "handback-1" })).body.runId!;
    await held.arrived;
    expect(leaving.holds((await runOf(runId)).lockedBy)).toBe(true);
    const taking = await env.startWorker({ concurrency: 1 });

    // The held request never answers: the leaving worker gives the run up instead of waiting.
    expect(await leaving.kill("SIGTERM")).toEqual({ code: 0, signal: null });
    expect(leaving.log).toMatch(/handed back 1 in-flight run/);
    await waitFor("the run to be completed by the other worker", async () => (await runOf(runId)).status === "succeeded");
    held.release();

    expect((await taking.health("/healthz")).body.runsExecuted).toBe(1);
    expect(sink.count((r) => r.key === keyOf(runId, "h1"))).toBe(1);
    expect(sink.count((r) => r.key === keyOf(runId, "h2"))).toBe(2);
    expect(sink.effectCount((r) => r.key === keyOf(runId, "h2"))).toBe(1);
    expect(sink.count((r) => r.key === keyOf(runId, "h3"))).toBe(1);
    // Handed back is not cancelled: the run kept its status and its history.
    const run = await runOf(runId);
    expect(run.status).toBe("succeeded");
    expect(run.error).toBeNull();
    await taking.kill("SIGTERM");
  });
});

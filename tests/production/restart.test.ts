// Restarting everything: runs parked on a core.delay and an active cron workflow survive the loss
// of every process (and even of the queue's Redis state); each delay and each cron occurrence fires
// exactly once, and pausing through the API removes the cron job scheduler.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WorkflowGraph } from "@/engine/types";
import type { BullRunQueue } from "@/queue/bullmq";
import { deleteKeys, openProductionEnv, startSink, waitFor, webhookToSink, type ProductionEnv, type Sink, type WorkerProcess } from "./harness";

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

const DELAYED_RUNS = 5;
const DELAY_SECONDS = 6;
/** Every two seconds: BullMQ accepts a seconds field, which the editor's validator does not offer users. */
const FAST_CRON = "*/2 * * * * *";

function delayedGraph(path: string): WorkflowGraph {
  const graph = webhookToSink(sink.url, [path]);
  return {
    nodes: [
      graph.nodes[0]!,
      { id: "d1", type: "core.delay", config: { amount: DELAY_SECONDS, unit: "seconds" }, position: { x: 0, y: 100 } },
      { ...graph.nodes[1]!, position: { x: 0, y: 200 } },
    ],
    edges: [
      { id: "e1", source: "t1", target: "d1" },
      { id: "e2", source: "d1", target: "h1" },
    ],
  };
}

function cronGraph(path: string): WorkflowGraph {
  return {
    nodes: [
      { id: "t1", type: "schedule.cron", config: { cron: "0 9 * * 1", timezone: "UTC" }, position: { x: 0, y: 0 } },
      { id: "h1", type: "http.request", config: { method: "POST", url: `${sink.url}${path}`, body: { firedAt: "{{trigger.firedAt}}" } }, position: { x: 0, y: 100 } },
    ],
    edges: [{ id: "e1", source: "t1", target: "h1" }],
  };
}

/** An active cron workflow firing every two seconds (the version is edited past the 5-field validator). */
async function fastCronWorkflow(userId: string, path: string) {
  const flow = await env.activeWorkflow(userId, cronGraph(path));
  const { activeVersionId } = await env.db.workflow.findUniqueOrThrow({ where: { id: flow.id } });
  const graph = cronGraph(path);
  graph.nodes[0]!.config = { cron: FAST_CRON, timezone: "UTC" };
  await env.db.workflowVersion.update({ where: { id: activeVersionId! }, data: { graph: graph as never } });
  await env.runtime.getRunQueue().scheduleChanged(flow.id);
  return flow;
}

async function startWorkers(): Promise<WorkerProcess[]> {
  return Promise.all([env.startWorker({ concurrency: 2 }), env.startWorker({ concurrency: 2 })]);
}

async function stopEverything(workers: WorkerProcess[]) {
  await Promise.all(workers.map((worker) => worker.kill("SIGKILL")));
  // The web side's queue object goes too; the next request makes a new one.
  await env.runtime.closeRunQueue();
}

async function succeededCronRuns(workflowId: string) {
  return env.db.workflowRun.findMany({ where: { workflowId, status: "succeeded" }, orderBy: { createdAt: "asc" } });
}

/** Each delayed run and each cron occurrence: one run, succeeded, one request at the sink. */
async function expectEachFiredOnce(delayedFlowId: string, cronFlowId: string, path: string) {
  const delayed = await env.db.workflowRun.findMany({ where: { workflowId: delayedFlowId } });
  expect(delayed).toHaveLength(DELAYED_RUNS);
  for (const run of delayed) {
    expect(run.status).toBe("succeeded");
    expect(sink.count((r) => r.key === `${run.id}:h1`)).toBe(1);
    // Not before its delay was over.
    const request = sink.requests.find((r) => r.key === `${run.id}:h1`)!;
    expect(request.at - run.createdAt.getTime()).toBeGreaterThanOrEqual(DELAY_SECONDS * 1000 - 50);
  }
  const cron = await env.db.workflowRun.findMany({ where: { workflowId: cronFlowId } });
  const occurrences = cron.map((run) => (run.trigger as { firedAt: string }).firedAt);
  expect(new Set(occurrences).size).toBe(cron.length);
  for (const occurrence of occurrences) expect(new Date(occurrence).getTime() % 2000).toBe(0);
  for (const run of cron) {
    if (run.status !== "succeeded") continue;
    expect(run.dedupKey).toBe(`cron:${(run.trigger as { firedAt: string }).firedAt}`);
    expect(sink.count((r) => r.key === `${run.id}:h1`)).toBe(1);
  }
  const cronRequests = sink.requests.filter((r) => r.path === path);
  expect(new Set(cronRequests.map((r) => (r.body as { firedAt: string }).firedAt)).size).toBe(cronRequests.length);
}

describe("restarting every process", () => {
  for (const wipeRedis of [false, true]) {
    it(
      wipeRedis
        ? "fires each delayed run and cron occurrence once even when Redis lost the queue's state"
        : "fires each delayed run and cron occurrence exactly once across a restart of all processes",
      async () => {
        const tag = wipeRedis ? "wiped" : "restart";
        let workers = await startWorkers();
        const user = await env.createUser(`${tag}@example.com`);
        const delayedFlow = await env.activeWorkflow(user.id, delayedGraph(`/${tag}/delayed`));
        const cronFlow = await fastCronWorkflow(user.id, `/${tag}/cron`);

        await waitFor("a cron occurrence before the restart", async () => (await succeededCronRuns(cronFlow.id)).length >= 1, { timeoutMs: 15_000 });
        for (let i = 0; i < DELAYED_RUNS; i++) await env.deliver(delayedFlow.token, { id: `${tag}-${i}` });
        await waitFor("the delayed runs to be parked", async () => {
          const waiting = await env.db.workflowRun.count({ where: { workflowId: delayedFlow.id, status: "waiting" } });
          return waiting === DELAYED_RUNS;
        });

        await stopEverything(workers);
        // Nothing of the delays has fired yet: the restarted processes must do it.
        expect(await env.db.workflowRun.count({ where: { workflowId: delayedFlow.id, status: "waiting" } })).toBe(DELAYED_RUNS);
        if (wipeRedis) expect(await deleteKeys(env.redis, `${env.prefix}:*`)).toBeGreaterThan(0);
        const firedBefore = await env.db.workflowRun.count({ where: { workflowId: cronFlow.id } });
        workers = await startWorkers();
        if (wipeRedis) {
          // The start-up sweep rebuilt the delayed jobs and the job scheduler from the database.
          const logs = workers.map((worker) => worker.log).join("\n");
          const found = [...logs.matchAll(/sweep: (\d+) due run\(s\), (\d+) delayed run\(s\)/g)].map((m) => Number(m[1]) + Number(m[2]));
          expect(Math.max(...found)).toBeGreaterThanOrEqual(DELAYED_RUNS);
          expect(logs).toMatch(/cron schedule\(s\) \(1 updated\)/);
        }

        await waitFor("every delayed run to succeed after the restart", async () => {
          const done = await env.db.workflowRun.count({ where: { workflowId: delayedFlow.id, status: "succeeded" } });
          return done === DELAYED_RUNS;
        });
        await waitFor("cron occurrences after the restart", async () => (await succeededCronRuns(cronFlow.id)).length >= firedBefore + 2, {
          timeoutMs: 15_000,
        });

        // Pausing through the API removes the job scheduler (the router tells the queue).
        const queue = env.runtime.getRunQueue() as BullRunQueue;
        // Imported here: the app's modules must load after openProductionEnv has set the environment.
        const { callerFor } = await import("../helpers/caller");
        await callerFor(env.db, user.id, { queue }).workflows.pause({ id: cronFlow.id });
        expect((await queue.queue.getJobSchedulers()).map((s) => s.key)).not.toContain(`cron-${cronFlow.id}`);
        await waitFor("in-flight cron runs to settle", async () => {
          const open = await env.db.workflowRun.count({ where: { workflowId: cronFlow.id, status: { in: ["queued", "running"] } } });
          return open === 0;
        });

        await expectEachFiredOnce(delayedFlow.id, cronFlow.id, `/${tag}/cron`);
        await Promise.all(workers.map((worker) => worker.kill("SIGTERM")));
      },
    );
  }
});

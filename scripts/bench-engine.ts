// Engine throughput: a 10-step linear workflow (trigger, condition, eight in-memory actions with
// templates and helpers) executed back to back on one core for about three seconds.
// Run with `npx tsx scripts/bench-engine.ts`; prints one JSON report.
import { performance } from "node:perf_hooks";
import { z } from "zod";
import { executeRun, type NodeDefinition, type WorkflowGraph } from "../src/engine/index";
import { catalogOf, chargeTrigger, graphOf, samplePayload } from "../src/engine/testing";

const DURATION_MS = 3_000;
const FRESH_GRAPH_DURATION_MS = 1_000;

// Not testing.ts's fakeAction: that one records every call, which would grow the heap for the whole run.
const action: NodeDefinition = {
  type: "test.action",
  kind: "action",
  provider: "test",
  title: "Echo",
  description: "Returns its input",
  configSchema: z.object({ text: z.string(), amount: z.union([z.number(), z.string()]).optional(), ref: z.string().optional() }),
  outputSchema: z.object({ id: z.string(), tags: z.array(z.string()), input: z.unknown() }),
  sample: { id: "a0-1", tags: [], input: {} },
  run: async (input, ctx) => ({ id: `${ctx.nodeId}-1`, tags: ["a", "b"], input }),
};
const catalog = catalogOf(chargeTrigger, action);

function buildGraph(): WorkflowGraph {
  const actions = Array.from({ length: 8 }, (_, i) => {
    const previous = i === 0 ? "{{trigger.id}}" : `{{steps.a${i - 1}.id}}`;
    return [
      `a${i}`,
      "test.action",
      {
        text: `Charge {{trigger.data.object.id}} of {{ trigger.data.object.amount | money: trigger.data.object.currency }} for {{ trigger.data.object.customer | upper }} on {{ trigger.created | date: "YYYY-MM-DD" }}`,
        amount: "{{trigger.data.object.amount}}",
        ref: previous,
      },
    ] as [string, string, Record<string, unknown>];
  });
  const nodes: Parameters<typeof graphOf>[0] = [
    ["t", "test.charge"],
    ["c", "core.condition", { mode: "all", rules: [{ left: "{{trigger.data.object.amount}}", operator: "gt", right: 1000 }, { left: "{{trigger.data.object.customer}}", operator: "exists" }] }],
    ...actions,
  ];
  const ids = nodes.map(([id]) => id);
  const edges = ids.slice(1).map((id, i) => [ids[i], id, ids[i] === "c" ? "true" : undefined] as [string, string, "true" | undefined]);
  return graphOf(nodes, edges);
}

async function runOnce(graph: WorkflowGraph, index: number): Promise<void> {
  const result = await executeRun({
    graph,
    catalog,
    runId: `run_${index}`,
    userId: "user_1",
    trigger: samplePayload,
    getCredentials: async () => ({}),
  });
  if (result.status !== "succeeded" || result.steps.length !== 10) throw new Error(`Unexpected run result: ${JSON.stringify(result.error ?? result.status)}`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const round = (value: number) => Math.round(value * 1000) / 1000;

async function main(): Promise<void> {
  const graph = buildGraph();
  for (let i = 0; i < 200; i++) await runOnce(graph, i);

  // The common case: a worker runs many events against the same loaded workflow (plan cached).
  const durations: number[] = [];
  const start = performance.now();
  while (performance.now() - start < DURATION_MS) {
    const before = performance.now();
    await runOnce(graph, durations.length);
    durations.push(performance.now() - before);
  }
  const elapsed = performance.now() - start;

  // The cold case: every run receives a freshly loaded graph object, so the plan is rebuilt.
  let freshRuns = 0;
  const freshStart = performance.now();
  while (performance.now() - freshStart < FRESH_GRAPH_DURATION_MS) await runOnce(buildGraph(), freshRuns++);
  const freshElapsed = performance.now() - freshStart;

  durations.sort((a, b) => a - b);
  const report = {
    benchmark: "engine",
    steps: 10,
    runs: durations.length,
    runsPerSecond: Math.round(durations.length / (elapsed / 1000)),
    p50Ms: round(percentile(durations, 50)),
    p99Ms: round(percentile(durations, 99)),
    freshGraphRunsPerSecond: Math.round(freshRuns / (freshElapsed / 1000)),
  };
  console.log(JSON.stringify(report));
}

await main();

// Scores the offline planner against the evaluation set: exact match on trigger, schedule, steps
// (with branches, conditions and waits) and the config values each description spelled out.
import { isDeepStrictEqual } from "node:util";
import type { IntegrationRegistry } from "@/integrations/registry";
import { AppError } from "@/lib/errors";
import { evalSet, type EvalCase } from "./eval-set";
import { outlineGraph, type GraphOutline } from "./graph-outline";
import { phraseIndex } from "./phrase-index";
import { planWorkflow } from "./planner";

export interface EvalMiss {
  description: string;
  expected: unknown;
  got: unknown;
}

export interface EvalReport {
  total: number;
  exact: number;
  rate: number;
  misses: EvalMiss[];
  /** Slowest single description, in milliseconds (the phrase index already built). */
  slowestMs: number;
}

function configMismatches(graph: { nodes: { type: string; config: Record<string, unknown> }[] }, expected: Record<string, Record<string, unknown>>): string[] {
  const problems: string[] = [];
  for (const [type, values] of Object.entries(expected)) {
    const nodes = graph.nodes.filter((node) => node.type === type);
    for (const [key, value] of Object.entries(values)) {
      if (!nodes.some((node) => isDeepStrictEqual(node.config[key], value))) {
        problems.push(`${type}.${key}: expected ${JSON.stringify(value)}, got ${JSON.stringify(nodes.map((node) => node.config[key]))}`);
      }
    }
  }
  return problems;
}

export function evaluateCase(testCase: EvalCase, registry: IntegrationRegistry): { ok: boolean; got: unknown; ms: number } {
  const triggerTypes = new Set(registry.catalog.list().filter((node) => node.kind === "trigger").map((node) => node.type));
  const started = performance.now();
  try {
    const result = planWorkflow(testCase.description, registry);
    const ms = performance.now() - started;
    if (!testCase.expected) return { ok: false, got: { accepted: outlineGraph(result.graph, triggerTypes) }, ms };
    const outline: GraphOutline = outlineGraph(result.graph, triggerTypes);
    const expected: GraphOutline = { trigger: testCase.expected.trigger, ...(testCase.expected.cron ? { cron: testCase.expected.cron } : {}), steps: testCase.expected.steps };
    const problems = configMismatches(result.graph, testCase.expected.config ?? {});
    return { ok: isDeepStrictEqual(outline, expected) && problems.length === 0, got: problems.length ? { ...outline, problems } : outline, ms };
  } catch (error) {
    const ms = performance.now() - started;
    const refused = error instanceof AppError && error.code === "BAD_REQUEST";
    return { ok: !testCase.expected && refused, got: { error: error instanceof Error ? error.message.slice(0, 160) : String(error) }, ms };
  }
}

export function runEvaluation(registry: IntegrationRegistry, cases: EvalCase[] = evalSet): EvalReport {
  // Building the phrase index is a one-time cost per registry, not part of any description's time.
  phraseIndex(registry);
  const misses: EvalMiss[] = [];
  let slowestMs = 0;
  for (const testCase of cases) {
    const { ok, got, ms } = evaluateCase(testCase, registry);
    slowestMs = Math.max(slowestMs, ms);
    if (!ok) misses.push({ description: testCase.description, expected: testCase.expected ?? "refused (BAD_REQUEST)", got });
  }
  const exact = cases.length - misses.length;
  return { total: cases.length, exact, rate: exact / cases.length, misses, slowestMs };
}

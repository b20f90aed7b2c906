// Scores the offline planner against an evaluation set: exact match on trigger, schedule, steps
// (with branches, conditions and waits), the config values each description spelled out, the
// parts it must report as not mapped and, for French, Spanish and German, the language it read.
import { isDeepStrictEqual } from "node:util";
import type { WorkflowGraph } from "@/engine/types";
import type { IntegrationRegistry } from "@/integrations/registry";
import { AppError } from "@/lib/errors";
import { outlineGraph, type GraphOutline } from "../graph-outline";
import { phraseIndex } from "../phrase-index";
import { planWorkflow, type PlanResult } from "../planner";
import { CATEGORY_LANGUAGE, EVAL_CATEGORIES, type EvalCase, type EvalCategory } from "./types";

export interface EvalMiss {
  description: string;
  category: EvalCategory;
  expected: unknown;
  got: unknown;
}

export interface CategoryScore {
  category: EvalCategory;
  total: number;
  exact: number;
  rate: number;
}

export interface EvalReport {
  total: number;
  exact: number;
  rate: number;
  byCategory: CategoryScore[];
  misses: EvalMiss[];
  /** Slowest single description, in milliseconds (the phrase index already built). */
  slowestMs: number;
}

function configMismatches(graph: WorkflowGraph, expected: Record<string, Record<string, unknown>>): string[] {
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

function problemsWith(testCase: EvalCase, result: PlanResult): string[] {
  const expected = testCase.expected!;
  const problems = configMismatches(result.graph, expected.config ?? {});
  const reported = result.unmapped.join(" | ").toLowerCase();
  for (const part of expected.unmapped ?? []) if (!reported.includes(part.toLowerCase())) problems.push(`not reported as unmapped: ${part}`);
  const language = CATEGORY_LANGUAGE[testCase.category];
  if (language && result.language.code !== language) problems.push(`read as ${result.language.code}, not ${language}`);
  return problems;
}

function evaluateCase(testCase: EvalCase, registry: IntegrationRegistry): { ok: boolean; got: unknown; ms: number } {
  const triggerTypes = new Set(registry.catalog.list().filter((node) => node.kind === "trigger").map((node) => node.type));
  const started = performance.now();
  try {
    const result = planWorkflow(testCase.description, registry);
    const ms = performance.now() - started;
    const outline: GraphOutline = outlineGraph(result.graph, triggerTypes);
    if (!testCase.expected) return { ok: false, got: { accepted: outline }, ms };
    const { trigger, cron, steps } = testCase.expected;
    const problems = problemsWith(testCase, result);
    const ok = isDeepStrictEqual(outline, { trigger, ...(cron ? { cron } : {}), steps }) && problems.length === 0;
    return { ok, got: problems.length ? { ...outline, problems, unmapped: result.unmapped } : outline, ms };
  } catch (error) {
    const ms = performance.now() - started;
    const refused = error instanceof AppError && error.code === "BAD_REQUEST";
    return { ok: !testCase.expected && refused, got: { error: error instanceof Error ? error.message.slice(0, 160) : String(error) }, ms };
  }
}

export function runEvaluation(registry: IntegrationRegistry, cases: EvalCase[]): EvalReport {
  // Building the phrase index is a one-time cost per registry, not part of any description's time.
  phraseIndex(registry);
  const misses: EvalMiss[] = [];
  const scores = new Map<EvalCategory, CategoryScore>();
  let slowestMs = 0;
  for (const testCase of cases) {
    const { ok, got, ms } = evaluateCase(testCase, registry);
    slowestMs = Math.max(slowestMs, ms);
    const score = scores.get(testCase.category) ?? { category: testCase.category, total: 0, exact: 0, rate: 0 };
    score.total += 1;
    if (ok) score.exact += 1;
    else misses.push({ description: testCase.description, category: testCase.category, expected: testCase.expected ?? "refused (BAD_REQUEST)", got });
    scores.set(testCase.category, score);
  }
  const byCategory = EVAL_CATEGORIES.flatMap((category) => {
    const score = scores.get(category);
    return score ? [{ ...score, rate: score.exact / score.total }] : [];
  });
  const exact = cases.length - misses.length;
  return { total: cases.length, exact, rate: exact / cases.length, byCategory, misses, slowestMs };
}

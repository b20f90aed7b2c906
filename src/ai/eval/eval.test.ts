// Keeps the offline planner's score on the main evaluation set at the bar issue #18 set: at least
// 300 descriptions, at least 97% exact in every category.
import { expect, it } from "vitest";
import { coreNodes } from "@/engine/core-nodes";
import { createIntegrationRegistry } from "@/integrations/registry";
import { runEvaluation } from "./evaluate";
import { evalSet } from "./index";
import { EVAL_CATEGORIES } from "./types";

it("matches at least 97% of every category of the evaluation set exactly", () => {
  expect(evalSet.length).toBeGreaterThanOrEqual(300);
  const report = runEvaluation(createIntegrationRegistry({ extraNodes: coreNodes }), evalSet);
  expect(report.byCategory.map((score) => score.category)).toEqual([...EVAL_CATEGORIES]);
  const below = report.byCategory.filter((score) => score.rate < 0.97);
  expect({ below, misses: below.length ? report.misses : [] }).toEqual({ below: [], misses: [] });
}, 60_000);

// Keeps the offline planner's score on the evaluation set from regressing below the bar.
import { expect, it } from "vitest";
import { coreNodes } from "@/engine/core-nodes";
import { createIntegrationRegistry } from "@/integrations/registry";
import { evalSet } from "./eval-set";
import { runEvaluation } from "./evaluate";

it("matches at least 95% of the evaluation set exactly", () => {
  expect(evalSet.length).toBeGreaterThanOrEqual(60);
  const report = runEvaluation(createIntegrationRegistry({ extraNodes: coreNodes }));
  expect(report.misses.map((miss) => miss.description)).toEqual(report.rate >= 0.95 ? expect.any(Array) : []);
  expect(report.rate).toBeGreaterThanOrEqual(0.95);
});

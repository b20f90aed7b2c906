// `npm run eval:ai`: how often the offline planner draws exactly the expected workflow for the
// descriptions in src/ai/eval-set.ts, and every miss with what it drew instead.
import { coreNodes } from "@/engine/core-nodes";
import { createIntegrationRegistry } from "@/integrations/registry";
import { runEvaluation } from "@/ai/evaluate";

const report = runEvaluation(createIntegrationRegistry({ extraNodes: coreNodes }));
for (const miss of report.misses) {
  console.log(`✗ ${JSON.stringify(miss.description)}`);
  console.log(`    expected: ${JSON.stringify(miss.expected)}`);
  console.log(`    got:      ${JSON.stringify(miss.got)}`);
}
console.log(
  `Exact match: ${report.exact}/${report.total} (${(report.rate * 100).toFixed(1)}%) · slowest description ${report.slowestMs.toFixed(1)} ms`,
);

// `npm run eval:ai`: how often the offline planner draws exactly the expected workflow, per category,
// on the main evaluation set (src/ai/eval/cases-*.ts) and on the held-out set nobody tuned on
// (src/ai/eval/held-out.ts), with every miss on the main set and what it drew instead. The held-out
// set's misses stay hidden unless `--held-out-misses` is given, so nobody tunes on them by accident.
import { coreNodes } from "@/engine/core-nodes";
import { createIntegrationRegistry } from "@/integrations/registry";
import { evalSet } from "@/ai/eval";
import { type EvalReport, runEvaluation } from "@/ai/eval/evaluate";
import { heldOutSet } from "@/ai/eval/held-out";

const registry = createIntegrationRegistry({ extraNodes: coreNodes });
const showHeldOutMisses = process.argv.includes("--held-out-misses");
const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

function print(title: string, report: EvalReport, showMisses: boolean) {
  if (showMisses) {
    for (const miss of report.misses) {
      console.log(`✗ [${miss.category}] ${JSON.stringify(miss.description)}`);
      console.log(`    expected: ${JSON.stringify(miss.expected)}`);
      console.log(`    got:      ${JSON.stringify(miss.got)}`);
    }
  }
  console.log(`\n${title}`);
  for (const score of report.byCategory) console.log(`  ${score.category.padEnd(14)} ${`${score.exact}/${score.total}`.padStart(7)}  ${percent(score.rate).padStart(6)}`);
  console.log(`  ${"all".padEnd(14)} ${`${report.exact}/${report.total}`.padStart(7)}  ${percent(report.rate).padStart(6)}   (slowest description ${report.slowestMs.toFixed(1)} ms)`);
}

print("Main evaluation set (exact match, per category):", runEvaluation(registry, evalSet), true);
print("Held-out set (written before tuning; first measured at 97.8%, see src/ai/eval/held-out.ts):", runEvaluation(registry, heldOutSet), showHeldOutMisses);

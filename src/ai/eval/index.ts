// The main evaluation set: every case from the category files, the set `npm run eval:ai` scores
// per category and src/ai/eval/eval.test.ts holds at ≥ 97% per category. The held-out set
// (./held-out.ts) is kept apart and never tuned on.
import { languageCases } from "./cases-languages";
import { phrasingCases } from "./cases-phrasing";
import { structureCases } from "./cases-structure";
import { valueCases } from "./cases-values";
import type { EvalCase } from "./types";

export const evalSet: EvalCase[] = [...phrasingCases, ...structureCases, ...valueCases, ...languageCases];

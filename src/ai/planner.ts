// The offline planner: a description in, a workflow graph that passes the engine's validator out,
// deterministically and in a few milliseconds. It reads the description (./reading.ts: language,
// values), then its structure (./structure.ts: trigger clause, conditions, actions, waits), then
// builds the graph (./graph.ts). Everything it knows about triggers and actions comes from the
// integration registry; the only node types it names are the engine's own logic nodes.
import { validateGraph } from "@/engine/validate";
import type { WorkflowGraph } from "@/engine/types";
import type { IntegrationRegistry } from "@/integrations/registry";
import { AppError } from "@/lib/errors";
import { explain, refuse } from "./explain";
import { buildGraph } from "./graph";
import type { Language } from "./lexicon/language";
import { readDescription } from "./reading";
import { readStructure } from "./structure";

export interface Coverage {
  /** Meaningful words of the description no part of the workflow came from, as written. */
  unmappedWords: string[];
}

export interface PlanResult {
  graph: WorkflowGraph;
  /** What was built, in plain language, and what to review before activating. */
  explanation: string;
  /** Parts of the description the planner could not turn into steps. */
  unmapped: string[];
  /** The language the description was read in. */
  language: Language;
  coverage: Coverage;
}

export const MAX_DESCRIPTION_LENGTH = 2000;

export function planWorkflow(description: string, registry: IntegrationRegistry): PlanResult {
  const trimmed = description.trim();
  if (!trimmed) refuse(registry, "Describe what should happen, e.g. “when a payment fails, create a Jira ticket and text the customer”.");
  if (trimmed.length > MAX_DESCRIPTION_LENGTH) throw new AppError("BAD_REQUEST", `Keep the description under ${MAX_DESCRIPTION_LENGTH} characters.`);
  const reading = readDescription(trimmed);
  const structure = readStructure(reading, registry);
  const { graph, review, unusedEntities } = buildGraph(structure, reading, registry);
  const validation = validateGraph(graph, registry.catalog);
  if (!validation.ok) {
    // A bug in the planner, not in the description: say so rather than hand back a broken graph.
    throw new AppError("INTERNAL", `The planner built an invalid workflow: ${validation.issues.map((issue) => issue.message).join("; ")}`);
  }
  const unmapped = [...structure.unmapped, ...unusedEntities.map((entity) => `${entity.value} (not used by any step)`)];
  const explanation = explain({ ...structure, language: reading.language, review, unmappedWords: structure.unmappedWords });
  return { graph, explanation, unmapped, language: reading.language, coverage: { unmappedWords: structure.unmappedWords } };
}

// Cue's own reading of a description's clauses as a check on the language model's graph: the
// trigger, the schedule and the steps (with their branches) compared one by one, each difference
// said in words the user can act on.
import type { WorkflowGraph } from "@/engine/types";
import type { IntegrationRegistry } from "@/integrations/registry";
import type { ExpectedStep } from "./eval/types";
import { outlineGraph, type GraphOutline } from "./graph-outline";
import type { PlanResult } from "./planner";

/** What the offline planner made of the description: a plan, or the reason it refused. */
export type OfflineReading = { plan: PlanResult } | { refusal: string };

function title(registry: IntegrationRegistry, type: string): string {
  return registry.catalog.get(type)?.title ?? type;
}

function describe(registry: IntegrationRegistry, steps: ExpectedStep[]): string {
  return steps
    .map((step) => {
      if (typeof step === "string") return title(registry, step);
      if ("delay" in step) return `wait ${step.delay[0]} ${step.delay[1]}`;
      const [field, operator, value] = step.if;
      const no = step.else?.length ? `; otherwise ${describe(registry, step.else)}` : "";
      return `if ${field} ${operator} ${JSON.stringify(value)}: ${describe(registry, step.then) || "stop"}${no}`;
    })
    .join(", then ");
}

function outline(registry: IntegrationRegistry, graph: WorkflowGraph): GraphOutline {
  const triggers = new Set(registry.catalog.list().filter((node) => node.kind === "trigger").map((node) => node.type));
  return outlineGraph(graph, triggers);
}

/** How the model's graph reads the description differently from Cue's clause structure; empty when they agree. */
export function disagreements(registry: IntegrationRegistry, graph: WorkflowGraph, offline: OfflineReading): string[] {
  if ("refusal" in offline) return [`Cue's own reading of the sentence found nothing it could build: ${offline.refusal.split(/(?<=\.) /)[0]}`];
  const model = outline(registry, graph);
  const cue = outline(registry, offline.plan.graph);
  const found: string[] = [];
  if (model.trigger !== cue.trigger) {
    found.push(`The model starts the workflow on “${title(registry, model.trigger)}” (${model.trigger}); Cue reads the trigger clause as “${title(registry, cue.trigger)}” (${cue.trigger}).`);
  } else if (model.cron !== cue.cron) {
    found.push(`The model's schedule is "${model.cron ?? "none"}"; Cue reads the schedule as "${cue.cron ?? "none"}".`);
  }
  const [theirs, ours] = [describe(registry, model.steps), describe(registry, cue.steps)];
  if (theirs !== ours) found.push(`The model's steps are: ${theirs || "none"}. Cue reads the action clauses as: ${ours || "none"}.`);
  return found;
}

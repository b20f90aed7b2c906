// Turns the planner's steps into the engine's workflow graph: one node per step, top-down, condition
// branches side by side, each action's settings filled from its own input schema and the values the
// description spelled out.
import { CONDITION_TYPE, DELAY_TYPE } from "@/engine/core-nodes";
import type { WorkflowEdge, WorkflowGraph, WorkflowNode } from "@/engine/types";
import type { IntegrationRegistry } from "@/integrations/registry";
import { buildActionConfig } from "./action-config";
import type { Entity, EntityKind } from "./entities";
import { phraseIndex } from "./phrase-index";
import type { Reading } from "./reading";
import type { Step, Structure } from "./structure";

const LAYER_GAP = 150;
const BRANCH_GAP = 320;

/** Upper-case codes next to "project" or "in" ("project FIN", "the PAY project", "in OPS"): candidate project keys. */
function projectCodes(clause: string, vocabulary: ReadonlySet<string>): string[] {
  const named = [...clause.matchAll(/\bproject\s+([A-Z][A-Z0-9_]{1,9})\b|\b([A-Z][A-Z0-9_]{1,9})\s+project\b/g)].map((match) => (match[1] ?? match[2])!);
  // "in SMS" or "in CRM" names a channel Cue knows, not a project.
  const placed = [...clause.matchAll(/\b(?:in|into|under)\s+(?:the\s+)?([A-Z][A-Z0-9_]{1,9})\b/g)].map((match) => match[1]!).filter((code) => !vocabulary.has(code.toLowerCase()));
  return [...named, ...placed];
}

export interface BuiltGraph {
  graph: WorkflowGraph;
  /** Placeholders and defaults the user should check before activating. */
  review: string[];
  /** Values the description spelled out that no step used. */
  unusedEntities: Entity[];
}

export function buildGraph(structure: Structure, reading: Reading, registry: IntegrationRegistry): BuiltGraph {
  const { trigger, schedule } = structure;
  const entities = reading.entities;
  const used = new Set<Entity>(structure.conditionQuotes);
  const vocabulary = phraseIndex(registry).vocabulary;
  const review: string[] = [];
  const label = schedule ? `Scheduled (${schedule.summary})` : trigger.title;
  const nodes: WorkflowNode[] = [{ id: "t1", type: trigger.type, config: schedule ? { cron: schedule.cron, timezone: schedule.timezone } : {}, position: { x: 0, y: 0 } }];
  const edges: WorkflowEdge[] = [];
  const counters = { a: 0, c: 0, d: 0, e: 0 };

  const actionNode = (step: Extract<Step, { kind: "action" }>, position: WorkflowNode["position"]): WorkflowNode => {
    const { span } = step;
    const takeEntity = (kind: EntityKind, scope: "clause" | "anywhere" = "anywhere") => {
      const free = (entity: Entity) => !used.has(entity) && entity.kind === kind;
      const pick = entities.find((entity) => free(entity) && entity.start >= span.start && entity.end <= span.end) ?? (scope === "anywhere" ? entities.find(free) : undefined);
      if (pick) used.add(pick);
      return pick;
    };
    const clause = reading.written(span.start, span.end);
    const config = buildActionConfig(step.action, { trigger, label, takeEntity, codes: projectCodes(clause, vocabulary), clause, review: (note) => review.push(note) });
    counters.a += 1;
    return { id: `a${counters.a}`, type: step.action.type, config, position };
  };
  const nodeFor = (step: Step, position: WorkflowNode["position"]): WorkflowNode => {
    if (step.kind === "action") return actionNode(step, position);
    if (step.kind === "delay") {
      counters.d += 1;
      return { id: `d${counters.d}`, type: DELAY_TYPE, config: { amount: step.amount, unit: step.unit }, position };
    }
    counters.c += 1;
    return { id: `c${counters.c}`, type: CONDITION_TYPE, config: step.match.config, position };
  };
  const connect = (source: string, target: string, handle?: "true" | "false") => {
    counters.e += 1;
    edges.push({ id: `e${counters.e}`, source, target, ...(handle ? { sourceHandle: handle } : {}) });
  };
  const emit = (steps: Step[], from: { id: string; handle?: "true" | "false" }, depth: number, x: number, spread: number) => {
    let previous = from;
    let y = depth;
    for (const step of steps) {
      y += 1;
      const node = nodeFor(step, { x, y: y * LAYER_GAP });
      nodes.push(node);
      connect(previous.id, node.id, previous.handle);
      if (step.kind === "condition") {
        const both = step.then.length > 0 && step.else.length > 0;
        emit(step.then, { id: node.id, handle: "true" }, y, both ? x - spread / 2 : x, spread / 2);
        emit(step.else, { id: node.id, handle: "false" }, y, x + spread / 2, spread / 2);
        // Nothing follows a condition on the main line: its branches are the rest of the workflow.
        return;
      }
      previous = { id: node.id };
    }
  };
  emit(structure.steps, { id: "t1" }, 0, 0, BRANCH_GAP);
  return { graph: { nodes, edges }, review, unusedEntities: entities.filter((entity) => !used.has(entity) && entity.kind !== "quote") };
}

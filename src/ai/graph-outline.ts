// A workflow graph reduced to what a description decides — trigger, schedule, the steps in order
// with branches — so generated graphs can be compared with what a person expected.
import type { WorkflowGraph, WorkflowNode } from "@/engine/types";
import type { ConditionOperator, DelayUnit, ExpectedStep } from "./eval/types";

export interface GraphOutline {
  trigger: string;
  cron?: string;
  steps: ExpectedStep[];
}

const REFERENCE = /^\{\{\s*trigger\.([^\s|}]+)/;

export function outlineGraph(graph: WorkflowGraph, triggerTypes: ReadonlySet<string>): GraphOutline {
  const trigger = graph.nodes.find((node) => triggerTypes.has(node.type));
  if (!trigger) return { trigger: "", steps: [] };
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const next = (id: string, handle?: "true" | "false") =>
    graph.edges.filter((edge) => edge.source === id && (edge.sourceHandle ?? undefined) === handle).map((edge) => byId.get(edge.target)).filter((node): node is WorkflowNode => !!node);

  const walk = (start: WorkflowNode | undefined, seen: Set<string>): ExpectedStep[] => {
    const steps: ExpectedStep[] = [];
    for (let node = start; node && !seen.has(node.id); ) {
      seen.add(node.id);
      if (node.type === "core.condition") {
        const rule = (node.config.rules as { left?: string; operator?: ConditionOperator; right?: string | number | boolean }[] | undefined)?.[0];
        const left = REFERENCE.exec(rule?.left ?? "")?.[1] ?? String(rule?.left);
        const yes = walk(next(node.id, "true")[0], seen);
        const no = walk(next(node.id, "false")[0], seen);
        steps.push({ if: [left, rule?.operator ?? "equals", rule?.right ?? ""], then: yes, ...(no.length ? { else: no } : {}) });
        break;
      }
      steps.push(node.type === "core.delay" ? { delay: [Number(node.config.amount), node.config.unit as DelayUnit] } : node.type);
      node = next(node.id)[0];
    }
    return steps;
  };
  const cron = typeof trigger.config.cron === "string" ? trigger.config.cron : undefined;
  return { trigger: trigger.type, ...(cron ? { cron } : {}), steps: walk(next(trigger.id)[0], new Set([trigger.id])) };
}

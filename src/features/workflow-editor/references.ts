// The {{trigger.…}} and {{steps.<id>.…}} references a step can use: the trigger's output and the
// output of every step upstream of it.
import type { CatalogEntry, WorkflowEdge, WorkflowNode } from "./api-types";
import { TRANSFORM_TYPE } from "./graph-mapping";
import { upstreamNodeIds } from "./graph-utils";

export interface ReferenceGroup {
  label: string;
  options: { label: string; value: string }[];
}

/** Only ids, types, links (and a transform's settings) matter here, so the canvas can pass its nodes without converting. */
export interface GraphOutline {
  nodes: readonly (Pick<WorkflowNode, "id" | "type"> & { config?: WorkflowNode["config"] })[];
  edges: readonly Pick<WorkflowEdge, "source" | "target">[];
}

export function referenceGroups(
  graph: GraphOutline,
  nodeId: string,
  catalog: ReadonlyMap<string, Pick<CatalogEntry, "kind" | "title" | "outputPaths">>,
): ReferenceGroup[] {
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const groups: ReferenceGroup[] = [];
  const trigger = graph.nodes.find((node) => catalog.get(node.type)?.kind === "trigger");
  const triggerEntry = trigger ? catalog.get(trigger.type) : undefined;
  if (trigger && triggerEntry && trigger.id !== nodeId) {
    groups.push({
      label: `Trigger: ${triggerEntry.title}`,
      options: triggerEntry.outputPaths.map((path) => ({ label: path, value: `{{trigger.${path}}}` })),
    });
  }
  for (const id of upstreamNodeIds(graph.edges, nodeId)) {
    const node = byId.get(id);
    const entry = node ? catalog.get(node.type) : undefined;
    if (!node || !entry || entry.kind === "trigger") continue;
    groups.push({
      label: `${id}: ${entry.title}`,
      options: outputPathsOf(node, entry).map((path) => ({ label: path, value: `{{steps.${id}.${path}}}` })),
    });
  }
  return groups.filter((group) => group.options.length > 0);
}

/** A transform's output is the fields its settings name; every other step's is its sample's shape. */
function outputPathsOf(node: GraphOutline["nodes"][number], entry: Pick<CatalogEntry, "outputPaths">): string[] {
  if (node.type !== TRANSFORM_TYPE) return entry.outputPaths;
  const fields = node.config?.fields;
  return fields && typeof fields === "object" && !Array.isArray(fields) ? Object.keys(fields) : [];
}

/** Replaces the selection [start, end) with `text`; returns the new value and where the caret goes. */
export function insertAtCursor(value: string, start: number, end: number, text: string): { value: string; caret: number } {
  const from = Math.max(0, Math.min(start, value.length));
  const to = Math.max(from, Math.min(end, value.length));
  return { value: value.slice(0, from) + text + value.slice(to), caret: from + text.length };
}

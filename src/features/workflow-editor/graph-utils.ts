// Graph questions the editor asks while drawing: what comes before a node, and whether a new
// connection would close a loop (the engine only runs DAGs).
import type { WorkflowEdge } from "./api-types";

type Link = Pick<WorkflowEdge, "source" | "target">;

/** Every node with a path to `nodeId`, nearest first. */
export function upstreamNodeIds(edges: readonly Link[], nodeId: string): string[] {
  const parents = new Map<string, string[]>();
  for (const edge of edges) parents.set(edge.target, [...(parents.get(edge.target) ?? []), edge.source]);
  const seen = new Set<string>([nodeId]);
  const order: string[] = [];
  const queue = [nodeId];
  for (let current = queue.shift(); current !== undefined; current = queue.shift()) {
    for (const parent of parents.get(current) ?? []) {
      if (seen.has(parent)) continue;
      seen.add(parent);
      order.push(parent);
      queue.push(parent);
    }
  }
  return order;
}

/** True when an edge source → target would make a cycle (including a self-loop). */
export function wouldCreateCycle(edges: readonly Link[], source: string, target: string): boolean {
  if (source === target) return true;
  return upstreamNodeIds(edges, source).includes(target);
}

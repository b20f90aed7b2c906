// Tidies the canvas: a layered, top-down layout where each node sits one row below the longest
// path that reaches it from the trigger, so every edge points downwards.
import type { WorkflowGraph } from "./api-types";

export const LAYER_GAP = 150;
export const COLUMN_GAP = 280;

export interface LayoutOptions {
  /** Ids of trigger nodes: they start the first row even when something (wrongly) points at them. */
  triggerIds?: ReadonlySet<string>;
}

export function autoLayout(graph: WorkflowGraph, options: LayoutOptions = {}): WorkflowGraph {
  const triggers = options.triggerIds ?? new Set<string>();
  const ids = graph.nodes.map((node) => node.id);
  const known = new Set(ids);
  const order = new Map(ids.map((id, index) => [id, index]));
  const edges = graph.edges.filter((edge) => known.has(edge.source) && known.has(edge.target) && !triggers.has(edge.target));

  const children = new Map<string, typeof edges>();
  const indegree = new Map(ids.map((id) => [id, 0]));
  for (const edge of edges) {
    children.set(edge.source, [...(children.get(edge.source) ?? []), edge]);
    indegree.set(edge.target, (indegree.get(edge.target) ?? 0) + 1);
  }

  // Kahn's algorithm; a node's layer is one more than its deepest parent (longest path).
  const layer = new Map<string, number>();
  const queue = ids.filter((id) => indegree.get(id) === 0).sort((a, b) => Number(triggers.has(b)) - Number(triggers.has(a)));
  for (const id of queue) layer.set(id, 0);
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    for (const edge of children.get(id) ?? []) {
      layer.set(edge.target, Math.max(layer.get(edge.target) ?? 0, (layer.get(id) ?? 0) + 1));
      const remaining = (indegree.get(edge.target) ?? 0) - 1;
      indegree.set(edge.target, remaining);
      if (remaining === 0) queue.push(edge.target);
    }
  }
  // Nodes on a cycle never reach indegree 0; park them in a row below everything else.
  const deepest = Math.max(-1, ...layer.values());
  for (const id of ids) if (!layer.has(id)) layer.set(id, deepest + 1);

  // Order each row by where its parents sit (true branches before false), then by drawing order.
  const rows = new Map<number, string[]>();
  for (const id of ids) {
    const row = layer.get(id)!;
    rows.set(row, [...(rows.get(row) ?? []), id]);
  }
  const column = new Map<string, number>();
  const parentsOf = new Map<string, { source: string; rank: number }[]>();
  for (const edge of edges) {
    const rank = edge.sourceHandle === "true" ? 0 : edge.sourceHandle === "false" ? 0.5 : 0.25;
    parentsOf.set(edge.target, [...(parentsOf.get(edge.target) ?? []), { source: edge.source, rank }]);
  }
  const positions = new Map<string, { x: number; y: number }>();
  for (const row of [...rows.keys()].sort((a, b) => a - b)) {
    const members = rows.get(row)!;
    const weight = (id: string) => {
      const placed = (parentsOf.get(id) ?? []).filter((parent) => column.has(parent.source));
      if (!placed.length) return Number.POSITIVE_INFINITY;
      return placed.reduce((sum, parent) => sum + column.get(parent.source)! + parent.rank, 0) / placed.length;
    };
    const sorted = [...members].sort((a, b) => weight(a) - weight(b) || order.get(a)! - order.get(b)!);
    sorted.forEach((id, index) => {
      column.set(id, index);
      positions.set(id, { x: Math.round((index - (sorted.length - 1) / 2) * COLUMN_GAP), y: row * LAYER_GAP });
    });
  }

  return { nodes: graph.nodes.map((node) => ({ ...node, position: positions.get(node.id) ?? node.position })), edges: graph.edges };
}

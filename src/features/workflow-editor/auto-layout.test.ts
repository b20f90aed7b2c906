import { describe, expect, it } from "vitest";
import type { WorkflowGraph } from "./api-types";
import { autoLayout, COLUMN_GAP, LAYER_GAP } from "./auto-layout";

const node = (id: string, type = "x.action") => ({ id, type, config: {}, position: { x: 999, y: 999 } });
const positions = (graph: WorkflowGraph) => Object.fromEntries(graph.nodes.map((n) => [n.id, n.position]));

describe("autoLayout", () => {
  it("stacks a chain top-down, one row per step, centred", () => {
    const graph: WorkflowGraph = {
      nodes: [node("a2"), node("t1", "x.trigger"), node("a1")],
      edges: [
        { id: "e1", source: "t1", target: "a1" },
        { id: "e2", source: "a1", target: "a2" },
      ],
    };
    expect(positions(autoLayout(graph, { triggerIds: new Set(["t1"]) }))).toEqual({
      t1: { x: 0, y: 0 },
      a1: { x: 0, y: LAYER_GAP },
      a2: { x: 0, y: 2 * LAYER_GAP },
    });
  });

  it("places a join below the longest path that reaches it", () => {
    const graph: WorkflowGraph = {
      nodes: [node("t1"), node("a1"), node("a2"), node("a3"), node("join")],
      edges: [
        { id: "e1", source: "t1", target: "a1" },
        { id: "e2", source: "a1", target: "a2" },
        { id: "e3", source: "a2", target: "join" },
        { id: "e4", source: "t1", target: "a3" },
        { id: "e5", source: "a3", target: "join" },
      ],
    };
    const laid = positions(autoLayout(graph));
    expect(laid.join?.y).toBe(3 * LAYER_GAP);
    expect(laid.a3?.y).toBe(LAYER_GAP);
    for (const edge of graph.edges) expect(laid[edge.target]!.y).toBeGreaterThan(laid[edge.source]!.y);
  });

  it("puts the true branch left of the false branch and keeps rows free of overlaps", () => {
    const graph: WorkflowGraph = {
      nodes: [node("t1"), node("c1", "core.condition"), node("no"), node("yes")],
      edges: [
        { id: "e1", source: "t1", target: "c1" },
        { id: "e2", source: "c1", target: "no", sourceHandle: "false" },
        { id: "e3", source: "c1", target: "yes", sourceHandle: "true" },
      ],
    };
    const laid = positions(autoLayout(graph));
    expect(laid.yes).toEqual({ x: -COLUMN_GAP / 2, y: 2 * LAYER_GAP });
    expect(laid.no).toEqual({ x: COLUMN_GAP / 2, y: 2 * LAYER_GAP });
  });

  it("lays out graphs with cycles or dangling edges without hanging", () => {
    const graph: WorkflowGraph = {
      nodes: [node("t1"), node("a1"), node("a2")],
      edges: [
        { id: "e1", source: "a1", target: "a2" },
        { id: "e2", source: "a2", target: "a1" },
        { id: "e3", source: "t1", target: "ghost" },
      ],
    };
    const laid = positions(autoLayout(graph));
    expect(laid.t1).toEqual({ x: 0, y: 0 });
    expect(laid.a1?.y).toBe(LAYER_GAP);
    expect(laid.a2?.y).toBe(LAYER_GAP);
    expect(laid.a1?.x).not.toBe(laid.a2?.x);
  });

  it("changes only positions, and handles 200 nodes quickly", () => {
    const nodes = Array.from({ length: 200 }, (_, i) => node(`n${i}`));
    const edges = nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: `n${Math.floor(i / 2)}`, target: n.id }));
    const started = performance.now();
    const laid = autoLayout({ nodes, edges });
    expect(performance.now() - started).toBeLessThan(200);
    expect(laid.edges).toBe(edges);
    expect(laid.nodes.map(({ position: _position, ...rest }) => rest)).toEqual(nodes.map(({ position: _position, ...rest }) => rest));
    const spots = new Set(laid.nodes.map((n) => `${n.position.x},${n.position.y}`));
    expect(spots.size).toBe(200);
  });
});

import { describe, expect, it } from "vitest";
import { MAX_NODES, parseGraph } from "./graph";

const node = (id: string, extra: Record<string, unknown> = {}) => ({ id, type: "test.action", position: { x: 0, y: 0 }, ...extra });

describe("parseGraph", () => {
  it("returns the typed graph, defaulting config to {}", () => {
    const result = parseGraph({ nodes: [node("t1")], edges: [{ id: "e1", source: "t1", target: "a1" }] });
    expect(result).toEqual({
      success: true,
      data: { nodes: [{ id: "t1", type: "test.action", config: {}, position: { x: 0, y: 0 } }], edges: [{ id: "e1", source: "t1", target: "a1" }] },
    });
  });

  it("keeps sourceHandle true/false/null", () => {
    const edges = [
      { id: "e1", source: "c", target: "a", sourceHandle: "true" },
      { id: "e2", source: "c", target: "b", sourceHandle: "false" },
      { id: "e3", source: "a", target: "b", sourceHandle: null },
    ];
    const result = parseGraph({ nodes: [], edges });
    expect(result.success && result.data.edges.map((edge) => edge.sourceHandle)).toEqual(["true", "false", null]);
  });

  it("reports zod issues with paths", () => {
    const result = parseGraph({ nodes: [node(""), { id: "x", type: "t", config: [], position: { x: "1", y: 0 } }], edges: [{ id: "e", source: "a", target: "b", sourceHandle: "yes" }] });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.issues.map((issue) => issue.path.join("."))).toEqual(["nodes.0.id", "nodes.1.config", "nodes.1.position.x", "edges.0.sourceHandle"]);
    expect(result.error.issues[0]?.message).toBe("A node needs an id");
  });

  it("rejects non-objects and graphs over the node limit", () => {
    expect(parseGraph(null).success).toBe(false);
    expect(parseGraph({ nodes: [] }).success).toBe(false);
    const nodes = Array.from({ length: MAX_NODES + 1 }, (_, i) => node(`n${i}`));
    const result = parseGraph({ nodes, edges: [] });
    expect(result.success ? "" : result.error.issues[0]?.message).toBe("A workflow can have at most 500 steps");
    expect(parseGraph({ nodes: nodes.slice(0, MAX_NODES), edges: [] }).success).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import type { NodeKind, WorkflowGraph } from "./api-types";
import {
  decorateEdges,
  decorateNodes,
  decorationsFrom,
  flowToGraph,
  graphToFlow,
  nextEdgeId,
  nextNodeId,
  type KindOf,
} from "./graph-mapping";

const kinds: Record<string, NodeKind> = {
  "stripe.charge.failed": "trigger",
  "jira.issue.create": "action",
  "slack.message.post": "action",
  "core.condition": "logic",
  "core.delay": "logic",
};
const kindOf: KindOf = (type) => kinds[type];

const graph: WorkflowGraph = {
  nodes: [
    { id: "t1", type: "stripe.charge.failed", config: {}, position: { x: 0, y: 0 } },
    { id: "c1", type: "core.condition", config: { mode: "all", rules: [{ left: "{{trigger.data.object.amount}}", operator: "gt", right: "1000" }] }, position: { x: 0, y: 150 } },
    { id: "a1", type: "jira.issue.create", config: { project: "OPS", summary: "Failed {{trigger.id}}", labels: ["billing"] }, position: { x: -140, y: 300 } },
    { id: "a2", type: "slack.message.post", config: { channel: "#ops", text: "Small failure" }, position: { x: 140.5, y: 300.25 } },
    { id: "d1", type: "core.delay", config: { amount: 5, unit: "minutes" }, position: { x: 0, y: 450 } },
    { id: "x1", type: "unknown.vendor.thing", config: { any: { nested: [1, 2] } }, position: { x: 0, y: 600 } },
  ],
  edges: [
    { id: "e1", source: "t1", target: "c1" },
    { id: "e2", source: "c1", target: "a1", sourceHandle: "true" },
    { id: "e3", source: "c1", target: "a2", sourceHandle: "false" },
    { id: "e4", source: "a1", target: "d1" },
    { id: "e5", source: "d1", target: "x1" },
  ],
};

describe("graphToFlow / flowToGraph", () => {
  it("round-trips nodes, edges, config, positions and branch handles unchanged", () => {
    const { nodes, edges } = graphToFlow(graph, kindOf);
    expect(flowToGraph(nodes, edges)).toEqual(graph);
  });

  it("picks the node component from the kind: triggers, conditions, and everything else as steps", () => {
    const { nodes } = graphToFlow(graph, kindOf);
    expect(Object.fromEntries(nodes.map((node) => [node.id, node.type]))).toEqual({
      t1: "trigger",
      c1: "condition",
      a1: "step",
      a2: "step",
      d1: "step",
      x1: "step",
    });
    expect(nodes.find((node) => node.id === "a1")?.data.type).toBe("jira.issue.create");
  });

  it("carries condition branches as source handles with readable labels", () => {
    const { edges } = graphToFlow(graph, kindOf);
    const branch = edges.find((edge) => edge.id === "e2");
    expect(branch).toMatchObject({ sourceHandle: "true", label: "Yes", className: "branch-true" });
    expect(edges.find((edge) => edge.id === "e3")).toMatchObject({ sourceHandle: "false", label: "No" });
    expect(edges.find((edge) => edge.id === "e1")?.sourceHandle).toBeUndefined();
  });

  it("keeps React Flow's own state (selection, measurements) out of the stored graph", () => {
    const { nodes, edges } = graphToFlow(graph, kindOf);
    const touched = nodes.map((node) => ({ ...node, selected: true, dragging: false, measured: { width: 220, height: 80 } }));
    const stored = flowToGraph(touched, edges.map((edge) => ({ ...edge, selected: true, animated: true })));
    expect(stored).toEqual(graph);
    expect(Object.keys(stored.nodes[0]!).sort()).toEqual(["config", "id", "position", "type"]);
    expect(Object.keys(stored.edges[0]!).sort()).toEqual(["id", "source", "target"]);
  });

  it("drops a sourceHandle that is not a branch name", () => {
    const odd: WorkflowGraph = { nodes: graph.nodes.slice(0, 2), edges: [{ id: "e1", source: "t1", target: "c1", sourceHandle: null }] };
    const { nodes, edges } = graphToFlow(odd, kindOf);
    expect(flowToGraph(nodes, edges).edges).toEqual([{ id: "e1", source: "t1", target: "c1" }]);
  });
});

describe("decorations", () => {
  const issues = [
    { nodeId: "a1", field: "project", message: "Project: Expected a project key" },
    { nodeId: "a1", message: "Jira is not connected" },
    { nodeId: "d1", message: "A delay can be at most 30 days" },
    { edgeId: "e3", message: "Edge leaves a condition without a branch" },
    { message: "The workflow needs exactly one trigger" },
  ];

  it("attaches each issue to the node or edge it names, and nothing else", () => {
    const { nodes, edges } = graphToFlow(graph, kindOf, decorationsFrom(issues));
    const byId = Object.fromEntries(nodes.map((node) => [node.id, node.data.issues]));
    expect(byId).toEqual({
      t1: [],
      c1: [],
      a1: ["Project: Expected a project key", "Jira is not connected"],
      a2: [],
      d1: ["A delay can be at most 30 days"],
      x1: [],
    });
    expect(edges.find((edge) => edge.id === "e3")).toMatchObject({ data: { issues: ["Edge leaves a condition without a branch"] }, className: "branch-false has-issue" });
    expect(edges.find((edge) => edge.id === "e1")?.data?.issues).toEqual([]);
  });

  it("attaches test-run steps by node id", () => {
    const { nodes } = graphToFlow(graph, kindOf, decorationsFrom([], [{ nodeId: "a1", status: "failed", attempts: 3 }]));
    expect(nodes.find((node) => node.id === "a1")?.data.step).toEqual({ nodeId: "a1", status: "failed", attempts: 3 });
    expect(nodes.find((node) => node.id === "a2")?.data.step).toBeNull();
  });

  it("re-decorating keeps unchanged nodes and edges as the same objects", () => {
    const { nodes, edges } = graphToFlow(graph, kindOf, decorationsFrom(issues));
    expect(decorateNodes(nodes, decorationsFrom(issues))).toBe(nodes);
    expect(decorateEdges(edges, decorationsFrom(issues))).toBe(edges);

    const fixed = issues.filter((issue) => issue.nodeId !== "d1");
    const next = decorateNodes(nodes, decorationsFrom(fixed, [{ nodeId: "t1", status: "succeeded", attempts: 1 }]));
    expect(next.find((node) => node.id === "d1")?.data.issues).toEqual([]);
    expect(next.find((node) => node.id === "t1")?.data.step?.status).toBe("succeeded");
    expect(next.find((node) => node.id === "a1")).toBe(nodes.find((node) => node.id === "a1"));
    expect(flowToGraph(next, edges)).toEqual(graph);

    const cleared = decorateEdges(edges, decorationsFrom([]));
    expect(cleared.find((edge) => edge.id === "e3")).toMatchObject({ className: "branch-false", data: { issues: [] } });
    expect(cleared.find((edge) => edge.id === "e1")).toBe(edges.find((edge) => edge.id === "e1"));
  });
});

describe("ids for new nodes and edges", () => {
  it("uses short, unused, kind-prefixed ids", () => {
    expect(nextNodeId(["t1", "a1", "a2"], "slack.message.post", "action")).toBe("a3");
    expect(nextNodeId(["a1", "a3"], "jira.issue.create", "action")).toBe("a2");
    expect(nextNodeId([], "manual.run", "trigger")).toBe("t1");
    expect(nextNodeId(["c1"], "core.condition", "logic")).toBe("c2");
    expect(nextNodeId([], "core.delay", "logic")).toBe("d1");
    expect(nextEdgeId(["e1", "e2"])).toBe("e3");
  });
});

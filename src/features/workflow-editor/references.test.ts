import { describe, expect, it } from "vitest";
import type { CatalogEntry, WorkflowGraph } from "./api-types";
import { upstreamNodeIds, wouldCreateCycle } from "./graph-utils";
import { nodeSummary } from "./node-summary";
import { insertAtCursor, referenceGroups } from "./references";

const entry = (kind: CatalogEntry["kind"], title: string, outputPaths: string[]) => ({ kind, title, outputPaths });
const catalog = new Map([
  ["stripe.charge.failed", entry("trigger", "Charge failed", ["id", "data.object.amount"])],
  ["jira.issue.create", entry("action", "Create issue", ["key", "url"])],
  ["slack.message.post", entry("action", "Post message", ["ts"])],
  ["core.condition", entry("logic", "Condition", ["result"])],
]);

const graph: WorkflowGraph = {
  nodes: [
    { id: "t1", type: "stripe.charge.failed", config: {}, position: { x: 0, y: 0 } },
    { id: "c1", type: "core.condition", config: {}, position: { x: 0, y: 0 } },
    { id: "a1", type: "jira.issue.create", config: {}, position: { x: 0, y: 0 } },
    { id: "a2", type: "slack.message.post", config: {}, position: { x: 0, y: 0 } },
    { id: "a3", type: "slack.message.post", config: {}, position: { x: 0, y: 0 } },
  ],
  edges: [
    { id: "e1", source: "t1", target: "c1" },
    { id: "e2", source: "c1", target: "a1", sourceHandle: "true" },
    { id: "e3", source: "a1", target: "a2" },
    { id: "e4", source: "c1", target: "a3", sourceHandle: "false" },
  ],
};

describe("referenceGroups", () => {
  it("offers the trigger's paths and every upstream step's paths, nearest first", () => {
    expect(referenceGroups(graph, "a2", catalog)).toEqual([
      { label: "Trigger: Charge failed", options: [{ label: "id", value: "{{trigger.id}}" }, { label: "data.object.amount", value: "{{trigger.data.object.amount}}" }] },
      { label: "a1: Create issue", options: [{ label: "key", value: "{{steps.a1.key}}" }, { label: "url", value: "{{steps.a1.url}}" }] },
      { label: "c1: Condition", options: [{ label: "result", value: "{{steps.c1.result}}" }] },
    ]);
  });

  it("offers a transform's own field names, not its sample's", () => {
    const withTransform = {
      nodes: [
        { id: "t1", type: "stripe.charge.failed" },
        { id: "x1", type: "core.transform", config: { fields: { customer: "{{trigger.id}}", total: 1 } } },
        { id: "a1", type: "slack.message.post" },
      ],
      edges: [
        { source: "t1", target: "x1" },
        { source: "x1", target: "a1" },
      ],
    };
    const transformCatalog = new Map([...catalog, ["core.transform", entry("logic", "Transform data", ["sampleOnly"])]]);
    expect(referenceGroups(withTransform, "a1", transformCatalog)[1]).toEqual({
      label: "x1: Transform data",
      options: [
        { label: "customer", value: "{{steps.x1.customer}}" },
        { label: "total", value: "{{steps.x1.total}}" },
      ],
    });
    expect(nodeSummary("core.transform", { fields: { customer: "", total: 1 } })).toBe("Sets customer, total");
  });

  it("never offers steps on another branch, or the trigger to itself", () => {
    const labels = referenceGroups(graph, "a3", catalog).map((group) => group.label);
    expect(labels).toEqual(["Trigger: Charge failed", "c1: Condition"]);
    expect(referenceGroups(graph, "t1", catalog)).toEqual([]);
  });
});

describe("graph utilities", () => {
  it("finds upstream nodes and refuses connections that close a loop", () => {
    expect(upstreamNodeIds(graph.edges, "a2")).toEqual(["a1", "c1", "t1"]);
    expect(wouldCreateCycle(graph.edges, "a2", "c1")).toBe(true);
    expect(wouldCreateCycle(graph.edges, "a1", "a1")).toBe(true);
    expect(wouldCreateCycle(graph.edges, "a3", "a2")).toBe(false);
  });
});

describe("insertAtCursor", () => {
  it("replaces the selection and puts the caret after the insertion", () => {
    expect(insertAtCursor("Hello !", 6, 6, "{{trigger.id}}")).toEqual({ value: "Hello {{trigger.id}}!", caret: 20 });
    expect(insertAtCursor("abcdef", 1, 3, "X")).toEqual({ value: "aXdef", caret: 2 });
    expect(insertAtCursor("ab", 10, 12, "X")).toEqual({ value: "abX", caret: 3 });
  });
});

describe("nodeSummary", () => {
  it("describes conditions, delays and actions in one line", () => {
    expect(nodeSummary("core.condition", { mode: "any", rules: [{ left: "{{trigger.amount}}", operator: "gt", right: 100 }, { left: "x", operator: "exists" }] })).toBe(
      "{{trigger.amount}} > 100 (any of 2)",
    );
    expect(nodeSummary("core.condition", { rules: [] })).toBe("No rules yet");
    expect(nodeSummary("core.delay", { amount: 2, unit: "hours" })).toBe("Wait 2 hours");
    expect(nodeSummary("slack.message.post", { channel: "#ops", text: "hi" })).toBe("#ops");
    expect(nodeSummary("manual.run", {})).toBe("");
    expect(nodeSummary("x", { text: "a".repeat(100) })).toHaveLength(60);
  });
});

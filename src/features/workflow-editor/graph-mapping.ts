// The one translation between the stored workflow graph (DESIGN.md) and React Flow's nodes and
// edges. Everything the canvas shows about a node beyond its stored fields (validation issues,
// test-run results) rides in node data as "decorations", so the graph round-trips untouched.
import type { Edge, Node } from "@xyflow/react";
import type { NodeKind, StepView, ValidationIssue, WorkflowEdge, WorkflowGraph, WorkflowNode } from "./api-types";

export const CONDITION_TYPE = "core.condition";
export const DELAY_TYPE = "core.delay";
export const TRANSFORM_TYPE = "core.transform";
export const BRANCH_HANDLES = ["true", "false"] as const;
export type BranchHandle = (typeof BRANCH_HANDLES)[number];

export type WorkflowNodeData = {
  /** The canonical node type ("jira.issue.create"); the React Flow type only picks the component. */
  type: string;
  config: Record<string, unknown>;
  issues: readonly string[];
  step: StepView | null;
};

export type TriggerFlowNode = Node<WorkflowNodeData, "trigger">;
export type StepFlowNode = Node<WorkflowNodeData, "step">;
export type ConditionFlowNode = Node<WorkflowNodeData, "condition">;
export type WorkflowFlowNode = TriggerFlowNode | StepFlowNode | ConditionFlowNode;
export type FlowNodeType = WorkflowFlowNode["type"];

export type WorkflowEdgeData = { issues: readonly string[] };
export type WorkflowFlowEdge = Edge<WorkflowEdgeData>;

/** Looks a node type up in the catalog; undefined for types the catalog does not know. */
export type KindOf = (type: string) => NodeKind | undefined;

export interface Decorations {
  nodeIssues: ReadonlyMap<string, readonly string[]>;
  edgeIssues: ReadonlyMap<string, readonly string[]>;
  steps: ReadonlyMap<string, StepView>;
}

export const NO_DECORATIONS: Decorations = { nodeIssues: new Map(), edgeIssues: new Map(), steps: new Map() };

export function flowNodeType(type: string, kind: NodeKind | undefined): FlowNodeType {
  if (type === CONDITION_TYPE) return "condition";
  return kind === "trigger" ? "trigger" : "step";
}

function isBranchHandle(value: unknown): value is BranchHandle {
  return value === "true" || value === "false";
}

/** Groups issues by the node or edge they are about; issues about the whole graph stay out. */
export function decorationsFrom(issues: readonly ValidationIssue[], steps: readonly StepView[] = []): Decorations {
  const nodeIssues = new Map<string, string[]>();
  const edgeIssues = new Map<string, string[]>();
  for (const issue of issues) {
    const [map, key] = issue.nodeId ? [nodeIssues, issue.nodeId] : issue.edgeId ? [edgeIssues, issue.edgeId] : [null, ""];
    if (!map) continue;
    const list = map.get(key) ?? [];
    list.push(issue.message);
    map.set(key, list);
  }
  return { nodeIssues, edgeIssues, steps: new Map(steps.map((step) => [step.nodeId, step])) };
}

export function toFlowNode(node: WorkflowNode, kindOf: KindOf, decorations: Decorations = NO_DECORATIONS): WorkflowFlowNode {
  const data: WorkflowNodeData = {
    type: node.type,
    config: node.config,
    issues: decorations.nodeIssues.get(node.id) ?? [],
    step: decorations.steps.get(node.id) ?? null,
  };
  const position = { x: node.position.x, y: node.position.y };
  const flowType = flowNodeType(node.type, kindOf(node.type));
  // Spelled out per variant so each literal `type` narrows to its member of the union.
  switch (flowType) {
    case "trigger":
      return { id: node.id, type: "trigger", position, data };
    case "condition":
      return { id: node.id, type: "condition", position, data };
    case "step":
      return { id: node.id, type: "step", position, data };
  }
}

function edgeClassName(sourceHandle: string | null | undefined, issues: readonly string[]): string | undefined {
  const names = [isBranchHandle(sourceHandle) ? `branch-${sourceHandle}` : "", issues.length ? "has-issue" : ""].filter(Boolean);
  return names.length ? names.join(" ") : undefined;
}

export function toFlowEdge(edge: WorkflowEdge, decorations: Decorations = NO_DECORATIONS): WorkflowFlowEdge {
  const issues = decorations.edgeIssues.get(edge.id) ?? [];
  const flowEdge: WorkflowFlowEdge = { id: edge.id, source: edge.source, target: edge.target, data: { issues } };
  if (isBranchHandle(edge.sourceHandle)) {
    flowEdge.sourceHandle = edge.sourceHandle;
    flowEdge.label = edge.sourceHandle === "true" ? "Yes" : "No";
  }
  const className = edgeClassName(edge.sourceHandle, issues);
  if (className) flowEdge.className = className;
  return flowEdge;
}

export function graphToFlow(
  graph: WorkflowGraph,
  kindOf: KindOf,
  decorations: Decorations = NO_DECORATIONS,
): { nodes: WorkflowFlowNode[]; edges: WorkflowFlowEdge[] } {
  return {
    nodes: graph.nodes.map((node) => toFlowNode(node, kindOf, decorations)),
    edges: graph.edges.map((edge) => toFlowEdge(edge, decorations)),
  };
}

export function flowToGraph(nodes: readonly WorkflowFlowNode[], edges: readonly WorkflowFlowEdge[]): WorkflowGraph {
  return {
    nodes: nodes.map((node) => ({
      id: node.id,
      type: node.data.type,
      config: node.data.config,
      position: { x: node.position.x, y: node.position.y },
    })),
    edges: edges.map((edge) => {
      const stored: WorkflowEdge = { id: edge.id, source: edge.source, target: edge.target };
      if (isBranchHandle(edge.sourceHandle)) stored.sourceHandle = edge.sourceHandle;
      return stored;
    }),
  };
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((item, i) => item === b[i]);
const sameStep = (a: StepView | null, b: StepView | null) =>
  a === b || (a !== null && b !== null && a.status === b.status && a.attempts === b.attempts);

/**
 * Applies new decorations, keeping every node whose decorations did not change the same object:
 * memoised node components then skip re-rendering, which keeps large graphs responsive.
 */
export function decorateNodes(nodes: WorkflowFlowNode[], decorations: Decorations): WorkflowFlowNode[] {
  let changed = false;
  const next = nodes.map((node) => {
    const issues = decorations.nodeIssues.get(node.id) ?? [];
    const step = decorations.steps.get(node.id) ?? null;
    if (sameList(node.data.issues, issues) && sameStep(node.data.step, step)) return node;
    changed = true;
    return { ...node, data: { ...node.data, issues, step } };
  });
  return changed ? next : nodes;
}

export function decorateEdges(edges: WorkflowFlowEdge[], decorations: Decorations): WorkflowFlowEdge[] {
  let changed = false;
  const next = edges.map((edge) => {
    const issues = decorations.edgeIssues.get(edge.id) ?? [];
    if (sameList(edge.data?.issues ?? [], issues)) return edge;
    changed = true;
    return { ...edge, data: { issues }, className: edgeClassName(edge.sourceHandle, issues) };
  });
  return changed ? next : edges;
}

/** A short id that reads well in {{steps.<id>.…}} references: t1 for triggers, a1, c1, d1, x1 … */
export function nextNodeId(existing: Iterable<string>, type: string, kind: NodeKind | undefined): string {
  const prefix = kind === "trigger" ? "t" : type === CONDITION_TYPE ? "c" : type === DELAY_TYPE ? "d" : type === TRANSFORM_TYPE ? "x" : "a";
  const taken = new Set(existing);
  let n = 1;
  while (taken.has(`${prefix}${n}`)) n += 1;
  return `${prefix}${n}`;
}

export function nextEdgeId(existing: Iterable<string>): string {
  const taken = new Set(existing);
  let n = 1;
  while (taken.has(`e${n}`)) n += 1;
  return `e${n}`;
}

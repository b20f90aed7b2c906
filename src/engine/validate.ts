// Checks a workflow before it is saved as active: structure (one trigger, a connected DAG, branch
// handles), each step's settings against its schema, and every {{reference}} against upstream outputs.
// Messages are written for the person drawing the workflow, not for a developer.
import type { z } from "zod";
import { CONDITION_TYPE } from "./core-nodes";
import { parseGraph } from "./graph";
import { schemaHasPath } from "./schema-path";
import { inspectTemplates, type TemplateReference } from "./template";
import type { NodeCatalog, NodeDefinition, WorkflowEdge, WorkflowGraph, WorkflowNode } from "./types";

export interface ValidationIssue {
  nodeId?: string;
  edgeId?: string;
  /** The config field the issue is about, as a dotted path ("rules.0.left"). */
  field?: string;
  message: string;
}

export interface ValidationResult {
  ok: boolean;
  issues: ValidationIssue[];
}

/** "Jira: Create issue": the definition's title, prefixed with its provider unless it already is. */
export function nodeLabel(definition: NodeDefinition): string {
  if (definition.provider === "core" || definition.title.includes(":")) return definition.title;
  const provider = definition.provider.charAt(0).toUpperCase() + definition.provider.slice(1);
  return `${provider}: ${definition.title}`;
}

const dotted = (path: readonly PropertyKey[]) => path.map(String).join(".");

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function referenceText(ref: TemplateReference): string {
  const head = ref.root === "steps" ? ["steps", ref.nodeId ?? ""] : ["trigger"];
  return [...head, ...ref.path].join(".");
}

export function validateGraph(input: unknown, catalog: NodeCatalog): ValidationResult {
  const parsed = parseGraph(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue): ValidationIssue => {
      const [collection, index] = issue.path;
      const id = valueAt(input, [collection ?? "", index ?? "", "id"]);
      const owner = typeof id === "string" && id ? { [collection === "edges" ? "edgeId" : "nodeId"]: id } : {};
      return { ...owner, message: issue.path.length ? `${dotted(issue.path)}: ${issue.message}` : issue.message };
    });
    return { ok: false, issues };
  }
  const issues = new GraphValidator(parsed.data, catalog).run();
  return { ok: issues.length === 0, issues };
}

class GraphValidator {
  private readonly issues: ValidationIssue[] = [];
  private readonly nodes = new Map<string, WorkflowNode>();
  private readonly definitions = new Map<string, NodeDefinition>();
  /** Edges whose both ends exist and that are not self-loops: the ones graph algorithms can use. */
  private readonly usableEdges: WorkflowEdge[] = [];
  private readonly parents = new Map<string, string[]>();
  private readonly children = new Map<string, string[]>();
  private trigger?: WorkflowNode;

  constructor(
    private readonly graph: WorkflowGraph,
    private readonly catalog: NodeCatalog,
  ) {}

  run(): ValidationIssue[] {
    this.checkNodes();
    this.checkEdges();
    this.checkCycles();
    this.checkReachability();
    for (const node of this.nodes.values()) {
      const definition = this.definitions.get(node.id);
      if (!definition) continue;
      this.checkConfig(node, definition);
      this.checkReferences(node, definition);
    }
    return this.issues;
  }

  private label(nodeId: string): string {
    const definition = this.definitions.get(nodeId);
    return definition ? nodeLabel(definition) : `Step "${nodeId}"`;
  }

  /** "Jira: Create issue › summary: Required", or "Jira: Create issue › Not connected …" without a field. */
  private about(nodeId: string, field?: string): string {
    return field ? `${this.label(nodeId)} › ${field}: ` : `${this.label(nodeId)} › `;
  }

  private nodeIssue(nodeId: string, message: string, field?: string): void {
    this.issues.push({ nodeId, ...(field === undefined ? {} : { field }), message: this.about(nodeId, field) + message });
  }

  private checkNodes(): void {
    const triggers: WorkflowNode[] = [];
    for (const node of this.graph.nodes) {
      if (this.nodes.has(node.id)) {
        this.issues.push({ nodeId: node.id, message: `Two steps share the id "${node.id}"` });
        continue;
      }
      this.nodes.set(node.id, node);
      this.parents.set(node.id, []);
      this.children.set(node.id, []);
      const definition = this.catalog.get(node.type);
      if (!definition) {
        this.issues.push({ nodeId: node.id, message: `Unknown node type "${node.type}"` });
        continue;
      }
      this.definitions.set(node.id, definition);
      if (definition.kind === "trigger") triggers.push(node);
    }
    if (triggers.length === 0) this.issues.push({ message: "Add a trigger: every workflow starts with exactly one" });
    for (const extra of triggers.slice(1)) this.nodeIssue(extra.id, "A workflow has exactly one trigger; remove this one or the other");
    if (triggers.length === 1) this.trigger = triggers[0];
  }

  private checkEdges(): void {
    const edgeIds = new Set<string>();
    const links = new Map<string, string>();
    for (const edge of this.graph.edges) {
      const edgeId = edge.id;
      if (edgeIds.has(edgeId)) this.issues.push({ edgeId, message: `Two connections share the id "${edgeId}"` });
      edgeIds.add(edgeId);
      const source = this.nodes.get(edge.source);
      const target = this.nodes.get(edge.target);
      if (!source) this.issues.push({ edgeId, message: `Connection "${edgeId}" starts at a step that does not exist ("${edge.source}")` });
      if (!target) this.issues.push({ edgeId, message: `Connection "${edgeId}" ends at a step that does not exist ("${edge.target}")` });
      if (!source || !target) continue;
      if (source.id === target.id) {
        this.issues.push({ edgeId, nodeId: source.id, message: `${this.about(source.id)}connection "${edgeId}" links the step to itself` });
        continue;
      }
      const handle = edge.sourceHandle ?? null;
      const link = `${source.id}\u0000${target.id}\u0000${handle}`;
      const duplicateOf = links.get(link);
      if (duplicateOf !== undefined) {
        this.issues.push({ edgeId, message: `Connection "${edgeId}" duplicates "${duplicateOf}"` });
        continue;
      }
      links.set(link, edgeId);
      if (this.definitions.get(target.id)?.kind === "trigger") {
        this.issues.push({ edgeId, nodeId: target.id, message: `${this.about(target.id)}nothing can connect into the trigger (connection "${edgeId}")` });
      }
      if (source.type === CONDITION_TYPE && handle === null) {
        this.issues.push({ edgeId, nodeId: source.id, message: `${this.about(source.id)}connection "${edgeId}" must be the "true" or the "false" branch` });
      } else if (source.type !== CONDITION_TYPE && handle !== null) {
        this.issues.push({ edgeId, nodeId: source.id, message: `${this.about(source.id)}connection "${edgeId}" is a "${handle}" branch, but only conditions branch` });
      }
      this.usableEdges.push(edge);
      this.children.get(source.id)?.push(target.id);
      this.parents.get(target.id)?.push(source.id);
    }
  }

  /** Reports each loop once (per strongly connected component), as a readable path. */
  private checkCycles(): void {
    const order = new Map(this.graph.nodes.map((node, index) => [node.id, index]));
    for (const component of stronglyConnectedComponents([...this.nodes.keys()], this.children)) {
      if (component.length < 2) continue;
      const members = new Set(component);
      const start = component.reduce((first, id) => ((order.get(id) ?? 0) < (order.get(first) ?? 0) ? id : first));
      const loop = shortestLoop(start, members, this.children);
      this.issues.push({ nodeId: start, message: `These steps form a loop: ${loop.join(" → ")}` });
    }
  }

  private checkReachability(): void {
    if (!this.trigger) return;
    const reached = collect(this.trigger.id, this.children);
    reached.add(this.trigger.id);
    for (const node of this.nodes.values()) {
      if (!reached.has(node.id)) this.nodeIssue(node.id, "Not connected to the trigger");
    }
  }

  private checkConfig(node: WorkflowNode, definition: NodeDefinition): void {
    const result = definition.configSchema.safeParse(node.config);
    if (result.success) return;
    for (const issue of result.error.issues) {
      const value = valueAt(node.config, issue.path);
      // A templated value is only known at run time, where it is validated again.
      if (typeof value === "string" && value.includes("{{")) continue;
      this.nodeIssue(node.id, describeIssue(issue, value), issue.path.length ? dotted(issue.path) : undefined);
    }
  }

  private checkReferences(node: WorkflowNode, definition: NodeDefinition): void {
    const { references, problems } = inspectTemplates(node.config);
    for (const problem of problems) this.nodeIssue(node.id, problem.message, problem.field || undefined);
    if (references.length === 0) return;
    if (definition.kind === "trigger") {
      for (const ref of references) this.nodeIssue(node.id, `a trigger's settings cannot use references (${ref.raw})`, ref.field || undefined);
      return;
    }
    const guardedFields = node.type === CONDITION_TYPE ? existsOperands(node.config) : new Set<string>();
    let ancestors: Set<string> | undefined;
    for (const ref of references) {
      const field = ref.field || undefined;
      const text = `{{${referenceText(ref)}}}`;
      let schema: z.ZodType;
      let base: string;
      if (ref.root === "trigger") {
        const triggerDefinition = this.trigger && this.definitions.get(this.trigger.id);
        if (!triggerDefinition) continue;
        schema = triggerDefinition.outputSchema;
        base = "trigger";
      } else {
        const sourceId = ref.nodeId ?? "";
        if (!this.nodes.has(sourceId)) {
          this.nodeIssue(node.id, `${text} refers to a step that does not exist ("${sourceId}")`, field);
          continue;
        }
        if (sourceId === node.id) {
          this.nodeIssue(node.id, `${text}: a step cannot use its own output`, field);
          continue;
        }
        ancestors ??= collect(node.id, this.parents);
        if (!ancestors.has(sourceId)) {
          this.nodeIssue(node.id, `${text}: ${this.label(sourceId)} ("${sourceId}") does not run before this step`, field);
          continue;
        }
        const sourceDefinition = this.definitions.get(sourceId);
        if (!sourceDefinition) continue;
        schema = sourceDefinition.outputSchemaFor?.(this.nodes.get(sourceId)!.config) ?? sourceDefinition.outputSchema;
        base = `steps.${sourceId}`;
      }
      const found = schemaHasPath(schema, ref.path);
      if (!found.found) {
        const parent = [base, ...ref.path.slice(0, found.missingAt)].join(".");
        this.nodeIssue(node.id, `${text} does not exist: ${parent} has no "${ref.path[found.missingAt]}"`, field);
      } else if (found.optional && !ref.guarded && !guardedFields.has(ref.field)) {
        this.nodeIssue(node.id, `${text} may be missing; add a default, as in {{ ${referenceText(ref)} | default: "" }}`, field);
      }
    }
  }
}

/** Fields of a condition whose missing value is an answer ("no"), not an error. */
function existsOperands(config: Record<string, unknown>): Set<string> {
  const rules = Array.isArray(config.rules) ? (config.rules as unknown[]) : [];
  const fields = new Set<string>();
  rules.forEach((rule, index) => {
    if (valueAt(rule, ["operator"]) === "exists") fields.add(`rules.${index}.left`);
  });
  return fields;
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  if (value === undefined && issue.code === "invalid_type") return "Required";
  return issue.message;
}

function collect(start: string, next: ReadonlyMap<string, string[]>): Set<string> {
  const seen = new Set<string>();
  const stack = [...(next.get(start) ?? [])];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(next.get(id) ?? []));
  }
  return seen;
}

/** Tarjan's algorithm, iterative so a 500-step chain cannot overflow the call stack. */
function stronglyConnectedComponents(ids: string[], children: ReadonlyMap<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const root of ids) {
    if (index.has(root)) continue;
    const work: { id: string; next: number }[] = [{ id: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const frame = work[work.length - 1] as { id: string; next: number };
      const kids = children.get(frame.id) ?? [];
      const child = kids[frame.next++];
      if (child !== undefined) {
        if (!index.has(child)) {
          index.set(child, counter);
          low.set(child, counter++);
          stack.push(child);
          onStack.add(child);
          work.push({ id: child, next: 0 });
        } else if (onStack.has(child)) {
          low.set(frame.id, Math.min(low.get(frame.id) ?? 0, index.get(child) ?? 0));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id) ?? 0, low.get(frame.id) ?? 0));
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let member: string | undefined;
        do {
          member = stack.pop();
          if (member === undefined) break;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.id);
        components.push(component);
      }
    }
  }
  return components;
}

/** Breadth-first search inside one component for the shortest way from `start` back to itself. */
function shortestLoop(start: string, members: ReadonlySet<string>, children: ReadonlyMap<string, string[]>): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head] as string;
    for (const child of children.get(id) ?? []) {
      if (child === start) {
        const path = [start];
        for (let at: string | undefined = id; at !== undefined && at !== start; at = cameFrom.get(at)) path.splice(1, 0, at);
        return [...path, start];
      }
      if (members.has(child) && !cameFrom.has(child)) {
        cameFrom.set(child, id);
        queue.push(child);
      }
    }
  }
  return [start, start];
}

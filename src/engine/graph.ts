// The workflow graph's wire format (shared/DESIGN.md): the one parser every entry point (API, import,
// AI planner, executor) uses before trusting a graph's shape.
import { z } from "zod";
import type { WorkflowGraph } from "./types";

export const MAX_NODES = 500;
// Edges are bounded too, so a hostile payload cannot make validation quadratic in an unbounded input.
export const MAX_EDGES = 2_000;

const nodeSchema = z.object({
  id: z.string().min(1, "A node needs an id"),
  type: z.string().min(1, "A node needs a type"),
  config: z.record(z.string(), z.unknown()).default({}),
  position: z.object({ x: z.number(), y: z.number() }),
});

const edgeSchema = z.object({
  id: z.string().min(1, "An edge needs an id"),
  source: z.string().min(1, "An edge needs a source node"),
  target: z.string().min(1, "An edge needs a target node"),
  sourceHandle: z.enum(["true", "false"]).nullable().optional(),
});

// `satisfies` keeps the schema's output assignable to the shared contract in types.ts.
export const workflowGraphSchema = z.object({
  nodes: z.array(nodeSchema).max(MAX_NODES, `A workflow can have at most ${MAX_NODES} steps`),
  edges: z.array(edgeSchema).max(MAX_EDGES, `A workflow can have at most ${MAX_EDGES} connections`),
}) satisfies z.ZodType<WorkflowGraph, unknown>;

export type ParseGraphResult = { success: true; data: WorkflowGraph } | { success: false; error: z.ZodError };

/** Checks the graph's shape only; `validateGraph` checks its meaning against a node catalog. */
export function parseGraph(input: unknown): ParseGraphResult {
  const result = workflowGraphSchema.safeParse(input);
  return result.success ? { success: true, data: result.data } : { success: false, error: result.error };
}

// Small builders for engine tests and the engine benchmark: catalogs, graphs and in-memory nodes.
// Nothing here touches the network.
import { z } from "zod";
import { coreNodes } from "./core-nodes";
import type { NodeCatalog, NodeDefinition, StepContext, WorkflowGraph } from "./types";

export function catalogOf(...definitions: NodeDefinition[]): NodeCatalog {
  const byType = new Map([...coreNodes, ...definitions].map((definition) => [definition.type, definition]));
  return { get: (type) => byType.get(type), list: () => [...byType.values()] };
}

type NodeSpec = [id: string, type: string, config?: Record<string, unknown>];
type EdgeSpec = [source: string, target: string, handle?: "true" | "false"];

/** `graphOf([["t", "test.trigger"], ["a", "test.echo", {…}]], [["t", "a"]])` */
export function graphOf(nodes: NodeSpec[], edges: EdgeSpec[]): WorkflowGraph {
  return {
    nodes: nodes.map(([id, type, config = {}], index) => ({ id, type, config, position: { x: 0, y: index * 120 } })),
    edges: edges.map(([source, target, handle], index) => ({ id: `e${index + 1}`, source, target, ...(handle ? { sourceHandle: handle } : {}) })),
  };
}

/** A Stripe-like trigger payload shape. */
export const chargeTrigger: NodeDefinition = {
  type: "test.charge",
  kind: "trigger",
  provider: "stripe",
  title: "Charge failed",
  description: "A fake Stripe trigger",
  configSchema: z.object({}).strict(),
  outputSchema: z.object({
    id: z.string(),
    created: z.number(),
    data: z.object({
      object: z.object({
        id: z.string(),
        amount: z.number(),
        currency: z.string(),
        customer: z.string().nullable(),
        description: z.string().optional(),
        metadata: z.record(z.string(), z.string()),
        items: z.array(z.object({ name: z.string(), quantity: z.number() })),
        raw: z.unknown(),
      }),
    }),
  }),
  sample: {},
};

export const samplePayload = {
  id: "evt_1",
  created: 1_700_000_000,
  data: {
    object: {
      id: "ch_1",
      amount: 1234,
      currency: "usd",
      customer: "cus_9",
      metadata: { order: "42" },
      items: [{ name: "Widget", quantity: 2 }],
      raw: { anything: true },
    },
  },
};

export interface FakeActionOptions {
  type?: string;
  provider?: string;
  title?: string;
  configSchema?: z.ZodType;
  outputSchema?: z.ZodType;
  preview?: NodeDefinition["preview"];
}

/** An action whose behaviour is the given function; `calls` records every input and context. */
export function fakeAction(run: (input: unknown, ctx: StepContext) => Promise<unknown> = async (input) => input, options: FakeActionOptions = {}) {
  const calls: { input: unknown; ctx: StepContext }[] = [];
  const definition: NodeDefinition = {
    type: options.type ?? "test.action",
    kind: "action",
    provider: options.provider ?? "test",
    title: options.title ?? "Do thing",
    description: "A fake action",
    configSchema: options.configSchema ?? z.record(z.string(), z.unknown()),
    outputSchema: options.outputSchema ?? z.object({ id: z.string(), tags: z.array(z.string()), extra: z.string().optional() }),
    sample: { id: "x", tags: [] },
    run: (input, ctx) => {
      calls.push({ input, ctx });
      return run(input, ctx);
    },
    ...(options.preview ? { preview: options.preview } : {}),
  };
  return { definition, calls };
}

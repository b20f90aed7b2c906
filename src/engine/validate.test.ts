import fc from "fast-check";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { catalogOf, chargeTrigger, fakeAction, graphOf } from "./testing";
import type { WorkflowGraph } from "./types";
import { nodeLabel, validateGraph } from "./validate";

const jira = fakeAction(async () => ({ key: "OPS-1" }), {
  type: "jira.issue.create",
  provider: "jira",
  title: "Create issue",
  configSchema: z.object({ project: z.string().min(1), summary: z.string(), priority: z.number().optional() }).strict(),
  outputSchema: z.object({ key: z.string(), fields: z.object({ labels: z.array(z.string()) }), url: z.string().optional() }),
}).definition;
const slack = fakeAction(async () => ({ ts: "1" }), {
  type: "slack.message.post",
  provider: "slack",
  title: "Post message",
  configSchema: z.object({ text: z.string() }),
  outputSchema: z.object({ ts: z.string() }),
}).definition;
const catalog = catalogOf(chargeTrigger, jira, slack);

const validJira = { project: "OPS", summary: "Failed: {{trigger.data.object.id}}" };

function messages(graph: unknown) {
  return validateGraph(graph, catalog).issues.map((issue) => issue.message);
}

describe("validateGraph: structure", () => {
  it("accepts a well-formed workflow", () => {
    const graph = graphOf(
      [
        ["t", "test.charge"],
        ["c", "core.condition", { rules: [{ left: "{{trigger.data.object.amount}}", operator: "gt", right: 1000 }] }],
        ["j", "jira.issue.create", validJira],
        ["s", "slack.message.post", { text: "Issue {{steps.j.key}} for {{ trigger.data.object.amount | money: trigger.data.object.currency }}" }],
      ],
      [
        ["t", "c"],
        ["c", "j", "true"],
        ["j", "s"],
      ],
    );
    expect(validateGraph(graph, catalog)).toEqual({ ok: true, issues: [] });
  });

  it("reports schema shape problems with paths and the node or edge they belong to", () => {
    const result = validateGraph({ nodes: [{ id: "a", type: "x", position: { x: 0 } }], edges: [{ id: "e1", source: "a" }] }, catalog);
    expect(result.ok).toBe(false);
    expect(result.issues).toEqual([
      { nodeId: "a", message: "nodes.0.position.y: Invalid input: expected number, received undefined" },
      { edgeId: "e1", message: "edges.0.target: Invalid input: expected string, received undefined" },
    ]);
  });

  it("reports duplicate ids, unknown types and trigger count", () => {
    const graph = graphOf(
      [
        ["t", "test.charge"],
        ["t", "slack.message.post", { text: "x" }],
        ["u", "foo.bar"],
        ["t2", "test.charge"],
      ],
      [],
    );
    graph.edges.push({ id: "e1", source: "t", target: "u" }, { id: "e1", source: "t", target: "t2" });
    expect(validateGraph(graph, catalog).issues).toEqual(
      expect.arrayContaining([
        { nodeId: "t", message: 'Two steps share the id "t"' },
        { nodeId: "u", message: 'Unknown node type "foo.bar"' },
        { nodeId: "t2", message: "Stripe: Charge failed › A workflow has exactly one trigger; remove this one or the other" },
        { edgeId: "e1", message: 'Two connections share the id "e1"' },
      ]),
    );
    expect(messages(graphOf([["s", "slack.message.post", { text: "x" }]], []))).toContain("Add a trigger: every workflow starts with exactly one");
  });

  it("reports edges to missing nodes, self-loops, duplicates and edges into the trigger", () => {
    const graph = graphOf(
      [
        ["t", "test.charge"],
        ["s", "slack.message.post", { text: "x" }],
      ],
      [
        ["t", "s"],
        ["t", "s"],
        ["s", "s"],
        ["s", "t"],
        ["t", "ghost"],
      ],
    );
    expect(validateGraph(graph, catalog).issues).toEqual([
      { edgeId: "e2", message: 'Connection "e2" duplicates "e1"' },
      { edgeId: "e3", nodeId: "s", message: 'Slack: Post message › connection "e3" links the step to itself' },
      { edgeId: "e4", nodeId: "t", message: 'Stripe: Charge failed › nothing can connect into the trigger (connection "e4")' },
      { edgeId: "e5", message: 'Connection "e5" ends at a step that does not exist ("ghost")' },
      { nodeId: "t", message: "These steps form a loop: t → s → t" },
    ]);
  });

  it("requires true/false handles on condition edges and none elsewhere", () => {
    const graph = graphOf(
      [
        ["t", "test.charge"],
        ["c", "core.condition", { rules: [{ left: "x", operator: "exists" }] }],
        ["s", "slack.message.post", { text: "x" }],
        ["s2", "slack.message.post", { text: "y" }],
      ],
      [
        ["t", "c", "true"],
        ["c", "s"],
        ["c", "s2", "false"],
      ],
    );
    expect(messages(graph)).toEqual([
      'Stripe: Charge failed › connection "e1" is a "true" branch, but only conditions branch',
      'Condition › connection "e2" must be the "true" or the "false" branch',
    ]);
  });

  it("reports a cycle once with its steps in order", () => {
    const graph = graphOf(
      [
        ["t", "test.charge"],
        ["a", "slack.message.post", { text: "x" }],
        ["b", "slack.message.post", { text: "x" }],
        ["c", "slack.message.post", { text: "x" }],
      ],
      [
        ["t", "a"],
        ["a", "b"],
        ["b", "c"],
        ["c", "a"],
      ],
    );
    expect(validateGraph(graph, catalog).issues).toEqual([{ nodeId: "a", message: "These steps form a loop: a → b → c → a" }]);
  });

  it("reports steps not reachable from the trigger", () => {
    const graph = graphOf(
      [
        ["t", "test.charge"],
        ["a", "slack.message.post", { text: "x" }],
        ["b", "slack.message.post", { text: "x" }],
      ],
      [["a", "b"]],
    );
    expect(validateGraph(graph, catalog).issues).toEqual([
      { nodeId: "a", message: "Slack: Post message › Not connected to the trigger" },
      { nodeId: "b", message: "Slack: Post message › Not connected to the trigger" },
    ]);
  });
});

describe("validateGraph: settings and references", () => {
  const withJira = (config: Record<string, unknown>, extra: Parameters<typeof graphOf>[0] = [], edges: Parameters<typeof graphOf>[1] = []) =>
    graphOf([["t", "test.charge"], ["j", "jira.issue.create", config], ...extra], [["t", "j"], ...edges]);

  it("maps config schema issues to fields with the node's label", () => {
    expect(validateGraph(withJira({ project: "", priority: "high", extra: 1 }), catalog).issues).toEqual([
      { nodeId: "j", field: "project", message: "Jira: Create issue › project: Too small: expected string to have >=1 characters" },
      { nodeId: "j", field: "summary", message: "Jira: Create issue › summary: Required" },
      { nodeId: "j", field: "priority", message: "Jira: Create issue › priority: Invalid input: expected number, received string" },
      { nodeId: "j", message: 'Jira: Create issue › Unrecognized key: "extra"' },
    ]);
  });

  it("does not judge templated values statically", () => {
    expect(validateGraph(withJira({ ...validJira, priority: "{{trigger.data.object.amount}}" }), catalog).ok).toBe(true);
  });

  it("checks trigger references against the trigger's output schema", () => {
    expect(validateGraph(withJira({ project: "OPS", summary: "{{trigger.data.object.foo}}" }), catalog).issues).toEqual([
      { nodeId: "j", field: "summary", message: 'Jira: Create issue › summary: {{trigger.data.object.foo}} does not exist: trigger.data.object has no "foo"' },
    ]);
    const fine = ["{{trigger.data.object.items.0.name}}", "{{trigger.data.object.items[3].quantity}}", "{{trigger.data.object.metadata.anything}}", "{{trigger.data.object.raw.x.y}}", "{{trigger.data.object.customer}}"];
    for (const summary of fine) expect(validateGraph(withJira({ project: "OPS", summary }), catalog).issues).toEqual([]);
  });

  it("requires a default for optional fields, unless the reference is under exists", () => {
    expect(messages(withJira({ project: "OPS", summary: "{{trigger.data.object.description}}" }))).toEqual([
      'Jira: Create issue › summary: {{trigger.data.object.description}} may be missing; add a default, as in {{ trigger.data.object.description | default: "" }}',
    ]);
    expect(messages(withJira({ project: "OPS", summary: '{{trigger.data.object.description | default: "none"}}' }))).toEqual([]);
    const condition: Parameters<typeof graphOf>[0] = [["c", "core.condition", { rules: [{ left: "{{trigger.data.object.description}}", operator: "exists" }] }]];
    expect(messages(withJira(validJira, condition, [["j", "c"]]))).toEqual([]);
  });

  it("requires step references to name an upstream step and an existing output field", () => {
    const extra: Parameters<typeof graphOf>[0] = [
      ["s", "slack.message.post", { text: "{{steps.j.key}} {{steps.j.fields.labels.0}} {{steps.j.nope}}" }],
      ["p", "slack.message.post", { text: "{{steps.s.ts}} {{steps.p.ts}} {{steps.ghost.x}} {{steps.j.url}}" }],
    ];
    const graph = withJira({ ...validJira, summary: "{{steps.s.ts}}" }, extra, [
      ["j", "s"],
      ["j", "p"],
    ]);
    expect(validateGraph(graph, catalog).issues).toEqual([
      { nodeId: "j", field: "summary", message: 'Jira: Create issue › summary: {{steps.s.ts}}: Slack: Post message ("s") does not run before this step' },
      { nodeId: "s", field: "text", message: 'Slack: Post message › text: {{steps.j.nope}} does not exist: steps.j has no "nope"' },
      { nodeId: "p", field: "text", message: 'Slack: Post message › text: {{steps.s.ts}}: Slack: Post message ("s") does not run before this step' },
      { nodeId: "p", field: "text", message: "Slack: Post message › text: {{steps.p.ts}}: a step cannot use its own output" },
      { nodeId: "p", field: "text", message: 'Slack: Post message › text: {{steps.ghost.x}} refers to a step that does not exist ("ghost")' },
      { nodeId: "p", field: "text", message: 'Slack: Post message › text: {{steps.j.url}} may be missing; add a default, as in {{ steps.j.url | default: "" }}' },
    ]);
  });

  it("reports malformed templates and references in trigger settings", () => {
    const graph = graphOf(
      [
        ["t", "test.charge", { note: "{{trigger.id}}" }],
        ["s", "slack.message.post", { text: "{{ trigger.id | shout }}" }],
      ],
      [["t", "s"]],
    );
    expect(messages(graph)).toEqual([
      'Stripe: Charge failed › Unrecognized key: "note"',
      "Stripe: Charge failed › note: a trigger's settings cannot use references ({{trigger.id}})",
      'Slack: Post message › text: Invalid template {{ trigger.id | shout }}: unknown helper "shout" (use default, money, date, upper, lower, json)',
    ]);
  });

  it("labels nodes from provider and title", () => {
    expect(nodeLabel(jira)).toBe("Jira: Create issue");
    expect(nodeLabel({ ...jira, title: "GitHub: Create issue" })).toBe("GitHub: Create issue");
  });
});

// ---------------------------------------------------------------------------------------------
// Properties over random DAGs
// ---------------------------------------------------------------------------------------------

/** A DAG where node i > 0 has at least one parent among 0..i-1, so everything is reachable from node 0. */
const randomDag = fc.integer({ min: 2, max: 14 }).chain((size) =>
  fc
    .tuple(
      fc.array(fc.nat(), { minLength: size - 1, maxLength: size - 1 }),
      fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: size * 2 }),
      fc.array(fc.boolean(), { minLength: size, maxLength: size }),
    )
    .map(([firstParents, extras, conditions]) => {
      const edges = new Set<string>();
      firstParents.forEach((pick, i) => edges.add(`${pick % (i + 1)}>${i + 1}`));
      for (const [a, b] of extras) {
        const [low, high] = [a % size, b % size].sort((x, y) => x - y) as [number, number];
        if (low !== high && high !== 0) edges.add(`${low}>${high}`);
      }
      return { size, edges: [...edges].map((edge) => edge.split(">").map(Number) as [number, number]), conditions };
    }),
);

function buildGraph({ size, edges, conditions }: { size: number; edges: [number, number][]; conditions: boolean[] }): WorkflowGraph {
  const isCondition = (i: number) => i > 0 && conditions[i] === true;
  return graphOf(
    Array.from({ length: size }, (_, i) =>
      i === 0
        ? [`n${i}`, "test.charge"]
        : isCondition(i)
          ? [`n${i}`, "core.condition", { rules: [{ left: "{{trigger.data.object.amount}}", operator: "gt", right: i }] }]
          : [`n${i}`, "slack.message.post", { text: `step ${i} {{trigger.id}}` }],
    ),
    edges.map(([source, target]) => [`n${source}`, `n${target}`, ...(isCondition(source) ? [target % 2 ? "true" : "false"] : [])] as [string, string, ("true" | "false")?]),
  );
}

describe("validateGraph: transform", () => {
  const graph = (fields: unknown, text: string) =>
    graphOf(
      [
        ["t", "test.charge"],
        ["x", "core.transform", { fields }],
        ["s", "slack.message.post", { text }],
      ],
      [
        ["t", "x"],
        ["x", "s"],
      ],
    );

  it("types references to a transform by the fields it builds", () => {
    const fields = { customer: "{{trigger.data.object.customer | default: \"\"}}", amount: "{{trigger.data.object.amount}}" };
    expect(validateGraph(graph(fields, "{{steps.x.customer}} {{steps.x.amount}}"), catalog).issues).toEqual([]);
    expect(validateGraph(graph(fields, "{{steps.x.total}}"), catalog).issues).toEqual([
      { nodeId: "s", field: "text", message: 'Slack: Post message › text: {{steps.x.total}} does not exist: steps.x has no "total"' },
    ]);
  });

  it("checks the transform's own references and field names", () => {
    const messages = validateGraph(graph({ "1st": "a", ok: "{{trigger.data.object.nope}}" }, "hi"), catalog).issues.map((issue) => issue.message);
    expect(messages).toEqual([
      'Transform data › fields.1st: "1st" is not a valid field name: use letters, digits and _, not starting with a digit',
      'Transform data › fields.ok: {{trigger.data.object.nope}} does not exist: trigger.data.object has no "nope"',
    ]);
    expect(validateGraph(graph({}, "hi"), catalog).issues.map((issue) => issue.message)).toEqual([
      'Transform data › fields: Add at least one field, as in {"customer": "{{trigger.data.object.customer}}"}',
    ]);
  });
});

describe("validateGraph properties", () => {
  it("random DAGs with one trigger validate", () => {
    fc.assert(
      fc.property(randomDag, (dag) => {
        expect(validateGraph(buildGraph(dag), catalog).issues).toEqual([]);
      }),
    );
  });

  it("adding a back edge always yields a cycle issue naming its steps", () => {
    fc.assert(
      fc.property(randomDag, fc.nat(), (dag, pick) => {
        // Every edge lies on some path, so its reverse closes a loop (ignoring edges out of the trigger,
        // whose reverse is an edge into the trigger and reported as such).
        const candidates = dag.edges.filter(([source]) => source !== 0);
        fc.pre(candidates.length > 0);
        const [source, target] = candidates[pick % candidates.length] as [number, number];
        const graph = buildGraph(dag);
        graph.edges.push({ id: "back", source: `n${target}`, target: `n${source}`, ...(dag.conditions[target] ? { sourceHandle: "true" } : {}) });
        const loops = validateGraph(graph, catalog).issues.filter((issue) => issue.message.startsWith("These steps form a loop"));
        expect(loops).toHaveLength(1);
        expect(loops[0]?.message).toContain(`n${source}`);
        expect(loops[0]?.message).toContain(`n${target}`);
      }),
    );
  });

  it("removing every edge into a step makes it (at least) unreachable", () => {
    fc.assert(
      fc.property(randomDag, fc.nat(), (dag, pick) => {
        const victim = `n${1 + (pick % (dag.size - 1))}`;
        const graph = buildGraph(dag);
        graph.edges = graph.edges.filter((edge) => edge.target !== victim);
        const unreachable = validateGraph(graph, catalog)
          .issues.filter((issue) => issue.message.endsWith("Not connected to the trigger"))
          .map((issue) => issue.nodeId);
        expect(unreachable).toContain(victim);
      }),
    );
  });
});

// The optional language-model path: any OpenAI-compatible endpoint (OpenAI, Ollama, vLLM) asked
// for a workflow as JSON shaped by the engine's own graph schema, with the registry's catalogue in
// the prompt. Nothing it answers is trusted: the graph must pass the engine's validator and is
// compared with Cue's own reading of the description's clauses; it gets one repair round with the
// validator's messages and the disagreements, and otherwise the caller falls back to the planner.
import OpenAI from "openai";
import { z } from "zod";
import { workflowGraphSchema } from "@/engine/graph";
import type { WorkflowGraph } from "@/engine/types";
import { validateGraph } from "@/engine/validate";
import type { IntegrationRegistry } from "@/integrations/registry";

export interface LlmSettings {
  baseUrl: string;
  apiKey: string;
  model: string;
  /** Per request; the whole generation makes at most two. */
  timeoutMs: number;
}

export const llmAnswerSchema = z.object({
  /** False when the description asks for nothing Cue can build: the model must not invent one. */
  understood: z.boolean(),
  graph: workflowGraphSchema,
  explanation: z.string(),
  unmapped: z.array(z.string()),
});

export type LlmPlan =
  | {
      kind: "plan";
      graph: WorkflowGraph;
      explanation: string;
      unmapped: string[];
      repaired: boolean;
      /** Where the graph still reads the description differently from Cue's clause structure. */
      disagreements: string[];
    }
  | { kind: "refused"; explanation: string };

/** A second opinion on a valid graph: each way it reads the description differently, for the repair round. */
export type GraphCheck = (graph: WorkflowGraph) => string[];

/** Why the model's answer could not be used; the caller falls back to the offline planner. */
export class LlmFailure extends Error {
  override name = "LlmFailure";
}

let responseSchema: Record<string, unknown> | undefined;
function jsonSchema(): Record<string, unknown> {
  return (responseSchema ??= z.toJSONSchema(llmAnswerSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>);
}

function catalogue(registry: IntegrationRegistry): string {
  return registry.catalog
    .list()
    .map((node) => {
      const config = JSON.stringify(z.toJSONSchema(node.configSchema, { io: "input", unrepresentable: "any" }));
      const trigger = node.kind === "trigger" ? registry.trigger(node.type) : undefined;
      const action = node.kind === "action" ? registry.action(node.type) : undefined;
      const phrases = trigger?.phrases ?? action?.phrases ?? [];
      const sample = node.kind === "trigger" ? `\n  payload sample (for {{trigger.…}}): ${JSON.stringify(node.sample)}` : "";
      return `- ${node.type} (${node.kind}): ${node.title}. ${node.description}${phrases.length ? ` Said as: ${phrases.slice(0, 8).join(", ")}.` : ""}\n  config schema: ${config}${sample}`;
    })
    .join("\n");
}

function systemPrompt(registry: IntegrationRegistry): string {
  return [
    "You turn a plain-language description into a Cue workflow graph. Answer with JSON only, matching the given schema.",
    "Rules:",
    "- Exactly one trigger node (id \"t1\"), then action and logic nodes; edges connect them into a DAG starting at the trigger.",
    "- Use only the node types listed below, and config that satisfies each node's config schema.",
    "- core.condition nodes branch: their outgoing edges carry sourceHandle \"true\" or \"false\"; no other edge has a sourceHandle.",
    "- Values may reference data with templates: {{trigger.<path>}} (paths from the trigger's payload sample) or {{steps.<nodeId>.<path>}}.",
    "- Stripe amounts are in the currency's smallest unit: $500 is 50000 on {{trigger.data.object.amount}}.",
    "- schedule.cron config is {\"cron\": \"<5-field cron>\", \"timezone\": \"UTC\"} unless a zone is named.",
    "- Lay nodes out top-down: y grows by 150 per step; branches side by side.",
    "- Use placeholders the validator accepts where the user must decide (Jira project \"OPS\"), and say so in the explanation.",
    "- If the description asks for nothing these nodes can do, answer understood=false with an empty graph; never invent a workflow.",
    "- explanation: two or three sentences for the user; unmapped: parts of the description you could not build.",
    "",
    "Node types:",
    catalogue(registry),
  ].join("\n");
}

type Message = OpenAI.Chat.Completions.ChatCompletionMessageParam;

function parseAnswer(content: string | null | undefined): { ok: true; answer: z.output<typeof llmAnswerSchema> } | { ok: false; problem: string } {
  if (!content) return { ok: false, problem: "The answer was empty." };
  let json: unknown;
  try {
    // Some servers wrap JSON in a Markdown fence even when asked for JSON.
    json = JSON.parse(content.replace(/^\s*```(?:json)?\s*|\s*```\s*$/g, ""));
  } catch {
    return { ok: false, problem: "The answer was not valid JSON." };
  }
  const parsed = llmAnswerSchema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, problem: `The answer did not match the schema: ${parsed.error.issues.slice(0, 10).map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}` };
  }
  return { ok: true, answer: parsed.data };
}

async function ask(client: OpenAI, settings: LlmSettings, messages: Message[]): Promise<string | null | undefined> {
  try {
    const completion = await client.chat.completions.create({
      model: settings.model,
      messages,
      temperature: 0,
      response_format: { type: "json_schema", json_schema: { name: "cue_workflow", schema: jsonSchema(), strict: false } },
    });
    return completion.choices[0]?.message.content;
  } catch (error) {
    throw new LlmFailure(error instanceof OpenAI.APIConnectionTimeoutError ? "the model did not answer in time" : `the model's provider failed (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
}

/**
 * The model's workflow: validated by the engine and checked by `check` (Cue's own reading of the
 * clauses); the validator's issues and the check's disagreements go back for one repair round. A
 * valid graph is used even if the check still disagrees after the repair: the caller explains it.
 */
export async function planWithLlm(description: string, registry: IntegrationRegistry, settings: LlmSettings, check: GraphCheck = () => []): Promise<LlmPlan> {
  const client = new OpenAI({ baseURL: settings.baseUrl, apiKey: settings.apiKey, timeout: settings.timeoutMs, maxRetries: 0 });
  const messages: Message[] = [
    { role: "system", content: systemPrompt(registry) },
    { role: "user", content: description },
  ];
  let problem = "";
  let checked: Extract<LlmPlan, { kind: "plan" }> | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    const content = await ask(client, settings, messages);
    const parsed = parseAnswer(content);
    if (parsed.ok) {
      if (!parsed.answer.understood) return checked ?? { kind: "refused", explanation: parsed.answer.explanation };
      const { graph, explanation, unmapped } = parsed.answer;
      const validation = validateGraph(graph, registry.catalog);
      if (validation.ok) {
        checked = { kind: "plan", graph, explanation, unmapped, repaired: attempt > 0, disagreements: check(graph) };
        if (!checked.disagreements.length || attempt > 0) return checked;
        problem = `Cue's reading of the description's clauses differs from your graph:\n${checked.disagreements.map((line) => `- ${line}`).join("\n")}\nIf the description supports Cue's reading, correct the graph; if it supports yours, answer with the same graph and say why in the explanation.`;
      } else {
        problem = `The graph has these problems:\n${validation.issues.map((issue) => `- ${issue.message}`).join("\n")}`;
      }
    } else {
      problem = parsed.problem;
    }
    messages.push({ role: "assistant", content: content ?? "" }, { role: "user", content: `${problem}\nFix them and answer again with the complete corrected JSON.` });
  }
  if (checked) return checked;
  throw new LlmFailure(`its answer was still invalid after one repair (${problem.replace(/\n/g, " ").slice(0, 300)})`);
}

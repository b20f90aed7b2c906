// `cue generate "<description>"`: prints the generated workflow graph as JSON on stdout (so it can
// be piped into an import), the explanation on stderr; on failure the reason on stderr, exit 1.
import { coreNodes } from "@/engine/core-nodes";
import { createIntegrationRegistry } from "@/integrations/registry";
import { generateWorkflow } from "./generate";
import { llmSettingsFromEnv } from "./settings";

export const GENERATE_USAGE = `  cue generate "<description>"
      Prints the workflow graph Cue draws for the description as JSON: { "nodes": [...], "edges": [...] }.
      Uses the language model when AI_BASE_URL, AI_API_KEY and AI_MODEL are set, else the offline planner.
`;

export async function generateCommand(args: string[]): Promise<number> {
  const description = args.join(" ");
  if (!description.trim()) {
    process.stderr.write(`cue generate: describe the workflow in quotes\n\nUsage:\n${GENERATE_USAGE}`);
    return 2;
  }
  const registry = createIntegrationRegistry({ extraNodes: coreNodes });
  const result = await generateWorkflow(description, { registry, llm: llmSettingsFromEnv() });
  process.stdout.write(`${JSON.stringify(result.graph, null, 2)}\n`);
  process.stderr.write(`${result.explanation}\n`);
  if (result.unmapped.length) process.stderr.write(`Not mapped: ${result.unmapped.join("; ")}\n`);
  return 0;
}

// `cue generate "<description>"`: prints the generated workflow graph as JSON on stdout (so it can
// be piped into an import), the explanation on stderr; on failure the reason on stderr, exit 1.
import { coreNodes } from "@/engine/core-nodes";
import { createIntegrationRegistry } from "@/integrations/registry";
import { generateWorkflow } from "./generate";
import { llmSettingsFromEnv } from "./settings";

const USAGE = `Usage: cue generate "<description>"

  Prints the workflow graph Cue draws for the description as JSON: { "nodes": [...], "edges": [...] }.
  Uses the language model when AI_BASE_URL, AI_API_KEY and AI_MODEL are set, else the offline planner.
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  if (command !== "generate") {
    process.stderr.write(`cue: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  const description = rest.join(" ");
  if (!description.trim()) {
    process.stderr.write(`cue generate: describe the workflow in quotes\n\n${USAGE}`);
    return 2;
  }
  const registry = createIntegrationRegistry({ extraNodes: coreNodes });
  const result = await generateWorkflow(description, { registry, llm: llmSettingsFromEnv() });
  process.stdout.write(`${JSON.stringify(result.graph, null, 2)}\n`);
  process.stderr.write(`${result.explanation}\n`);
  if (result.unmapped.length) process.stderr.write(`Not mapped: ${result.unmapped.join("; ")}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`cue: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);

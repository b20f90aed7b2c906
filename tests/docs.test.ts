// The documentation's examples are real: every workflow in docs/*.md passes the validator that
// activation uses, so the docs cannot drift from what Cue accepts.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { validateGraph } from "@/engine/validate";
import { getCatalog } from "@/server/catalog";

const docsDir = path.resolve(import.meta.dirname, "../docs");

function workflowExamples(): { file: string; json: { format: string; name: string; graph: unknown } }[] {
  const examples = [];
  for (const file of readdirSync(docsDir).filter((name) => name.endsWith(".md"))) {
    const text = readFileSync(path.join(docsDir, file), "utf8");
    for (const match of text.matchAll(/```json\n([\s\S]*?)```/g)) {
      const json = JSON.parse(match[1]!);
      if (json.format === "cue.workflow/v1") examples.push({ file, json });
    }
  }
  return examples;
}

describe("docs", () => {
  const examples = workflowExamples();

  it("has workflow examples to check", () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it.each(examples.map((example) => [`${example.file}: ${example.json.name}`, example.json.graph] as const))("%s is a valid workflow", (_name, graph) => {
    const result = validateGraph(graph, getCatalog());
    expect(result.issues).toEqual([]);
    expect(result.ok).toBe(true);
  });
});

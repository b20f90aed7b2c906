import { describe, expect, it } from "vitest";
import { displayValue, fieldsFromSchema, humanize, initialConfig, issuesByField, parseInput } from "./schema-form";

const jira = {
  type: "object",
  properties: {
    project: { type: "string", pattern: "^[A-Z][A-Z0-9_]+$", description: "Project key" },
    summary: { type: "string", minLength: 1, maxLength: 255 },
    issueType: { default: "Task", type: "string" },
    description: { type: "string" },
    labels: { type: "array", items: { type: "string" } },
  },
  required: ["project", "summary"],
};

describe("fieldsFromSchema", () => {
  it("maps JSON Schema properties to labelled fields of the right kind", () => {
    expect(fieldsFromSchema(jira)).toEqual([
      { name: "project", label: "Project", kind: "text", required: true, description: "Project key" },
      { name: "summary", label: "Summary", kind: "text", required: true },
      { name: "issueType", label: "Issue type", kind: "text", required: false, defaultValue: "Task" },
      { name: "description", label: "Description", kind: "textarea", required: false },
      { name: "labels", label: "Labels", kind: "json", required: false },
    ]);
  });

  it("knows enums, numbers, integers, booleans, unknowns and string-or-list unions", () => {
    const fields = fieldsFromSchema({
      properties: {
        method: { type: "string", enum: ["GET", "POST"], default: "GET" },
        amount: { type: "number" },
        orgId: { type: "integer" },
        failOnHttpError: { type: "boolean", default: true },
        body: { description: "Anything" },
        headers: { type: "object" },
        to: { anyOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] },
        right: { type: ["string", "number", "boolean"] },
      },
    });
    expect(fields.map((f) => [f.name, f.kind])).toEqual([
      ["method", "enum"],
      ["amount", "number"],
      ["orgId", "number"],
      ["failOnHttpError", "boolean"],
      ["body", "json"],
      ["headers", "json"],
      ["to", "text-or-list"],
      ["right", "text"],
    ]);
    expect(fields[0]?.options).toEqual(["GET", "POST"]);
    expect(fields[2]?.integer).toBe(true);
  });

  it("copes with schemas that are not objects", () => {
    expect(fieldsFromSchema(null)).toEqual([]);
    expect(fieldsFromSchema({ type: "object" })).toEqual([]);
  });
});

describe("parseInput / displayValue", () => {
  const field = (kind: "number" | "json" | "text-or-list" | "text") => ({ name: "f", label: "F", kind, required: false });

  it("removes the key for empty input", () => {
    expect(parseInput(field("text"), "  ")).toEqual({ ok: true, value: undefined });
  });

  it("stores numbers as numbers and keeps templates as text", () => {
    expect(parseInput(field("number"), "12.5")).toEqual({ ok: true, value: 12.5 });
    expect(parseInput(field("number"), "{{trigger.amount}}")).toEqual({ ok: true, value: "{{trigger.amount}}" });
  });

  it("parses JSON and reports parse errors", () => {
    expect(parseInput(field("json"), '{"a": [1]}')).toEqual({ ok: true, value: { a: [1] } });
    const broken = parseInput(field("json"), "{a:");
    expect(broken.ok).toBe(false);
    expect(!broken.ok && broken.error).toMatch(/^Not valid JSON/);
  });

  it("reads a string-or-list field as text unless it is a JSON list", () => {
    expect(parseInput(field("text-or-list"), "ops@example.com")).toEqual({ ok: true, value: "ops@example.com" });
    expect(parseInput(field("text-or-list"), '["a@x.io", "b@x.io"]')).toEqual({ ok: true, value: ["a@x.io", "b@x.io"] });
    expect(parseInput(field("text-or-list"), "[oops").ok).toBe(false);
    expect(displayValue(field("text-or-list"), ["a@x.io"])).toBe('["a@x.io"]');
  });

  it("shows JSON pretty-printed and scalars as typed", () => {
    expect(displayValue(field("json"), { a: 1 })).toBe('{\n  "a": 1\n}');
    expect(displayValue(field("number"), 5)).toBe("5");
    expect(displayValue(field("text"), undefined)).toBe("");
  });
});

describe("initialConfig and issuesByField", () => {
  it("fills schema defaults, and gives logic nodes a usable start", () => {
    expect(initialConfig("jira.issue.create", jira)).toEqual({ issueType: "Task" });
    expect(initialConfig("core.condition", {})).toEqual({ mode: "all", rules: [{ left: "", operator: "equals", right: "" }] });
    expect(initialConfig("core.delay", {})).toEqual({ amount: 5, unit: "minutes" });
  });

  it("groups field issues by their dotted path", () => {
    const byField = issuesByField([
      { field: "summary", message: "Required" },
      { field: "rules.0.left", message: "Unknown reference" },
      { message: "Not connected" },
    ]);
    expect(Object.fromEntries(byField)).toEqual({ summary: ["Required"], "rules.0.left": ["Unknown reference"] });
  });

  it("humanises camelCase and snake_case names", () => {
    expect(humanize("threadTs")).toBe("Thread ts");
    expect(humanize("due_date")).toBe("Due date");
  });
});

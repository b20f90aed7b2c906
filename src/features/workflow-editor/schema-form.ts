// Turns a node's JSON Schema (z.toJSONSchema of its zod config schema) into form fields, and
// converts between what a person types and the config value stored in the graph.
import type { JsonSchema } from "./api-types";
import { CONDITION_TYPE, DELAY_TYPE, TRANSFORM_TYPE } from "./graph-mapping";

export type FieldKind = "text" | "textarea" | "number" | "enum" | "boolean" | "json" | "text-or-list";

export interface FieldSpec {
  name: string;
  label: string;
  kind: FieldKind;
  required: boolean;
  description?: string;
  options?: string[];
  defaultValue?: unknown;
  integer?: boolean;
}

const LONG_TEXT_FIELDS = /^(description|body|text|html|note|message|content|template)$/i;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function asJsonSchema(value: unknown): JsonSchema {
  return isObject(value) ? (value as JsonSchema) : {};
}

/** "threadTs" → "Thread ts", "due_date" → "Due date". */
export function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function typesOf(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  return schema.type ? [schema.type] : [];
}

function kindOf(name: string, schema: JsonSchema): Pick<FieldSpec, "kind" | "options" | "integer"> {
  if (Array.isArray(schema.enum) && schema.enum.every((option) => typeof option === "string")) {
    return { kind: "enum", options: schema.enum as string[] };
  }
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) {
    // "An address, or a list of them": one text box that also accepts a JSON list.
    const plain = alternatives.every((alt) => typesOf(alt).some((t) => t === "string" || t === "array"));
    return { kind: plain && alternatives.some((alt) => typesOf(alt).includes("string")) ? "text-or-list" : "json" };
  }
  const types = typesOf(schema);
  if (types.length === 1) {
    switch (types[0]) {
      case "string":
        return { kind: LONG_TEXT_FIELDS.test(name) || (schema.maxLength ?? 0) >= 1000 ? "textarea" : "text" };
      case "number":
        return { kind: "number" };
      case "integer":
        return { kind: "number", integer: true };
      case "boolean":
        return { kind: "boolean" };
      default:
        return { kind: "json" };
    }
  }
  // Scalars of several types (string | number | boolean) are typed as text; the engine compares loosely.
  if (types.length > 1 && types.every((t) => t === "string" || t === "number" || t === "boolean")) return { kind: "text" };
  return { kind: "json" };
}

export function fieldsFromSchema(rawSchema: unknown): FieldSpec[] {
  const schema = asJsonSchema(rawSchema);
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const field: FieldSpec = {
      name,
      label: property.title ?? humanize(name),
      required: required.has(name),
      ...kindOf(name, property),
    };
    if (property.description) field.description = property.description;
    if (property.default !== undefined) field.defaultValue = property.default;
    return field;
  });
}

/** What the input shows for a stored value. */
export function displayValue(field: FieldSpec, value: unknown): string {
  if (value === undefined || value === null) return "";
  if (field.kind === "json") return JSON.stringify(value, null, 2);
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

export type ParsedInput = { ok: true; value: unknown } | { ok: false; error: string };

/**
 * What to store for what was typed. Empty input removes the key so optional fields stay unset.
 * Numbers that do not parse stay text: they may be {{references}} the engine resolves later.
 */
export function parseInput(field: FieldSpec, text: string): ParsedInput {
  if (text.trim() === "") return { ok: true, value: undefined };
  switch (field.kind) {
    case "number": {
      const number = Number(text);
      return { ok: true, value: Number.isFinite(number) ? number : text };
    }
    case "json":
      try {
        return { ok: true, value: JSON.parse(text) as unknown };
      } catch (error) {
        return { ok: false, error: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
      }
    case "text-or-list": {
      if (!text.trim().startsWith("[")) return { ok: true, value: text };
      try {
        const list = JSON.parse(text) as unknown;
        return Array.isArray(list) ? { ok: true, value: list } : { ok: false, error: "Expected a JSON list like [\"a\", \"b\"]" };
      } catch {
        return { ok: false, error: "Expected a JSON list like [\"a\", \"b\"]" };
      }
    }
    default:
      return { ok: true, value: text };
  }
}

/** A new node's config: the schema's defaults, plus a starting rule, delay or field for logic nodes. */
export function initialConfig(type: string, rawSchema: unknown): Record<string, unknown> {
  if (type === CONDITION_TYPE) return { mode: "all", rules: [{ left: "", operator: "equals", right: "" }] };
  if (type === DELAY_TYPE) return { amount: 5, unit: "minutes" };
  if (type === TRANSFORM_TYPE) return { fields: { value: "" } };
  const config: Record<string, unknown> = {};
  for (const field of fieldsFromSchema(rawSchema)) {
    if (field.defaultValue !== undefined) config[field.name] = field.defaultValue;
  }
  return config;
}

/** Issues keyed by the top-level config field they name ("rules.0.left" counts for "rules"). */
export function issuesByField(issues: readonly { field?: string; message: string }[]): Map<string, string[]> {
  const byField = new Map<string, string[]>();
  for (const issue of issues) {
    if (!issue.field) continue;
    const list = byField.get(issue.field) ?? [];
    list.push(issue.message);
    byField.set(issue.field, list);
  }
  return byField;
}

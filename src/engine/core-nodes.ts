// The logic nodes the engine itself implements: condition (branching), delay (waiting) and
// transform (reshaping data for later steps). Their definitions join the integrations' in the
// catalog; their behaviour lives here, not in `run`.
import { z } from "zod";
import { MissingValueError } from "./template";
import type { NodeDefinition } from "./types";

export const CONDITION_TYPE = "core.condition";
export const DELAY_TYPE = "core.delay";
export const TRANSFORM_TYPE = "core.transform";

const operators = ["equals", "not_equals", "gt", "lt", "contains", "exists"] as const;
export type ConditionOperator = (typeof operators)[number];

const conditionRuleSchema = z
  .object({
    left: z.string(),
    operator: z.enum(operators),
    right: z.union([z.string(), z.number(), z.boolean()]).optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    if (rule.operator !== "exists" && rule.right === undefined) {
      ctx.addIssue({ code: "custom", path: ["right"], message: `Required for "${rule.operator}"` });
    }
  });

export const conditionConfigSchema = z
  .object({
    mode: z.enum(["all", "any"]).default("all"),
    rules: z.array(conditionRuleSchema).min(1, "Add at least one rule"),
  })
  .strict();
export type ConditionConfig = z.output<typeof conditionConfigSchema>;

const UNIT_MS = { seconds: 1_000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;
export const MAX_DELAY_MS = 30 * UNIT_MS.days;

export const delayConfigSchema = z
  .object({
    // Numeric strings are accepted because templated values (Stripe metadata, form fields) are text.
    amount: z.preprocess(
      (value) => (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)) ? Number(value) : value),
      z.number().positive("Must be more than 0"),
    ),
    unit: z.enum(["seconds", "minutes", "hours", "days"]),
  })
  .strict()
  .refine((config) => config.amount * UNIT_MS[config.unit] <= MAX_DELAY_MS, { path: ["amount"], message: "A delay can be at most 30 days" });
export type DelayConfig = z.output<typeof delayConfigSchema>;

export function delayMs(config: DelayConfig): number {
  return config.amount * UNIT_MS[config.unit];
}

// Names later steps use as {{steps.<id>.<name>}}: a plain identifier, so every reference parses.
const TRANSFORM_FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_TRANSFORM_FIELDS = 50;

export const transformConfigSchema = z
  .object({
    fields: z
      .record(z.string(), z.unknown())
      .describe('JSON object: each name becomes {{steps.<this step>.<name>}}; values may use references and helpers, e.g. {"customer": "{{trigger.data.object.customer | upper}}"}')
      .superRefine((fields, ctx) => {
        const names = Object.keys(fields);
        if (names.length === 0) ctx.addIssue({ code: "custom", message: 'Add at least one field, as in {"customer": "{{trigger.data.object.customer}}"}' });
        if (names.length > MAX_TRANSFORM_FIELDS) ctx.addIssue({ code: "custom", message: `At most ${MAX_TRANSFORM_FIELDS} fields` });
        for (const name of names) {
          if (!TRANSFORM_FIELD_NAME.test(name)) {
            ctx.addIssue({ code: "custom", path: [name], message: `"${name}" is not a valid field name: use letters, digits and _, not starting with a digit` });
          }
        }
      }),
  })
  .strict();
export type TransformConfig = z.output<typeof transformConfigSchema>;

/** What a transform produces, as far as its settings tell: each field, whatever its value turns out to be. */
export function transformOutputSchema(config: unknown): z.ZodType {
  const parsed = transformConfigSchema.safeParse(config);
  const names = parsed.success ? Object.keys(parsed.data.fields) : [];
  return z.object(Object.fromEntries(names.map((name) => [name, z.unknown()])));
}

export const coreNodes: NodeDefinition[] = [
  {
    type: CONDITION_TYPE,
    kind: "logic",
    provider: "core",
    title: "Condition",
    description: "Continue down the true or the false branch depending on the data.",
    configSchema: conditionConfigSchema,
    outputSchema: z.object({ result: z.boolean() }),
    sample: { result: true },
  },
  {
    type: DELAY_TYPE,
    kind: "logic",
    provider: "core",
    title: "Delay",
    description: "Wait for a while (up to 30 days) before continuing.",
    configSchema: delayConfigSchema,
    outputSchema: z.object({ resumedAt: z.string() }),
    sample: { resumedAt: "2024-01-01T09:00:00.000Z" },
  },
  {
    type: TRANSFORM_TYPE,
    kind: "logic",
    provider: "core",
    title: "Transform data",
    description: "Build new fields from the trigger and earlier steps (with helpers such as money, date, upper) for later steps to use.",
    configSchema: transformConfigSchema,
    outputSchema: z.record(z.string(), z.unknown()),
    outputSchemaFor: transformOutputSchema,
    sample: { customer: "CUS_123", amount: "$125.00" },
  },
];

// ---------------------------------------------------------------------------------------------
// Condition evaluation
// ---------------------------------------------------------------------------------------------

type Resolve = (value: unknown) => unknown;

/** A rule with its operands resolved; recorded as the step's input. */
export interface ResolvedRule {
  left: unknown;
  operator: ConditionOperator;
  right?: unknown;
}

/** Numbers compare numerically when both sides read as numbers ("12" and 12 included). */
function asNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string" && value.trim() !== "") {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

/** How a scalar reads for comparison: null reads as "", so `equals ""` matches an empty field. */
function asText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function looselyEqual(left: unknown, right: unknown): boolean {
  const a = asNumber(left);
  const b = asNumber(right);
  if (a !== undefined && b !== undefined) return a === b;
  return asText(left) === asText(right);
}

function compare(left: unknown, right: unknown): number {
  const a = asNumber(left);
  const b = asNumber(right);
  if (a !== undefined && b !== undefined) return a - b;
  // Text compares by code point, which orders ISO timestamps chronologically.
  const x = asText(left);
  const y = asText(right);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function evaluateRule({ left, operator, right }: ResolvedRule): boolean {
  switch (operator) {
    case "exists":
      return left !== undefined && left !== null && left !== "";
    case "equals":
      return looselyEqual(left, right);
    case "not_equals":
      return !looselyEqual(left, right);
    case "gt":
      return compare(left, right) > 0;
    case "lt":
      return compare(left, right) < 0;
    case "contains":
      if (Array.isArray(left)) return left.some((item) => looselyEqual(item, right));
      if (typeof left === "string") return left.toLowerCase().includes(asText(right).toLowerCase());
      return false;
  }
}

/**
 * Resolves each rule's operands and combines the rules. An `exists` rule whose reference has no
 * value is simply false: checking for presence is the point of the operator.
 */
export function evaluateCondition(config: ConditionConfig, resolve: Resolve): { result: boolean; rules: ResolvedRule[] } {
  const rules: ResolvedRule[] = config.rules.map((rule) => {
    let left: unknown;
    try {
      left = resolve(rule.left);
    } catch (error) {
      if (!(rule.operator === "exists" && error instanceof MissingValueError)) throw error;
    }
    return rule.operator === "exists" ? { left, operator: rule.operator } : { left, operator: rule.operator, right: resolve(rule.right) };
  });
  const outcomes = rules.map(evaluateRule);
  const result = config.mode === "all" ? outcomes.every(Boolean) : outcomes.some(Boolean);
  return { result, rules };
}

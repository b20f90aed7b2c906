import { describe, expect, it } from "vitest";
import { conditionConfigSchema, coreNodes, delayConfigSchema, evaluateCondition, evaluateRule, transformConfigSchema, transformOutputSchema, type ResolvedRule } from "./core-nodes";
import { resolveTemplates } from "./template";

const rule = (left: unknown, operator: ResolvedRule["operator"], right?: unknown) => evaluateRule({ left, operator, right });

describe("condition rules", () => {
  it("compares numerically when both sides read as numbers", () => {
    expect(rule(1234, "gt", "999")).toBe(true);
    expect(rule("10", "gt", "9")).toBe(true);
    expect(rule("10", "lt", 9)).toBe(false);
    expect(rule(" 5 ", "equals", 5)).toBe(true);
    expect(rule(5, "equals", "5.0")).toBe(true);
    expect(rule(5, "not_equals", "6")).toBe(true);
  });

  it("compares text otherwise", () => {
    expect(rule("abc", "equals", "abc")).toBe(true);
    expect(rule("abc", "equals", "ABC")).toBe(false);
    expect(rule("b", "gt", "a")).toBe(true);
    expect(rule("2024-01-02T00:00:00Z", "gt", "2024-01-01T23:59:59Z")).toBe(true);
    expect(rule(true, "equals", "true")).toBe(true);
    expect(rule(false, "equals", true)).toBe(false);
    expect(rule(null, "equals", "")).toBe(true);
    expect(rule("", "equals", 0)).toBe(false);
  });

  it("contains is case-insensitive on text and element-wise on arrays", () => {
    expect(rule("Card DECLINED by bank", "contains", "declined")).toBe(true);
    expect(rule("paid", "contains", "fail")).toBe(false);
    expect(rule(["vip", "beta"], "contains", "beta")).toBe(true);
    expect(rule([1, 2, 3], "contains", "2")).toBe(true);
    expect(rule(["a"], "contains", "b")).toBe(false);
    expect(rule(null, "contains", "x")).toBe(false);
    expect(rule({ a: 1 }, "contains", "a")).toBe(false);
  });

  it("exists is false only for null, undefined and empty text", () => {
    expect(rule(undefined, "exists")).toBe(false);
    expect(rule(null, "exists")).toBe(false);
    expect(rule("", "exists")).toBe(false);
    expect(rule(0, "exists")).toBe(true);
    expect(rule(false, "exists")).toBe(true);
    expect(rule([], "exists")).toBe(true);
  });
});

describe("evaluateCondition", () => {
  const scope = { trigger: { amount: 5000, email: "a@b.co", tags: ["vip"] }, steps: {} };
  const resolve = (value: unknown) => resolveTemplates(value, scope);
  const config = (raw: unknown) => conditionConfigSchema.parse(raw);

  it("combines rules with all (default) or any and records the resolved operands", () => {
    const rules = [
      { left: "{{trigger.amount}}", operator: "gt", right: 1000 },
      { left: "{{trigger.email}}", operator: "contains", right: "@example.com" },
    ];
    expect(evaluateCondition(config({ rules }), resolve)).toEqual({
      result: false,
      rules: [
        { left: 5000, operator: "gt", right: 1000 },
        { left: "a@b.co", operator: "contains", right: "@example.com" },
      ],
    });
    expect(evaluateCondition(config({ mode: "any", rules }), resolve).result).toBe(true);
  });

  it("treats a missing reference under exists as false, not an error", () => {
    const result = evaluateCondition(config({ rules: [{ left: "{{trigger.customer.name}}", operator: "exists" }] }), resolve);
    expect(result).toEqual({ result: false, rules: [{ left: undefined, operator: "exists" }] });
  });

  it("still fails on a missing reference for other operators", () => {
    expect(() => evaluateCondition(config({ rules: [{ left: "{{trigger.nope}}", operator: "equals", right: "x" }] }), resolve)).toThrow(
      "No value for {{trigger.nope}}",
    );
  });

  it("resolves templates on the right-hand side too", () => {
    const result = evaluateCondition(config({ rules: [{ left: "{{trigger.tags}}", operator: "contains", right: "{{trigger.tags.0}}" }] }), resolve);
    expect(result.result).toBe(true);
  });
});

describe("core node schemas", () => {
  it("condition needs at least one rule and a right operand except for exists", () => {
    const issues = (raw: unknown) => conditionConfigSchema.safeParse(raw).error?.issues.map((issue) => [issue.path.join("."), issue.message]);
    expect(issues({ rules: [] })).toEqual([["rules", "Add at least one rule"]]);
    expect(issues({ rules: [{ left: "x", operator: "equals" }] })).toEqual([["rules.0.right", 'Required for "equals"']]);
    expect(issues({ rules: [{ left: "x", operator: "exists" }] })).toBeUndefined();
    expect(issues({ rules: [{ left: "x", operator: "matches", right: 1 }] })?.[0]?.[0]).toBe("rules.0.operator");
    expect(conditionConfigSchema.parse({ rules: [{ left: "x", operator: "exists" }] }).mode).toBe("all");
  });

  it("delay accepts positive amounts up to 30 days, numeric text included", () => {
    expect(delayConfigSchema.parse({ amount: 30, unit: "days" })).toEqual({ amount: 30, unit: "days" });
    expect(delayConfigSchema.parse({ amount: "2", unit: "hours" })).toEqual({ amount: 2, unit: "hours" });
    expect(delayConfigSchema.safeParse({ amount: 31, unit: "days" }).error?.issues[0]?.message).toBe("A delay can be at most 30 days");
    expect(delayConfigSchema.safeParse({ amount: 0, unit: "seconds" }).error?.issues[0]?.message).toBe("Must be more than 0");
    expect(delayConfigSchema.safeParse({ amount: 1, unit: "weeks" }).success).toBe(false);
  });

  it("transform needs named fields, at most 50, and types its output by them", () => {
    expect(transformConfigSchema.parse({ fields: { amount: "{{trigger.amount}}", _x1: 2 } })).toEqual({ fields: { amount: "{{trigger.amount}}", _x1: 2 } });
    expect(transformConfigSchema.safeParse({ fields: {} }).success).toBe(false);
    expect(transformConfigSchema.safeParse({ fields: { "a-b": 1 } }).error?.issues[0]?.path).toEqual(["fields", "a-b"]);
    expect(transformConfigSchema.safeParse({ fields: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`f${i}`, i])) }).success).toBe(false);
    expect(transformOutputSchema({ fields: { a: 1, b: "x" } }).safeParse({ a: "anything", b: null }).success).toBe(true);
  });

  it("declares the core nodes as logic nodes with samples matching their output schema", () => {
    expect(coreNodes.map((node) => [node.type, node.kind])).toEqual([
      ["core.condition", "logic"],
      ["core.delay", "logic"],
      ["core.transform", "logic"],
    ]);
    for (const node of coreNodes) expect(node.outputSchema.safeParse(node.sample).success).toBe(true);
  });
});

// One line under a node's title saying what it is set to do, so the canvas reads without clicks.
import { CONDITION_TYPE, DELAY_TYPE, TRANSFORM_TYPE } from "./graph-mapping";

const MAX_LENGTH = 60;

const OPERATOR_TEXT: Record<string, string> = {
  equals: "=",
  not_equals: "≠",
  gt: ">",
  lt: "<",
  contains: "contains",
  exists: "exists",
};

function clip(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > MAX_LENGTH ? `${line.slice(0, MAX_LENGTH - 1)}…` : line;
}

export function nodeSummary(type: string, config: Record<string, unknown>): string {
  if (type === CONDITION_TYPE) {
    const rules = Array.isArray(config.rules) ? config.rules : [];
    const first = rules[0] as { left?: unknown; operator?: unknown; right?: unknown } | undefined;
    if (!first) return "No rules yet";
    const rule = [first.left, OPERATOR_TEXT[String(first.operator)] ?? first.operator, first.operator === "exists" ? "" : first.right]
      .filter((part) => part !== undefined && part !== "")
      .join(" ");
    const more = rules.length > 1 ? ` (${config.mode === "any" ? "any" : "all"} of ${rules.length})` : "";
    return clip(`${rule}${more}`);
  }
  if (type === TRANSFORM_TYPE) {
    const names = config.fields && typeof config.fields === "object" && !Array.isArray(config.fields) ? Object.keys(config.fields) : [];
    return names.length ? clip(`Sets ${names.join(", ")}`) : "No fields yet";
  }
  if (type === DELAY_TYPE) return `Wait ${String(config.amount ?? "?")} ${String(config.unit ?? "")}`.trim();
  for (const value of Object.values(config)) {
    if (typeof value === "string" && value.trim()) return clip(value);
  }
  return "";
}

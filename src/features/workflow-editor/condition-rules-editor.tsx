"use client";
// The condition node's form: match all/any of a list of rules, each "value, operator, compare with".
import { FieldLabel, FieldMessages, type FocusTarget } from "./schema-fields";

const OPERATORS = [
  { value: "equals", label: "equals" },
  { value: "not_equals", label: "does not equal" },
  { value: "gt", label: "is greater than" },
  { value: "lt", label: "is less than" },
  { value: "contains", label: "contains" },
  { value: "exists", label: "exists" },
] as const;

interface Rule {
  left: string;
  operator: string;
  right?: string | number | boolean;
}

function rulesOf(config: Record<string, unknown>): Rule[] {
  if (!Array.isArray(config.rules)) return [];
  return config.rules.map((raw: unknown) => {
    const rule = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
    const right = rule.right;
    return {
      left: typeof rule.left === "string" ? rule.left : "",
      operator: typeof rule.operator === "string" ? rule.operator : "equals",
      ...(typeof right === "string" || typeof right === "number" || typeof right === "boolean" ? { right } : {}),
    };
  });
}

export function ConditionRulesEditor({
  nodeId,
  config,
  issuesFor,
  onChange,
  onFocusTarget,
}: {
  nodeId: string;
  config: Record<string, unknown>;
  issuesFor: (field: string) => readonly string[];
  onChange: (config: Record<string, unknown>, field: string) => void;
  onFocusTarget: FocusTarget;
}) {
  const rules = rulesOf(config);
  const mode = config.mode === "any" ? "any" : "all";
  const modeId = `cfg-${nodeId}-mode`;

  const setRules = (next: Rule[], field: string) => onChange({ ...config, mode, rules: next }, field);
  const updateRule = (index: number, patch: Partial<Rule>, field: string) =>
    setRules(
      rules.map((rule, i) => {
        if (i !== index) return rule;
        const next = { ...rule, ...patch };
        if (next.operator === "exists") delete next.right;
        else if (next.right === undefined) next.right = "";
        return next;
      }),
      `rules.${index}.${field}`,
    );

  return (
    <div className="wf-rules">
      <div className="field">
        <FieldLabel htmlFor={modeId} label="Match" required />
        <select id={modeId} value={mode} onChange={(e) => onChange({ ...config, mode: e.target.value, rules }, "mode")}>
          <option value="all">All rules (AND)</option>
          <option value="any">Any rule (OR)</option>
        </select>
      </div>
      <FieldMessages id={`cfg-${nodeId}-rules`} messages={issuesFor("rules")} />
      {rules.map((rule, index) => {
        const base = `cfg-${nodeId}-rules-${index}`;
        const n = index + 1;
        const leftIssues = issuesFor(`rules.${index}.left`);
        const rightIssues = issuesFor(`rules.${index}.right`);
        const operatorIssues = [...issuesFor(`rules.${index}.operator`), ...issuesFor(`rules.${index}`)];
        return (
          <fieldset key={index} className="wf-rule" data-testid={`rule-${index}`}>
            <legend>Rule {n}</legend>
            <div className="field">
              <FieldLabel htmlFor={`${base}-left`} label={`Rule ${n} value`} required />
              <input
                id={`${base}-left`}
                type="text"
                value={rule.left}
                placeholder="{{trigger.data.object.amount}}"
                aria-invalid={leftIssues.length > 0 || undefined}
                onChange={(e) => updateRule(index, { left: e.target.value }, "left")}
                onFocus={(e) => onFocusTarget(e.currentTarget, (text) => updateRule(index, { left: text }, "left"))}
              />
              <FieldMessages id={`${base}-left`} messages={leftIssues} />
            </div>
            <div className="field">
              <FieldLabel htmlFor={`${base}-operator`} label={`Rule ${n} operator`} required />
              <select id={`${base}-operator`} value={rule.operator} onChange={(e) => updateRule(index, { operator: e.target.value }, "operator")}>
                {OPERATORS.map((op) => (
                  <option key={op.value} value={op.value}>
                    {op.label}
                  </option>
                ))}
              </select>
              <FieldMessages id={`${base}-operator`} messages={operatorIssues} />
            </div>
            {rule.operator === "exists" ? null : (
              <div className="field">
                <FieldLabel htmlFor={`${base}-right`} label={`Rule ${n} compare with`} required />
                <input
                  id={`${base}-right`}
                  type="text"
                  value={rule.right === undefined ? "" : String(rule.right)}
                  aria-invalid={rightIssues.length > 0 || undefined}
                  onChange={(e) => updateRule(index, { right: e.target.value }, "right")}
                  onFocus={(e) => onFocusTarget(e.currentTarget, (text) => updateRule(index, { right: text }, "right"))}
                />
                <FieldMessages id={`${base}-right`} messages={rightIssues} />
              </div>
            )}
            <button
              type="button"
              className="btn btn-link"
              onClick={() => setRules(rules.filter((_, i) => i !== index), "rules")}
              disabled={rules.length === 1}
            >
              Remove rule {n}
            </button>
          </fieldset>
        );
      })}
      <button type="button" className="btn btn-secondary btn-small" onClick={() => setRules([...rules, { left: "", operator: "equals", right: "" }], "rules")}>
        Add rule
      </button>
    </div>
  );
}

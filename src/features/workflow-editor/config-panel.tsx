"use client";
// The right-hand panel for the selected step: its settings form (generated from the JSON Schema
// of its config), a picker for {{references}} to earlier data, and its latest test-run result.
import { useCallback, useMemo, useRef, useState, type CSSProperties } from "react";
import type { CatalogEntry, ValidationIssue } from "./api-types";
import { ConditionRulesEditor } from "./condition-rules-editor";
import { CONDITION_TYPE } from "./graph-mapping";
import { insertAtCursor, type ReferenceGroup } from "./references";
import { JsonBlock, type StepDetail } from "./run-timeline";
import { SchemaField, type TextElement } from "./schema-fields";
import { fieldsFromSchema, issuesByField } from "./schema-form";

interface Target {
  element: TextElement;
  apply: (text: string) => void;
}

function ReferencePicker({ groups, onPick, disabled }: { groups: ReferenceGroup[]; onPick: (value: string) => void; disabled: boolean }) {
  if (!groups.length) return null;
  return (
    <div className="field wf-reference-picker">
      <label htmlFor="reference-picker">Insert reference</label>
      <select
        id="reference-picker"
        value=""
        disabled={disabled}
        onChange={(e) => {
          if (e.target.value) onPick(e.target.value);
        }}
      >
        <option value="">{disabled ? "Click into a text field first" : "Choose data from an earlier step…"}</option>
        {groups.map((group) => (
          <optgroup key={group.label} label={group.label}>
            {group.options.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </div>
  );
}

export function ConfigPanel({
  nodeId,
  type,
  config,
  entry,
  issues,
  references,
  step,
  onConfigChange,
  onDelete,
  onClose,
}: {
  nodeId: string;
  type: string;
  config: Record<string, unknown>;
  entry: CatalogEntry | undefined;
  issues: readonly ValidationIssue[];
  references: ReferenceGroup[];
  step: StepDetail | null;
  onConfigChange: (nodeId: string, config: Record<string, unknown>, field: string) => void;
  onDelete: (nodeId: string) => void;
  onClose: () => void;
}) {
  const fields = useMemo(() => fieldsFromSchema(entry?.configSchema), [entry]);
  const byField = useMemo(() => issuesByField(issues), [issues]);
  const fieldNames = useMemo(() => new Set(fields.map((field) => field.name)), [fields]);
  const generalIssues = issues.filter((issue) => !issue.field || (type !== CONDITION_TYPE && !fieldNames.has(issue.field.split(".")[0] ?? "")));

  // Field callbacks read the newest config through a ref so a field never writes over an edit
  // made since it last rendered (e.g. a reference inserted into another field).
  const configRef = useRef(config);
  configRef.current = config;
  const target = useRef<Target | null>(null);
  const [hasTarget, setHasTarget] = useState(false);

  const setField = useCallback(
    (name: string, value: unknown) => {
      const next = { ...configRef.current };
      if (value === undefined) delete next[name];
      else next[name] = value;
      onConfigChange(nodeId, next, name);
    },
    [nodeId, onConfigChange],
  );
  const onFocusTarget = useCallback((element: TextElement, apply: (text: string) => void) => {
    target.current = { element, apply };
    setHasTarget(true);
  }, []);
  const issuesFor = useCallback((field: string) => byField.get(field) ?? [], [byField]);

  function insertReference(reference: string) {
    const current = target.current;
    if (!current || !current.element.isConnected) return;
    const { element, apply } = current;
    const { value, caret } = insertAtCursor(element.value, element.selectionStart ?? element.value.length, element.selectionEnd ?? element.value.length, reference);
    apply(value);
    // The input re-renders with the new value first; then the caret goes after the insertion.
    requestAnimationFrame(() => {
      element.focus();
      element.setSelectionRange(caret, caret);
    });
  }

  return (
    <aside className="wf-panel" aria-label="Step settings" data-testid="config-panel">
      <header className="wf-panel-head" style={{ "--node-color": entry?.color ?? "#64748b" } as CSSProperties}>
        <span className="wf-node-icon" aria-hidden>
          {entry?.icon ?? "?"}
        </span>
        <div>
          <span className="wf-node-provider">
            {entry?.providerName ?? "Unknown"} · <code>{nodeId}</code>
          </span>
          <h2>{entry?.title ?? type}</h2>
        </div>
        <button type="button" className="wf-icon-btn" onClick={onClose} aria-label="Close step settings">
          ×
        </button>
      </header>
      <div className="wf-panel-body">
        {entry ? <p className="muted wf-panel-desc">{entry.description}</p> : <div className="alert alert-error">Cue does not know the step type “{type}”. Remove it or replace it.</div>}
        {generalIssues.length ? (
          <div className="alert alert-error" role="alert">
            <ul className="wf-issue-list">
              {generalIssues.map((issue, i) => (
                <li key={i}>{issue.field ? `${issue.field}: ${issue.message}` : issue.message}</li>
              ))}
            </ul>
          </div>
        ) : null}
        {entry?.kind !== "trigger" ? <ReferencePicker groups={references} onPick={insertReference} disabled={!hasTarget} /> : null}
        <form className="wf-config-form" onSubmit={(e) => e.preventDefault()} aria-label={`${entry?.title ?? type} settings`}>
          {type === CONDITION_TYPE ? (
            <ConditionRulesEditor
              nodeId={nodeId}
              config={config}
              issuesFor={issuesFor}
              onChange={(next, field) => onConfigChange(nodeId, next, field)}
              onFocusTarget={onFocusTarget}
            />
          ) : (
            fields.map((field) => (
              <SchemaField
                key={field.name}
                nodeId={nodeId}
                field={field}
                value={config[field.name]}
                issues={[...byField.entries()].filter(([key]) => key === field.name || key.startsWith(`${field.name}.`)).flatMap(([, messages]) => messages)}
                onChange={setField}
                onFocusTarget={onFocusTarget}
              />
            ))
          )}
          {entry && type !== CONDITION_TYPE && fields.length === 0 ? <p className="muted">This step has no settings.</p> : null}
        </form>
        {step ? (
          <section className="wf-panel-step" aria-label="Test run result" data-testid="panel-step" data-status={step.status}>
            <h3>
              <span className={`wf-dot dot-${step.status}`} aria-hidden /> Test run: {step.status}
              {step.attempts ? ` · ${step.attempts} attempt${step.attempts === 1 ? "" : "s"}` : ""}
            </h3>
            {step.error ? <div className="alert alert-error">{step.error.message}</div> : null}
            <JsonBlock label="Input" value={step.input} />
            <JsonBlock label="Output" value={step.output} open={step.status === "succeeded"} />
          </section>
        ) : null}
        <div className="wf-panel-actions">
          <button type="button" className="btn btn-danger" onClick={() => onDelete(nodeId)}>
            Delete step
          </button>
        </div>
      </div>
    </aside>
  );
}

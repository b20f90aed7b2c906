"use client";
// One form control per config field, chosen from the field's JSON Schema kind. Text-like fields
// register themselves as the target of the "Insert reference" picker when they get focus.
import { useState } from "react";
import { displayValue, parseInput, type FieldSpec } from "./schema-form";

export type TextElement = HTMLInputElement | HTMLTextAreaElement;
export type FocusTarget = (element: TextElement, apply: (text: string) => void) => void;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Keeps what the person typed while it is mid-edit (half-written JSON, "12."), and follows the
 * stored value when it changes from elsewhere (undo, a reference insert, another tab's save).
 */
function useDraft(field: FieldSpec, value: unknown) {
  const external = displayValue(field, value);
  const [draft, setDraft] = useState(external);
  const [error, setError] = useState<string | null>(null);
  const [seen, setSeen] = useState(external);
  if (external !== seen) {
    setSeen(external);
    const parsed = parseInput(field, draft);
    if (!parsed.ok || !same(parsed.value, value)) {
      setDraft(external);
      setError(null);
    }
  }
  return { draft, setDraft, error, setError };
}

export function fieldInputId(nodeId: string, name: string): string {
  return `cfg-${nodeId}-${name}`;
}

export function FieldMessages({ id, messages, hint }: { id: string; messages: readonly string[]; hint?: string }) {
  if (messages.length) {
    return (
      <span id={`${id}-error`} className="field-error" role="alert">
        {messages.join(" · ")}
      </span>
    );
  }
  return hint ? <span className="hint">{hint}</span> : null;
}

export function FieldLabel({ htmlFor, label, required }: { htmlFor: string; label: string; required: boolean }) {
  return (
    <label htmlFor={htmlFor}>
      {label}
      {required ? (
        <span className="wf-required" aria-hidden>
          {" "}
          *
        </span>
      ) : null}
    </label>
  );
}

export function SchemaField({
  nodeId,
  field,
  value,
  issues,
  onChange,
  onFocusTarget,
}: {
  nodeId: string;
  field: FieldSpec;
  value: unknown;
  issues: readonly string[];
  onChange: (name: string, value: unknown) => void;
  onFocusTarget: FocusTarget;
}) {
  const id = fieldInputId(nodeId, field.name);
  const { draft, setDraft, error, setError } = useDraft(field, value);
  const messages = error ? [error, ...issues] : issues;
  const hint =
    field.kind === "text-or-list" ? `${field.description ? `${field.description}. ` : ""}For several, write a JSON list: ["a", "b"]` : field.description;
  const invalid = messages.length > 0 || undefined;
  const describedBy = messages.length ? `${id}-error` : undefined;

  function onText(text: string) {
    setDraft(text);
    const parsed = parseInput(field, text);
    if (parsed.ok) {
      setError(null);
      onChange(field.name, parsed.value);
    } else {
      setError(parsed.error);
    }
  }

  if (field.kind === "boolean") {
    const checked = typeof value === "boolean" ? value : field.defaultValue === true;
    return (
      <div className="field wf-field-checkbox">
        <label htmlFor={id}>
          <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(field.name, e.target.checked)} aria-invalid={invalid} aria-describedby={describedBy} />
          {field.label}
        </label>
        <FieldMessages id={id} messages={messages} hint={field.description} />
      </div>
    );
  }

  if (field.kind === "enum") {
    const current = typeof value === "string" ? value : typeof field.defaultValue === "string" ? field.defaultValue : "";
    return (
      <div className="field">
        <FieldLabel htmlFor={id} label={field.label} required={field.required} />
        <select
          id={id}
          value={current}
          required={field.required}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onChange={(e) => onChange(field.name, e.target.value === "" ? undefined : e.target.value)}
        >
          {current === "" || !field.required ? <option value="">— Not set —</option> : null}
          {(field.options ?? []).map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
        <FieldMessages id={id} messages={messages} hint={field.description} />
      </div>
    );
  }

  const multiline = field.kind === "textarea" || field.kind === "json";
  const common = {
    id,
    value: draft,
    required: field.required,
    "aria-invalid": invalid,
    "aria-describedby": describedBy,
    placeholder: field.defaultValue !== undefined && field.kind !== "json" ? `Default: ${String(field.defaultValue)}` : undefined,
    spellCheck: field.kind === "textarea",
  };
  return (
    <div className="field">
      <FieldLabel htmlFor={id} label={field.label} required={field.required} />
      {multiline ? (
        <textarea
          {...common}
          rows={field.kind === "json" ? 5 : 4}
          className={field.kind === "json" ? "wf-code" : undefined}
          onChange={(e) => onText(e.target.value)}
          onFocus={(e) => onFocusTarget(e.currentTarget, onText)}
        />
      ) : (
        <input
          {...common}
          type="text"
          inputMode={field.kind === "number" ? "decimal" : undefined}
          onChange={(e) => onText(e.target.value)}
          onFocus={(e) => onFocusTarget(e.currentTarget, onText)}
        />
      )}
      <FieldMessages id={id} messages={messages} hint={field.kind === "json" ? `${field.description ? `${field.description}. ` : ""}JSON` : hint} />
    </div>
  );
}

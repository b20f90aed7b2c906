"use client";
// Starts a test run of the saved draft: with the trigger's sample data, or a payload typed here.
import { useState, type FormEvent } from "react";

export function TestRunForm({
  busy,
  onStart,
  onCancel,
}: {
  busy: boolean;
  onStart: (options: { payload?: unknown; dryRun: boolean }) => void;
  onCancel: () => void;
}) {
  const [payload, setPayload] = useState("");
  const [dryRun, setDryRun] = useState(false);
  const [error, setError] = useState<string | null>(null);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!payload.trim()) {
      onStart({ dryRun });
      return;
    }
    try {
      onStart({ payload: JSON.parse(payload) as unknown, dryRun });
      setError(null);
    } catch (parseError) {
      setError(`Not valid JSON: ${parseError instanceof Error ? parseError.message : String(parseError)}`);
    }
  }

  return (
    <form className="wf-popover" onSubmit={onSubmit} aria-label="Test run" data-testid="test-run-form">
      <div className="field">
        <label htmlFor="test-run-payload">Trigger data (JSON, optional)</label>
        <textarea
          id="test-run-payload"
          className="wf-code"
          rows={6}
          value={payload}
          placeholder="Leave empty to use the trigger's sample data"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "test-run-payload-error" : undefined}
          onChange={(e) => setPayload(e.target.value)}
        />
        {error ? (
          <span id="test-run-payload-error" className="field-error" role="alert">
            {error}
          </span>
        ) : null}
      </div>
      <div className="field wf-field-checkbox">
        <label htmlFor="test-run-dry">
          <input id="test-run-dry" type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} />
          Dry run (show the requests actions would send, without sending them)
        </label>
      </div>
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Starting…" : "Start test run"}
        </button>
        <button type="button" className="btn btn-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

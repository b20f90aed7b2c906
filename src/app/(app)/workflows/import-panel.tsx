"use client";
// Imports a workflow exported from Cue (or a bare graph), from a file or pasted JSON.
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type ChangeEvent, type FormEvent } from "react";
import { messageFrom } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/react";

type Result = { id: string; issueCount: number; unknownTypes: string[] };

export function ImportPanel({ onClose, onImported }: { onClose: () => void; onImported: () => void }) {
  const trpc = useTRPC();
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const importWorkflow = useMutation(
    trpc.workflows.import.mutationOptions({
      onSuccess: (imported) => {
        setResult({ id: imported.id, issueCount: imported.issues.length, unknownTypes: imported.unknownTypes });
        setText("");
        onImported();
      },
      onError: (importError) => setError(messageFrom(importError)),
    }),
  );

  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    setText(await file.text());
    setError(null);
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setResult(null);
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (parseError) {
      setError(`Not valid JSON: ${parseError instanceof Error ? parseError.message : String(parseError)}`);
      return;
    }
    setError(null);
    importWorkflow.mutate({ data });
  }

  return (
    <form className="card wf-import" onSubmit={onSubmit} aria-label="Import workflow">
      <h2>Import a workflow</h2>
      <div className="field">
        <label htmlFor="import-file">JSON file</label>
        <input id="import-file" type="file" accept="application/json,.json" onChange={(e) => void onFile(e)} />
      </div>
      <div className="field">
        <label htmlFor="import-json">Or paste the JSON</label>
        <textarea
          id="import-json"
          className="wf-code"
          rows={8}
          value={text}
          placeholder='{ "format": "cue.workflow/v1", "name": "…", "graph": { "nodes": [], "edges": [] } }'
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "import-error" : undefined}
          onChange={(e) => setText(e.target.value)}
        />
        {error ? (
          <span id="import-error" className="field-error" role="alert">
            {error}
          </span>
        ) : null}
      </div>
      {result ? (
        <div className={`alert ${result.unknownTypes.length ? "alert-error" : "alert-success"}`} role="status">
          Imported as a draft.{" "}
          {result.unknownTypes.length ? `Cue does not know these step types: ${result.unknownTypes.join(", ")}. ` : ""}
          {result.issueCount ? `${result.issueCount} issue${result.issueCount === 1 ? "" : "s"} to fix before it can be activated. ` : ""}
          <Link href={`/workflows/${result.id}`}>Open the imported workflow</Link>
        </div>
      ) : null}
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={!text.trim() || importWorkflow.isPending}>
          {importWorkflow.isPending ? "Importing…" : "Import workflow"}
        </button>
        <button type="button" className="btn btn-secondary" onClick={onClose}>
          Close
        </button>
      </div>
    </form>
  );
}

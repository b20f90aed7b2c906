"use client";
// How many runs of this workflow may execute at once. Runs beyond the limit wait queued (in any
// worker process) until one finishes; empty means no limit.
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { fieldErrorsFrom, messageFrom } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/react";
import { MAX_CONCURRENCY_LIMIT, parseMaxConcurrency } from "./concurrency";

export function ConcurrencySettings({ workflowId, maxConcurrency }: { workflowId: string; maxConcurrency: number | null }) {
  const trpc = useTRPC();
  const [saved, setSaved] = useState(maxConcurrency);
  const [text, setText] = useState(maxConcurrency === null ? "" : String(maxConcurrency));
  const [error, setError] = useState<string | null>(null);
  const update = useMutation(
    trpc.workflows.update.mutationOptions({
      onError: (e) => setError(fieldErrorsFrom(e).maxConcurrency?.[0] ?? messageFrom(e)),
    }),
  );

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const parsed = parseMaxConcurrency(text);
    if (!parsed.ok) return setError(parsed.error);
    setError(null);
    update.mutate({ id: workflowId, maxConcurrency: parsed.value }, { onSuccess: () => setSaved(parsed.value) });
  }

  const parsed = parseMaxConcurrency(text);
  const unchanged = parsed.ok && parsed.value === saved;
  return (
    <form className="field" onSubmit={onSubmit} noValidate data-testid="concurrency-settings">
      <label htmlFor="max-concurrency">Runs at once</label>
      <input
        id="max-concurrency"
        inputMode="numeric"
        placeholder="No limit"
        value={text}
        aria-invalid={error ? true : undefined}
        onChange={(e) => {
          setText(e.target.value);
          setError(null);
        }}
      />
      {error ? <span className="field-error">{error}</span> : null}
      <span className="hint">
        {saved === null
          ? `Optional: 1 to ${MAX_CONCURRENCY_LIMIT}. With a limit, extra runs wait their turn instead of running in parallel.`
          : `At most ${saved} run${saved === 1 ? "" : "s"} of this workflow execute at once; others wait queued.`}
      </span>
      <div className="actions" style={{ marginTop: 6 }}>
        <button type="submit" className="btn btn-secondary btn-small" disabled={update.isPending || unchanged}>
          Save limit
        </button>
      </div>
    </form>
  );
}

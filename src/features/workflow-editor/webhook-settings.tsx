"use client";
// The inbound webhook's URL and its optional signing secret. The secret is write-only: the API
// stores it encrypted and only ever says whether one is set.
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { fieldErrorsFrom, messageFrom } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/react";

export function WebhookSettings({ workflowId, url, hasSecret: initialHasSecret }: { workflowId: string; url: string; hasSecret: boolean }) {
  const trpc = useTRPC();
  const [hasSecret, setHasSecret] = useState(initialHasSecret);
  const [secret, setSecret] = useState("");
  const [error, setError] = useState<string | null>(null);
  const setWebhookSecret = useMutation(
    trpc.workflows.setWebhookSecret.mutationOptions({
      onSuccess: (result) => {
        setHasSecret(result.hasWebhookSecret);
        setSecret("");
        setError(null);
      },
      onError: (e) => setError(fieldErrorsFrom(e).secret?.[0] ?? messageFrom(e)),
    }),
  );

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setWebhookSecret.mutate({ id: workflowId, secret });
  }

  return (
    <div className="stack" data-testid="webhook-settings">
      <div className="field">
        <label htmlFor="webhook-url">Webhook URL</label>
        <input id="webhook-url" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
        <span className="hint">POST JSON here to start this workflow once it is active. Send an Idempotency-Key header to make retries safe.</span>
      </div>
      <form className="field" onSubmit={onSubmit} noValidate>
        <label htmlFor="webhook-secret">Signing secret</label>
        <input
          id="webhook-secret"
          type="password"
          autoComplete="off"
          placeholder={hasSecret ? "A secret is set; type a new one to replace it" : "At least 16 characters"}
          value={secret}
          aria-invalid={error ? true : undefined}
          onChange={(e) => setSecret(e.target.value)}
        />
        {error ? <span className="field-error">{error}</span> : null}
        <span className="hint">
          {hasSecret
            ? "Requests must carry X-Cue-Signature: sha256=<hex HMAC-SHA256 of the raw body>."
            : "Optional: with a secret, unsigned requests are refused."}
        </span>
        <div className="actions" style={{ marginTop: 6 }}>
          <button type="submit" className="btn btn-secondary btn-small" disabled={setWebhookSecret.isPending || secret.length === 0}>
            {hasSecret ? "Replace secret" : "Require signature"}
          </button>
          {hasSecret ? (
            <button
              type="button"
              className="btn btn-secondary btn-small"
              disabled={setWebhookSecret.isPending}
              onClick={() => setWebhookSecret.mutate({ id: workflowId, secret: null })}
            >
              Remove secret
            </button>
          ) : null}
        </div>
      </form>
    </div>
  );
}

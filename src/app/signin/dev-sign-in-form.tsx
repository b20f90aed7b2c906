"use client";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { fieldErrorsFrom, messageFrom } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/react";

export function DevSignInForm({ callbackUrl }: { callbackUrl: string }) {
  const trpc = useTRPC();
  const [email, setEmail] = useState("");
  const [error, setError] = useState<string | null>(null);
  const devSignIn = useMutation(
    trpc.auth.devSignIn.mutationOptions({
      onSuccess: () => window.location.assign(callbackUrl),
      onError: (e) => setError(fieldErrorsFrom(e).email?.[0] ?? messageFrom(e)),
    }),
  );

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    devSignIn.mutate({ email });
  }

  return (
    <form onSubmit={onSubmit} noValidate className="stack" aria-label="Development sign-in">
      <div className="alert" style={{ background: "#fff4d6", color: "#6b4700", marginBottom: 0 }}>
        <strong>Development sign-in.</strong> No OAuth provider is configured, so any email signs you in on this
        machine. It is never offered in production.
      </div>
      <div className="field">
        <label htmlFor="dev-email">Email</label>
        <input
          id="dev-email"
          type="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          aria-invalid={error ? true : undefined}
        />
        {error ? <span className="field-error">{error}</span> : null}
      </div>
      <button type="submit" className="btn btn-primary btn-block" disabled={devSignIn.isPending}>
        {devSignIn.isPending ? "Signing in…" : "Sign in for development"}
      </button>
    </form>
  );
}

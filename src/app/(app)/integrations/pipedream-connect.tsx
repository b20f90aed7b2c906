"use client";
// Pipedream Connect on the Integrations page: pick an app, get a Connect Link from the server and
// open it; Pipedream reports the account by webhook and it appears here as a connection.
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { messageFrom } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/react";

const POPULAR_APPS = ["google_sheets", "gmail", "hubspot", "notion", "airtable_oauth", "slack", "salesforce_rest_api", "shopify"];

export function PipedreamConnectButton() {
  const trpc = useTRPC();
  const [app, setApp] = useState("");
  const [error, setError] = useState<string | null>(null);
  const connect = useMutation(
    trpc.integrations.pipedreamConnect.mutationOptions({
      onSuccess: ({ url }) => window.location.assign(url),
      onError: (e) => setError(messageFrom(e)),
    }),
  );
  return (
    <form
      className="stack"
      aria-label="Connect through Pipedream"
      onSubmit={(event) => {
        event.preventDefault();
        setError(null);
        connect.mutate({ app: app.trim() });
      }}
    >
      {error ? (
        <div role="alert" className="alert alert-error">
          {error}
        </div>
      ) : null}
      <div className="field">
        <label htmlFor="pipedream-app">App (its Pipedream name slug)</label>
        <input id="pipedream-app" list="pipedream-apps" placeholder="google_sheets" value={app} onChange={(e) => setApp(e.target.value)} autoComplete="off" />
        <datalist id="pipedream-apps">
          {POPULAR_APPS.map((slug) => (
            <option key={slug} value={slug} />
          ))}
        </datalist>
      </div>
      <button type="submit" className="btn btn-primary" disabled={!app.trim() || connect.isPending || connect.isSuccess}>
        {connect.isPending || connect.isSuccess ? "Opening Pipedream…" : "Connect through Pipedream"}
      </button>
    </form>
  );
}

/** Under a Pipedream-held account: where its credentials live. */
export function PipedreamAccountHint() {
  return <div className="hint">Connected through Pipedream: Pipedream keeps this account&apos;s credentials.</div>;
}

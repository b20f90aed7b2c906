"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useState, type FormEvent } from "react";
import { fieldErrorsFrom, messageFrom, type FieldErrors } from "@/lib/trpc-errors";
import type { AppRouter } from "@/server/api/root";
import { useTRPC } from "@/trpc/react";
import { PipedreamAccountHint, PipedreamConnectButton } from "./pipedream-connect";
import { PipedriveSync } from "./pipedrive-sync";

type Provider = inferRouterOutputs<AppRouter>["integrations"]["providers"][number];
type Connection = Provider["connections"][number];

interface JsonSchemaObject {
  properties?: Record<string, { description?: string; type?: string }>;
  required?: string[];
}

const STATUS_LABEL: Record<Connection["status"], string> = {
  active: "Connected",
  needs_reconnect: "Needs reconnecting",
  error: "Error",
  revoked: "Revoked",
};

/** What the OAuth callback reported, from /integrations?connected=… or ?error=…&provider=… */
export interface OAuthReturn {
  connected?: string;
  error?: string;
  provider?: string;
}

// One sentence per reason the callback can give (src/server/oauth/flow.ts OAuthFailure).
const OAUTH_ERRORS: Record<string, (name: string) => string> = {
  invalid_state: (name) => `That ${name} sign-in link is not valid any more (it was already used or never started here). Please connect again.`,
  expired_state: (name) => `The ${name} sign-in took longer than 10 minutes. Please connect again.`,
  wrong_user: (name) => `That ${name} sign-in was started by a different Cue user, so nothing was connected. Please connect from your own account.`,
  access_denied: (name) => `You did not allow Cue to access ${name}, so nothing was connected.`,
  provider_error: (name) => `${name} reported an error during sign-in. Please try again.`,
  token_exchange_failed: (name) => `${name} did not accept Cue's sign-in request. Please try again; if it keeps failing, check the server's ${name} OAuth settings.`,
  invalid_token_response: (name) => `${name} answered with something Cue did not understand. Nothing was connected.`,
  setup_failed: (name) =>
    `Cue signed in to ${name} but could not finish setting up the account (finding its site or user, or creating its webhook). Nothing was connected; please try again.`,
  not_configured: (name) => `${name} is not set up on this server.`,
};

export function IntegrationsView({ oauthReturn }: { oauthReturn: OAuthReturn }) {
  const trpc = useTRPC();
  const providers = useQuery(trpc.integrations.providers.queryOptions());
  if (providers.isPending) return <p className="muted">Loading…</p>;
  if (providers.isError) return <div className="alert alert-error">{providers.error.message}</div>;
  const nameOf = (key: string | undefined) => providers.data.find((p) => p.key === key)?.name ?? "The provider";
  return (
    <>
      {oauthReturn.connected ? (
        <div role="status" className="alert alert-success" data-testid="oauth-result">
          {nameOf(oauthReturn.connected)} is connected.
        </div>
      ) : null}
      {oauthReturn.error ? (
        <div role="alert" className="alert alert-error" data-testid="oauth-result">
          {(OAUTH_ERRORS[oauthReturn.error] ?? OAUTH_ERRORS.provider_error!)(nameOf(oauthReturn.provider))}
        </div>
      ) : null}
      <div className="integration-grid">
        {providers.data.map((provider) => (
          <ProviderCard key={provider.key} provider={provider} />
        ))}
      </div>
    </>
  );
}

/** Starts the OAuth flow: the server stores the state, the browser goes to the provider. */
function OAuthConnectButton({ provider, label }: { provider: Provider; label?: string }) {
  const trpc = useTRPC();
  const [error, setError] = useState<string | null>(null);
  const connect = useMutation(
    trpc.integrations.connect.mutationOptions({
      onSuccess: ({ authorizeUrl }) => window.location.assign(authorizeUrl),
      onError: (e) => setError(messageFrom(e)),
    }),
  );
  const missing = provider.oauth?.missingSettings ?? [];
  if (missing.length > 0) {
    return <p className="hint">Connecting {provider.name} needs its OAuth app on this server: set {missing.join(" and ")}.</p>;
  }
  return (
    <div className="stack">
      {error ? (
        <div role="alert" className="alert alert-error">
          {error}
        </div>
      ) : null}
      <button
        type="button"
        className="btn btn-primary"
        disabled={connect.isPending || connect.isSuccess}
        onClick={() => {
          setError(null);
          connect.mutate({ provider: provider.key });
        }}
      >
        {connect.isPending || connect.isSuccess
          ? `Opening ${provider.name}…`
          : label
            ? label
            : provider.connections.length
            ? `Connect another ${provider.name} account`
            : `Connect ${provider.name}`}
      </button>
    </div>
  );
}

/** The connected Stripe account's latest succeeded payments. */
function RecentPayments({ connectionId }: { connectionId: string }) {
  const trpc = useTRPC();
  const payments = useQuery(trpc.integrations.stripeRecentPayments.queryOptions({ connectionId }, { retry: false }));
  return (
    <div className="recent-payments" data-testid="recent-payments" style={{ marginTop: 8 }}>
      <h3 style={{ fontSize: "0.9rem", margin: "0 0 4px" }}>Recent payments</h3>
      {payments.isPending ? <p className="hint">Loading…</p> : null}
      {payments.isError ? <p className="field-error">{payments.error.message}</p> : null}
      {payments.data && payments.data.length === 0 ? <p className="hint">No successful payments yet.</p> : null}
      {payments.data && payments.data.length > 0 ? (
        <ul style={{ margin: 0, paddingLeft: 18 }}>
          {payments.data.map((payment) => (
            <li key={payment.id}>
              <strong>{payment.formatted}</strong> <span className="hint">{payment.description ?? payment.customer ?? payment.id}</span>{" "}
              <time className="hint" dateTime={new Date(payment.created).toISOString()}>
                {new Date(payment.created).toLocaleString()}
              </time>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function ProviderCard({ provider }: { provider: Provider }) {
  const [connecting, setConnecting] = useState(false);
  const oauthReady = provider.oauth !== null && provider.oauth.missingSettings.length === 0;
  return (
    <section className="card integration-card" aria-label={provider.name} data-testid={`provider-${provider.key}`}>
      <header className="integration-head">
        <span className="integration-icon" style={{ background: provider.color }} aria-hidden>
          {provider.icon}
        </span>
        <div>
          <h2>{provider.name}</h2>
          <p className="muted">{provider.description}</p>
        </div>
      </header>
      {provider.connections.length > 0 ? (
        <ul className="connection-list">
          {provider.connections.map((connection) => (
            <ConnectionRow key={connection.id} connection={connection} provider={provider} />
          ))}
        </ul>
      ) : null}
      {/* Providers with both: sign in with OAuth (tokens refresh themselves), or paste a token. An
          OAuth app this server has not configured is only worth mentioning when it is the sole way. */}
      {provider.oauth && (oauthReady || !provider.tokenForm) ? (
        <OAuthConnectButton provider={provider} label={provider.tokenForm ? "Connect with OAuth" : undefined} />
      ) : null}
      {provider.tokenForm ? (
        connecting ? (
          <TokenForm provider={provider} onDone={() => setConnecting(false)} />
        ) : (
          <button type="button" className="btn btn-secondary" onClick={() => setConnecting(true)}>
            {oauthReady
              ? "Use an API token"
              : provider.connections.length
                ? `Connect another ${provider.name} account`
                : `Connect ${provider.name}`}
          </button>
        )
      ) : null}
      {provider.kind === "external" ? <PipedreamConnectButton /> : null}
      {!provider.oauth && !provider.tokenForm && provider.kind !== "external" ? (
        <p className="hint">Connecting {provider.name} needs its OAuth sign-in, which Cue does not offer yet.</p>
      ) : null}
    </section>
  );
}

function ConnectionRow({ connection, provider }: { connection: Connection; provider: Provider }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.integrations.providers.queryKey() });
  const test = useMutation(trpc.integrations.test.mutationOptions({ onSettled: refresh }));
  const disconnect = useMutation(trpc.integrations.disconnect.mutationOptions({ onSettled: refresh }));
  const rename = useMutation(trpc.integrations.rename.mutationOptions({ onSettled: refresh }));
  const reconnect = useMutation(trpc.integrations.reconnect.mutationOptions({ onSuccess: ({ authorizeUrl }) => window.location.assign(authorizeUrl) }));
  const unhealthy = connection.status !== "active";
  const canReconnect = connection.method === "oauth" && provider.oauth !== null && (connection.status === "needs_reconnect" || connection.status === "error");
  return (
    <li className="connection-row" data-testid={`connection-${connection.id}`}>
      <div>
        <strong>{connection.label}</strong>{" "}
        <span
          className={`status-pill status-${connection.status}`}
          title={unhealthy && connection.lastError ? connection.lastError : undefined}
          data-testid={`connection-status-${connection.id}`}
        >
          {STATUS_LABEL[connection.status]}
        </span>
        {connection.method === "oauth" && provider.tokenForm ? <span className="hint"> via OAuth</span> : null}
        {connection.externalAccountId && connection.externalAccountId !== connection.label ? (
          <div className="hint">{connection.externalAccountId}</div>
        ) : null}
        <div className="hint">
          {connection.lastUsedAt ? `Last used ${new Date(connection.lastUsedAt).toLocaleString()}` : "Not used yet"}
        </div>
        {connection.lastError ? (
          <div className="field-error" role={unhealthy ? "alert" : undefined}>
            {unhealthy ? `${STATUS_LABEL[connection.status]}: ` : ""}
            {connection.lastError}
          </div>
        ) : null}
        {reconnect.isError ? <div className="field-error">{reconnect.error.message}</div> : null}
        {disconnect.isError ? <div className="field-error">{disconnect.error.message}</div> : null}
        {provider.key === "stripe" && connection.status === "active" ? <RecentPayments connectionId={connection.id} /> : null}
        {provider.key === "github" ? <GithubRepositoryWebhooks connectionId={connection.id} /> : null}
        {provider.key === "pipedream" ? <PipedreamAccountHint /> : null}
        {provider.key === "pipedrive" && connection.status === "active" ? <PipedriveSync connectionId={connection.id} /> : null}
      </div>
      <div className="row-actions">
        {canReconnect ? (
          <button
            type="button"
            className="btn btn-primary btn-small"
            disabled={reconnect.isPending || reconnect.isSuccess}
            onClick={() => reconnect.mutate({ id: connection.id })}
          >
            {reconnect.isPending || reconnect.isSuccess ? `Opening ${provider.name}…` : "Reconnect"}
          </button>
        ) : null}
        {provider.tokenForm || connection.method === "oauth" ? (
          <button type="button" className="btn btn-secondary btn-small" disabled={test.isPending} onClick={() => test.mutate({ id: connection.id })}>
            {test.isPending ? "Testing…" : "Test"}
          </button>
        ) : null}
        <button
          type="button"
          className="btn btn-secondary btn-small"
          onClick={() => {
            const label = window.prompt("Name this connection", connection.label);
            if (label) rename.mutate({ id: connection.id, label });
          }}
        >
          Rename
        </button>
        <button
          type="button"
          className="btn btn-secondary btn-small"
          disabled={disconnect.isPending}
          onClick={() => {
            const remote = provider.oauth ? ` Cue will also remove its access and webhook at ${provider.name}.` : "";
            if (window.confirm(`Disconnect ${connection.label}? Workflows that use it will fail until you connect again.${remote}`)) {
              disconnect.mutate({ id: connection.id });
            }
          }}
        >
          Disconnect
        </button>
      </div>
    </li>
  );
}

function TokenForm({ provider, onDone }: { provider: Provider; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const schema = (provider.tokenForm?.schema ?? {}) as JsonSchemaObject;
  const fields = Object.entries(schema.properties ?? {});
  const [values, setValues] = useState<Record<string, string>>({});
  const [label, setLabel] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const connect = useMutation(
    trpc.integrations.connectWithToken.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.integrations.providers.queryKey() });
        onDone();
      },
      onError: (e) => {
        setErrors(fieldErrorsFrom(e));
        setError(messageFrom(e));
      },
    }),
  );

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setErrors({});
    setError(null);
    connect.mutate({ provider: provider.key, fields: values, ...(label.trim() ? { label } : {}) });
  }

  return (
    <form className="stack" onSubmit={onSubmit} noValidate aria-label={`Connect ${provider.name}`}>
      {error ? (
        <div role="alert" className="alert alert-error">
          {error}
        </div>
      ) : null}
      {fields.map(([name, field]) => {
        const id = `${provider.key}-${name}`;
        const secret = provider.tokenForm?.secretFields.includes(name);
        return (
          <div className="field" key={name}>
            <label htmlFor={id}>{field.description ?? name}</label>
            <input
              id={id}
              type={secret ? "password" : "text"}
              autoComplete="off"
              value={values[name] ?? ""}
              aria-invalid={errors[name] ? true : undefined}
              onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.value }))}
            />
            {errors[name] ? <span className="field-error">{errors[name]![0]}</span> : null}
          </div>
        );
      })}
      <div className="field">
        <label htmlFor={`${provider.key}-label`}>Connection name (optional)</label>
        <input id={`${provider.key}-label`} value={label} onChange={(e) => setLabel(e.target.value)} />
      </div>
      <div className="actions" style={{ marginTop: 4 }}>
        <button type="submit" className="btn btn-primary" disabled={connect.isPending}>
          {connect.isPending ? "Checking…" : "Save connection"}
        </button>
        <button type="button" className="btn btn-secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/**
 * The repositories whose "New GitHub issue" events reach this connection: Cue creates and deletes
 * their webhooks. Instructions for a hand-made webhook appear only when the user pasted its secret.
 */
function GithubRepositoryWebhooks({ connectionId }: { connectionId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [repository, setRepository] = useState("");
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const webhooks = useQuery(trpc.integrations.githubRepositoryWebhooks.queryOptions({ connectionId }, { retry: false }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.integrations.githubRepositoryWebhooks.queryKey({ connectionId }) });
  const onError = (e: unknown) => {
    const fields = fieldErrorsFrom(e);
    setFieldError(fields.repository?.[0] ?? null);
    setError(fields.repository ? null : messageFrom(e));
  };
  const watch = useMutation(
    trpc.integrations.githubWatchRepository.mutationOptions({
      onSuccess: () => setRepository(""),
      onError,
      onSettled: refresh,
    }),
  );
  const unwatch = useMutation(trpc.integrations.githubUnwatchRepository.mutationOptions({ onError, onSettled: refresh }));

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setFieldError(null);
    setError(null);
    watch.mutate({ connectionId, repository });
  }

  const inputId = `github-watch-${connectionId}`;
  return (
    <div className="stack" data-testid="github-watched-repositories" style={{ marginTop: 8, gap: 6 }}>
      <h3 style={{ fontSize: "0.9rem", margin: 0 }}>Watched repositories</h3>
      {webhooks.isPending ? <p className="hint">Loading…</p> : null}
      {webhooks.isError ? <p className="field-error">{webhooks.error.message}</p> : null}
      {webhooks.data ? (
        webhooks.data.repositories.length === 0 ? (
          <p className="hint" style={{ margin: 0 }}>
            None yet. Watch a repository and Cue creates its webhook, so new issues start your &ldquo;New GitHub issue&rdquo; workflows.
          </p>
        ) : (
          <ul style={{ margin: 0, paddingLeft: 18 }}>
            {webhooks.data.repositories.map((watched) => (
              <li key={watched.hookId} data-testid={`github-watched-${watched.repository}`}>
                <code>{watched.repository}</code>{" "}
                <button
                  type="button"
                  className="btn btn-secondary btn-small"
                  disabled={unwatch.isPending}
                  onClick={() => {
                    setFieldError(null);
                    setError(null);
                    unwatch.mutate({ connectionId, repository: watched.repository });
                  }}
                >
                  {unwatch.isPending && unwatch.variables?.repository === watched.repository ? "Unwatching…" : "Unwatch"}
                </button>
              </li>
            ))}
          </ul>
        )
      ) : null}
      <form className="field" onSubmit={onSubmit} noValidate aria-label="Watch a GitHub repository">
        <label htmlFor={inputId}>Watch a repository</label>
        <div className="actions" style={{ marginTop: 0, gap: 8 }}>
          <input
            id={inputId}
            placeholder="owner/repo"
            autoComplete="off"
            value={repository}
            aria-invalid={fieldError ? true : undefined}
            onChange={(e) => setRepository(e.target.value)}
          />
          <button type="submit" className="btn btn-primary btn-small" disabled={watch.isPending || !repository.trim()}>
            {watch.isPending ? "Watching…" : "Watch"}
          </button>
        </div>
        {fieldError ? <span className="field-error">{fieldError}</span> : null}
      </form>
      {error ? (
        <div role="alert" className="field-error">
          {error}
        </div>
      ) : null}
      {webhooks.data?.pastedSecret ? (
        <div className="hint" data-testid="github-webhook-url">
          Your own repository webhooks also work: point them at <code>{webhooks.data.webhookUrl}</code> — content type application/json, the
          webhook secret you saved here, event &ldquo;Issues&rdquo;.
        </div>
      ) : null}
    </div>
  );
}

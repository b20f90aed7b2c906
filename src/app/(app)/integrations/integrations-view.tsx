"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useState, type FormEvent } from "react";
import { fieldErrorsFrom, messageFrom, type FieldErrors } from "@/lib/trpc-errors";
import type { AppRouter } from "@/server/api/root";
import { useTRPC } from "@/trpc/react";

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

export function IntegrationsView() {
  const trpc = useTRPC();
  const providers = useQuery(trpc.integrations.providers.queryOptions());
  if (providers.isPending) return <p className="muted">Loading…</p>;
  if (providers.isError) return <div className="alert alert-error">{providers.error.message}</div>;
  return (
    <div className="integration-grid">
      {providers.data.map((provider) => (
        <ProviderCard key={provider.key} provider={provider} />
      ))}
    </div>
  );
}

function ProviderCard({ provider }: { provider: Provider }) {
  const [connecting, setConnecting] = useState(false);
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
            <ConnectionRow key={connection.id} connection={connection} />
          ))}
        </ul>
      ) : null}
      {provider.tokenForm ? (
        connecting ? (
          <TokenForm provider={provider} onDone={() => setConnecting(false)} />
        ) : (
          <button type="button" className="btn btn-secondary" onClick={() => setConnecting(true)}>
            {provider.connections.length ? `Connect another ${provider.name} account` : `Connect ${provider.name}`}
          </button>
        )
      ) : (
        <p className="hint">Connecting {provider.name} needs its OAuth sign-in, which Cue does not offer yet.</p>
      )}
    </section>
  );
}

function ConnectionRow({ connection }: { connection: Connection }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.integrations.providers.queryKey() });
  const test = useMutation(trpc.integrations.test.mutationOptions({ onSettled: refresh }));
  const disconnect = useMutation(trpc.integrations.disconnect.mutationOptions({ onSettled: refresh }));
  const rename = useMutation(trpc.integrations.rename.mutationOptions({ onSettled: refresh }));
  return (
    <li className="connection-row" data-testid={`connection-${connection.id}`}>
      <div>
        <strong>{connection.label}</strong>{" "}
        <span className={`status-pill status-${connection.status}`}>{STATUS_LABEL[connection.status]}</span>
        <div className="hint">
          {connection.lastUsedAt ? `Last used ${new Date(connection.lastUsedAt).toLocaleString()}` : "Not used yet"}
        </div>
        {connection.lastError ? <div className="field-error">{connection.lastError}</div> : null}
      </div>
      <div className="row-actions">
        <button type="button" className="btn btn-secondary btn-small" disabled={test.isPending} onClick={() => test.mutate({ id: connection.id })}>
          {test.isPending ? "Testing…" : "Test"}
        </button>
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
            if (window.confirm(`Disconnect ${connection.label}? Workflows that use it will fail until you connect again.`)) {
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

"use client";
// Pipedrive contact sync on a connection's row: sync everything or pick people, a live progress
// bar while a sync runs (polled), the sync log with counts and per-record errors, and the
// Business upsell for plans without contact sync.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { messageFrom } from "@/lib/trpc-errors";
import type { AppRouter } from "@/server/api/root";
import { useTRPC } from "@/trpc/react";

type Outputs = inferRouterOutputs<AppRouter>["integrations"];
type SyncRun = Outputs["pipedriveSyncHistory"][number];

const PAGE = 25;

export function PipedriveSync({ connectionId }: { connectionId: string }) {
  const trpc = useTRPC();
  const access = useQuery(trpc.integrations.contactSyncAccess.queryOptions());
  if (access.isPending) return null;
  if (access.isError) return <p className="field-error">{access.error.message}</p>;
  if (!access.data.allowed) {
    return (
      <div className="alert alert-info" data-testid="contact-sync-upsell" style={{ marginTop: 8 }}>
        <strong>Contact sync</strong> imports your Pipedrive people, with their organizations and deals, into Cue&apos;s contacts. It is
        included in the {access.data.upgradeTo ?? "Business"} plan; you are on {access.data.plan}.{" "}
        <Link href="/billing">Upgrade</Link>
        <div className="actions" style={{ marginTop: 6 }}>
          <button type="button" className="btn btn-secondary btn-small" disabled title={`Available on ${access.data.upgradeTo ?? "Business"}`}>
            Sync contacts
          </button>
        </div>
      </div>
    );
  }
  return <SyncPanel connectionId={connectionId} />;
}

function SyncPanel({ connectionId }: { connectionId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [picking, setPicking] = useState(false);
  const status = useQuery(
    trpc.integrations.pipedriveSyncStatus.queryOptions({ connectionId }, { refetchInterval: (query) => (query.state.data?.running ? 1000 : false) }),
  );
  const history = useQuery(trpc.integrations.pipedriveSyncHistory.queryOptions({ connectionId, limit: 5 }));
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.integrations.pipedriveSyncStatus.queryKey({ connectionId }) });
    await queryClient.invalidateQueries({ queryKey: trpc.integrations.pipedriveSyncHistory.queryKey({ connectionId, limit: 5 }) });
  };
  const options = { onSuccess: refresh, onError: (e: unknown) => setError(messageFrom(e)) };
  const syncAll = useMutation(trpc.integrations.pipedriveSync.mutationOptions(options));
  const running = status.data?.running ?? null;
  // When a sync ends, the log gains its outcome.
  const wasRunning = useRef(false);
  useEffect(() => {
    if (wasRunning.current && !running) void queryClient.invalidateQueries({ queryKey: trpc.integrations.pipedriveSyncHistory.queryKey({ connectionId, limit: 5 }) });
    wasRunning.current = Boolean(running);
  }, [running, queryClient, trpc, connectionId]);

  return (
    <div className="stack" data-testid="contact-sync" style={{ marginTop: 8, gap: 8 }}>
      <h3 style={{ fontSize: "0.9rem", margin: 0 }}>Contact sync</h3>
      {error ? (
        <div role="alert" className="alert alert-error">
          {error}
        </div>
      ) : null}
      {status.data ? (
        <p className="hint" style={{ margin: 0 }}>
          {status.data.contacts} {status.data.contacts === 1 ? "person" : "people"} imported
          {status.data.lastSyncAt ? `, last synced ${new Date(status.data.lastSyncAt).toLocaleString()}` : ", never synced"}.{" "}
          <Link href={`/contacts?connection=${encodeURIComponent(connectionId)}`}>View contacts</Link>
        </p>
      ) : null}
      {running ? <SyncProgress run={running} /> : null}
      <div className="actions">
        <button
          type="button"
          className="btn btn-primary btn-small"
          disabled={Boolean(running) || syncAll.isPending}
          onClick={() => {
            setError(null);
            syncAll.mutate({ connectionId });
          }}
        >
          {running ? "Syncing…" : "Sync all contacts"}
        </button>
        <button type="button" className="btn btn-secondary btn-small" disabled={Boolean(running)} onClick={() => setPicking((p) => !p)} aria-expanded={picking}>
          {picking ? "Close picker" : "Choose people…"}
        </button>
      </div>
      {picking && !running ? (
        <PersonPicker
          connectionId={connectionId}
          onStarted={async () => {
            setPicking(false);
            await refresh();
          }}
          onError={setError}
        />
      ) : null}
      {history.data && history.data.length > 0 ? <SyncHistory runs={history.data} /> : null}
    </div>
  );
}

function SyncProgress({ run }: { run: SyncRun }) {
  const percent = run.total ? Math.min(100, Math.round((run.processed / run.total) * 100)) : null;
  return (
    <div className="usage" data-testid="contact-sync-progress">
      <div className="usage-label">
        <span>{run.mode === "selective" ? "Importing the chosen people" : "Importing every person"}</span>
        <span>
          {run.processed}
          {run.total ? ` / ${run.total}` : ""} · {run.created} new · {run.updated} updated · {run.skipped} unchanged
          {run.errors.length ? ` · ${run.errors.length} failed` : ""}
        </span>
      </div>
      <div
        className="usage-bar"
        role="progressbar"
        aria-label="Contact sync progress"
        aria-valuemin={0}
        aria-valuenow={run.processed}
        {...(run.total ? { "aria-valuemax": run.total } : {})}
      >
        {/* Without a total (a full sync learns it at the end) the bar shows activity, not a fraction. */}
        <span style={{ width: percent === null ? "100%" : `${percent}%`, opacity: percent === null ? 0.4 : 1 }} />
      </div>
    </div>
  );
}

function SyncHistory({ runs }: { runs: SyncRun[] }) {
  return (
    <div data-testid="contact-sync-history">
      <h4 style={{ fontSize: "0.85rem", margin: "4px 0" }}>Recent syncs</h4>
      <ul style={{ margin: 0, paddingLeft: 18 }}>
        {runs.map((run) => (
          <li key={run.id}>
            <span className={`status-pill status-${run.status === "succeeded" ? "active" : run.status === "failed" ? "error" : "needs_reconnect"}`}>{run.status}</span>{" "}
            <span className="hint">
              {new Date(run.startedAt).toLocaleString()} · {run.mode === "selective" ? "chosen people" : "everyone"} · {run.processed} processed, {run.created} new,{" "}
              {run.updated} updated, {run.skipped} unchanged
            </span>
            {run.error ? <div className="field-error">{run.error}</div> : null}
            {run.errors.length ? (
              <details>
                <summary className="hint">
                  {run.errors.length} record{run.errors.length === 1 ? "" : "s"} could not be imported
                </summary>
                <ul style={{ margin: 0, paddingLeft: 18 }}>
                  {run.errors.map((e, i) => (
                    <li key={`${e.externalId}-${i}`} className="hint">
                      #{e.externalId}
                      {e.name ? ` ${e.name}` : ""}: {e.message}
                    </li>
                  ))}
                </ul>
              </details>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

function PersonPicker({ connectionId, onStarted, onError }: { connectionId: string; onStarted: () => void; onError: (message: string) => void }) {
  const trpc = useTRPC();
  const [search, setSearch] = useState("");
  const [term, setTerm] = useState("");
  const [starts, setStarts] = useState<number[]>([0]);
  const [chosen, setChosen] = useState<Map<number, string>>(new Map());
  const start = starts.at(-1)!;
  const persons = useQuery(
    trpc.integrations.pipedrivePersons.queryOptions({ connectionId, start, limit: PAGE, ...(term.length >= 2 ? { search: term } : {}) }, { retry: false }),
  );
  const importChosen = useMutation(
    trpc.integrations.pipedriveSyncSelected.mutationOptions({ onSuccess: onStarted, onError: (e) => onError(messageFrom(e)) }),
  );
  const toggle = (id: number, name: string) =>
    setChosen((current) => {
      const next = new Map(current);
      if (next.has(id)) next.delete(id);
      else next.set(id, name);
      return next;
    });

  return (
    <div className="card stack" style={{ padding: 12, gap: 8 }} data-testid="person-picker">
      <form
        className="actions"
        onSubmit={(event) => {
          event.preventDefault();
          setTerm(search.trim());
          setStarts([0]);
        }}
      >
        <input aria-label="Search Pipedrive people" placeholder="Search by name, email or phone (2+ characters)" value={search} onChange={(e) => setSearch(e.target.value)} style={{ flex: 1 }} />
        <button type="submit" className="btn btn-secondary btn-small">
          Search
        </button>
      </form>
      {persons.isPending ? <p className="hint">Loading…</p> : null}
      {persons.isError ? <p className="field-error">{persons.error.message}</p> : null}
      {persons.data && persons.data.items.length === 0 ? <p className="hint">Nobody matches.</p> : null}
      {persons.data && persons.data.items.length > 0 ? (
        <ul style={{ listStyle: "none", margin: 0, padding: 0 }}>
          {persons.data.items.map((person) => (
            <li key={person.id}>
              <label style={{ display: "flex", gap: 8, alignItems: "baseline" }}>
                <input type="checkbox" checked={chosen.has(person.id)} onChange={() => toggle(person.id, person.name)} />
                <span>
                  <strong>{person.name}</strong>{" "}
                  <span className="hint">{[person.email, person.phone, person.organization].filter(Boolean).join(" · ")}</span>
                  {person.imported ? <span className="badge" style={{ marginLeft: 6 }}>imported</span> : null}
                </span>
              </label>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="actions">
        <button type="button" className="btn btn-secondary btn-small" disabled={starts.length <= 1} onClick={() => setStarts((s) => s.slice(0, -1))}>
          Previous
        </button>
        <button
          type="button"
          className="btn btn-secondary btn-small"
          disabled={persons.data?.nextStart === null || persons.data?.nextStart === undefined}
          onClick={() => setStarts((s) => [...s, persons.data!.nextStart!])}
        >
          Next
        </button>
        <button
          type="button"
          className="btn btn-primary btn-small"
          disabled={chosen.size === 0 || importChosen.isPending}
          onClick={() => importChosen.mutate({ connectionId, personIds: [...chosen.keys()] })}
        >
          {importChosen.isPending ? "Starting…" : `Import ${chosen.size} selected`}
        </button>
      </div>
    </div>
  );
}

"use client";
// The workflows list: search, filter by status, page through with "Load more", and create,
// rename, duplicate, export, import and delete workflows.
import "@/features/workflow-editor/workflow-editor.css";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { formatRelative } from "@/features/workflow-editor/format";
import { StatusBadge } from "@/features/workflow-editor/run-timeline";
import { fieldErrorsFrom, messageFrom } from "@/lib/trpc-errors";
import type { AppRouter } from "@/server/api/root";
import { useTRPC } from "@/trpc/react";
import { DescribePanel } from "@/features/ai-generate/describe-panel";
import { ImportPanel } from "./import-panel";

type WorkflowSummary = inferRouterOutputs<AppRouter>["workflows"]["list"]["items"][number];
type StatusFilter = "" | "draft" | "active" | "paused";
type Notice = { kind: "success" | "error"; text: string };

const PAGE_SIZE = 20;
const SEARCH_DEBOUNCE_MS = 250;

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "workflow";
}

function download(filename: string, data: unknown) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(url);
}

export function WorkflowList() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [searchText, setSearchText] = useState("");
  const [search, setSearch] = useState("");
  const [status, setStatus] = useState<StatusFilter>("");
  const [notice, setNotice] = useState<Notice | null>(null);
  const [showImport, setShowImport] = useState(false);
  const [showDescribe, setShowDescribe] = useState(false);

  useEffect(() => {
    const timer = setTimeout(() => setSearch(searchText.trim()), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [searchText]);

  // Pages are fetched as plain queries: the list input is strict, and tRPC's infinite helpers
  // add a `direction` key to it that the server would refuse.
  const input = { limit: PAGE_SIZE, ...(search ? { search } : {}), ...(status ? { status } : {}) };
  const list = useInfiniteQuery({
    queryKey: trpc.workflows.list.infiniteQueryKey(input),
    queryFn: ({ pageParam }) => queryClient.fetchQuery({ ...trpc.workflows.list.queryOptions({ ...input, cursor: pageParam }), staleTime: 0 }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  const catalog = useQuery({ ...trpc.workflows.catalog.queryOptions(), staleTime: Infinity });
  const triggerTitle = (type: string | null) => {
    if (!type) return "—";
    const entry = catalog.data?.find((candidate) => candidate.type === type);
    return entry ? `${entry.providerName}: ${entry.title}` : type;
  };

  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.workflows.list.queryKey() });
  const create = useMutation(
    trpc.workflows.create.mutationOptions({
      onSuccess: ({ id }) => router.push(`/workflows/${id}`),
      onError: (error) => setNotice({ kind: "error", text: messageFrom(error) }),
    }),
  );
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Boolean(search || status);

  return (
    <>
      <header className="page-header wf-list-header">
        <div>
          <h1>Workflows</h1>
          <p className="muted">Automations that turn events in one service into actions in others.</p>
        </div>
        <div className="wf-list-header-actions">
          <button type="button" className="btn btn-secondary" onClick={() => setShowDescribe((open) => !open)} aria-expanded={showDescribe}>
            Describe it
          </button>
          <button type="button" className="btn btn-secondary" onClick={() => setShowImport((open) => !open)} aria-expanded={showImport}>
            Import
          </button>
          <button type="button" className="btn btn-primary" onClick={() => create.mutate({ name: "Untitled workflow" })} disabled={create.isPending}>
            {create.isPending ? "Creating…" : "New workflow"}
          </button>
        </div>
      </header>

      {notice ? (
        <div className={`alert alert-${notice.kind}`} role={notice.kind === "error" ? "alert" : "status"}>
          {notice.text}
        </div>
      ) : null}
      {showDescribe ? <DescribePanel onClose={() => setShowDescribe(false)} /> : null}
      {showImport ? (
        <ImportPanel
          onClose={() => setShowImport(false)}
          onImported={() => {
            void refresh();
          }}
        />
      ) : null}

      <div className="wf-list-filters">
        <div className="field">
          <label htmlFor="workflow-search">Search</label>
          <input id="workflow-search" type="search" placeholder="Workflow name" value={searchText} onChange={(e) => setSearchText(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="workflow-status">Status</label>
          <select id="workflow-status" value={status} onChange={(e) => setStatus(e.target.value as StatusFilter)}>
            <option value="">All</option>
            <option value="draft">Draft</option>
            <option value="active">Active</option>
            <option value="paused">Paused</option>
          </select>
        </div>
      </div>

      {list.error ? (
        <div className="alert alert-error" role="alert">
          {messageFrom(list.error)}
        </div>
      ) : list.isPending ? (
        <p className="muted" role="status">
          Loading workflows…
        </p>
      ) : items.length === 0 ? (
        filtered ? (
          <section className="card empty">
            <h2>No workflows match</h2>
            <p className="muted">Try another search or status.</p>
          </section>
        ) : (
          <section className="card empty" data-testid="workflows-empty">
            <h2>Create your first workflow</h2>
            <p className="muted">Pick a trigger such as “Stripe charge failed”, add the steps that should follow, test it, and switch it on.</p>
            <div className="actions" style={{ justifyContent: "center" }}>
              <button type="button" className="btn btn-primary" onClick={() => create.mutate({ name: "Untitled workflow" })} disabled={create.isPending}>
                Create a workflow
              </button>
              <button type="button" className="btn btn-secondary" onClick={() => setShowImport(true)}>
                Import from JSON
              </button>
            </div>
          </section>
        )
      ) : (
        <div className="card wf-table-card">
          <table className="wf-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Trigger</th>
                <th scope="col">Last run</th>
                <th scope="col">Runs</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((workflow) => (
                <WorkflowRow key={workflow.id} workflow={workflow} triggerTitle={triggerTitle(workflow.triggerType)} onNotice={setNotice} onChanged={refresh} />
              ))}
            </tbody>
          </table>
          {list.hasNextPage ? (
            <div className="wf-load-more">
              <button type="button" className="btn btn-secondary" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
                {list.isFetchingNextPage ? "Loading…" : "Load more"}
              </button>
            </div>
          ) : null}
        </div>
      )}
    </>
  );
}

function WorkflowRow({
  workflow,
  triggerTitle,
  onNotice,
  onChanged,
}: {
  workflow: WorkflowSummary;
  triggerTitle: string;
  onNotice: (notice: Notice) => void;
  onChanged: () => Promise<void>;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<"view" | "rename" | "confirm-delete">("view");
  const [name, setName] = useState(workflow.name);
  const [renameError, setRenameError] = useState<string | null>(null);

  const rename = useMutation(
    trpc.workflows.rename.mutationOptions({
      onSuccess: async () => {
        setMode("view");
        setRenameError(null);
        await onChanged();
      },
      onError: (error) => setRenameError(fieldErrorsFrom(error).name?.[0] ?? messageFrom(error)),
    }),
  );
  const duplicate = useMutation(
    trpc.workflows.duplicate.mutationOptions({
      onSuccess: async () => {
        onNotice({ kind: "success", text: `Duplicated “${workflow.name}”.` });
        await onChanged();
      },
      onError: (error) => onNotice({ kind: "error", text: messageFrom(error) }),
    }),
  );
  const remove = useMutation(
    trpc.workflows.delete.mutationOptions({
      onSuccess: async () => {
        onNotice({ kind: "success", text: `Deleted “${workflow.name}”.` });
        await onChanged();
      },
      onError: (error) => onNotice({ kind: "error", text: messageFrom(error) }),
    }),
  );

  async function onExport() {
    try {
      const data = await queryClient.fetchQuery({ ...trpc.workflows.export.queryOptions({ id: workflow.id }), staleTime: 0 });
      download(`${slug(workflow.name)}.cue.json`, data);
    } catch (error) {
      onNotice({ kind: "error", text: `Export failed: ${messageFrom(error)}` });
    }
  }

  function onRename(event: FormEvent) {
    event.preventDefault();
    rename.mutate({ id: workflow.id, name });
  }

  const counts = workflow.runCounts;
  return (
    <tr data-testid={`workflow-row-${workflow.id}`}>
      <td>
        {mode === "rename" ? (
          <form className="wf-inline-form" onSubmit={onRename}>
            <label htmlFor={`rename-${workflow.id}`} className="visually-hidden">
              New name for {workflow.name}
            </label>
            <input
              id={`rename-${workflow.id}`}
              value={name}
              autoFocus
              maxLength={120}
              aria-invalid={renameError ? true : undefined}
              onChange={(e) => setName(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === "Escape") setMode("view");
              }}
            />
            <button type="submit" className="btn btn-primary btn-small" disabled={rename.isPending}>
              Save name
            </button>
            <button type="button" className="btn btn-secondary btn-small" onClick={() => setMode("view")}>
              Cancel
            </button>
            {renameError ? <span className="field-error">{renameError}</span> : null}
          </form>
        ) : (
          <>
            <Link href={`/workflows/${workflow.id}`} className="wf-row-name">
              {workflow.name}
            </Link>
            {workflow.description ? <div className="muted wf-row-desc">{workflow.description}</div> : null}
            {workflow.connectionWarnings.map((warning) => (
              <div key={warning.provider} className="field-error wf-row-warning" data-testid={`workflow-warning-${warning.provider}`}>
                {warning.message}. <Link href="/integrations">Reconnect on the Integrations page</Link>
              </div>
            ))}
          </>
        )}
      </td>
      <td>
        <StatusBadge status={workflow.status} />
      </td>
      <td>{triggerTitle}</td>
      <td title={workflow.lastRunAt ? new Date(workflow.lastRunAt).toLocaleString() : undefined}>{formatRelative(workflow.lastRunAt)}</td>
      <td>
        <Link href={`/workflows/${workflow.id}/runs`} aria-label={`Runs of ${workflow.name}: ${counts.total} total, ${counts.succeeded} succeeded, ${counts.failed} failed`}>
          {counts.total}
        </Link>
        {counts.total ? (
          <span className="muted wf-run-counts">
            {" "}
            · <span className="ok">{counts.succeeded} ok</span> · <span className={counts.failed ? "bad" : undefined}>{counts.failed} failed</span>
          </span>
        ) : null}
      </td>
      <td className="wf-row-actions">
        {mode === "confirm-delete" ? (
          <span className="wf-confirm" role="group" aria-label={`Confirm deleting ${workflow.name}`}>
            Delete for good?
            <button type="button" className="btn btn-danger btn-small" onClick={() => remove.mutate({ id: workflow.id })} disabled={remove.isPending}>
              Confirm delete
            </button>
            <button type="button" className="btn btn-secondary btn-small" onClick={() => setMode("view")}>
              Keep
            </button>
          </span>
        ) : (
          <>
            <Link href={`/workflows/${workflow.id}`} className="btn btn-secondary btn-small" aria-label={`Edit ${workflow.name}`}>
              Edit
            </Link>
            <button type="button" className="btn btn-link" aria-label={`Rename ${workflow.name}`}
              onClick={() => {
                setName(workflow.name);
                setRenameError(null);
                setMode("rename");
              }}
            >
              Rename
            </button>
            <button type="button" className="btn btn-link" aria-label={`Duplicate ${workflow.name}`} onClick={() => duplicate.mutate({ id: workflow.id })} disabled={duplicate.isPending}>
              Duplicate
            </button>
            <button type="button" className="btn btn-link" aria-label={`Export ${workflow.name}`} onClick={() => void onExport()}>
              Export
            </button>
            <button type="button" className="btn btn-link wf-danger-link" aria-label={`Delete ${workflow.name}`} onClick={() => setMode("confirm-delete")}>
              Delete
            </button>
          </>
        )}
      </td>
    </tr>
  );
}

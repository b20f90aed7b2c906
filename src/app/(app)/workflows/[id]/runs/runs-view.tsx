"use client";
// A workflow's runs: a filterable list, and the selected run's step-by-step timeline, with
// replay for failed runs and cancel for unfinished ones. Unfinished runs are polled.
import "@/features/workflow-editor/workflow-editor.css";
import { skipToken, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { RunStatus } from "@/features/workflow-editor/api-types";
import { durationBetween, formatDateTime, formatRelative } from "@/features/workflow-editor/format";
import { isRunInProgress, runErrorText, RunTimeline, StatusBadge } from "@/features/workflow-editor/run-timeline";
import { messageFrom } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/react";

const RUN_POLL_MS = 700;
const LIST_POLL_MS = 3000;
const STATUSES: RunStatus[] = ["queued", "running", "waiting", "succeeded", "failed", "cancelled"];

export function RunsView({ workflowId, initialRunId }: { workflowId: string; initialRunId: string | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<RunStatus | "">("");
  const [selectedId, setSelectedId] = useState<string | null>(initialRunId);
  const [notice, setNotice] = useState<{ kind: "success" | "error"; text: string } | null>(null);

  const workflow = useQuery(trpc.workflows.get.queryOptions({ id: workflowId }));
  const catalog = useQuery({ ...trpc.workflows.catalog.queryOptions(), staleTime: Infinity });
  // Pages are fetched as plain queries: the list input is strict, and tRPC's infinite helpers
  // add a `direction` key to it that the server would refuse.
  const listInput = { workflowId, ...(status ? { status } : {}) };
  const runs = useInfiniteQuery({
    queryKey: trpc.runs.list.infiniteQueryKey(listInput),
    queryFn: ({ pageParam }) => queryClient.fetchQuery({ ...trpc.runs.list.queryOptions({ ...listInput, cursor: pageParam }), staleTime: 0 }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    refetchInterval: (query) => (query.state.data?.pages.some((page) => page.items.some((run) => isRunInProgress(run.status))) ? LIST_POLL_MS : false),
  });
  const items = runs.data?.pages.flatMap((page) => page.items) ?? [];
  const activeId = selectedId ?? items[0]?.id ?? null;
  const run = useQuery({
    ...trpc.runs.get.queryOptions(activeId ? { id: activeId } : skipToken),
    refetchInterval: (query) => (query.state.data && !isRunInProgress(query.state.data.status) ? false : RUN_POLL_MS),
  });

  const refresh = async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.runs.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.runs.get.queryKey() }),
    ]);
  };
  const replay = useMutation(
    trpc.runs.replay.mutationOptions({
      onSuccess: async () => {
        setNotice({ kind: "success", text: "Replaying from the failed step." });
        await refresh();
      },
      onError: (error) => setNotice({ kind: "error", text: messageFrom(error) }),
    }),
  );
  const cancel = useMutation(
    trpc.runs.cancel.mutationOptions({
      onSuccess: async () => {
        setNotice({ kind: "success", text: "Run cancelled." });
        await refresh();
      },
      onError: (error) => setNotice({ kind: "error", text: messageFrom(error) }),
    }),
  );

  function select(id: string) {
    setSelectedId(id);
    setNotice(null);
    router.replace(`/workflows/${workflowId}/runs?run=${id}`, { scroll: false });
  }

  const titleOf = (nodeId: string) => {
    const type = run.data?.nodes.find((node) => node.id === nodeId)?.type;
    const entry = type ? catalog.data?.find((candidate) => candidate.type === type) : undefined;
    return entry ? `${entry.providerName}: ${entry.title}` : (type ?? nodeId);
  };

  if (workflow.error) {
    return (
      <section className="card empty">
        <h2>{workflow.error.data?.code === "NOT_FOUND" ? "Workflow not found" : "Could not load runs"}</h2>
        <p className="muted">{messageFrom(workflow.error)}</p>
        <Link href="/workflows" className="btn btn-secondary">
          Back to workflows
        </Link>
      </section>
    );
  }

  return (
    <div className="wf-runs-page">
      <header className="page-header wf-list-header">
        <div>
          <p className="muted wf-breadcrumb">
            <Link href="/workflows">Workflows</Link> / <Link href={`/workflows/${workflowId}`}>{workflow.data?.name ?? "…"}</Link>
          </p>
          <h1>Runs</h1>
        </div>
        <Link href={`/workflows/${workflowId}`} className="btn btn-secondary">
          Open editor
        </Link>
      </header>
      {notice ? (
        <div className={`alert alert-${notice.kind}`} role={notice.kind === "error" ? "alert" : "status"}>
          {notice.text}
        </div>
      ) : null}
      <div className="wf-runs">
        <section className="card wf-runs-list" aria-label="Runs">
          <div className="field">
            <label htmlFor="run-status">Status</label>
            <select id="run-status" value={status} onChange={(e) => setStatus(e.target.value as RunStatus | "")}>
              <option value="">All</option>
              {STATUSES.map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </select>
          </div>
          {runs.error ? <div className="alert alert-error">{messageFrom(runs.error)}</div> : null}
          {runs.isPending ? <p className="muted">Loading runs…</p> : null}
          {!runs.isPending && items.length === 0 ? (
            <p className="muted" data-testid="runs-empty">
              {status ? `No ${status} runs.` : "No runs yet. Start a test run from the editor, or activate the workflow."}
            </p>
          ) : null}
          <ul className="wf-run-items">
            {items.map((item) => (
              <li key={item.id}>
                <button
                  type="button"
                  className={`wf-run-item${item.id === activeId ? " is-selected" : ""}`}
                  aria-pressed={item.id === activeId}
                  data-testid={`run-${item.id}`}
                  data-status={item.status}
                  onClick={() => select(item.id)}
                >
                  <StatusBadge status={item.status} />
                  <span className="wf-run-when" title={formatDateTime(item.createdAt)}>
                    {formatRelative(item.createdAt)}
                  </span>
                  <span className="muted wf-run-kind">
                    {item.test ? (item.dryRun ? "Dry run" : "Test") : "Live"}
                    {durationBetween(item.startedAt, item.finishedAt) ? ` · ${durationBetween(item.startedAt, item.finishedAt)}` : ""}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {runs.hasNextPage ? (
            <button type="button" className="btn btn-secondary btn-block" onClick={() => void runs.fetchNextPage()} disabled={runs.isFetchingNextPage}>
              {runs.isFetchingNextPage ? "Loading…" : "Load more"}
            </button>
          ) : null}
        </section>
        <section className="card wf-run-detail" aria-label="Run details">
          {run.error ? <div className="alert alert-error">{messageFrom(run.error)}</div> : null}
          {!activeId ? <p className="muted">Select a run to see its steps.</p> : null}
          {run.data ? (
            <>
              <header className="wf-run-detail-head">
                <div>
                  <h2>
                    Run <code>{run.data.id}</code>
                  </h2>
                  <p className="muted">
                    <StatusBadge status={run.data.status} /> {run.data.test ? (run.data.dryRun ? "Dry run" : "Test run") : "Live run"}
                    {run.data.version ? ` · version ${run.data.version}` : " · draft"} · started {formatDateTime(run.data.startedAt ?? run.data.createdAt)}
                    {durationBetween(run.data.startedAt, run.data.finishedAt) ? ` · took ${durationBetween(run.data.startedAt, run.data.finishedAt)}` : ""}
                  </p>
                </div>
                <div className="actions wf-run-actions">
                  {run.data.status === "failed" ? (
                    <button type="button" className="btn btn-primary btn-small" onClick={() => replay.mutate({ id: run.data.id })} disabled={replay.isPending}>
                      Replay from failed step
                    </button>
                  ) : null}
                  {isRunInProgress(run.data.status) ? (
                    <button type="button" className="btn btn-danger btn-small" onClick={() => cancel.mutate({ id: run.data.id })} disabled={cancel.isPending}>
                      Cancel run
                    </button>
                  ) : null}
                </div>
              </header>
              {runErrorText(run.data.error) === null && run.data.status === "failed" ? <p className="muted">The run failed.</p> : null}
              <RunTimeline run={run.data} titleOf={titleOf} />
            </>
          ) : activeId && !run.error ? (
            <p className="muted">Loading run…</p>
          ) : null}
        </section>
      </div>
    </div>
  );
}

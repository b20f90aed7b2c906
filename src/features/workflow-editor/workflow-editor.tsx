"use client";
// The workflow editor: palette, canvas and settings panel around one workflow. The React Flow
// nodes and edges are the working copy; the stored graph is derived from them (graph-mapping.ts)
// for saving and for undo snapshots, so nothing is ever lost between the two.
import "@xyflow/react/dist/style.css";
import "./workflow-editor.css";
import { skipToken, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import {
  applyEdgeChanges,
  applyNodeChanges,
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type NodeChange,
  type OnSelectionChangeParams,
} from "@xyflow/react";
import Link from "next/link";
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from "react";
import { fieldErrorsFrom, messageFrom } from "@/lib/trpc-errors";
import type { AppRouter } from "@/server/api/root";
import { useTRPC } from "@/trpc/react";
import { issuesFromError } from "./api-errors";
import { ConcurrencySettings } from "./concurrency-settings";
import { WebhookSettings } from "./webhook-settings";
import type { CatalogEntry, StepView, ValidationIssue, WorkflowGraph } from "./api-types";
import { autoLayout, COLUMN_GAP, LAYER_GAP } from "./auto-layout";
import { CatalogContext, catalogMap } from "./catalog-context";
import { ConfigPanel } from "./config-panel";
import {
  decorateEdges,
  decorateNodes,
  decorationsFrom,
  flowToGraph,
  graphToFlow,
  nextEdgeId,
  nextNodeId,
  toFlowEdge,
  toFlowNode,
  type WorkflowFlowEdge,
  type WorkflowFlowNode,
} from "./graph-mapping";
import { wouldCreateCycle } from "./graph-utils";
import { emptyHistory, recordEdit, redo, undo, type History } from "./history";
import { Palette, PALETTE_MIME } from "./palette";
import { referenceGroups } from "./references";
import { isRunInProgress, runErrorText, StatusBadge } from "./run-timeline";
import { initialConfig } from "./schema-form";
import { TestRunForm } from "./test-run-form";
import { nodeTypes } from "./workflow-nodes";

type WorkflowDetail = inferRouterOutputs<AppRouter>["workflows"]["get"];
type Flow = { nodes: WorkflowFlowNode[]; edges: WorkflowFlowEdge[] };
const VALIDATE_DEBOUNCE_MS = 400;

type Notice = { kind: "success" | "error"; text: string; issues?: ValidationIssue[] };

const RUN_POLL_MS = 700;
/** Above this many nodes only those in view are rendered; smaller graphs are cheaper drawn whole. */
const VIRTUALIZE_ABOVE = 80;
const NODE_WIDTH = 240;
const DELETE_KEYS = ["Delete", "Backspace"];
const FIT_VIEW_OPTIONS = { padding: 0.2, maxZoom: 1.2 };

function isEditableTarget(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

export function WorkflowEditor({
  id,
  initialWorkflow,
  initialCatalog,
}: {
  id: string;
  /** Loaded by the server page, so the first render needs no round trip. */
  initialWorkflow?: WorkflowDetail;
  initialCatalog?: CatalogEntry[];
}) {
  const trpc = useTRPC();
  // Loaded once per visit: a background refetch must never replace the working copy, and gcTime 0
  // drops the cached copy on leaving so the next visit starts from what was saved.
  const workflow = useQuery({
    ...trpc.workflows.get.queryOptions({ id }),
    initialData: initialWorkflow,
    staleTime: Infinity,
    gcTime: 0,
    refetchOnWindowFocus: false,
  });
  const catalog = useQuery({ ...trpc.workflows.catalog.queryOptions(), initialData: initialCatalog, staleTime: Infinity });

  const error = workflow.error ?? catalog.error;
  if (error) {
    return (
      <section className="card empty wf-editor-message">
        <h2>{workflow.error?.data?.code === "NOT_FOUND" ? "Workflow not found" : "Could not open this workflow"}</h2>
        <p className="muted">{messageFrom(error)}</p>
        <Link href="/workflows" className="btn btn-secondary">
          Back to workflows
        </Link>
      </section>
    );
  }
  if (!workflow.data || !catalog.data) {
    return (
      <p className="muted wf-editor-message" role="status">
        Loading workflow…
      </p>
    );
  }
  return (
    <ReactFlowProvider>
      <CatalogContext.Provider value={catalogMap(catalog.data)}>
        <LoadedEditor key={workflow.data.id} workflow={workflow.data} catalog={catalog.data} />
      </CatalogContext.Provider>
    </ReactFlowProvider>
  );
}

function LoadedEditor({ workflow, catalog }: { workflow: WorkflowDetail; catalog: CatalogEntry[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const reactFlow = useReactFlow<WorkflowFlowNode, WorkflowFlowEdge>();
  const id = workflow.id;

  const catalogById = useMemo(() => catalogMap(catalog), [catalog]);
  const kindOf = useCallback((type: string) => catalogById.get(type)?.kind, [catalogById]);

  // --- server-side state --------------------------------------------------------------------
  const [issues, setIssues] = useState<ValidationIssue[]>(workflow.issues);
  const [status, setStatus] = useState(workflow.status);
  const [activeVersion, setActiveVersion] = useState(workflow.activeVersion);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [runId, setRunId] = useState<string | null>(null);
  const [showTestForm, setShowTestForm] = useState(false);

  const run = useQuery({
    ...trpc.runs.get.queryOptions(runId ? { id: runId } : skipToken),
    refetchInterval: (query) => (query.state.data && !isRunInProgress(query.state.data.status) ? false : RUN_POLL_MS),
  });
  const runSteps = run.data?.steps;
  const stepViews = useMemo<StepView[]>(
    () => (runSteps ?? []).map((step) => ({ nodeId: step.nodeId, status: step.status, attempts: step.attempts })),
    [runSteps],
  );
  const decorations = useMemo(() => decorationsFrom(issues, runId ? stepViews : []), [issues, stepViews, runId]);
  const decorationsRef = useRef(decorations);

  // --- the working copy -----------------------------------------------------------------------
  const [flow, setFlowState] = useState<Flow>(() => graphToFlow(workflow.graph, kindOf, decorationsFrom(workflow.issues)));
  const flowRef = useRef(flow);
  const setFlow = useCallback((update: (current: Flow) => Flow) => {
    const next = update(flowRef.current);
    if (next === flowRef.current) return;
    flowRef.current = next;
    setFlowState(next);
  }, []);
  const currentGraph = useCallback((): WorkflowGraph => flowToGraph(flowRef.current.nodes, flowRef.current.edges), []);

  useEffect(() => {
    decorationsRef.current = decorations;
    setFlow((current) => {
      const nodes = decorateNodes(current.nodes, decorations);
      const edges = decorateEdges(current.edges, decorations);
      return nodes === current.nodes && edges === current.edges ? current : { nodes, edges };
    });
  }, [decorations, setFlow]);

  const [name, setName] = useState(workflow.name);
  const [description, setDescription] = useState(workflow.description ?? "");
  const [nameError, setNameError] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selectedIdRef = useRef(selectedId);
  selectedIdRef.current = selectedId;

  // Dirty tracking by revision: every edit bumps it; a save remembers the revision it sent.
  const revisionRef = useRef(0);
  const [revision, setRevision] = useState(0);
  const [savedRevision, setSavedRevision] = useState(0);
  const dirty = revision !== savedRevision;
  const markDirty = useCallback(() => {
    revisionRef.current += 1;
    setRevision(revisionRef.current);
  }, []);

  // Validate the working copy as it changes (debounced), so issues show while editing, not
  // only after a save. A reply for an older revision is dropped.
  const validate = useMutation(trpc.workflows.validate.mutationOptions());
  const validateAsync = validate.mutateAsync;
  useEffect(() => {
    if (revision === 0) return;
    const timer = setTimeout(() => {
      const sent = revisionRef.current;
      validateAsync({ graph: currentGraph() })
        .then((result) => {
          if (revisionRef.current === sent) setIssues(result.issues);
        })
        .catch(() => undefined);
    }, VALIDATE_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [revision, currentGraph, validateAsync]);

  const historyRef = useRef<History<WorkflowGraph>>(emptyHistory());
  const [history, setHistory] = useState(historyRef.current);
  const record = useCallback(
    (key: string | null = null) => {
      historyRef.current = recordEdit(historyRef.current, currentGraph(), key);
      setHistory(historyRef.current);
    },
    [currentGraph],
  );

  const restore = useCallback(
    (graph: WorkflowGraph) => {
      const restored = graphToFlow(graph, kindOf, decorationsRef.current);
      const selected = selectedIdRef.current;
      setFlow(() => ({ ...restored, nodes: restored.nodes.map((node) => (node.id === selected ? { ...node, selected: true } : node)) }));
      if (selected && !graph.nodes.some((node) => node.id === selected)) setSelectedId(null);
      markDirty();
    },
    [kindOf, markDirty, setFlow],
  );
  const onUndo = useCallback(() => {
    const result = undo(historyRef.current, currentGraph());
    if (!result) return;
    historyRef.current = result.history;
    setHistory(result.history);
    restore(result.state);
  }, [currentGraph, restore]);
  const onRedo = useCallback(() => {
    const result = redo(historyRef.current, currentGraph());
    if (!result) return;
    historyRef.current = result.history;
    setHistory(result.history);
    restore(result.state);
  }, [currentGraph, restore]);

  // --- canvas handlers (stable: they read the working copy through refs) --------------------
  const onNodesChange = useCallback(
    (changes: NodeChange<WorkflowFlowNode>[]) => {
      setFlow((current) => ({ ...current, nodes: applyNodeChanges(changes, current.nodes) }));
      if (changes.some((change) => change.type === "remove" || (change.type === "position" && change.dragging === false))) markDirty();
    },
    [markDirty, setFlow],
  );
  const onEdgesChange = useCallback(
    (changes: EdgeChange<WorkflowFlowEdge>[]) => {
      setFlow((current) => ({ ...current, edges: applyEdgeChanges(changes, current.edges) }));
      if (changes.some((change) => change.type === "remove")) markDirty();
    },
    [markDirty, setFlow],
  );
  const onBeforeDelete = useCallback(async () => {
    record();
    return true;
  }, [record]);
  const onNodeDragStart = useCallback(() => record(), [record]);

  const isValidConnection = useCallback((connection: WorkflowFlowEdge | Connection) => {
    const { source, target } = connection;
    const edges = flowRef.current.edges;
    const handle = connection.sourceHandle ?? null;
    if (edges.some((edge) => edge.source === source && edge.target === target && (edge.sourceHandle ?? null) === handle)) return false;
    return !wouldCreateCycle(edges, source, target);
  }, []);
  const onConnect = useCallback(
    (connection: Connection) => {
      record();
      setFlow((current) => {
        const branch = connection.sourceHandle === "true" || connection.sourceHandle === "false" ? connection.sourceHandle : null;
        const edge = toFlowEdge(
          { id: nextEdgeId(current.edges.map((e) => e.id)), source: connection.source, target: connection.target, ...(branch ? { sourceHandle: branch } : {}) },
          decorationsRef.current,
        );
        return { ...current, edges: [...current.edges, edge] };
      });
      markDirty();
    },
    [markDirty, record, setFlow],
  );
  const onSelectionChange = useCallback(({ nodes }: OnSelectionChangeParams<WorkflowFlowNode>) => {
    setSelectedId(nodes.length === 1 ? (nodes[0]?.id ?? null) : null);
  }, []);

  const selectNode = useCallback(
    (nodeId: string | null) => {
      setFlow((current) => ({
        ...current,
        nodes: current.nodes.map((node) => (Boolean(node.selected) === (node.id === nodeId) ? node : { ...node, selected: node.id === nodeId })),
      }));
      setSelectedId(nodeId);
    },
    [setFlow],
  );

  const addNode = useCallback(
    (type: string, dropAt?: { x: number; y: number }) => {
      const entry = catalogById.get(type);
      if (!entry) return;
      const current = flowRef.current;
      const config = initialConfig(type, entry.configSchema);
      record();
      markDirty();
      const existingTrigger = entry.kind === "trigger" ? current.nodes.find((node) => node.type === "trigger") : undefined;
      if (existingTrigger) {
        // A workflow has exactly one trigger: choosing another swaps it in place, keeping its links.
        setFlow((flow) => ({
          ...flow,
          nodes: flow.nodes.map((node) =>
            node.id === existingTrigger.id ? { ...node, selected: true, data: { ...node.data, type, config } } : node.selected ? { ...node, selected: false } : node,
          ),
        }));
        setSelectedId(existingTrigger.id);
        setNotice({ kind: "success", text: `Trigger changed to “${entry.title}”.` });
        return;
      }
      const nodeId = nextNodeId(current.nodes.map((node) => node.id), type, entry.kind);
      const anchor = dropAt ? undefined : current.nodes.find((node) => node.id === selectedIdRef.current);
      let position = dropAt ?? { x: 0, y: 0 };
      if (!dropAt) {
        const lowest = current.nodes.reduce<WorkflowFlowNode | undefined>((low, node) => (!low || node.position.y > low.position.y ? node : low), undefined);
        const base = anchor ?? lowest;
        position = base ? { x: base.position.x, y: base.position.y + LAYER_GAP } : { x: 0, y: 0 };
        while (current.nodes.some((node) => Math.abs(node.position.x - position.x) < NODE_WIDTH && Math.abs(node.position.y - position.y) < LAYER_GAP / 2)) {
          position = { x: position.x + COLUMN_GAP, y: position.y };
        }
      }
      const node: WorkflowFlowNode = { ...toFlowNode({ id: nodeId, type, config, position }, kindOf, decorationsRef.current), selected: true };
      // Click-to-add continues from the selected step: its next step, or a condition's open branch.
      const edges = [...current.edges];
      if (anchor && entry.kind !== "trigger") {
        const usedTrue = current.edges.some((edge) => edge.source === anchor.id && edge.sourceHandle === "true");
        const branch = anchor.type === "condition" ? (usedTrue ? "false" : "true") : null;
        edges.push(toFlowEdge({ id: nextEdgeId(edges.map((e) => e.id)), source: anchor.id, target: nodeId, ...(branch ? { sourceHandle: branch } : {}) }, decorationsRef.current));
      }
      setFlow((flow) => ({ nodes: [...flow.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node], edges }));
      setSelectedId(nodeId);
      if (!dropAt) reactFlow.setCenter(position.x + NODE_WIDTH / 2, position.y + 40, { zoom: reactFlow.getZoom(), duration: 200 });
    },
    [catalogById, kindOf, markDirty, reactFlow, record, setFlow],
  );

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(PALETTE_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
  }, []);
  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(PALETTE_MIME);
      if (!type) return;
      event.preventDefault();
      const point = reactFlow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      addNode(type, { x: point.x - NODE_WIDTH / 2, y: point.y - 30 });
    },
    [addNode, reactFlow],
  );

  const onConfigChange = useCallback(
    (nodeId: string, config: Record<string, unknown>, field: string) => {
      record(`config:${nodeId}:${field}`);
      setFlow((current) => ({
        ...current,
        nodes: current.nodes.map((node) => (node.id === nodeId ? { ...node, data: { ...node.data, config } } : node)),
      }));
      markDirty();
    },
    [markDirty, record, setFlow],
  );
  const deleteNode = useCallback((nodeId: string) => void reactFlow.deleteElements({ nodes: [{ id: nodeId }] }), [reactFlow]);

  const onAutoLayout = useCallback(() => {
    record();
    const triggerIds = new Set(flowRef.current.nodes.filter((node) => node.type === "trigger").map((node) => node.id));
    const laid = new Map(autoLayout(currentGraph(), { triggerIds }).nodes.map((node) => [node.id, node.position]));
    setFlow((current) => ({ ...current, nodes: current.nodes.map((node) => ({ ...node, position: laid.get(node.id) ?? node.position })) }));
    markDirty();
    requestAnimationFrame(() => void reactFlow.fitView({ ...FIT_VIEW_OPTIONS, duration: 300 }));
  }, [currentGraph, markDirty, reactFlow, record, setFlow]);

  // --- saving, activation, test runs ------------------------------------------------------------
  const update = useMutation(trpc.workflows.update.mutationOptions());
  const activate = useMutation(trpc.workflows.activate.mutationOptions());
  const pause = useMutation(trpc.workflows.pause.mutationOptions());
  const testRun = useMutation(trpc.workflows.testRun.mutationOptions());
  const savingRef = useRef<Promise<boolean> | null>(null);

  const save = useCallback((): Promise<boolean> => {
    if (savingRef.current) return savingRef.current;
    const sentRevision = revisionRef.current;
    const trimmed = name.trim();
    const saving = update
      .mutateAsync({ id, graph: currentGraph(), ...(trimmed ? { name: trimmed } : {}), description: description.trim() || null })
      .then((result) => {
        setIssues(result.issues);
        setSavedRevision(sentRevision);
        setNameError(trimmed ? null : "Give the workflow a name (the old name was kept)");
        setNotice((current) => (current?.kind === "error" ? null : current));
        void queryClient.invalidateQueries({ queryKey: trpc.workflows.list.queryKey() });
        return true;
      })
      .catch((error: unknown) => {
        setNameError(fieldErrorsFrom(error).name?.[0] ?? null);
        setNotice({ kind: "error", text: `Not saved: ${messageFrom(error)} Your changes are still here; try again.` });
        return false;
      })
      .finally(() => {
        savingRef.current = null;
      });
    savingRef.current = saving;
    return saving;
  }, [currentGraph, description, id, name, queryClient, trpc, update]);

  const onActivate = useCallback(async () => {
    if (dirty && !(await save())) return;
    try {
      const result = await activate.mutateAsync({ id });
      setStatus(result.status);
      setActiveVersion(result.version);
      setNotice({ kind: "success", text: `Workflow is active (version ${result.version}).` });
      void queryClient.invalidateQueries({ queryKey: trpc.workflows.list.queryKey() });
    } catch (error) {
      const reasons = issuesFromError(error);
      if (reasons.length) setIssues(reasons);
      setNotice({ kind: "error", text: messageFrom(error), issues: reasons });
    }
  }, [activate, dirty, id, queryClient, save, trpc]);

  const onPause = useCallback(async () => {
    try {
      const result = await pause.mutateAsync({ id });
      setStatus(result.status);
      setNotice({ kind: "success", text: "Workflow paused: new events will not start runs." });
      void queryClient.invalidateQueries({ queryKey: trpc.workflows.list.queryKey() });
    } catch (error) {
      setNotice({ kind: "error", text: messageFrom(error) });
    }
  }, [id, pause, queryClient, trpc]);

  const onStartTestRun = useCallback(
    async ({ payload, dryRun }: { payload?: unknown; dryRun: boolean }) => {
      if (dirty && !(await save())) return;
      try {
        const started = await testRun.mutateAsync({ id, dryRun, ...(payload !== undefined ? { payload } : {}) });
        setRunId(started.runId);
        setShowTestForm(false);
      } catch (error) {
        setNotice({ kind: "error", text: `Test run not started: ${messageFrom(error)}` });
      }
    },
    [dirty, id, save, testRun],
  );

  // "Run now" starts the live version of an active manual workflow, as its trigger would.
  const runNow = useMutation(trpc.workflows.runNow.mutationOptions());
  const onRunNow = useCallback(async () => {
    try {
      const started = await runNow.mutateAsync({ id });
      setRunId(started.runId);
    } catch (error) {
      setNotice({ kind: "error", text: `Run not started: ${messageFrom(error)}` });
    }
  }, [id, runNow]);

  // --- keyboard shortcuts and leaving with unsaved work --------------------------------------
  const shortcuts = useRef({ save, onUndo, onRedo });
  shortcuts.current = { save, onUndo, onRedo };
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      const key = event.key.toLowerCase();
      if (key === "s") {
        event.preventDefault();
        void shortcuts.current.save();
        return;
      }
      // Inside a text field, undo belongs to the field.
      if (isEditableTarget(event.target)) return;
      if (key === "z" && !event.shiftKey) {
        event.preventDefault();
        shortcuts.current.onUndo();
      } else if ((key === "z" && event.shiftKey) || key === "y") {
        event.preventDefault();
        shortcuts.current.onRedo();
      }
    }
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);

  useEffect(() => {
    if (!dirty) return;
    function onBeforeUnload(event: BeforeUnloadEvent) {
      event.preventDefault();
    }
    // In-app links do not unload the page; ask before following one away from unsaved work.
    function onClickCapture(event: MouseEvent) {
      const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
      if (!link || event.defaultPrevented || link.getAttribute("target") === "_blank") return;
      if (!window.confirm("You have unsaved changes. Leave without saving?")) {
        event.preventDefault();
        event.stopPropagation();
      }
    }
    window.addEventListener("beforeunload", onBeforeUnload);
    document.addEventListener("click", onClickCapture, true);
    return () => {
      window.removeEventListener("beforeunload", onBeforeUnload);
      document.removeEventListener("click", onClickCapture, true);
    };
  }, [dirty]);

  // --- derived view ---------------------------------------------------------------------------
  const selectedNode = selectedId ? flow.nodes.find((node) => node.id === selectedId) : undefined;
  const graphForReferences = useMemo(
    () => ({ nodes: flow.nodes.map((node) => ({ id: node.id, type: node.data.type, config: node.data.config })), edges: flow.edges }),
    [flow.nodes, flow.edges],
  );
  const references = useMemo(
    () => (selectedId ? referenceGroups(graphForReferences, selectedId, catalogById) : []),
    [catalogById, graphForReferences, selectedId],
  );
  const selectedIssues = useMemo(() => issues.filter((issue) => issue.nodeId === selectedId), [issues, selectedId]);
  const selectedStep = (runId && run.data?.steps.find((step) => step.nodeId === selectedId)) || null;
  const hasTrigger = flow.nodes.some((node) => node.type === "trigger");
  const nodeColor = useCallback((node: WorkflowFlowNode) => catalogById.get(node.data.type)?.color ?? "#94a3b8", [catalogById]);
  const saving = update.isPending;
  const runError = run.data ? runErrorText(run.data.error) : null;
  const triggerType = flow.nodes.find((node) => node.type === "trigger")?.data.type;

  return (
    <div className="wf-editor" data-testid="workflow-editor">
      <header className="wf-topbar">
        <Link href="/workflows" className="wf-back" aria-label="Back to workflows">
          ←
        </Link>
        <div className="wf-name">
          <input
            aria-label="Workflow name"
            value={name}
            maxLength={120}
            aria-invalid={nameError ? true : undefined}
            onChange={(e) => {
              setName(e.target.value);
              markDirty();
            }}
          />
          {nameError ? <span className="field-error">{nameError}</span> : null}
        </div>
        <StatusBadge status={status} />
        <span className={`wf-save-state${dirty ? " is-dirty" : ""}`} role="status" data-testid="save-state">
          {saving ? "Saving…" : dirty ? "Unsaved changes" : "Saved"}
        </span>
        <div className="wf-topbar-actions">
          <button type="button" className="btn btn-secondary btn-small" onClick={onUndo} disabled={history.past.length === 0} title="Undo (Ctrl/Cmd+Z)">
            Undo
          </button>
          <button type="button" className="btn btn-secondary btn-small" onClick={onRedo} disabled={history.future.length === 0} title="Redo (Ctrl/Cmd+Shift+Z)">
            Redo
          </button>
          <button type="button" className="btn btn-secondary btn-small" onClick={onAutoLayout} disabled={flow.nodes.length === 0}>
            Auto-layout
          </button>
          <button type="button" className="btn btn-secondary btn-small" onClick={() => void reactFlow.fitView({ ...FIT_VIEW_OPTIONS, duration: 300 })}>
            Fit to screen
          </button>
          <Link href={`/workflows/${id}/runs`} className="btn btn-secondary btn-small">
            Runs
          </Link>
          <button type="button" className="btn btn-secondary btn-small" onClick={() => setShowTestForm((open) => !open)} aria-expanded={showTestForm}>
            Test run
          </button>
          {status === "active" && triggerType === "manual.run" ? (
            <button type="button" className="btn btn-secondary btn-small" onClick={() => void onRunNow()} disabled={runNow.isPending}>
              Run now
            </button>
          ) : null}
          {status === "active" ? (
            <button type="button" className="btn btn-secondary btn-small" onClick={() => void onPause()} disabled={pause.isPending}>
              Pause
            </button>
          ) : (
            <button type="button" className="btn btn-secondary btn-small" onClick={() => void onActivate()} disabled={activate.isPending || saving}>
              {activate.isPending ? "Activating…" : "Activate"}
            </button>
          )}
          <button type="button" className="btn btn-primary btn-small" onClick={() => void save()} disabled={saving} title="Save (Ctrl/Cmd+S)">
            {saving ? "Saving…" : "Save"}
          </button>
        </div>
        {showTestForm ? <TestRunForm busy={testRun.isPending || saving} onStart={(options) => void onStartTestRun(options)} onCancel={() => setShowTestForm(false)} /> : null}
      </header>

      {notice ? (
        <div className={`alert alert-${notice.kind} wf-notice`} role={notice.kind === "error" ? "alert" : "status"} data-testid="editor-notice">
          <div>
            {notice.text}
            {notice.issues?.length ? (
              <ul className="wf-issue-list">
                {notice.issues.map((issue, i) => (
                  <li key={i}>
                    {issue.nodeId ? (
                      <button type="button" className="btn-link" onClick={() => selectNode(issue.nodeId ?? null)}>
                        {issue.nodeId}
                      </button>
                    ) : null}{" "}
                    {issue.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
          <button type="button" className="wf-icon-btn" onClick={() => setNotice(null)} aria-label="Dismiss message">
            ×
          </button>
        </div>
      ) : null}

      {runId ? (
        <div className="wf-runbar" role="status" data-testid="test-run-status" data-status={run.data?.status ?? "queued"}>
          <span className={`wf-dot dot-${run.data?.status ?? "queued"}`} aria-hidden />
          <strong>{run.data?.dryRun ? "Dry run" : "Test run"}</strong> {run.data ? run.data.status : "starting…"}
          {runError ? <span className="wf-runbar-error"> · {runError}</span> : null}
          <Link href={`/workflows/${id}/runs?run=${runId}`}>Open in runs</Link>
          <button type="button" className="btn btn-link" onClick={() => setRunId(null)}>
            Clear test results
          </button>
        </div>
      ) : null}

      <div className="wf-body">
        <Palette entries={catalog} hasTrigger={hasTrigger} onAdd={addNode} />
        <div className="wf-canvas" onDragOver={onDragOver} onDrop={onDrop}>
          <ReactFlow<WorkflowFlowNode, WorkflowFlowEdge>
            nodes={flow.nodes}
            edges={flow.edges}
            nodeTypes={nodeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onConnect={onConnect}
            isValidConnection={isValidConnection}
            onBeforeDelete={onBeforeDelete}
            onSelectionChange={onSelectionChange}
            onNodeDragStart={onNodeDragStart}
            deleteKeyCode={DELETE_KEYS}
            onlyRenderVisibleElements={flow.nodes.length > VIRTUALIZE_ABOVE}
            fitView
            fitViewOptions={FIT_VIEW_OPTIONS}
            minZoom={0.1}
          >
            <Background gap={20} />
            <Controls />
            <MiniMap nodeColor={nodeColor} pannable zoomable ariaLabel="Workflow overview" />
          </ReactFlow>
          {flow.nodes.length === 0 ? (
            <div className="wf-canvas-empty">
              <h2>Start with a trigger</h2>
              <p className="muted">Pick what starts this workflow from the list on the left: a Stripe payment, a webhook, a schedule…</p>
            </div>
          ) : null}
        </div>
        {selectedNode ? (
          <ConfigPanel
            key={selectedNode.id}
            nodeId={selectedNode.id}
            type={selectedNode.data.type}
            config={selectedNode.data.config}
            entry={catalogById.get(selectedNode.data.type)}
            issues={selectedIssues}
            references={references}
            step={selectedStep}
            onConfigChange={onConfigChange}
            onDelete={deleteNode}
            onClose={() => selectNode(null)}
          />
        ) : (
          <aside className="wf-panel" aria-label="Workflow details">
            <div className="wf-panel-body">
              <h2>Workflow</h2>
              <div className="field">
                <label htmlFor="workflow-description">Description</label>
                <textarea
                  id="workflow-description"
                  rows={3}
                  maxLength={1000}
                  value={description}
                  onChange={(e) => {
                    setDescription(e.target.value);
                    markDirty();
                  }}
                />
              </div>
              <p className="muted">
                Status: <strong>{status}</strong>
                {activeVersion ? ` · live version ${activeVersion}` : ""}
                {workflow.pausedReason && status === "paused" ? ` · paused: ${workflow.pausedReason}` : ""}
              </p>
              {workflow.connectionWarnings.map((warning) => (
                <p key={warning.provider} className="field-error" data-testid={`workflow-warning-${warning.provider}`}>
                  {warning.message}. <Link href="/integrations">Reconnect on the Integrations page</Link>
                </p>
              ))}
              {triggerType === "webhook.received" ? (
                <WebhookSettings workflowId={id} url={workflow.webhookUrl} hasSecret={workflow.hasWebhookSecret} />
              ) : null}
              <ConcurrencySettings workflowId={id} maxConcurrency={workflow.maxConcurrency} />
              <h3 className="wf-panel-subhead">{issues.length ? `${issues.length} issue${issues.length === 1 ? "" : "s"} to fix before activating` : "No issues found"}</h3>
              {issues.length ? (
                <ul className="wf-issue-list" data-testid="workflow-issues">
                  {issues.map((issue, i) => (
                    <li key={i}>
                      {issue.nodeId ? (
                        <button type="button" className="btn-link" onClick={() => selectNode(issue.nodeId ?? null)}>
                          {issue.nodeId}
                        </button>
                      ) : null}{" "}
                      {issue.field ? <code>{issue.field}</code> : null} {issue.message}
                    </li>
                  ))}
                </ul>
              ) : null}
              <p className="hint wf-shortcuts">
                Select a step to edit it. Delete/Backspace removes the selection; Ctrl/Cmd+Z undoes, Ctrl/Cmd+Shift+Z redoes, Ctrl/Cmd+S saves.
              </p>
            </div>
          </aside>
        )}
      </div>
    </div>
  );
}

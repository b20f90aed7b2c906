// Runs one workflow run: steps in topological order over an immutable plan, conditions routing
// branches, delays parking the run, actions retried with backoff (a wait longer than
// maxInlineWaitMs parks the run too, so it holds no worker while it waits). Earlier results passed in as
// `previous` are reused, which is how crash recovery, delays and "replay from the failed step" work.
//
// Failure policy: steps run one at a time, and the first failed step stops the run. Steps that had
// not started get no result, so a replay (previous results minus the failed step) carries on from
// exactly there without having performed side effects on other branches of a failed run.
// A waiting delay only holds back its own descendants; independent branches still run.
import { CONDITION_TYPE, DELAY_TYPE, TRANSFORM_TYPE, conditionConfigSchema, delayMs, evaluateCondition, type ConditionConfig, type DelayConfig, type TransformConfig } from "./core-nodes";
import { StepError, toStepError } from "./errors";
import { compileTemplates, resolveTemplates, type CompiledValue, type TemplateScope } from "./template";
import type { GetCredentials, NodeCatalog, NodeDefinition, StepContext, StepResult, WorkflowEdge, WorkflowGraph } from "./types";
import type { z } from "zod";

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * A retry wait up to this long is slept in the worker; a longer one (a long backoff, a 429's
   * Retry-After) ends the execution with the run waiting until then, holding no worker slot, and
   * the step resumes from its next attempt. Default 1 s.
   */
  maxInlineWaitMs?: number;
}

export interface ExecuteOptions {
  graph: WorkflowGraph;
  catalog: NodeCatalog;
  runId: string;
  userId: string;
  /** The trigger payload; becomes the trigger step's output. */
  trigger: unknown;
  /** Persisted results of an earlier attempt of this run: succeeded and skipped steps are reused. */
  previous?: StepResult[];
  getCredentials: GetCredentials;
  /** Actions call `definition.preview` instead of `run`; delays do not wait. */
  dryRun?: boolean;
  retry?: RetryPolicy;
  stepTimeoutMs?: number;
  /** Cancels the run. */
  signal?: AbortSignal;
  now?: () => Date;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  /** Called when a step starts, after each failed attempt that will be retried, and when it settles. Awaited. */
  onStep?: (step: StepResult) => void | Promise<void>;
}

export type ExecuteStatus = "succeeded" | "failed" | "waiting" | "cancelled";

export interface ExecuteResult {
  status: ExecuteStatus;
  steps: StepResult[];
  /** When a waiting run may continue (the earliest waiting delay). */
  resumeAt?: Date;
  error?: { nodeId: string; message: string; code: string };
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 30_000, maxInlineWaitMs: 1_000 };
export const DEFAULT_MAX_INLINE_WAIT_MS = 1_000;
export const DEFAULT_STEP_TIMEOUT_MS = 30_000;

// ---------------------------------------------------------------------------------------------
// Plan: everything about a graph that does not depend on the run, computed once per graph object.
// Graphs are treated as immutable: callers that edit a graph pass a new object.
// ---------------------------------------------------------------------------------------------

type Role = "trigger" | "condition" | "delay" | "transform" | "action";

interface PlannedNode {
  id: string;
  role: Role;
  definition: NodeDefinition;
  incoming: WorkflowEdge[];
  config: CompiledValue;
  /** A template or settings error known before running; reported when (if) the step is reached. */
  configError?: StepError;
  /** Conditions: the config parsed once (rule operands are still raw templates). */
  condition?: ConditionConfig;
}

type Plan = { ok: true; nodes: PlannedNode[]; byId: Map<string, PlannedNode> } | { ok: false; nodeId: string; message: string };

const planCache = new WeakMap<WorkflowGraph, WeakMap<NodeCatalog, Plan>>();

function getPlan(graph: WorkflowGraph, catalog: NodeCatalog): Plan {
  let byCatalog = planCache.get(graph);
  if (!byCatalog) planCache.set(graph, (byCatalog = new WeakMap()));
  let plan = byCatalog.get(catalog);
  if (!plan) byCatalog.set(catalog, (plan = buildPlan(graph, catalog)));
  return plan;
}

function roleOf(definition: NodeDefinition): Role | undefined {
  if (definition.kind === "trigger") return "trigger";
  if (definition.type === CONDITION_TYPE) return "condition";
  if (definition.type === DELAY_TYPE) return "delay";
  if (definition.type === TRANSFORM_TYPE) return "transform";
  if (definition.kind === "action" && definition.run) return "action";
  return undefined;
}

function fieldError(issues: readonly z.core.$ZodIssue[]): StepError {
  const messages = issues.map((issue) => (issue.path.length ? `${issue.path.map(String).join(".")}: ${issue.message}` : issue.message));
  return new StepError("validation", messages.join("; "));
}

function buildPlan(graph: WorkflowGraph, catalog: NodeCatalog): Plan {
  const byId = new Map<string, PlannedNode>();
  const indexOf = new Map<string, number>();
  let triggers = 0;
  for (const [index, node] of graph.nodes.entries()) {
    if (byId.has(node.id)) return { ok: false, nodeId: node.id, message: `Two steps share the id "${node.id}"` };
    const definition = catalog.get(node.type);
    if (!definition) return { ok: false, nodeId: node.id, message: `Unknown node type "${node.type}"` };
    const role = roleOf(definition);
    if (!role) return { ok: false, nodeId: node.id, message: `"${node.type}" cannot run: it is neither a trigger, an action nor a core logic node` };
    if (role === "trigger") triggers++;
    let config: CompiledValue;
    let configError: StepError | undefined;
    try {
      config = compileTemplates(node.config);
    } catch (error) {
      config = compileTemplates({});
      configError = toStepError(error);
    }
    const planned: PlannedNode = { id: node.id, role, definition, incoming: [], config, configError };
    if (role === "condition" && !planned.configError) {
      const parsed = conditionConfigSchema.safeParse(node.config);
      if (parsed.success) planned.condition = parsed.data;
      else planned.configError = fieldError(parsed.error.issues);
    }
    byId.set(node.id, planned);
    indexOf.set(node.id, index);
  }
  if (triggers !== 1) return { ok: false, nodeId: graph.nodes[0]?.id ?? "", message: `A workflow needs exactly one trigger (found ${triggers})` };

  const children = new Map<string, string[]>();
  const pending = new Map<string, number>();
  for (const edge of graph.edges) {
    const target = byId.get(edge.target);
    if (!byId.has(edge.source) || !target) return { ok: false, nodeId: edge.source, message: `Connection "${edge.id}" links a step that does not exist` };
    target.incoming.push(edge);
    children.set(edge.source, [...(children.get(edge.source) ?? []), edge.target]);
    pending.set(edge.target, (pending.get(edge.target) ?? 0) + 1);
  }

  // Kahn's algorithm; among ready steps the one drawn first runs first, so order is deterministic.
  const ready = graph.nodes.filter((node) => !pending.get(node.id)).map((node) => node.id);
  const nodes: PlannedNode[] = [];
  while (ready.length) {
    let best = 0;
    for (let i = 1; i < ready.length; i++) if ((indexOf.get(ready[i] ?? "") ?? 0) < (indexOf.get(ready[best] ?? "") ?? 0)) best = i;
    const [id] = ready.splice(best, 1) as [string];
    nodes.push(byId.get(id) as PlannedNode);
    for (const child of children.get(id) ?? []) {
      const left = (pending.get(child) ?? 0) - 1;
      pending.set(child, left);
      if (left === 0) ready.push(child);
    }
  }
  if (nodes.length < graph.nodes.length) {
    const stuck = graph.nodes.find((node) => (pending.get(node.id) ?? 0) > 0);
    return { ok: false, nodeId: stuck?.id ?? "", message: "The workflow has a loop" };
  }
  return { ok: true, nodes, byId };
}

// ---------------------------------------------------------------------------------------------
// Running
// ---------------------------------------------------------------------------------------------

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

const cancelledError = () => new StepError("cancelled", "The run was cancelled");

/** Where a step stands for its descendants. "blocked" steps wait behind a delay and get no result yet. */
type NodeState = "succeeded" | "skipped" | "waiting" | "blocked";

type Outcome = { kind: "continue" } | { kind: "stop"; status: "failed" | "cancelled"; error?: ExecuteResult["error"] };

class RunExecutor {
  private readonly steps: StepResult[] = [];
  private readonly states = new Map<string, NodeState>();
  private readonly outputs: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  private readonly scope: TemplateScope;
  private readonly previous = new Map<string, StepResult>();
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly now: () => Date;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private resumeAt?: Date;

  constructor(private readonly options: ExecuteOptions) {
    this.scope = { trigger: options.trigger, steps: this.outputs };
    for (const step of options.previous ?? []) this.previous.set(step.nodeId, step);
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.timeoutMs = options.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
  }

  async execute(): Promise<ExecuteResult> {
    const plan = getPlan(this.options.graph, this.options.catalog);
    if (!plan.ok) return { status: "failed", steps: [], error: { nodeId: plan.nodeId, message: plan.message, code: "validation" } };
    for (const node of plan.nodes) {
      if (this.options.signal?.aborted) return this.finish({ kind: "stop", status: "cancelled" });
      const outcome = await this.visit(node, plan.byId);
      if (outcome.kind === "stop") return this.finish(outcome);
    }
    return this.finish({ kind: "continue" });
  }

  private finish(outcome: Outcome): ExecuteResult {
    if (outcome.kind === "stop") return { status: outcome.status, steps: this.steps, ...(outcome.error ? { error: outcome.error } : {}) };
    if (this.resumeAt) return { status: "waiting", steps: this.steps, resumeAt: this.resumeAt };
    return { status: "succeeded", steps: this.steps };
  }

  private async visit(node: PlannedNode, byId: Map<string, PlannedNode>): Promise<Outcome> {
    const previous = this.previous.get(node.id);
    if (previous && (previous.status === "succeeded" || previous.status === "skipped")) {
      this.steps.push(previous);
      this.settle(node.id, previous.status, previous.output);
      return { kind: "continue" };
    }
    if (node.role !== "trigger") {
      let active = false;
      for (const edge of node.incoming) {
        const state = this.states.get(edge.source);
        if (state === "waiting" || state === "blocked") {
          this.states.set(node.id, "blocked");
          return { kind: "continue" };
        }
        if (state === "succeeded" && this.edgeIsActive(edge, byId)) active = true;
      }
      if (!active) {
        // Skips propagate: a step whose every incoming branch is inactive is skipped too.
        await this.record({ nodeId: node.id, status: "skipped", attempts: 0 });
        this.settle(node.id, "skipped");
        return { kind: "continue" };
      }
    }
    switch (node.role) {
      case "trigger":
        return this.runTrigger(node);
      case "condition":
        return this.runCondition(node);
      case "delay":
        return this.runDelay(node, previous);
      case "transform":
        return this.runTransform(node);
      case "action":
        return this.runAction(node, previous);
    }
  }

  private edgeIsActive(edge: WorkflowEdge, byId: Map<string, PlannedNode>): boolean {
    if (byId.get(edge.source)?.role !== "condition") return true;
    const output = this.outputs[edge.source] as { result: boolean } | undefined;
    return edge.sourceHandle === String(output?.result);
  }

  private settle(nodeId: string, state: NodeState, output?: unknown): void {
    this.states.set(nodeId, state);
    if (state === "succeeded") this.outputs[nodeId] = output;
  }

  // onStep gets a copy: the caller may keep it while this run goes on building its own objects.
  private async record(step: StepResult): Promise<void> {
    this.steps.push(step);
    if (this.options.onStep) await this.options.onStep({ ...step });
  }

  private async notify(step: StepResult): Promise<void> {
    if (this.options.onStep) await this.options.onStep({ ...step });
  }

  private async fail(node: PlannedNode, step: StepResult, error: StepError): Promise<Outcome> {
    const failed: StepResult = { ...step, status: "failed", error: { message: error.message, code: error.code, retryable: error.retryable }, finishedAt: this.now() };
    await this.record(failed);
    const status = error.code === "cancelled" ? "cancelled" : "failed";
    return { kind: "stop", status, error: { nodeId: node.id, message: error.message, code: error.code } };
  }

  private async succeed(node: PlannedNode, step: StepResult, output: unknown): Promise<Outcome> {
    await this.record({ ...step, status: "succeeded", output, finishedAt: this.now() });
    this.settle(node.id, "succeeded", output);
    return { kind: "continue" };
  }

  private async runTrigger(node: PlannedNode): Promise<Outcome> {
    const step: StepResult = { nodeId: node.id, status: "running", attempts: 1, startedAt: this.now() };
    await this.notify(step);
    return this.succeed(node, step, this.options.trigger);
  }

  private async runCondition(node: PlannedNode): Promise<Outcome> {
    const step: StepResult = { nodeId: node.id, status: "running", attempts: 1, startedAt: this.now() };
    await this.notify(step);
    if (node.configError || !node.condition) return this.fail(node, step, node.configError ?? new StepError("validation", "Invalid condition"));
    const config = node.condition;
    try {
      const { result, rules } = evaluateCondition(config, (value) => resolveTemplates(value, this.scope));
      return this.succeed(node, { ...step, input: { mode: config.mode, rules } }, { result });
    } catch (error) {
      return this.fail(node, step, toStepError(error));
    }
  }

  /** Resolves templates, then validates: a template or settings error fails the step before any attempt. */
  private prepareInput(node: PlannedNode): { ok: true; input: unknown } | { ok: false; error: StepError; input?: unknown } {
    if (node.configError) return { ok: false, error: node.configError };
    let resolved: unknown;
    try {
      resolved = node.config.resolve(this.scope);
    } catch (error) {
      return { ok: false, error: toStepError(error) };
    }
    const parsed = node.definition.configSchema.safeParse(resolved);
    return parsed.success ? { ok: true, input: parsed.data } : { ok: false, error: fieldError(parsed.error.issues), input: resolved };
  }

  /** A transform has no side effect: its output is its resolved fields, and a failure is not retried. */
  private async runTransform(node: PlannedNode): Promise<Outcome> {
    const step: StepResult = { nodeId: node.id, status: "running", attempts: 1, startedAt: this.now() };
    await this.notify(step);
    const prepared = this.prepareInput(node);
    if (!prepared.ok) return this.fail(node, { ...step, input: prepared.input }, prepared.error);
    return this.succeed(node, step, (prepared.input as TransformConfig).fields);
  }

  private async runDelay(node: PlannedNode, previous: StepResult | undefined): Promise<Outcome> {
    const now = this.now();
    if (previous?.status === "waiting" && previous.resumeAt) {
      if (now.getTime() < previous.resumeAt.getTime()) {
        this.steps.push(previous);
        return this.park(node, previous.resumeAt);
      }
      const step: StepResult = { ...previous, status: "running" };
      await this.notify(step);
      return this.succeed(node, step, { resumedAt: now.toISOString() });
    }
    const step: StepResult = { nodeId: node.id, status: "running", attempts: 1, startedAt: now };
    await this.notify(step);
    const prepared = this.prepareInput(node);
    if (!prepared.ok) return this.fail(node, { ...step, input: prepared.input, attempts: 0 }, prepared.error);
    const resumeAt = new Date(now.getTime() + delayMs(prepared.input as DelayConfig));
    // A dry run shows where the delay would end without waiting for it.
    if (this.options.dryRun) return this.succeed(node, { ...step, input: prepared.input }, { resumedAt: resumeAt.toISOString() });
    const waiting: StepResult = { ...step, status: "waiting", input: prepared.input, resumeAt };
    await this.record(waiting);
    return this.park(node, resumeAt);
  }

  private park(node: PlannedNode, resumeAt: Date): Outcome {
    this.settle(node.id, "waiting");
    if (!this.resumeAt || resumeAt < this.resumeAt) this.resumeAt = resumeAt;
    return { kind: "continue" };
  }

  private async runAction(node: PlannedNode, previous: StepResult | undefined): Promise<Outcome> {
    const now = this.now();
    // A step parked between attempts (a long retry wait): not due yet, it stays parked; due, it
    // carries on with its next attempt.
    const resuming = previous?.status === "waiting" && previous.resumeAt ? previous : undefined;
    if (resuming && now.getTime() < resuming.resumeAt!.getTime()) {
      this.steps.push(resuming);
      return this.park(node, resuming.resumeAt!);
    }
    const step: StepResult = { nodeId: node.id, status: "running", attempts: resuming ? resuming.attempts + 1 : 1, startedAt: resuming?.startedAt ?? now };
    await this.notify(step);
    const prepared = this.prepareInput(node);
    if (!prepared.ok) return this.fail(node, { ...step, input: prepared.input, attempts: 0 }, prepared.error);
    const input = prepared.input;
    const { definition } = node;
    // Without a preview, the validated input is the closest thing to "what would be sent".
    const perform = this.options.dryRun ? (definition.preview ?? (async (value: unknown) => value)) : (definition.run as NonNullable<NodeDefinition["run"]>);
    const { maxAttempts, baseDelayMs, maxDelayMs } = this.retry;
    const maxInlineWaitMs = this.retry.maxInlineWaitMs ?? DEFAULT_MAX_INLINE_WAIT_MS;
    for (let attempt = step.attempts; ; attempt++) {
      const current: StepResult = { ...step, input, attempts: attempt };
      let error: StepError;
      try {
        const output = await this.attempt(node, perform, input, attempt);
        // A dry run records the request it would have sent and carries on with the action's
        // sample output, so later steps' {{steps.…}} references resolve as they would for real.
        if (this.options.dryRun) return this.succeed(node, { ...current, preview: output }, definition.sample);
        return this.succeed(node, current, output);
      } catch (thrown) {
        error = toStepError(thrown);
      }
      if (!error.retryable || attempt >= maxAttempts || this.options.signal?.aborted) {
        return this.fail(node, current, this.options.signal?.aborted ? cancelledError() : error);
      }
      const lastError = { message: error.message, code: error.code, retryable: true };
      // Exponential backoff with full jitter, unless the provider asked for a longer pause.
      const backoff = this.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      const wait = Math.max(backoff, error.retryAfterMs ?? 0);
      if (wait > maxInlineWaitMs) {
        // Too long to hold a worker: the run waits, durably, and resumes here at resumeAt.
        const resumeAt = new Date(this.now().getTime() + wait);
        await this.record({ ...current, status: "waiting", error: lastError, resumeAt });
        return this.park(node, resumeAt);
      }
      await this.notify({ ...current, error: lastError });
      try {
        await this.sleep(wait, this.options.signal);
      } catch {
        return this.fail(node, current, cancelledError());
      }
      if (this.options.signal?.aborted) return this.fail(node, current, cancelledError());
    }
  }

  /**
   * One call of run/preview, bounded by the step timeout and the run's cancellation. The race means
   * an action that ignores its signal still cannot hold the run hostage. The AbortController behind
   * ctx.signal is created only when an action reads it: controllers are costly to allocate and
   * collect, and many steps never look at theirs.
   */
  private attempt(node: PlannedNode, perform: NonNullable<NodeDefinition["run"]>, input: unknown, attempt: number): Promise<unknown> {
    const { options, timeoutMs } = this;
    return new Promise<unknown>((resolve, reject) => {
      let controller: AbortController | undefined;
      let stopped: StepError | undefined;
      const cleanup = () => {
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onCancel);
      };
      const stop = (reason: StepError) => {
        if (stopped) return;
        stopped = reason;
        cleanup();
        controller?.abort(reason);
        reject(reason);
      };
      const onCancel = () => stop(cancelledError());
      const timer = setTimeout(() => stop(new StepError("timeout", `The step did not finish within ${timeoutMs} ms`)), timeoutMs);
      if (options.signal?.aborted) return stop(cancelledError());
      options.signal?.addEventListener("abort", onCancel, { once: true });
      const ctx: StepContext = {
        runId: options.runId,
        nodeId: node.id,
        userId: options.userId,
        idempotencyKey: `${options.runId}:${node.id}`,
        attempt,
        get signal() {
          if (!controller) {
            controller = new AbortController();
            if (stopped) controller.abort(stopped);
          }
          return controller.signal;
        },
        getCredentials: options.getCredentials,
      };
      let pending: Promise<unknown>;
      try {
        pending = perform(input, ctx);
      } catch (error) {
        cleanup();
        return reject(error);
      }
      // After a stop the promise has already settled with the stop reason; these become no-ops.
      pending.then(
        (output) => {
          cleanup();
          resolve(output);
        },
        (error: unknown) => {
          cleanup();
          reject(error);
        },
      );
    });
  }
}

/** Runs (or resumes) a workflow run. Rejects only if `onStep` throws; step failures are in the result. */
export function executeRun(options: ExecuteOptions): Promise<ExecuteResult> {
  return new RunExecutor(options).execute();
}

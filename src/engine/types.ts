// The contracts between the engine, the integrations registry and the run queue.
// Pure TypeScript: nothing here may import Next.js, React or Prisma.
import type { z } from "zod";

// ---------------------------------------------------------------------------------------------
// The workflow graph (shared/DESIGN.md): what the canvas draws, the API stores, the engine runs.
// ---------------------------------------------------------------------------------------------

export interface WorkflowNode {
  id: string;
  /** Canonical type key, e.g. "stripe.charge.failed", "jira.issue.create", "core.condition". */
  type: string;
  config: Record<string, unknown>;
  position: { x: number; y: number };
}

export interface WorkflowEdge {
  id: string;
  source: string;
  target: string;
  /** Only on edges leaving a core.condition node: which branch the edge is. */
  sourceHandle?: "true" | "false" | null;
}

export interface WorkflowGraph {
  nodes: WorkflowNode[];
  edges: WorkflowEdge[];
}

// ---------------------------------------------------------------------------------------------
// Node definitions: what the engine needs to know about each node type. The integrations
// registry (src/integrations/registry.ts) provides them; the engine never imports it.
// ---------------------------------------------------------------------------------------------

export type NodeKind = "trigger" | "action" | "logic";

export interface NodeDefinition {
  type: string;
  kind: NodeKind;
  /** Provider key ("stripe", "jira", "core", …) for grouping, icons and credentials. */
  provider: string;
  title: string;
  description: string;
  /** Validates node.config. String fields may hold {{…}} templates; they are resolved before run. */
  configSchema: z.ZodType;
  /**
   * Shape of what this node produces: a trigger's payload, an action's output, a logic node's
   * result. Used to type-check {{trigger.…}} / {{steps.<id>.…}} references before activation.
   */
  outputSchema: z.ZodType;
  /** When the output's shape depends on the node's settings (a transform's fields): the schema for these settings. */
  outputSchemaFor?: (config: unknown) => z.ZodType;
  /** A realistic example of the output (used for test runs and the reference picker). */
  sample: unknown;
  /** Actions only: performs the step. Throws StepError (src/engine/errors.ts) on failure. */
  run?: (input: unknown, ctx: StepContext) => Promise<unknown>;
  /** Actions only: the exact request the step would send, without sending it (dry runs). */
  preview?: (input: unknown, ctx: StepContext) => Promise<unknown>;
}

export interface NodeCatalog {
  get(type: string): NodeDefinition | undefined;
  list(): NodeDefinition[];
}

// ---------------------------------------------------------------------------------------------
// Running steps.
// ---------------------------------------------------------------------------------------------

export interface Credentials {
  /** Bearer / OAuth access token, or API key. */
  accessToken?: string;
  /** For providers with account + secret pairs (Twilio: accountSid + authToken). */
  username?: string;
  password?: string;
  /** Provider-specific extras: Jira cloudId, Pipedrive api_domain, base URLs … */
  extra?: Record<string, string>;
}

export interface GetCredentialsOptions {
  /** The provider refused the credentials just handed out (HTTP 401): refresh the OAuth token now. */
  forceRefresh?: boolean;
}

/**
 * Where actions get credentials: the user's stored connection for the provider, with an OAuth
 * access token refreshed when it is about to expire (src/server/services/credentials.ts).
 */
export type GetCredentials = (userId: string, provider: string, options?: GetCredentialsOptions) => Promise<Credentials>;

export interface StepContext {
  runId: string;
  nodeId: string;
  userId: string;
  /** Stable across retries and recovery: `${runId}:${nodeId}`. Sent to providers that accept one. */
  idempotencyKey: string;
  attempt: number;
  /** Aborted when the step's timeout elapses or the run is cancelled. */
  signal: AbortSignal;
  getCredentials: GetCredentials;
}

export type RunStatus = "queued" | "running" | "waiting" | "succeeded" | "failed" | "cancelled";
export type StepStatus = "running" | "succeeded" | "failed" | "skipped" | "waiting";

export interface StepResult {
  nodeId: string;
  status: StepStatus;
  /** The resolved input (templates filled in). */
  input?: unknown;
  output?: unknown;
  /** Dry runs: the exact request the action would have sent (secrets redacted). */
  preview?: unknown;
  error?: { message: string; code: string; retryable: boolean };
  attempts: number;
  startedAt?: Date;
  finishedAt?: Date;
  /** core.delay: when the run may continue. */
  resumeAt?: Date;
}

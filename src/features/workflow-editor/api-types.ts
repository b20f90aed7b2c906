// The shapes the workflows and runs API hands to the UI, as the editor reads them.
import type { WorkflowGraph } from "@/engine/types";

export type { WorkflowEdge, WorkflowGraph, WorkflowNode } from "@/engine/types";

export type NodeKind = "trigger" | "action" | "logic";

/** A JSON Schema fragment as z.toJSONSchema writes it; only the keywords the form reads. */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  format?: string;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
}

export interface CatalogEntry {
  type: string;
  kind: NodeKind;
  provider: string;
  providerName: string;
  title: string;
  description: string;
  color: string;
  icon: string;
  configSchema: unknown;
  sample: unknown;
  outputPaths: string[];
}

export interface ValidationIssue {
  nodeId?: string;
  edgeId?: string;
  field?: string;
  message: string;
}

export type WorkflowStatus = "draft" | "active" | "paused";
export type RunStatus = "queued" | "running" | "waiting" | "succeeded" | "failed" | "cancelled";
export type StepStatus = "running" | "succeeded" | "failed" | "skipped" | "waiting";

export interface StepView {
  nodeId: string;
  status: StepStatus;
  attempts: number;
}

export interface WorkflowDetail {
  id: string;
  name: string;
  description: string | null;
  status: WorkflowStatus;
  graph: WorkflowGraph;
  issues: ValidationIssue[];
  activeVersion: number | null;
  webhookUrl: string;
  pausedReason: string | null;
  updatedAt: Date | string;
}

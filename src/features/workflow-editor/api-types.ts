// The shapes the workflows and runs API hands to the UI, as the editor reads them.
import type { WorkflowGraph } from "@/engine/types";

export type { WorkflowEdge, WorkflowGraph, WorkflowNode } from "@/engine/types";

export type { NodeKind } from "@/engine/types";

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

export type { CatalogEntry } from "@/server/catalog";
import type { ValidationIssue } from "@/engine/validate";

export type { ValidationIssue };

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

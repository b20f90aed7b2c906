"use client";
// The canvas node components. They are memoised and registered once at module scope (nodeTypes)
// so React Flow never remounts them; all they read is their own data and the shared catalog.
import { Handle, Position, type NodeProps, type NodeTypes } from "@xyflow/react";
import { memo, type CSSProperties, type ReactNode } from "react";
import { useCatalogEntry } from "./catalog-context";
import type { ConditionFlowNode, StepFlowNode, TriggerFlowNode, WorkflowNodeData } from "./graph-mapping";
import { nodeSummary } from "./node-summary";

const STATUS_TEXT: Record<string, string> = {
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
  skipped: "Skipped",
  waiting: "Waiting",
};

function NodeCard({ id, data, selected, children }: { id: string; data: WorkflowNodeData; selected: boolean; children?: ReactNode }) {
  const entry = useCatalogEntry(data.type);
  const summary = nodeSummary(data.type, data.config);
  const step = data.step;
  const classes = ["wf-node", selected ? "is-selected" : "", step ? `step-${step.status}` : "", data.issues.length ? "has-issues" : ""];
  return (
    <div
      className={classes.filter(Boolean).join(" ")}
      data-testid={`node-${id}`}
      data-node-type={data.type}
      data-step-status={step?.status}
      style={{ "--node-color": entry?.color ?? "#64748b" } as CSSProperties}
    >
      <div className="wf-node-head">
        <span className="wf-node-icon" aria-hidden>
          {entry?.icon ?? "?"}
        </span>
        <div className="wf-node-titles">
          <span className="wf-node-provider">
            {entry ? (entry.providerName.toLowerCase() === entry.kind ? entry.providerName : `${entry.providerName} · ${entry.kind}`) : "Unknown step"}{" "}
            <span className="wf-node-id">{id}</span>
          </span>
          <strong className="wf-node-title">{entry?.title ?? data.type}</strong>
        </div>
        {data.issues.length ? (
          <span className="wf-node-issues" title={data.issues.join("\n")} aria-label={`${data.issues.length} issue${data.issues.length === 1 ? "" : "s"}`}>
            {data.issues.length}
          </span>
        ) : null}
      </div>
      {summary ? <div className="wf-node-summary">{summary}</div> : null}
      {step ? (
        <div className="wf-node-step" data-testid={`node-${id}-step`}>
          <span className={`wf-dot dot-${step.status}`} aria-hidden /> {STATUS_TEXT[step.status] ?? step.status}
          {step.attempts > 1 ? ` · ${step.attempts} attempts` : step.attempts === 1 ? " · 1 attempt" : ""}
        </div>
      ) : null}
      {children}
    </div>
  );
}

const TriggerNode = memo(function TriggerNode({ id, data, selected }: NodeProps<TriggerFlowNode>) {
  return (
    <NodeCard id={id} data={data} selected={selected}>
      <Handle type="source" position={Position.Bottom} />
    </NodeCard>
  );
});

const StepNode = memo(function StepNode({ id, data, selected }: NodeProps<StepFlowNode>) {
  return (
    <NodeCard id={id} data={data} selected={selected}>
      <Handle type="target" position={Position.Top} />
      <Handle type="source" position={Position.Bottom} />
    </NodeCard>
  );
});

const ConditionNode = memo(function ConditionNode({ id, data, selected }: NodeProps<ConditionFlowNode>) {
  return (
    <NodeCard id={id} data={data} selected={selected}>
      <Handle type="target" position={Position.Top} />
      <div className="wf-branches" aria-hidden>
        <span>Yes</span>
        <span>No</span>
      </div>
      <Handle type="source" position={Position.Bottom} id="true" className="handle-true" style={{ left: "28%" }} />
      <Handle type="source" position={Position.Bottom} id="false" className="handle-false" style={{ left: "72%" }} />
    </NodeCard>
  );
});

export const nodeTypes = { trigger: TriggerNode, step: StepNode, condition: ConditionNode } satisfies NodeTypes;

"use client";
// A run, step by step: status, attempts, duration, and the data that went in and came out.
import type { RunStatus, StepStatus } from "./api-types";
import { durationBetween, formatDateTime } from "./format";

type DateLike = Date | string | null;

export interface StepDetail {
  nodeId: string;
  status: StepStatus;
  input: unknown;
  output: unknown;
  /** Dry runs: the request the action would have sent. */
  preview?: unknown;
  error: { message: string; code: string; retryable: boolean } | null;
  attempts: number;
  startedAt: DateLike;
  finishedAt: DateLike;
  resumeAt: DateLike;
}

export interface RunDetail {
  id: string;
  status: RunStatus;
  trigger: unknown;
  test: boolean;
  dryRun: boolean;
  error: unknown;
  createdAt: DateLike;
  startedAt: DateLike;
  finishedAt: DateLike;
  resumeAt: DateLike;
  version: number | null;
  steps: StepDetail[];
}

export const RUN_IN_PROGRESS: ReadonlySet<RunStatus> = new Set(["queued", "running", "waiting"]);

export function isRunInProgress(status: RunStatus): boolean {
  return RUN_IN_PROGRESS.has(status);
}

/** A run's error as a sentence, whether the API sends a string or an error object. */
export function runErrorText(error: unknown): string | null {
  if (error === null || error === undefined || error === "") return null;
  if (typeof error === "string") return error;
  if (typeof error === "object" && "message" in error && typeof error.message === "string") return error.message;
  return JSON.stringify(error);
}

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`wf-status status-${status}`} data-status={status}>
      {status}
    </span>
  );
}

export function JsonBlock({ label, value, open = false }: { label: string; value: unknown; open?: boolean }) {
  if (value === undefined) return null;
  return (
    <details className="wf-json" open={open}>
      <summary>{label}</summary>
      <pre>{JSON.stringify(value, null, 2)}</pre>
    </details>
  );
}

export function RunTimeline({ run, titleOf }: { run: RunDetail; titleOf: (nodeId: string) => string }) {
  const runError = runErrorText(run.error);
  return (
    <div className="wf-timeline">
      {runError ? (
        <div className="alert alert-error" role="alert">
          {runError}
        </div>
      ) : null}
      <details className="wf-json">
        <summary>Trigger data</summary>
        <pre>{JSON.stringify(run.trigger, null, 2)}</pre>
      </details>
      {run.steps.length === 0 ? <p className="muted">{isRunInProgress(run.status) ? "Waiting for the first step…" : "No steps ran."}</p> : null}
      <ol className="wf-steps">
        {run.steps.map((step) => {
          const duration = durationBetween(step.startedAt, step.finishedAt);
          return (
            <li key={step.nodeId} className={`wf-step step-${step.status}`} data-testid={`step-${step.nodeId}`} data-status={step.status}>
              <div className="wf-step-head">
                <span className={`wf-dot dot-${step.status}`} aria-hidden />
                <strong>{titleOf(step.nodeId)}</strong>
                <code>{step.nodeId}</code>
                <StatusBadge status={step.status} />
                <span className="muted wf-step-meta">
                  {step.attempts} attempt{step.attempts === 1 ? "" : "s"}
                  {duration ? ` · ${duration}` : ""}
                  {step.status === "waiting" && step.resumeAt ? ` · resumes ${formatDateTime(step.resumeAt)}` : ""}
                </span>
              </div>
              {step.error ? (
                <div className="alert alert-error wf-step-error">
                  {step.error.message}
                  <span className="muted">
                    {" "}
                    ({step.error.code}
                    {step.error.retryable ? ", retryable" : ""})
                  </span>
                </div>
              ) : null}
              <JsonBlock label="Input" value={step.input} />
              {step.preview != null ? <JsonBlock label="Request it would send (dry run)" value={step.preview} /> : null}
              <JsonBlock label={step.preview != null ? "Sample output passed on" : "Output"} value={step.output} />
            </li>
          );
        })}
      </ol>
    </div>
  );
}

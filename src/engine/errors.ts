// How a step fails, and whether trying again could help. Integrations throw these; the executor
// reads `retryable` and `retryAfterMs` to decide on backoff.
export type StepErrorCode =
  | "network" // connection refused/reset, DNS failure: retry
  | "timeout" // the step's time limit elapsed: retry
  | "rate_limited" // HTTP 429: retry after Retry-After
  | "server" // HTTP 5xx: retry
  | "auth" // HTTP 401/403: the connection needs reconnecting; no retry
  | "client" // other HTTP 4xx: the request is wrong; no retry
  | "validation" // the step's input is invalid; no retry
  | "template" // a {{reference}} could not be resolved; no retry
  | "config" // missing credentials, blocked address …; no retry
  | "cancelled"; // the run was cancelled

const RETRYABLE: ReadonlySet<StepErrorCode> = new Set(["network", "timeout", "rate_limited", "server"]);

export class StepError extends Error {
  readonly code: StepErrorCode;
  readonly retryable: boolean;
  /** For rate limits: how long the provider asked us to wait. */
  readonly retryAfterMs?: number;
  /** HTTP status, when the failure came from a response. */
  readonly status?: number;

  constructor(code: StepErrorCode, message: string, options: { retryAfterMs?: number; status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "StepError";
    this.code = code;
    this.retryable = RETRYABLE.has(code);
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
  }
}

/** Any thrown value as a StepError (unknown errors are treated as permanent). */
export function toStepError(error: unknown): StepError {
  if (error instanceof StepError) return error;
  if (error instanceof Error && error.name === "AbortError") return new StepError("timeout", "The step timed out", { cause: error });
  return new StepError("client", error instanceof Error ? error.message : String(error), { cause: error });
}

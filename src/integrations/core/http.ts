// The one HTTP client every integration action sends through: real fetch, the step's abort signal
// plus a default timeout, JSON parsing, and the single mapping from transport and HTTP failures
// to StepError codes the executor uses to decide on retries.
import { StepError } from "@/engine/errors";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";

export interface HttpRequestSpec {
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  /** A raw body, sent as is (set content-type in headers). */
  body?: string | undefined;
  /** Serialised as JSON with content-type application/json. */
  json?: unknown;
  /** Serialised as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  /** Default true: 4xx/5xx become StepErrors. False returns every HTTP response as it came. */
  failOnHttpError?: boolean;
  /** The provider reports failures as `ok: false` inside a 200 body (Slack's Web API does). */
  okFlagInBody?: boolean;
}

export interface HttpResponse {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Parsed JSON when the response is JSON, the text otherwise, null when empty. */
  body: unknown;
}

export interface SendOptions {
  /** Human name used in error messages ("Slack", "Jira"). */
  provider: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Called before every request, including redirect hops; throws to refuse a destination. */
  guardUrl?: (url: URL) => Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_REDIRECTS = 5;

export async function sendHttpRequest(spec: HttpRequestSpec, options: SendOptions): Promise<HttpResponse> {
  const fetchImpl = options.fetch ?? fetch;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const secrets = secretsIn(spec.headers);
  const { headers, body } = encodeBody(spec);

  let response: Response;
  let parsed: HttpResponse;
  try {
    let url = new URL(spec.url);
    let method: string = spec.method;
    let requestBody = body;
    // With a guard, redirects are followed by hand so every hop is checked: otherwise a public
    // URL could bounce the request to a private address.
    for (let hop = 0; ; hop++) {
      await options.guardUrl?.(url);
      response = await fetchImpl(url, {
        method,
        headers,
        body: requestBody,
        signal,
        redirect: options.guardUrl ? "manual" : "follow",
      });
      const location = response.headers.get("location");
      if (!options.guardUrl || !isRedirect(response.status) || !location) break;
      if (hop >= MAX_REDIRECTS) throw new StepError("client", `${options.provider}: too many redirects`);
      await response.body?.cancel();
      url = new URL(location, url);
      // 303 (and, by browser convention, 301/302 after a POST) turn the request into a GET.
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === "POST")) {
        method = "GET";
        requestBody = undefined;
      }
    }
    parsed = await readResponse(response);
  } catch (error) {
    throw transportError(error, signal, options, secrets);
  }

  if (spec.failOnHttpError === false) return parsed;
  const failure = httpError(parsed, options.provider, spec.okFlagInBody === true);
  if (failure) throw scrub(failure, secrets);
  return parsed;
}

/** What a request would send, with credentials redacted: the dry-run view of a step. */
export interface RequestPreview {
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

export function previewHttpRequest(spec: HttpRequestSpec): RequestPreview {
  const headers: Record<string, string> = {};
  encodeBody(spec).headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { method: spec.method, url: spec.url, headers: redactHeaders(headers), body: spec.json ?? spec.form ?? spec.body };
}

function encodeBody(spec: HttpRequestSpec): { headers: Headers; body: string | undefined } {
  const headers = new Headers(spec.headers);
  if (spec.json !== undefined) {
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
    return { headers, body: JSON.stringify(spec.json) };
  }
  if (spec.form) {
    if (!headers.has("content-type")) headers.set("content-type", "application/x-www-form-urlencoded");
    return { headers, body: new URLSearchParams(spec.form).toString() };
  }
  return { headers, body: spec.body };
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

async function readResponse(response: Response): Promise<HttpResponse> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const text = await response.text();
  return { status: response.status, headers, body: parseBody(text, headers["content-type"]) };
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === "") return null;
  const looksJson = contentType ? /[/+]json\b/i.test(contentType) : /^\s*[[{]/.test(text);
  if (!looksJson) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function transportError(error: unknown, signal: AbortSignal, options: SendOptions, secrets: string[]): StepError {
  // A run cancellation aborts the step signal with its own reason; keep it so the executor can
  // tell "cancelled" from "took too long".
  if (options.signal?.aborted && options.signal.reason instanceof StepError) return options.signal.reason;
  if (error instanceof StepError) return scrub(error, secrets);
  // fetch rejects with the signal's reason, which may be any value the aborting code chose.
  if (signal.aborted || (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError"))) {
    return new StepError("timeout", `${options.provider} did not answer in time`, { cause: error });
  }
  const code = networkErrorCode(error);
  return new StepError("network", `Could not reach ${options.provider}${code ? ` (${code})` : ""}`, { cause: error });
}

function networkErrorCode(error: unknown): string | undefined {
  // Node's fetch throws TypeError("fetch failed") with the socket error (ECONNREFUSED …) as cause.
  const cause = error instanceof Error ? error.cause : undefined;
  if (typeof cause === "object" && cause !== null && "code" in cause && typeof cause.code === "string") return cause.code;
  return undefined;
}

function httpError(response: HttpResponse, provider: string, okFlagInBody: boolean): StepError | undefined {
  const { status, headers, body } = response;
  const detail = providerErrorMessage(body);
  const suffix = detail ? `: ${detail}` : "";

  if (status === 429 || isRateLimitedForbidden(status, headers)) {
    return new StepError("rate_limited", `${provider} rate limit reached (HTTP ${status})${suffix}`, {
      status,
      retryAfterMs: retryAfterMs(headers),
    });
  }
  if (status >= 500) {
    // 503s often say when to come back; honour it like a rate limit.
    return new StepError("server", `${provider} failed with HTTP ${status}${suffix}`, { status, retryAfterMs: retryAfterMs(headers) });
  }
  if (status === 401 || status === 403) {
    return new StepError("auth", `${provider} rejected the credentials (HTTP ${status})${suffix}. Reconnect ${provider} and try again.`, { status });
  }
  if (status >= 400) return new StepError("client", `${provider} rejected the request (HTTP ${status})${suffix}`, { status });
  if (okFlagInBody) return okFlagError(body, provider, status, headers);
  return undefined;
}

// GitHub signals an exhausted rate limit with 403 plus these headers rather than 429.
function isRateLimitedForbidden(status: number, headers: Record<string, string>): boolean {
  return status === 403 && (headers["x-ratelimit-remaining"] === "0" || headers["retry-after"] !== undefined);
}

const SLACK_AUTH_ERRORS = new Set(["invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive", "missing_scope", "no_permission"]);

function okFlagError(body: unknown, provider: string, status: number, headers: Record<string, string>): StepError | undefined {
  if (!isRecord(body) || body.ok !== false) return undefined;
  const error = typeof body.error === "string" ? body.error : "unknown_error";
  if (error === "ratelimited") {
    return new StepError("rate_limited", `${provider} rate limit reached: ${error}`, { status, retryAfterMs: retryAfterMs(headers) });
  }
  if (SLACK_AUTH_ERRORS.has(error)) {
    return new StepError("auth", `${provider} rejected the credentials: ${error}. Reconnect ${provider} and try again.`, { status });
  }
  return new StepError("client", `${provider} rejected the request: ${error}`, { status });
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3); GitHub uses x-ratelimit-reset. */
export function retryAfterMs(headers: Record<string, string>, now: number = Date.now()): number | undefined {
  const value = headers["retry-after"]?.trim();
  if (value) {
    if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
    const date = Date.parse(value);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = headers["x-ratelimit-reset"];
  if (reset && /^\d+$/.test(reset)) return Math.max(0, Number(reset) * 1000 - now);
  return undefined;
}

/** The provider's own words from an error body, for the shapes Cue's providers use. */
export function providerErrorMessage(body: unknown): string | undefined {
  if (typeof body === "string") return body.trim() ? body.trim().slice(0, 300) : undefined;
  if (!isRecord(body)) return undefined;
  const parts: string[] = [];
  // Jira: { errorMessages: string[], errors: { field: message } }
  if (Array.isArray(body.errorMessages)) parts.push(...body.errorMessages.filter(isString));
  // SendGrid { errors: [{ message, field }] }, GitHub { message, errors: [{ field, code, message? }] }, Jira { errors: {…} }
  if (Array.isArray(body.errors)) {
    for (const item of body.errors) {
      if (isString(item)) parts.push(item);
      else if (isRecord(item)) {
        const text = isString(item.message) ? item.message : isString(item.code) ? item.code : undefined;
        if (text) parts.push(isString(item.field) ? `${item.field}: ${text}` : text);
      }
    }
  } else if (isRecord(body.errors)) {
    for (const [field, message] of Object.entries(body.errors)) if (isString(message)) parts.push(`${field}: ${message}`);
  }
  // Twilio and GitHub { message }, Pipedrive { error, error_info }, Slack { error }, OAuth { error_description }
  if (isString(body.message)) parts.unshift(body.message);
  else if (isString(body.error_description)) parts.unshift(body.error_description);
  else if (isString(body.error)) parts.unshift(body.error);
  else if (isRecord(body.error) && isString(body.error.message)) parts.unshift(body.error.message);
  if (isString(body.error_info) && parts.length > 0) parts.push(body.error_info);
  const message = [...new Set(parts)].join("; ");
  return message ? message.slice(0, 500) : undefined;
}

/** Values of the credentials a request carries, so no error message can echo them back. */
function secretsIn(headers: Record<string, string>): string[] {
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (!isSensitiveHeader(name)) continue;
    const [scheme, token] = value.split(/\s+/, 2);
    if (token && /^basic$/i.test(scheme ?? "")) {
      secrets.push(token, ...Buffer.from(token, "base64").toString("utf8").split(":"));
    } else if (token) secrets.push(token);
    secrets.push(value);
  }
  return secrets.filter((secret) => secret.length >= 6);
}

function scrub(error: StepError, secrets: string[]): StepError {
  if (!secrets.some((secret) => error.message.includes(secret))) return error;
  const message = secrets.reduce((text, secret) => text.split(secret).join("•••"), error.message);
  return new StepError(error.code, message, { status: error.status, retryAfterMs: error.retryAfterMs });
}

const SENSITIVE_HEADERS = /^(authorization|proxy-authorization|cookie|x-api-key|api-key|x-auth-token|private-token)$/i;

function isSensitiveHeader(name: string): boolean {
  if (SENSITIVE_HEADERS.test(name)) return true;
  // Idempotency tokens are request ids, not credentials; showing them helps debugging.
  return /token|secret|password|api-?key/i.test(name) && !/idempotency/i.test(name);
}

/** Headers safe to show in a preview or log: credentials replaced by "•••", the scheme kept. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const redacted: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!isSensitiveHeader(name)) redacted[name] = value;
    else {
      const scheme = /^(Bearer|Basic|Token|Bot)\s+/i.exec(value);
      redacted[name] = scheme ? `${scheme[1]} •••` : "•••";
    }
  }
  return redacted;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isString(value: unknown): value is string {
  return typeof value === "string" && value.length > 0;
}

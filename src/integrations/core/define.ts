// Integrations as data: one typed object per integration, trigger and action. The canvas forms,
// the engine's validation and the AI planner all read these declarations; the registry turns
// them into the engine's NodeDefinitions.
import { z } from "zod";
import { StepError } from "@/engine/errors";
import type { Credentials, GetCredentialsOptions, NodeDefinition, StepContext } from "@/engine/types";
import { type HttpRequestSpec, type HttpResponse, previewHttpRequest, sendHttpRequest } from "./http";
import { assertPublicUrl, type LookupAll } from "./network-guard";

export type IntegrationKey =
  | "stripe"
  | "pipedrive"
  | "pipedream"
  | "jira"
  | "slack"
  | "twilio"
  | "sendgrid"
  | "github"
  | "http"
  | "webhook"
  | "schedule"
  | "manual";

/** `external`: the account is connected and held elsewhere (Pipedream Connect), not by Cue. */
export type ConnectionKind = "oauth2" | "api_key" | "external" | "none";

/** A canvas icon: a monogram drawn in the integration colour, or an SVG path on a 24×24 box. */
export type IntegrationIcon = { kind: "monogram"; text: string } | { kind: "svg"; path: string };

export interface TriggerDefinition<P extends z.ZodType = z.ZodType> {
  /** Canonical type key, e.g. "stripe.charge.failed". */
  type: string;
  title: string;
  description: string;
  /** What people type for this event ("payment fails", "card is declined"), for the AI planner. */
  phrases: string[];
  configSchema: z.ZodType;
  /** The payload a run starts with: what {{trigger.…}} references read. */
  payloadSchema: P;
  sample: z.output<P>;
  /** The provider's own event name, which webhook intake dispatches on. */
  event?: {
    name: string;
    /** For events that share a name but mean different things (Pipedrive "change.deal" → won). */
    matches?(payload: z.output<P>): boolean;
  };
}

/** What an action's request builder gets besides its input. */
export interface RequestContext {
  credentials: Credentials;
  /** The integration's base URL from the registry options (tests point it at local fakes). */
  baseUrl: string;
  /** Stable across retries (`${runId}:${nodeId}`); send it where the provider deduplicates. */
  idempotencyKey: string;
}

export interface ActionDefinition<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  /** Canonical type key, e.g. "jira.issue.create". */
  type: string;
  title: string;
  description: string;
  phrases: string[];
  /** The node's config, after {{templates}} are resolved. */
  input: I;
  output: O;
  sampleOutput: z.output<O>;
  /** The URL comes from the user: refuse private addresses unless the registry allows them. */
  publicNetworkOnly?: boolean;
  request(input: z.output<I>, ctx: RequestContext): HttpRequestSpec;
  /** Maps the provider's response to the output; without it the response body is the output. */
  parse?(response: HttpResponse, ctx: RequestContext): z.input<O>;
}

/**
 * Connecting with credentials the user pastes (API keys, bot tokens, personal access tokens).
 * `verify` is a cheap authenticated request: the connection is saved only if it succeeds.
 */
export interface TokenConnection<F extends z.ZodType = z.ZodType> {
  /** The form: an object schema whose fields carry .describe() labels. */
  fields: F;
  /** Fields shown as password inputs and never echoed back. */
  secretFields: readonly string[];
  /**
   * Encrypted credentials and plain settings (site URL …) built from the form, and the secret the
   * provider signs its webhooks with, where the user sets one.
   */
  toCredentials(fields: z.output<F>): { credentials: Credentials; settings: Record<string, string>; webhookSecret?: string };
  verify: {
    request(credentials: Credentials, settings: Record<string, string>, baseUrl: string): HttpRequestSpec;
    /** Who the credentials belong to, for the connection's label and account id. */
    account(body: unknown): { externalAccountId?: string; label?: string };
  };
}

/**
 * Connecting through an OAuth 2 authorization-code flow (src/server/oauth). Endpoints are paths
 * under a base URL the environment may override (tests point it at a local fake); the client id
 * and secret come from the environment variables named here.
 */
export interface OAuthConnection {
  defaultBaseUrl: string;
  authorizePath: string;
  tokenPath: string;
  scopes: readonly string[];
  /** Send a PKCE S256 challenge (only where the provider supports it). */
  pkce: boolean;
  /** How the client authenticates at the token endpoint. */
  clientAuth: "client_secret_post" | "client_secret_basic";
  env: {
    /** Overrides defaultBaseUrl. */
    baseUrl: string;
    clientId: string;
    /** The first one set is used (Stripe: a Connect-specific key, else the platform key). */
    clientSecret: readonly string[];
  };
  /** Extra query parameters on the authorize URL (Atlassian: audience and prompt). */
  authorizeParams?: Readonly<Record<string, string>>;
  /** How scopes are joined in the authorize URL: RFC 6749 says a space; Slack documents commas. */
  scopeSeparator?: " " | ",";
  /** token_type values besides Bearer the provider answers with (Slack bot tokens: "bot"). */
  tokenTypes?: readonly string[];
  /**
   * For providers that answer token requests with HTTP 200 and an error in the body (Slack's
   * `ok: false`, GitHub's `error`): the OAuth error code, or undefined when the body is a token.
   */
  tokenError?(body: Record<string, unknown>): string | undefined;
  /** Error codes that mean the grant is dead (reconnect needed), besides RFC 6749's invalid_grant. */
  invalidGrantErrors?: readonly string[];
  /** Provider-specific fields of the token response, checked on top of the OAuth 2 ones. */
  tokenFields: z.ZodObject;
  /**
   * Who the tokens belong to: the connection's account id, a first label and plain settings. Absent
   * when only an API call can tell (Jira, GitHub): the provider's connect hook `identify` answers.
   */
  account?(token: Record<string, unknown>): { externalAccountId: string; label?: string; settings?: Record<string, string> };
  /** A cheap authenticated request proving the access token works (integrations.test). */
  verify?: { request(credentials: Credentials, baseUrl: string): HttpRequestSpec };
}

export interface IntegrationDefinition {
  key: IntegrationKey;
  name: string;
  description: string;
  /** Hex colour for the canvas. */
  color: string;
  icon: IntegrationIcon;
  /**
   * How accounts are connected: `token` where pasting a key or token is supported, `oauth` for
   * OAuth 2; a provider may offer both (the Integrations page shows both ways).
   */
  connection: { kind: ConnectionKind; token?: TokenConnection; oauth?: OAuthConnection };
  /** Where the provider's API lives unless the registry is told otherwise. */
  defaultBaseUrl?: string;
  triggers: TriggerDefinition[];
  actions: ActionDefinition[];
}

export const emptyConfigSchema = z.object({}).strict();

export function defineTrigger<P extends z.ZodType>(
  definition: Omit<TriggerDefinition<P>, "configSchema"> & { configSchema?: z.ZodType },
): TriggerDefinition<P> {
  return { ...definition, configSchema: definition.configSchema ?? emptyConfigSchema };
}

export function defineTokenConnection<F extends z.ZodType>(definition: TokenConnection<F>): TokenConnection {
  return definition as unknown as TokenConnection;
}

export function defineAction<I extends z.ZodType, O extends z.ZodType>(definition: ActionDefinition<I, O>): ActionDefinition<I, O> {
  return definition;
}

/** Checks the declaration's invariants once, at module load, so a typo fails fast in every test. */
export function defineIntegration(definition: IntegrationDefinition): IntegrationDefinition {
  if (!/^#[0-9a-f]{6}$/i.test(definition.color)) throw new Error(`${definition.key}: color must be a #rrggbb hex value`);
  for (const node of [...definition.triggers, ...definition.actions]) {
    if (!node.type.startsWith(`${definition.key}.`)) throw new Error(`${node.type} must start with "${definition.key}."`);
  }
  return definition;
}

export interface NodeEnvironment {
  baseUrl: string;
  allowPrivateNetwork: boolean;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** DNS lookup for the private-network guard (tests substitute a fake resolver). */
  lookup?: LookupAll;
}

export function triggerNode(integration: IntegrationDefinition, trigger: TriggerDefinition): NodeDefinition {
  return {
    type: trigger.type,
    kind: "trigger",
    provider: integration.key,
    title: trigger.title,
    description: trigger.description,
    configSchema: trigger.configSchema,
    outputSchema: trigger.payloadSchema,
    sample: trigger.sample,
  };
}

export function actionNode(integration: IntegrationDefinition, action: ActionDefinition, env: NodeEnvironment): NodeDefinition {
  const guardUrl =
    action.publicNetworkOnly && !env.allowPrivateNetwork ? (url: URL) => assertPublicUrl(url, env.lookup) : undefined;

  const prepare = async (raw: unknown, ctx: StepContext) => {
    const input = parseInput(action, raw);
    const requestContext: RequestContext = {
      credentials: await loadCredentials(integration, ctx),
      baseUrl: env.baseUrl,
      idempotencyKey: ctx.idempotencyKey,
    };
    return { requestContext, spec: action.request(input, requestContext) };
  };

  return {
    type: action.type,
    kind: "action",
    provider: integration.key,
    title: action.title,
    description: action.description,
    configSchema: action.input,
    outputSchema: action.output,
    sample: action.sampleOutput,
    async run(raw, ctx) {
      const input = parseInput(action, raw);
      const send = async (credentials: Credentials) => {
        const requestContext: RequestContext = { credentials, baseUrl: env.baseUrl, idempotencyKey: ctx.idempotencyKey };
        const response = await sendHttpRequest(action.request(input, requestContext), {
          provider: integration.name,
          signal: ctx.signal,
          fetch: env.fetch,
          timeoutMs: env.timeoutMs,
          guardUrl,
        });
        return parseOutput(integration, action, response, requestContext);
      };
      const credentials = await loadCredentials(integration, ctx);
      try {
        return await send(credentials);
      } catch (error) {
        // An access token can die before its stated expiry (revoked, rotated elsewhere): ask for a
        // refreshed one and try exactly once more. Without a new token there is nothing to retry.
        if (!isExpiredCredentials(error)) throw error;
        const fresh = await loadCredentials(integration, ctx, { forceRefresh: true });
        if (!fresh.accessToken || fresh.accessToken === credentials.accessToken) throw error;
        return send(fresh);
      }
    },
    async preview(raw, ctx) {
      const { spec } = await prepare(raw, ctx);
      return previewHttpRequest(spec);
    },
  };
}

function parseInput(action: ActionDefinition, raw: unknown): unknown {
  const result = action.input.safeParse(raw);
  if (!result.success) throw new StepError("validation", `Invalid ${action.title} settings: ${describeIssues(result.error)}`);
  return result.data;
}

function parseOutput(integration: IntegrationDefinition, action: ActionDefinition, response: HttpResponse, ctx: RequestContext): unknown {
  let mapped: unknown;
  try {
    mapped = action.parse ? action.parse(response, ctx) : response.body;
  } catch (error) {
    if (error instanceof StepError) throw error;
    throw unexpectedResponse(integration, error instanceof z.ZodError ? describeIssues(error) : String(error), error);
  }
  const result = action.output.safeParse(mapped);
  if (!result.success) throw unexpectedResponse(integration, describeIssues(result.error), result.error);
  return result.data;
}

// The request went through, so retrying could repeat a side effect: report it as permanent.
function unexpectedResponse(integration: IntegrationDefinition, detail: string, cause: unknown): StepError {
  return new StepError("client", `${integration.name} answered with an unexpected response (${detail})`, { cause });
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message)).join("; ");
}

/** A 401, or Slack's 200 with invalid_auth/token_expired: a refreshed token may succeed (a 403 would not). */
function isExpiredCredentials(error: unknown): boolean {
  if (!(error instanceof StepError) || error.code !== "auth") return false;
  return error.status === 401 || /\b(invalid_auth|token_expired|not_authed)\b/.test(error.message);
}

async function loadCredentials(integration: IntegrationDefinition, ctx: StepContext, options?: GetCredentialsOptions): Promise<Credentials> {
  if (integration.connection.kind === "none") return {};
  try {
    return await (options ? ctx.getCredentials(ctx.userId, integration.key, options) : ctx.getCredentials(ctx.userId, integration.key));
  } catch (error) {
    if (error instanceof StepError) throw error;
    throw new StepError("config", `Connect ${integration.name} first`, { cause: error });
  }
}

/** A credential field an action cannot work without; missing means the connection is incomplete. */
export function requireCredential(value: string | undefined, provider: string): string {
  if (!value) throw new StepError("config", `Connect ${provider} first`);
  return value;
}

export function bearer(token: string): string {
  return `Bearer ${token}`;
}

export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}

/** Joins a base URL and a path without doubling or dropping the slash between them. */
export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

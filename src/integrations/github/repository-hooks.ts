// The repository webhooks Cue creates so the New GitHub issue trigger needs no set-up in GitHub
// (https://docs.github.com/en/rest/repos/webhooks#create-a-repository-webhook and
// #delete-a-repository-webhook): the requests, and what GitHub's refusals mean to the user.
import { z } from "zod";
import { bearer, joinUrl } from "../core/define";
import type { HttpRequestSpec, HttpResponse } from "../core/http";
import { issueOpened } from "./triggers";

/** The webhook events the GitHub triggers listen to ("issues.opened" → "issues"). */
export const GITHUB_HOOK_EVENTS = [...new Set([issueOpened].map((trigger) => trigger.event!.name.split(".")[0]!))];

/** Scopes that let an OAuth or classic token manage repository webhooks (admin:repo_hook includes write:repo_hook). */
const HOOK_SCOPES = ["admin:repo_hook", "write:repo_hook"];

// Owners: letters, digits, hyphens (and "_" in enterprise-managed names); repositories also "." and "_".
const REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9_-]{0,38}\/(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$/;

export const githubRepositoryName = z
  .string()
  .trim()
  .regex(REPOSITORY, { error: "Enter the repository as owner/repo, for example octocat/hello-world" });

/** What a connection remembers about each webhook Cue created (non-secret; kept in its settings). */
export const watchedRepository = z.object({ repository: z.string(), hookId: z.number().int() });
export type WatchedRepository = z.infer<typeof watchedRepository>;

const headers = (accessToken: string) => ({
  authorization: bearer(accessToken),
  accept: "application/vnd.github+json",
  "x-github-api-version": "2022-11-28",
});

const repositoryPath = (repository: string) =>
  repository
    .split("/")
    .map((part) => encodeURIComponent(part))
    .join("/");

export function createRepositoryHookRequest(
  baseUrl: string,
  accessToken: string,
  hook: { repository: string; url: string; secret: string },
): HttpRequestSpec {
  return {
    method: "POST",
    url: joinUrl(baseUrl, `repos/${repositoryPath(hook.repository)}/hooks`),
    headers: headers(accessToken),
    json: {
      name: "web",
      active: true,
      events: GITHUB_HOOK_EVENTS,
      config: { url: hook.url, content_type: "json", secret: hook.secret, insecure_ssl: "0" },
    },
    failOnHttpError: false,
  };
}

export function deleteRepositoryHookRequest(baseUrl: string, accessToken: string, hook: WatchedRepository): HttpRequestSpec {
  return {
    method: "DELETE",
    url: joinUrl(baseUrl, `repos/${repositoryPath(hook.repository)}/hooks/${hook.hookId}`),
    headers: headers(accessToken),
    failOnHttpError: false,
  };
}

export const createdHook = z.object({ id: z.number().int() }).loose();

export type HookFailureKind = "unauthorized" | "missing_scope" | "not_found" | "exists" | "invalid" | "rate_limited" | "unavailable";

export interface HookFailure {
  kind: HookFailureKind;
  message: string;
}

function detailOf(body: unknown): string {
  if (typeof body !== "object" || body === null) return "";
  const { message, errors } = body as { message?: unknown; errors?: unknown };
  const details = Array.isArray(errors)
    ? errors.map((e) => (typeof e === "string" ? e : typeof e?.message === "string" ? e.message : "")).filter(Boolean)
    : [];
  return [typeof message === "string" ? message : "", ...details].filter(Boolean).join(": ");
}

/** Whether GitHub said the token's scopes (X-OAuth-Scopes, sent for OAuth and classic tokens) lack a webhook scope. */
function lacksHookScope(response: HttpResponse): boolean {
  const granted = response.headers["x-oauth-scopes"];
  if (granted === undefined) return false;
  const scopes = granted.split(",").map((s) => s.trim());
  return !HOOK_SCOPES.some((scope) => scopes.includes(scope));
}

const scopeMessage = (repository: string) =>
  `GitHub did not let Cue manage webhooks on ${repository}: the token needs the admin:repo_hook scope (reconnect with OAuth, or add the scope to your classic token), or the repository permission "Webhooks: read and write" for a fine-grained token or GitHub App, and you need admin rights on the repository.`;

/** What a refused create or delete means, or null when the answer is a success. */
export function hookFailure(response: HttpResponse, repository: string): HookFailure | null {
  const { status } = response;
  if (status >= 200 && status < 300) return null;
  const detail = detailOf(response.body);
  const suffix = detail ? ` (${detail})` : "";
  if (status === 429 || (status === 403 && (response.headers["x-ratelimit-remaining"] === "0" || response.headers["retry-after"] !== undefined))) {
    return { kind: "rate_limited", message: `GitHub's rate limit was reached; try again in a few minutes.${suffix}` };
  }
  if (status === 401) {
    return { kind: "unauthorized", message: "GitHub no longer accepts this connection's token: reconnect GitHub (or paste a new token) and try again." };
  }
  if (lacksHookScope(response) && (status === 403 || status === 404 || status === 422)) return { kind: "missing_scope", message: scopeMessage(repository) };
  if (status === 403) return { kind: "missing_scope", message: scopeMessage(repository) };
  if (status === 404) {
    return { kind: "not_found", message: `Cue cannot see that repository (${repository}): check the name and that the token/app can access it.` };
  }
  if (status === 422 && /already exists/i.test(detail)) {
    return {
      kind: "exists",
      message: `${repository} already has a webhook pointing at this connection (perhaps one made by hand): delete it under the repository's Settings → Webhooks, then watch it here.`,
    };
  }
  if (status >= 400 && status < 500) return { kind: "invalid", message: `GitHub refused the webhook for ${repository} (HTTP ${status})${suffix}.` };
  return { kind: "unavailable", message: `GitHub failed with HTTP ${status}${suffix}; nothing was changed. Try again.` };
}

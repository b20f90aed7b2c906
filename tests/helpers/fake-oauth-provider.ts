// A fake authorization server plus the few API endpoints Cue calls, in the dialect of Atlassian,
// Slack or GitHub, on 127.0.0.1. It checks what it receives (client credentials, redirect_uri,
// PKCE verifier, single-use codes, rotating refresh tokens, Bearer tokens) and answers the way
// each provider does, including their error shapes (Slack's HTTP 200 `ok: false`, GitHub's 200
// `error`). Tests script failures by flipping its switches. GitHub also manages repository
// webhooks (POST/DELETE /repos/{owner}/{repo}/hooks), keeping what it was asked to create.
import { createHash, randomBytes } from "node:crypto";
import { startFakeServer, type FakeResponse, type FakeServer, type RecordedRequest } from "@/integrations/testing/fake-server";

export type Dialect = "jira" | "slack" | "github";

export const CLIENT_ID = "cue-client-id";
export const CLIENT_SECRET = "cue-client-secret-value";

export const JIRA_SITE = { id: "11223344-a1b2-3b33-c444-def123456789", url: "https://acme.atlassian.net", name: "Acme Jira" };
export const SLACK_TEAM = { id: "T0ACME", name: "Acme Workspace" };
export const GITHUB_USER = { id: 4242, login: "octo-acme" };

/** A repository webhook as the fake GitHub holds it (the secret unmasked, for tests to sign with). */
export interface FakeRepositoryHook {
  id: number;
  repository: string;
  name: string;
  active: boolean;
  events: string[];
  config: { url: string; content_type: string; secret?: string; insecure_ssl?: string };
  /** The access token that created it. */
  token: string;
}

interface IssuedCode {
  redirectUri: string;
  challenge: string | null;
  used: boolean;
}

export interface FakeOAuthProvider extends FakeServer {
  dialect: Dialect;
  codes: Map<string, IssuedCode>;
  /** Access tokens the API accepts. */
  accessTokens: Set<string>;
  /** Refresh tokens the token endpoint accepts (each is single use: rotation). */
  refreshTokens: Set<string>;
  /** Seconds access tokens live; undefined: they do not expire (GitHub OAuth apps, Slack without rotation). */
  expiresIn: number | undefined;
  /** Whether refresh tokens are issued at all. */
  issueRefreshTokens: boolean;
  /** The next authorize request is denied with this error (access_denied, server_error …). */
  denyWith: string | null;
  /** Refresh requests answer this way while set (a status, or a provider error code). */
  refreshFailure: { status?: number; error?: string } | null;
  /** Refresh requests wait this long (to overlap concurrent callers). */
  refreshDelayMs: number;
  /** Every API request is refused with 401 while set. */
  rejectAllApiCalls: boolean;
  /** Jira: the sites GET /oauth/token/accessible-resources lists. */
  sites: { id: string; url: string; name: string; scopes: string[] }[];
  /** GitHub: repositories ("owner/repo", lower case) tokens may manage webhooks on; others answer 404. */
  repositories: Set<string>;
  /** GitHub: whether tokens carry admin:repo_hook; without it hook requests answer 404 with X-OAuth-Scopes: repo, as GitHub does. */
  hookScope: boolean;
  /** GitHub: hook requests answer this status while set (an outage). */
  hookFailureStatus: number | null;
  /** GitHub: the repository webhooks that exist, by id. */
  hooks: Map<number, FakeRepositoryHook>;
  /** GitHub: every request to /repos/{owner}/{repo}/hooks…, in order. */
  hookRequests(): RecordedRequest[];
  tokenRequests(grantType?: string): RecordedRequest[];
  apiRequests(): RecordedRequest[];
  /** Follows the authorize URL like a browser whose user approves; returns the callback's query. */
  approve(authorizeUrl: string): Promise<URLSearchParams>;
}

const token = (prefix: string) => `${prefix}${randomBytes(12).toString("hex")}`;

export async function startFakeOAuthProvider(dialect: Dialect): Promise<FakeOAuthProvider> {
  const codes = new Map<string, IssuedCode>();
  const prefix = dialect === "slack" ? "xoxb-" : dialect === "github" ? "gho_" : "jira-at-";

  const oauthError = (error: string, status = 400): FakeResponse => {
    if (dialect === "slack") return { body: { ok: false, error } };
    if (dialect === "github") return { body: { error, error_description: `The ${error} error`, error_uri: "https://docs.github.com" } };
    return { status, body: { error, error_description: `The ${error} error` } };
  };
  const deadGrantError = (code: string) => ({ jira: "invalid_grant", slack: code === "refresh" ? "invalid_refresh_token" : "invalid_code", github: code === "refresh" ? "bad_refresh_token" : "bad_verification_code" })[dialect];

  const issue = (): FakeResponse => {
    const accessToken = token(prefix);
    fake.accessTokens.add(accessToken);
    const refreshToken = fake.issueRefreshTokens ? token(dialect === "slack" ? "xoxe-1-" : "rt-") : undefined;
    if (refreshToken) fake.refreshTokens.add(refreshToken);
    const common = {
      access_token: accessToken,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      ...(fake.expiresIn ? { expires_in: fake.expiresIn } : {}),
    };
    if (dialect === "slack") {
      return { body: { ok: true, ...common, token_type: "bot", scope: "chat:write,chat:write.public", bot_user_id: "U0BOT", app_id: "A0APP", team: SLACK_TEAM, enterprise: null } };
    }
    if (dialect === "github") return { body: { ...common, token_type: "bearer", scope: "repo,admin:repo_hook" } };
    return { body: { ...common, token_type: "Bearer", scope: "read:jira-work write:jira-work read:jira-user offline_access" } };
  };

  const clientAuthenticated = (request: RecordedRequest, form: URLSearchParams) => {
    const basic = request.headers.authorization?.replace(/^Basic /, "");
    if (basic) {
      const [id, secret] = Buffer.from(basic, "base64").toString("utf8").split(":").map(decodeURIComponent);
      return id === CLIENT_ID && secret === CLIENT_SECRET && !form.has("client_secret");
    }
    return form.get("client_id") === CLIENT_ID && form.get("client_secret") === CLIENT_SECRET;
  };

  const tokenEndpoint = (request: RecordedRequest): FakeResponse => {
    const form = new URLSearchParams(request.body);
    if (!clientAuthenticated(request, form)) return oauthError(dialect === "github" ? "incorrect_client_credentials" : "invalid_client", 401);
    if (form.get("grant_type") === "authorization_code") {
      const issued = codes.get(form.get("code") ?? "");
      if (!issued || issued.used) return oauthError(deadGrantError("code")!);
      issued.used = true;
      if (form.get("redirect_uri") !== issued.redirectUri) return oauthError(dialect === "slack" ? "bad_redirect_uri" : "invalid_grant");
      if (issued.challenge) {
        const verifier = form.get("code_verifier") ?? "";
        if (createHash("sha256").update(verifier).digest("base64url") !== issued.challenge) return oauthError("invalid_grant");
      }
      return issue();
    }
    if (form.get("grant_type") === "refresh_token") {
      const failure = fake.refreshFailure;
      if (failure?.status) return { status: failure.status, body: { error: "temporarily_unavailable" }, delayMs: fake.refreshDelayMs };
      if (failure?.error) return { ...oauthError(failure.error), delayMs: fake.refreshDelayMs };
      const presented = form.get("refresh_token") ?? "";
      if (!fake.refreshTokens.delete(presented)) return { ...oauthError(deadGrantError("refresh")!), delayMs: fake.refreshDelayMs };
      return { ...issue(), delayMs: fake.refreshDelayMs };
    }
    return oauthError("unsupported_grant_type");
  };

  const authorized = (request: RecordedRequest) => {
    const bearer = request.headers.authorization?.replace(/^Bearer /, "") ?? "";
    return !fake.rejectAllApiCalls && fake.accessTokens.has(bearer);
  };
  const unauthorized = (): FakeResponse =>
    dialect === "slack" ? { body: { ok: false, error: "invalid_auth" } } : { status: 401, body: dialect === "github" ? { message: "Bad credentials" } : { code: 401, message: "Unauthorized" } };

  let nextHookId = 470_001;
  const repositoryHooks = (request: RecordedRequest, repository: string, hookId: string | undefined): FakeResponse => {
    const scopeHeaders = {
      "x-oauth-scopes": fake.hookScope ? "repo, admin:repo_hook" : "repo",
      "x-accepted-oauth-scopes": "admin:repo_hook, read:repo_hook, repo, write:repo_hook",
    };
    const answer = (status: number, body?: unknown): FakeResponse => ({ status, headers: scopeHeaders, body });
    if (fake.hookFailureStatus) return answer(fake.hookFailureStatus, { message: "Server Error" });
    if (!fake.hookScope || !fake.repositories.has(repository.toLowerCase())) return answer(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
    if (request.method === "POST" && hookId === undefined) {
      const input = JSON.parse(request.body || "{}") as Partial<Omit<FakeRepositoryHook, "config">> & { config?: Partial<FakeRepositoryHook["config"]> };
      const url = input.config?.url;
      const valid =
        input.name === "web" &&
        typeof url === "string" &&
        /^https?:\/\//.test(url) &&
        (input.config?.content_type === "json" || input.config?.content_type === "form") &&
        Array.isArray(input.events) &&
        input.events.every((e) => typeof e === "string");
      if (!valid) return answer(422, { message: "Validation Failed", errors: [{ resource: "Hook", code: "custom", message: "Invalid hook" }] });
      if ([...fake.hooks.values()].some((h) => h.repository.toLowerCase() === repository.toLowerCase() && h.config.url === url)) {
        return answer(422, { message: "Validation Failed", errors: [{ resource: "Hook", code: "custom", message: "Hook already exists on this repository" }] });
      }
      const hook: FakeRepositoryHook = {
        id: nextHookId++,
        repository,
        name: "web",
        active: input.active ?? true,
        events: input.events!,
        config: input.config as FakeRepositoryHook["config"],
        token: request.headers.authorization!.replace(/^Bearer /, ""),
      };
      fake.hooks.set(hook.id, hook);
      // GitHub never echoes the secret.
      const { secret, ...config } = hook.config;
      return answer(201, { type: "Repository", id: hook.id, name: hook.name, active: hook.active, events: hook.events, config: { ...config, ...(secret ? { secret: "********" } : {}) } });
    }
    if (request.method === "DELETE" && hookId !== undefined) {
      const hook = fake.hooks.get(Number(hookId));
      if (!hook || hook.repository.toLowerCase() !== repository.toLowerCase()) return answer(404, { message: "Not Found" });
      fake.hooks.delete(hook.id);
      return { status: 204, headers: scopeHeaders };
    }
    return answer(404, { message: "Not Found" });
  };

  const api = (request: RecordedRequest): FakeResponse => {
    const path = request.path.split("?")[0]!;
    // GitHub: the OAuth app (Basic client credentials) deletes a user's grant by its token.
    if (dialect === "github" && path === `/applications/${CLIENT_ID}/grant` && request.method === "DELETE") {
      const basic = Buffer.from(request.headers.authorization?.replace(/^Basic /, "") ?? "", "base64").toString("utf8");
      if (basic !== `${CLIENT_ID}:${CLIENT_SECRET}`) return { status: 401, body: { message: "Requires authentication" } };
      const presented = (JSON.parse(request.body || "{}") as { access_token?: string }).access_token ?? "";
      return fake.accessTokens.delete(presented) ? { status: 204 } : { status: 404, body: { message: "Not Found" } };
    }
    if (!authorized(request)) return unauthorized();
    if (dialect === "slack" && path === "/api/auth.revoke") {
      fake.accessTokens.delete(request.headers.authorization!.replace(/^Bearer /, ""));
      return { body: { ok: true, revoked: true } };
    }
    if (dialect === "jira") {
      if (path === "/oauth/token/accessible-resources") {
        return { body: fake.sites.map((site) => ({ ...site, avatarUrl: "https://site-admin.atlassian.com/avatar.png" })) };
      }
      if (path === `/ex/jira/${JIRA_SITE.id}/rest/api/3/myself`) return { body: { accountId: "5b10a2844c20165700ede21g", displayName: "Ada" } };
      if (path === `/ex/jira/${JIRA_SITE.id}/rest/api/3/issue` && request.method === "POST") {
        return { status: 201, body: { id: "10042", key: "OPS-123", self: `https://api.atlassian.com/ex/jira/${JIRA_SITE.id}/rest/api/3/issue/10042` } };
      }
    }
    if (dialect === "slack") {
      if (path === "/api/auth.test") return { body: { ok: true, team_id: SLACK_TEAM.id, team: SLACK_TEAM.name, user_id: "U0BOT" } };
      if (path === "/api/chat.postMessage") return { body: { ok: true, channel: "C123", ts: "1700000000.000100", message: { text: "hi" } } };
    }
    if (dialect === "github" && path === "/user") return { body: GITHUB_USER };
    const hookPath = dialect === "github" ? /^\/repos\/([^/]+)\/([^/]+)\/hooks(?:\/([^/]+))?$/.exec(path) : null;
    if (hookPath) return repositoryHooks(request, `${decodeURIComponent(hookPath[1]!)}/${decodeURIComponent(hookPath[2]!)}`, hookPath[3]);
    return { status: 404, body: { message: "Not Found" } };
  };

  const server = await startFakeServer((request) => {
    const url = new URL(request.path, "http://fake");
    const authorizePath = { jira: "/authorize", slack: "/oauth/v2/authorize", github: "/login/oauth/authorize" }[dialect];
    const tokenPath = { jira: "/oauth/token", slack: "/api/oauth.v2.access", github: "/login/oauth/access_token" }[dialect];
    if (url.pathname === authorizePath && request.method === "GET") {
      const redirect = new URL(url.searchParams.get("redirect_uri")!);
      redirect.searchParams.set("state", url.searchParams.get("state") ?? "");
      if (url.searchParams.get("client_id") !== CLIENT_ID) return { status: 400, body: "unknown client" };
      if (fake.denyWith) {
        redirect.searchParams.set("error", fake.denyWith);
        fake.denyWith = null;
      } else {
        const code = token("code-");
        codes.set(code, { redirectUri: url.searchParams.get("redirect_uri")!, challenge: url.searchParams.get("code_challenge"), used: false });
        redirect.searchParams.set("code", code);
      }
      return { status: 302, headers: { location: redirect.toString() } };
    }
    if (url.pathname === tokenPath && request.method === "POST") return tokenEndpoint(request);
    return api(request);
  });

  const fake: FakeOAuthProvider = {
    ...server,
    dialect,
    codes,
    accessTokens: new Set(),
    refreshTokens: new Set(),
    expiresIn: dialect === "github" ? undefined : dialect === "slack" ? 43_200 : 3600,
    issueRefreshTokens: dialect !== "github",
    denyWith: null,
    refreshFailure: null,
    refreshDelayMs: 0,
    rejectAllApiCalls: false,
    sites: [
      { id: "confluence-0001", url: "https://acme-wiki.atlassian.net", name: "Acme Wiki", scopes: ["read:confluence-content.all"] },
      { ...JIRA_SITE, scopes: ["read:jira-work", "write:jira-work", "read:jira-user"] },
    ],
    repositories: new Set([`${GITHUB_USER.login}/web`, `${GITHUB_USER.login}/api`]),
    hookScope: true,
    hookFailureStatus: null,
    hooks: new Map(),
    hookRequests() {
      return server.requests.filter((r) => /^\/repos\/[^/]+\/[^/]+\/hooks/.test(r.path));
    },
    tokenRequests(grantType) {
      const path = { jira: "/oauth/token", slack: "/api/oauth.v2.access", github: "/login/oauth/access_token" }[dialect];
      return server.requests.filter((r) => r.path === path && (!grantType || new URLSearchParams(r.body).get("grant_type") === grantType));
    },
    apiRequests() {
      const tokenPath = { jira: "/oauth/token", slack: "/api/oauth.v2.access", github: "/login/oauth/access_token" }[dialect];
      return server.requests.filter((r) => r.path !== tokenPath && !r.path.includes("authorize"));
    },
    async approve(authorizeUrl) {
      const response = await fetch(authorizeUrl, { redirect: "manual" });
      if (response.status !== 302) throw new Error(`authorize answered ${response.status}: ${await response.text()}`);
      return new URL(response.headers.get("location")!).searchParams;
    },
  };
  return fake;
}

/** The environment an app would read, pointing one provider's OAuth and API at the fake. */
export function fakeOAuthSettings(fake: FakeOAuthProvider, appUrl: string, overrides: Record<string, string | undefined> = {}) {
  const names = { jira: "JIRA", slack: "SLACK", github: "GITHUB" }[fake.dialect];
  const values: Record<string, string | undefined> = {
    [`${names}_CLIENT_ID`]: CLIENT_ID,
    [`${names}_CLIENT_SECRET`]: CLIENT_SECRET,
    [`${names}_OAUTH_URL`]: fake.url,
    [`${names}_API_URL`]: fake.dialect === "slack" ? `${fake.url}/api` : fake.url,
    ...overrides,
  };
  return { read: (name: string) => values[name], appUrl };
}

/** Where actions and connection tests reach the provider's API. */
export function fakeApiBase(fake: FakeOAuthProvider): string {
  return fake.dialect === "slack" ? `${fake.url}/api` : fake.url;
}

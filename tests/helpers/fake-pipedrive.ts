// A fake Pipedrive on 127.0.0.1, on two origins like the real one: the OAuth server
// (PIPEDRIVE_OAUTH_URL: the authorize step issuing single-use codes that expire, the token
// endpoint with HTTP Basic client auth naming the company's api_domain, and RFC 7009 revocation)
// and the company's API on that api_domain: /users/me, webhooks v1 create/delete, the v2 persons
// and deals lists (updated_since, cursor pages), the v1 persons list, person, search,
// organization and person-deals endpoints, and adding a person. It checks the bearer token on
// every API call and records everything.
import { startFakeServer, type FakeResponse, type FakeServer, type RecordedRequest } from "@/integrations/testing/fake-server";

export const PD_CLIENT_ID = "pd-client-id";
export const PD_CLIENT_SECRET = "pd-client-secret";
export const PD_ACCESS_TOKEN = "pd-access-token-1";
export const PD_REFRESH_TOKEN = "pd-refresh-token-1";
/** How long an authorization code can be exchanged. */
export const PD_CODE_TTL_MS = 5 * 60 * 1000;
export const PD_COMPANY = { id: 12882925, name: "Acme Ltd" };

export interface FakePerson {
  id: number;
  name: string;
  first_name?: string | null;
  last_name?: string | null;
  email?: { value: string; primary: boolean; label?: string }[];
  phone?: { value: string; primary: boolean; label?: string }[];
  org_id?: number | { value: number; name?: string } | null;
  org_name?: string;
  open_deals_count?: number;
  won_deals_count?: number;
  add_time: string;
  update_time: string;
  owner_id?: number;
  [key: string]: unknown;
}

export interface FakeDeal {
  id: number;
  title: string;
  status: "open" | "won" | "lost";
  person_id: number | null;
  won_time: string | null;
  add_time: string;
  update_time: string;
  [key: string]: unknown;
}

export interface IssuedCode {
  redirectUri: string;
  expiresAt: number;
  used: boolean;
}

export interface FakePipedrive {
  /** The company's API origin: the api_domain token responses name. */
  url: string;
  /** Requests the company's API received. */
  requests: RecordedRequest[];
  /** The OAuth server's origin (PIPEDRIVE_OAUTH_URL): authorize, token, revoke. */
  oauthUrl: string;
  /** Requests the OAuth server received. */
  oauthRequests: RecordedRequest[];
  /** Both servers' requests in arrival order. */
  log: { server: "oauth" | "api"; request: RecordedRequest }[];
  tokenRequests: RecordedRequest[];
  revokeRequests: RecordedRequest[];
  /** Codes the authorize step issued (single use, PD_CODE_TTL_MS). */
  codes: Map<string, IssuedCode>;
  /** The next authorize request is answered with this error (access_denied …) instead of a code. */
  denyWith: string | null;
  /** What token responses name as api_domain; the API server unless a test changes it. */
  apiDomain: string;
  /** The access token the API accepts ("" once the grant is revoked). */
  accessToken: string;
  /** Refresh tokens the token endpoint accepts. */
  refreshTokens: Set<string>;
  persons: FakePerson[];
  deals: FakeDeal[];
  organizations: Map<number, string>;
  webhooks: Map<string, Record<string, unknown>>;
  /** Set to make POST /webhooks answer this status (403: not an admin). */
  refuseWebhooks: number | null;
  /** Set to make DELETE /webhooks answer this status, whatever the token. */
  failWebhookDeletes: number | null;
  /** Set to make POST /oauth/revoke answer this status. */
  failRevoke: number | null;
  /** Person ids whose GET /v1/persons/{id} answers 500. */
  brokenPersons: Set<number>;
  /** Delay on GET /v1/persons pages (to observe a sync while it runs). */
  listDelayMs: number;
  /** Follows an authorize URL like a browser whose user installs the app; returns the callback's query. */
  approve(authorizeUrl: string): Promise<URLSearchParams>;
  /** The company uninstalls Cue: its tokens stop working, and its webhooks go with it (as in Pipedrive). */
  uninstall(): void;
  /** Back to a fresh company: no data, no records, the initial tokens, every switch off. */
  reset(): void;
  close(): Promise<void>;
}

/** RFC 6749 §2.3.1: Basic credentials are form-url-encoded before base64 (oauth4webapi does so). */
export function basicCredentials(header: string | undefined): { id: string; secret: string } | null {
  const match = /^Basic (.+)$/.exec(header ?? "");
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  const unescape = (value: string) => decodeURIComponent(value.replace(/\+/g, " "));
  return { id: unescape(decoded.slice(0, colon)), secret: unescape(decoded.slice(colon + 1)) };
}

const json = (body: unknown, status = 200): FakeResponse => ({ status, body });

export async function startFakePipedrive(): Promise<FakePipedrive> {
  let nextWebhookId = 1;
  let refreshes = 0;
  let codeCount = 0;
  const log: FakePipedrive["log"] = [];
  const state = {
    persons: [] as FakePerson[],
    deals: [] as FakeDeal[],
    organizations: new Map<number, string>(),
    webhooks: new Map<string, Record<string, unknown>>(),
    refuseWebhooks: null as number | null,
    failWebhookDeletes: null as number | null,
    failRevoke: null as number | null,
    brokenPersons: new Set<number>(),
    tokenRequests: [] as RecordedRequest[],
    revokeRequests: [] as RecordedRequest[],
    codes: new Map<string, IssuedCode>(),
    denyWith: null as string | null,
    apiDomain: "",
    accessToken: PD_ACCESS_TOKEN,
    refreshTokens: new Set([PD_REFRESH_TOKEN]),
    listDelayMs: 0,
  };
  const v1Person = (p: FakePerson) => {
    const { add_time, update_time, ...rest } = p;
    return { ...rest, add_time: add_time.replace("T", " ").replace("Z", ""), update_time: update_time.replace("T", " ").replace("Z", ""), active_flag: true };
  };
  const v2Person = (p: FakePerson) => ({
    id: p.id,
    name: p.name,
    first_name: p.first_name ?? null,
    last_name: p.last_name ?? null,
    emails: (p.email ?? []).map((e) => ({ value: e.value, primary: e.primary, label: e.label ?? "work" })),
    phones: (p.phone ?? []).map((e) => ({ value: e.value, primary: e.primary, label: e.label ?? "work" })),
    org_id: typeof p.org_id === "object" && p.org_id ? p.org_id.value : (p.org_id ?? null),
    owner_id: p.owner_id ?? 18487521,
    add_time: p.add_time,
    update_time: p.update_time,
  });
  const v2Deal = (d: FakeDeal) => ({ value: 1000, currency: "USD", org_id: null, owner_id: 18487521, stage_id: 1, pipeline_id: 1, ...d });

  const clientAuthenticated = (request: RecordedRequest) => {
    const client = basicCredentials(request.headers.authorization);
    return client?.id === PD_CLIENT_ID && client.secret === PD_CLIENT_SECRET && !new URLSearchParams(request.body).has("client_secret");
  };

  const tokenResponse = (scope?: string) => ({
    access_token: state.accessToken,
    token_type: "Bearer",
    refresh_token: PD_REFRESH_TOKEN,
    expires_in: 3599,
    ...(scope ? { scope } : {}),
    api_domain: state.apiDomain,
  });

  /** Pipedrive's OAuth server: nothing else lives on its origin. */
  const respondOAuth = (request: RecordedRequest): FakeResponse => {
    log.push({ server: "oauth", request });
    const url = new URL(request.path, "http://fake");
    if (request.method === "GET" && url.pathname === "/oauth/authorize") {
      if (url.searchParams.get("client_id") !== PD_CLIENT_ID) return { status: 400, body: "Unknown client_id" };
      const redirectUri = url.searchParams.get("redirect_uri");
      if (!redirectUri) return { status: 400, body: "redirect_uri is required" };
      const redirect = new URL(redirectUri);
      if (state.denyWith) {
        redirect.searchParams.set("error", state.denyWith);
        state.denyWith = null;
      } else {
        const code = `pd-code-${++codeCount}-${Math.random().toString(36).slice(2)}`;
        state.codes.set(code, { redirectUri, expiresAt: Date.now() + PD_CODE_TTL_MS, used: false });
        redirect.searchParams.set("code", code);
      }
      redirect.searchParams.set("state", url.searchParams.get("state") ?? "");
      return { status: 302, headers: { location: redirect.toString() } };
    }
    if (request.method === "POST" && url.pathname === "/oauth/token") {
      state.tokenRequests.push(request);
      if (!clientAuthenticated(request)) return json({ error: "invalid_client" }, 401);
      const form = new URLSearchParams(request.body);
      if (form.get("grant_type") === "refresh_token") {
        if (!state.refreshTokens.has(form.get("refresh_token") ?? "")) return json({ error: "invalid_grant", error_description: "Invalid refresh token" }, 400);
        // Refreshing issues a new access token; the old one stops working.
        state.accessToken = `pd-access-token-refreshed-${++refreshes}`;
        return json(tokenResponse());
      }
      if (form.get("grant_type") !== "authorization_code") return json({ error: "unsupported_grant_type" }, 400);
      const issued = state.codes.get(form.get("code") ?? "");
      if (!issued || issued.used || issued.expiresAt <= Date.now() || issued.redirectUri !== form.get("redirect_uri")) {
        return json({ error: "invalid_grant", error_description: "Invalid authorization code" }, 400);
      }
      issued.used = true;
      // A new install after an uninstall gets working tokens again.
      if (!state.accessToken) state.accessToken = PD_ACCESS_TOKEN;
      state.refreshTokens.add(PD_REFRESH_TOKEN);
      return json(tokenResponse("base,contacts:full,deals:read,activities:full,admin"));
    }
    if (request.method === "POST" && url.pathname === "/oauth/revoke") {
      state.revokeRequests.push(request);
      if (!clientAuthenticated(request)) return json({ error: "invalid_client" }, 401);
      if (state.failRevoke) return json({ error: "temporarily_unavailable" }, state.failRevoke);
      const form = new URLSearchParams(request.body);
      const token = form.get("token");
      if (!token) return json({ error: "invalid_request" }, 400);
      // RFC 7009: revoking the refresh token ends the grant, its access tokens too; an unknown
      // token is answered 200 all the same.
      if (state.refreshTokens.delete(token)) state.accessToken = "";
      else if (token === state.accessToken) state.accessToken = "";
      return { status: 200 };
    }
    return json({ error: "not found" }, 404);
  };

  /** The company's API on its api_domain. */
  const respond = (request: RecordedRequest): FakeResponse => {
    log.push({ server: "api", request });
    const url = new URL(request.path, "http://fake");
    if (!url.pathname.startsWith("/api/")) return json({ error: "not found" }, 404);
    if (!state.accessToken || request.headers.authorization !== `Bearer ${state.accessToken}`) return json({ success: false, error: "unauthorized access" }, 401);
    const q = url.searchParams;

    if (url.pathname === "/api/v1/users/me") return json({ success: true, data: { id: 18487521, company_id: PD_COMPANY.id, company_name: PD_COMPANY.name, company_domain: "acme" } });
    if (url.pathname === "/api/v1/webhooks" && request.method === "POST") {
      if (state.refuseWebhooks) return json({ success: false, error: "Permission denied" }, state.refuseWebhooks);
      const body = JSON.parse(request.body) as Record<string, unknown>;
      const id = String(nextWebhookId++);
      state.webhooks.set(id, body);
      return json({ success: true, data: { id: Number(id), ...body, http_auth_password: null } }, 201);
    }
    const webhook = /^\/api\/v1\/webhooks\/(\d+)$/.exec(url.pathname);
    if (webhook && request.method === "DELETE") {
      if (state.failWebhookDeletes) return json({ success: false, error: "Internal" }, state.failWebhookDeletes);
      if (!state.webhooks.delete(webhook[1]!)) return json({ success: false, error: "Webhook not found" }, 404);
      return json({ success: true, data: { id: Number(webhook[1]) } });
    }
    if (url.pathname === "/api/v2/persons" || url.pathname === "/api/v2/deals") {
      const since = q.get("updated_since") ? new Date(q.get("updated_since")!).getTime() : 0;
      const all = (url.pathname.endsWith("persons") ? state.persons.map(v2Person) : state.deals.map(v2Deal))
        .filter((r) => new Date(r.update_time).getTime() >= since)
        .sort((a, b) => new Date(a.update_time).getTime() - new Date(b.update_time).getTime() || a.id - b.id);
      const offset = Number(q.get("cursor") ?? "0");
      const limit = Math.min(Number(q.get("limit") ?? "100"), 2);
      const page = all.slice(offset, offset + limit);
      const next = offset + limit < all.length ? String(offset + limit) : null;
      return json({ success: true, data: page, additional_data: { next_cursor: next } });
    }
    if (url.pathname === "/api/v1/persons/search") {
      const term = (q.get("term") ?? "").toLowerCase();
      const start = Number(q.get("start") ?? "0");
      const limit = Number(q.get("limit") ?? "100");
      const hits = state.persons.filter((p) => p.name.toLowerCase().includes(term) || (p.email ?? []).some((e) => e.value.toLowerCase().includes(term)));
      const page = hits.slice(start, start + limit);
      return json({
        success: true,
        data: {
          items: page.map((p) => ({
            result_score: 1,
            item: { id: p.id, type: "person", name: p.name, emails: (p.email ?? []).map((e) => e.value), phones: (p.phone ?? []).map((e) => e.value), organization: p.org_name ? { name: p.org_name } : null },
          })),
        },
        additional_data: { pagination: { start, limit, more_items_in_collection: start + limit < hits.length, ...(start + limit < hits.length ? { next_start: start + limit } : {}) } },
      });
    }
    if (url.pathname === "/api/v1/persons" && request.method === "POST") {
      const body = JSON.parse(request.body) as Partial<FakePerson>;
      const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
      const created: FakePerson = { email: [], phone: [], org_id: null, ...body, id: Math.max(0, ...state.persons.map((p) => p.id)) + 1, name: String(body.name), add_time: now, update_time: now };
      state.persons.push(created);
      return json({ success: true, data: v1Person(created) }, 201);
    }
    if (url.pathname === "/api/v1/persons") {
      const start = Number(q.get("start") ?? "0");
      const limit = Math.min(Number(q.get("limit") ?? "100"), 100);
      const sorted = [...state.persons].sort((a, b) => (q.get("sort") === "name ASC" ? a.name.localeCompare(b.name) : a.id - b.id));
      const page = sorted.slice(start, start + limit);
      const more = start + limit < sorted.length;
      return {
        status: 200,
        delayMs: state.listDelayMs,
        body: {
          success: true,
          data: page.length ? page.map(v1Person) : null,
          additional_data: { pagination: { start, limit, more_items_in_collection: more, ...(more ? { next_start: start + limit } : {}) } },
        },
      };
    }
    const personDeals = /^\/api\/v1\/persons\/(\d+)\/deals$/.exec(url.pathname);
    if (personDeals) {
      const deals = state.deals.filter((d) => d.person_id === Number(personDeals[1]));
      return json({ success: true, data: deals.length ? deals : null, additional_data: { pagination: { start: 0, limit: 100, more_items_in_collection: false } } });
    }
    const person = /^\/api\/v1\/persons\/(\d+)$/.exec(url.pathname);
    if (person) {
      const id = Number(person[1]);
      if (state.brokenPersons.has(id)) return json({ success: false, error: "Internal error" }, 500);
      const found = state.persons.find((p) => p.id === id);
      return found ? json({ success: true, data: v1Person(found) }) : json({ success: false, error: "Person not found" }, 404);
    }
    const org = /^\/api\/v1\/organizations\/(\d+)$/.exec(url.pathname);
    if (org) {
      const name = state.organizations.get(Number(org[1]));
      return name ? json({ success: true, data: { id: Number(org[1]), name } }) : json({ success: false, error: "Organization not found" }, 404);
    }
    return json({ success: false, error: `No route ${request.method} ${url.pathname}` }, 404);
  };
  const api: FakeServer = await startFakeServer(respond);
  const oauthServer: FakeServer = await startFakeServer(respondOAuth);
  state.apiDomain = api.url;

  const fake: FakePipedrive = Object.assign(state, {
    url: api.url,
    requests: api.requests,
    oauthUrl: oauthServer.url,
    oauthRequests: oauthServer.requests,
    log,
    async approve(authorizeUrl: string) {
      const response = await fetch(authorizeUrl, { redirect: "manual" });
      const location = response.headers.get("location");
      if (response.status !== 302 || !location) throw new Error(`The fake authorize step answered ${response.status}`);
      return new URL(location).searchParams;
    },
    uninstall() {
      state.accessToken = "";
      state.refreshTokens.clear();
      state.webhooks.clear();
    },
    reset() {
      refreshes = 0;
      for (const list of [api.requests, oauthServer.requests, log, state.tokenRequests, state.revokeRequests, state.persons, state.deals]) list.length = 0;
      for (const collection of [state.webhooks, state.organizations, state.codes, state.brokenPersons]) collection.clear();
      Object.assign(state, {
        refuseWebhooks: null,
        failWebhookDeletes: null,
        failRevoke: null,
        denyWith: null,
        apiDomain: api.url,
        accessToken: PD_ACCESS_TOKEN,
        refreshTokens: new Set([PD_REFRESH_TOKEN]),
        listDelayMs: 0,
      });
    },
    async close() {
      await Promise.all([api.close(), oauthServer.close()]);
    },
  });
  return fake;
}

// A local stand-in for Pipedrive on 127.0.0.1 for the end-to-end suite: the OAuth authorize page
// (pick a company, allow or deny), token endpoint (HTTP Basic client auth, refresh tokens,
// api_domain pointing back here) and revocation (RFC 7009), and the API calls Cue makes as a connected company: users/me,
// webhooks create/delete, persons (pages of at most 100), a person, a person's deals, an
// organization, person search. Every API call must carry a live Bearer token of the company it
// reads; anything else is refused and recorded, so specs can assert what arrived.
// Control endpoints (/__…) let a spec change data, revoke a company's grants, hold a persons page
// until released (to watch a sync in progress) and have the company deliver a webhook.
import { randomBytes, randomUUID } from "node:crypto";
import { createServer } from "node:http";

const port = Number(process.env.FAKE_PIPEDRIVE_PORT ?? 9130);
const CLIENT_ID = process.env.FAKE_PIPEDRIVE_CLIENT_ID ?? "pd-e2e-client";
const CLIENT_SECRET = process.env.FAKE_PIPEDRIVE_CLIENT_SECRET ?? "pd-e2e-secret";
const baseUrl = `http://127.0.0.1:${port}`;
const MAX_PAGE = 100;
const OWNER_ID = 18487521;

const FIRST = ["Alan", "Barbara", "Claude", "Dorothy", "Edsger", "Frances", "Gordon", "Hedy", "Ivan", "Jean", "Ken", "Lynn", "Mary"];
const LAST = ["Turing", "Liskov", "Shannon", "Vaughan", "Dijkstra", "Allen", "Moore", "Lamarr", "Sutherland", "Sammet"];
const ORGS = new Map([
  [1, "US Navy"],
  [2, "Bletchley Park"],
  [3, "Bell Labs"],
  [4, "Xerox PARC"],
  [5, "IBM Research"],
]);

/** Acme: 130 people (two pages), a few needing the organization and deals endpoints. */
function acmePersons() {
  const persons = [
    {
      id: 1,
      name: "Grace Hopper",
      first_name: "Grace",
      last_name: "Hopper",
      email: [{ label: "work", value: "Grace.Hopper@navy.example", primary: true }],
      phone: [{ label: "work", value: "+1 (202) 555-0101", primary: true }],
      org_id: { value: 1, name: "US Navy" },
      open_deals_count: 2,
      won_deals_count: 1,
    },
  ];
  let id = 2;
  for (const last of LAST) {
    for (const first of FIRST) {
      if (persons.length === 130) break;
      const orgId = (id % 5) + 1;
      persons.push({
        id,
        name: `${first} ${last}`,
        first_name: first,
        last_name: last,
        email: [{ label: "work", value: `${first}.${last}@acme.example`.toLowerCase(), primary: true }],
        phone: id % 4 === 0 ? [{ label: "mobile", value: `+44 20 7946 ${String(1000 + id)}`, primary: true }] : [],
        // Most records carry what Cue needs; every 7th names only the organization's id and every
        // 10th has no deal counts, so Cue asks the organization and deals endpoints.
        org_id: id % 7 === 0 ? orgId : { value: orgId, name: ORGS.get(orgId) },
        ...(id % 10 === 0 ? {} : { open_deals_count: id % 3, won_deals_count: id % 2 }),
      });
      id++;
    }
  }
  return persons;
}

function acmeDeals(persons) {
  return persons
    .filter((p) => p.open_deals_count === undefined)
    .flatMap((p) => [
      { id: p.id * 10 + 1, title: `${p.name} — pilot`, status: "open", person_id: p.id },
      { id: p.id * 10 + 2, title: `${p.name} — renewal`, status: "won", person_id: p.id },
    ]);
}

function company(key, id, name, persons) {
  return { key, id, name, domain: key, persons, deals: acmeDeals(persons) };
}

const initialCompanies = () =>
  new Map([
    ["acme", company("acme", 12882925, "Acme Ltd", acmePersons())],
    [
      "globex",
      company("globex", 5550123, "Globex GmbH", [
        { id: 1, name: "Hank Scorpio", email: [{ value: "hank@globex.example", primary: true }], phone: [], org_id: null, open_deals_count: 0, won_deals_count: 0 },
      ]),
    ],
  ]);
const companies = initialCompanies();

/** Every request (API and OAuth), with the status it got. */
const requests = [];
const codes = new Map();
/** One per authorization: the current access token, its refresh token, revoked or not. */
const grants = [];
const webhooks = new Map();
let nextWebhookId = 1;
/** A held persons page: answered only once released (or after 15 s, so nothing hangs forever). */
let gate = null;

const nowText = () => new Date().toISOString().replace("T", " ").slice(0, 19);

function send(res, status, body, headers = { "content-type": "application/json" }) {
  res.writeHead(status, headers);
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

/** RFC 6749 §2.3.1: Basic credentials are form-url-encoded before base64. */
function basicCredentials(header) {
  const match = /^Basic (.+)$/.exec(header ?? "");
  if (!match) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  const unescape = (value) => decodeURIComponent(value.replace(/\+/g, " "));
  return { id: unescape(decoded.slice(0, colon)), secret: unescape(decoded.slice(colon + 1)) };
}

const escapeHtml = (value) => String(value ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

function authorizePage(query) {
  const hidden = ["client_id", "redirect_uri", "state"]
    .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(query.get(name))}">`)
    .join("");
  const options = [...companies.values()].map((c) => `<option value="${c.key}">${escapeHtml(c.name)}</option>`).join("");
  return `<!doctype html><html><head><title>Fake Pipedrive</title></head><body style="font-family:sans-serif;max-width:420px;margin:60px auto">
<h1>Install Cue in Pipedrive</h1><p>Cue (<code>${escapeHtml(query.get("client_id"))}</code>) asks for <code>${escapeHtml(query.get("scope"))}</code>.</p>
<form method="post" action="/oauth/authorize">${hidden}<label>Company <select name="company">${options}</select></label>
<p><button type="submit" name="decision" value="allow">Allow and install</button> <button type="submit" name="decision" value="deny">Deny</button></p></form></body></html>`;
}

function issueGrant(companyKey) {
  const grant = {
    company: companyKey,
    accessToken: `pd-at-${randomBytes(12).toString("hex")}`,
    refreshToken: `pd-rt-${randomBytes(12).toString("hex")}`,
    revoked: false,
  };
  grants.push(grant);
  return grant;
}

const tokenBody = (grant) => ({
  access_token: grant.accessToken,
  token_type: "Bearer",
  refresh_token: grant.refreshToken,
  expires_in: 3599,
  scope: "base,contacts:full,deals:read,activities:full,admin",
  api_domain: baseUrl,
});

function oauthToken(req, form) {
  const client = basicCredentials(req.headers.authorization);
  // Pipedrive wants the app's credentials in the Basic header, never in the form.
  if (client?.id !== CLIENT_ID || client.secret !== CLIENT_SECRET || form.has("client_secret")) {
    return [401, { error: "invalid_client", error_description: "Client authentication failed" }];
  }
  if (form.get("grant_type") === "authorization_code") {
    const pending = codes.get(form.get("code"));
    if (!pending || pending.used || pending.redirectUri !== form.get("redirect_uri")) return [400, { error: "invalid_grant", error_description: "Invalid authorization code" }];
    pending.used = true;
    return [200, tokenBody(issueGrant(pending.company))];
  }
  if (form.get("grant_type") === "refresh_token") {
    const grant = grants.find((g) => g.refreshToken === form.get("refresh_token"));
    if (!grant || grant.revoked) return [400, { error: "invalid_grant", error_description: "Invalid refresh token" }];
    grant.accessToken = `pd-at-${randomBytes(12).toString("hex")}`;
    return [200, tokenBody(grant)];
  }
  return [400, { error: "unsupported_grant_type" }];
}

/** RFC 7009: revoking a grant's refresh (or access) token ends it; an unknown token is answered 200 all the same. */
function oauthRevoke(req, form) {
  const client = basicCredentials(req.headers.authorization);
  if (client?.id !== CLIENT_ID || client.secret !== CLIENT_SECRET || form.has("client_secret")) {
    return [401, { error: "invalid_client", error_description: "Client authentication failed" }];
  }
  const token = form.get("token");
  if (!token) return [400, { error: "invalid_request", error_description: "token is required" }];
  const grant = grants.find((g) => g.refreshToken === token || g.accessToken === token);
  if (grant) grant.revoked = true;
  return [200, ""];
}

const pagination = (start, limit, total) => {
  const more = start + limit < total;
  return { pagination: { start, limit, more_items_in_collection: more, ...(more ? { next_start: start + limit } : {}) } };
};

const v1Person = (c, p) => ({
  ...p,
  owner_id: OWNER_ID,
  company_id: c.id,
  add_time: "2026-01-05 10:00:00",
  update_time: nowText(),
  active_flag: true,
});

/** The API as one company sees it; `null` when no route matches. */
async function api(c, method, path, query, body) {
  let m;
  if (method === "GET" && path === "/api/v1/users/me") {
    return [200, { success: true, data: { id: OWNER_ID, name: "Pat Owner", email: `owner@${c.key}.example`, company_id: c.id, company_name: c.name, company_domain: c.domain } }];
  }
  if (method === "POST" && path === "/api/v1/webhooks") {
    const hook = JSON.parse(body || "{}");
    for (const field of ["subscription_url", "event_action", "event_object", "http_auth_user", "http_auth_password"]) {
      if (!hook[field]) return [400, { success: false, error: `${field} is required` }];
    }
    if (hook.version !== "2.0") return [400, { success: false, error: "Only webhooks v2 here" }];
    const id = nextWebhookId++;
    webhooks.set(id, { id, company: c.key, ...hook });
    return [201, { success: true, data: { id, ...hook, http_auth_password: null } }];
  }
  if (method === "DELETE" && (m = /^\/api\/v1\/webhooks\/(\d+)$/.exec(path))) {
    const hook = webhooks.get(Number(m[1]));
    if (!hook || hook.company !== c.key) return [404, { success: false, error: "Webhook not found" }];
    webhooks.delete(hook.id);
    return [200, { success: true, data: { id: hook.id } }];
  }
  if (method === "GET" && path === "/api/v1/persons") {
    const start = Number(query.get("start") ?? "0");
    const limit = Math.min(Number(query.get("limit") ?? "100"), MAX_PAGE);
    const sorted = [...c.persons].sort((a, b) => (query.get("sort") === "name ASC" ? a.name.localeCompare(b.name) : a.id - b.id));
    if (gate && gate.company === c.key && gate.start === start) await gate.released;
    const page = sorted.slice(start, start + limit).map((p) => v1Person(c, p));
    return [200, { success: true, data: page.length ? page : null, additional_data: pagination(start, limit, sorted.length) }];
  }
  if (method === "GET" && path === "/api/v1/persons/search") {
    const term = (query.get("term") ?? "").toLowerCase();
    const start = Number(query.get("start") ?? "0");
    const limit = Math.min(Number(query.get("limit") ?? "100"), MAX_PAGE);
    const hits = c.persons.filter((p) => p.name.toLowerCase().includes(term) || p.email.some((e) => e.value.toLowerCase().includes(term)));
    const items = hits.slice(start, start + limit).map((p) => ({
      result_score: 1,
      item: { id: p.id, type: "person", name: p.name, emails: p.email.map((e) => e.value), phones: p.phone.map((e) => e.value), organization: null },
    }));
    return [200, { success: true, data: { items }, additional_data: pagination(start, limit, hits.length) }];
  }
  if (method === "GET" && (m = /^\/api\/v1\/persons\/(\d+)\/deals$/.exec(path))) {
    const deals = c.deals.filter((d) => d.person_id === Number(m[1]));
    return [200, { success: true, data: deals.length ? deals : null, additional_data: pagination(0, 100, deals.length) }];
  }
  if (method === "GET" && (m = /^\/api\/v1\/persons\/(\d+)$/.exec(path))) {
    const person = c.persons.find((p) => p.id === Number(m[1]));
    return person ? [200, { success: true, data: v1Person(c, person) }] : [404, { success: false, error: "Person not found" }];
  }
  if (method === "GET" && (m = /^\/api\/v1\/organizations\/(\d+)$/.exec(path))) {
    const name = ORGS.get(Number(m[1]));
    return name ? [200, { success: true, data: { id: Number(m[1]), name } }] : [404, { success: false, error: "Organization not found" }];
  }
  return null;
}

/** What the company sends to each of its webhooks listening for `action`.`object`, with their Basic auth. */
async function deliver(c, action, object, data) {
  const statuses = [];
  for (const hook of webhooks.values()) {
    if (hook.company !== c.key || hook.event_action !== action || hook.event_object !== object) continue;
    const payload = {
      meta: {
        action,
        entity: object,
        entity_id: String(data.id),
        id: randomUUID(),
        company_id: String(c.id),
        user_id: String(OWNER_ID),
        timestamp: new Date().toISOString(),
        version: "2.0",
        host: `${c.domain}.pipedrive.com`,
      },
      data,
      previous: null,
    };
    const authorization = `Basic ${Buffer.from(`${hook.http_auth_user}:${hook.http_auth_password}`).toString("base64")}`;
    const res = await fetch(hook.subscription_url, { method: "POST", headers: { "content-type": "application/json", authorization }, body: JSON.stringify(payload) });
    statuses.push(res.status);
  }
  return statuses;
}

async function handle(req, res, body) {
  const url = new URL(req.url ?? "/", baseUrl);
  const path = url.pathname;
  const method = req.method ?? "GET";
  const json = () => JSON.parse(body || "{}");
  let m;

  // --- Control -------------------------------------------------------------------------------
  if (path === "/__requests") return send(res, 200, requests);
  if (path === "/__state") {
    return send(res, 200, {
      webhooks: [...webhooks.values()].map(({ http_auth_password: _secret, ...hook }) => hook),
      grants: grants.map((g) => ({ company: g.company, revoked: g.revoked })),
      gate: gate ? { company: gate.company, start: gate.start } : null,
    });
  }
  if (path === "/__gate" && method === "POST") {
    const { company: key, start } = json();
    let release;
    const released = new Promise((resolve) => (release = resolve));
    const timer = setTimeout(() => release(), 15_000);
    gate = { company: key, start, released, release: () => (clearTimeout(timer), release(), (gate = null)) };
    return send(res, 200, { ok: true });
  }
  if (path === "/__gate/release" && method === "POST") {
    gate?.release();
    return send(res, 200, { ok: true });
  }
  if ((m = /^\/__companies\/([a-z]+)(\/.*)$/.exec(path))) {
    const c = companies.get(m[1]);
    if (!c) return send(res, 404, { error: `No company ${m[1]}` });
    const rest = m[2];
    if (rest === "/reset" && method === "POST") {
      // Back to the initial people and deals (a retried spec starts from the same data).
      const fresh = initialCompanies().get(c.key);
      c.persons = fresh.persons;
      c.deals = fresh.deals;
      return send(res, 200, { ok: true });
    }
    if (rest === "/persons" && method === "POST") {
      const person = { email: [], phone: [], org_id: null, ...json() };
      c.persons.push(person);
      return send(res, 201, person);
    }
    if ((m = /^\/persons\/(\d+)$/.exec(rest)) && method === "PATCH") {
      const person = c.persons.find((p) => p.id === Number(m[1]));
      if (!person) return send(res, 404, { error: "no such person" });
      Object.assign(person, json());
      return send(res, 200, person);
    }
    if ((m = /^\/deals\/(\d+)$/.exec(rest)) && method === "PATCH") {
      const deal = c.deals.find((d) => d.id === Number(m[1]));
      if (!deal) return send(res, 404, { error: "no such deal" });
      Object.assign(deal, json());
      return send(res, 200, deal);
    }
    if (rest === "/revoke" && method === "POST") {
      // The app was uninstalled (or the grant expired): its tokens stop working, refreshing too.
      for (const grant of grants) if (grant.company === c.key) grant.revoked = true;
      return send(res, 200, { ok: true });
    }
    if (rest === "/webhook-events" && method === "POST") {
      const { action, object, data } = json();
      return send(res, 200, { statuses: await deliver(c, action, object, data) });
    }
    return send(res, 404, { error: `No control ${method} ${rest}` });
  }

  // --- OAuth and API (recorded) -----------------------------------------------------------------
  const record = { method, path: path + url.search, authorization: req.headers.authorization ?? null, body, company: null, status: 0 };
  requests.push(record);
  const reply = (status, payload, headers) => {
    record.status = status;
    send(res, status, payload, headers);
  };

  if (path === "/__echo") return reply(200, { ok: true, query: Object.fromEntries(url.searchParams) });
  if (path === "/oauth/authorize" && method === "GET") {
    if (url.searchParams.get("client_id") !== CLIENT_ID) return reply(400, "Unknown client_id", { "content-type": "text/plain" });
    if (!url.searchParams.get("redirect_uri") || !url.searchParams.get("state")) return reply(400, "redirect_uri and state are required", { "content-type": "text/plain" });
    return reply(200, authorizePage(url.searchParams), { "content-type": "text/html" });
  }
  if (path === "/oauth/authorize" && method === "POST") {
    const form = new URLSearchParams(body);
    if (form.get("client_id") !== CLIENT_ID) return reply(400, "Unknown client_id", { "content-type": "text/plain" });
    const redirect = new URL(form.get("redirect_uri"));
    if (form.get("decision") === "allow" && companies.has(form.get("company"))) {
      const code = `pd-code-${randomBytes(12).toString("hex")}`;
      codes.set(code, { company: form.get("company"), redirectUri: form.get("redirect_uri"), used: false });
      redirect.searchParams.set("code", code);
    } else {
      redirect.searchParams.set("error", "access_denied");
    }
    redirect.searchParams.set("state", form.get("state") ?? "");
    return reply(303, "", { location: redirect.toString() });
  }
  if (path === "/oauth/token" && method === "POST") {
    const [status, payload] = oauthToken(req, new URLSearchParams(body));
    return reply(status, payload);
  }
  if (path === "/oauth/revoke" && method === "POST") {
    const [status, payload] = oauthRevoke(req, new URLSearchParams(body));
    return reply(status, payload, typeof payload === "string" ? { "content-type": "text/plain" } : undefined);
  }
  if (path.startsWith("/api/")) {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const grant = token ? grants.find((g) => g.accessToken === token) : undefined;
    if (!grant || grant.revoked) return reply(401, { success: false, error: "unauthorized access", errorCode: 401 });
    record.company = grant.company;
    const answer = await api(companies.get(grant.company), method, path, url.searchParams, body);
    if (answer) return reply(answer[0], answer[1]);
  }
  return reply(404, { success: false, error: `No fake for ${method} ${path}` });
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    handle(req, res, Buffer.concat(chunks).toString("utf8")).catch((error) => send(res, 500, { success: false, error: String(error?.message ?? error) }));
  });
});
server.keepAliveTimeout = 30_000;
server.listen(port, "127.0.0.1", () => console.log(`Fake Pipedrive listening at ${baseUrl}`));
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

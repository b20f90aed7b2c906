// Local stand-ins for Jira Cloud, Twilio and GitHub on 127.0.0.1 for the end-to-end suite. They answer
// the requests Cue's real client code sends, check their credentials, and record everything so
// specs can assert what arrived. Control endpoints (/__…) let a spec read that state and script failures.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

const port = Number(process.env.FAKE_PROVIDERS_PORT ?? 9110);
const accounts = JSON.parse(readFileSync(new URL("./fake-accounts.json", import.meta.url), "utf8"));
const JIRA = accounts.jira;
const TWILIO = accounts.twilio;
const GITHUB = accounts.github;

let requests = [];
let failures = []; // { pathIncludes, status, times, body }
let issueNumber = 0;
let hookNumber = 0;
let githubHooks = []; // { id, repository, events, config, deleted }: the repository webhooks Cue created

const basic = (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

function reply(res, status, body) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", `http://127.0.0.1:${port}`);
    if (url.pathname === "/__requests") return reply(res, 200, requests);
    if (url.pathname === "/__github/hooks") return reply(res, 200, githubHooks);
    if (url.pathname === "/__reset") {
      requests = [];
      failures = [];
      githubHooks = [];
      return reply(res, 200, { ok: true });
    }
    if (url.pathname === "/__fail") {
      failures.push(JSON.parse(body));
      return reply(res, 200, { ok: true });
    }
    requests.push({ method: req.method, path: url.pathname + url.search, headers: req.headers, body });

    const failure = failures.find((f) => url.pathname.includes(f.pathIncludes) && f.times > 0);
    if (failure) {
      failure.times--;
      return reply(res, failure.status, failure.body ?? { message: "Scripted failure" });
    }

    if (url.pathname.startsWith("/rest/api/3/")) {
      if (req.headers.authorization !== basic(JIRA.email, JIRA.token)) return reply(res, 401, { errorMessages: ["Unauthorized"] });
      if (url.pathname === "/rest/api/3/myself" && req.method === "GET") {
        return reply(res, 200, { accountId: "5b10ac8d82e05b22cc7d4ef5", displayName: "Ops Team", emailAddress: JIRA.email });
      }
      if (url.pathname === "/rest/api/3/issue" && req.method === "POST") {
        const fields = JSON.parse(body).fields ?? {};
        if (fields.project?.key !== "OPS") return reply(res, 400, { errorMessages: [], errors: { project: "valid project is required" } });
        issueNumber++;
        return reply(res, 201, { id: String(10000 + issueNumber), key: `OPS-${issueNumber}`, self: `http://127.0.0.1:${port}/rest/api/3/issue/${10000 + issueNumber}` });
      }
    }
    if (url.pathname.startsWith(`/2010-04-01/Accounts/${TWILIO.sid}`)) {
      if (req.headers.authorization !== basic(TWILIO.sid, TWILIO.token)) return reply(res, 401, { code: 20003, message: "Authenticate" });
      if (url.pathname.endsWith(".json") && req.method === "GET") return reply(res, 200, { sid: TWILIO.sid, friendly_name: "Cue E2E" });
      if (url.pathname.endsWith("/Messages.json") && req.method === "POST") {
        const form = new URLSearchParams(body);
        return reply(res, 201, { sid: `SM${Date.now()}`, status: "queued", to: form.get("To") });
      }
    }
    if (url.pathname === "/user" || url.pathname.startsWith("/repos/")) {
      if (req.headers.authorization !== `Bearer ${GITHUB.token}`) return reply(res, 401, { message: "Bad credentials" });
      if (url.pathname === "/user" && req.method === "GET") return reply(res, 200, { id: GITHUB.id, login: GITHUB.login, type: "User" });
      const hooks = url.pathname.match(/^\/repos\/([^/]+)\/([^/]+)\/hooks(?:\/(\d+))?$/);
      const repository = hooks ? `${decodeURIComponent(hooks[1])}/${decodeURIComponent(hooks[2])}`.toLowerCase() : "";
      if (hooks && !hooks[3] && req.method === "POST") {
        const { events, config } = JSON.parse(body);
        const hook = { id: 500000 + ++hookNumber, repository, events, config, deleted: false };
        githubHooks.push(hook);
        // GitHub never echoes the secret back.
        return reply(res, 201, { id: hook.id, type: "Repository", name: "web", active: true, events, config: { ...config, secret: "********" } });
      }
      if (hooks && hooks[3] && req.method === "DELETE") {
        const hook = githubHooks.find((h) => h.id === Number(hooks[3]) && h.repository === repository && !h.deleted);
        if (!hook) return reply(res, 404, { message: "Not Found" });
        hook.deleted = true;
        res.writeHead(204);
        return res.end();
      }
    }
    // Any service Cue has no integration for (http.request steps): recorded above, then accepted.
    if (url.pathname.startsWith("/capture/")) return reply(res, 200, { received: true });
    reply(res, 404, { message: `No fake for ${req.method} ${url.pathname}` });
  });
});

server.listen(port, "127.0.0.1", () => console.log(`Fake providers listening at http://127.0.0.1:${port}`));
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

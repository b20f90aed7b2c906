// Local stand-ins for Jira Cloud and Twilio on 127.0.0.1 for the end-to-end suite. They answer
// the requests Cue's real client code sends, check their credentials, and record everything so
// specs can assert what arrived. Control endpoints (/__…) let a spec script failures.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

const port = Number(process.env.FAKE_PROVIDERS_PORT ?? 9110);
const accounts = JSON.parse(readFileSync(new URL("./fake-accounts.json", import.meta.url), "utf8"));
const JIRA = accounts.jira;
const TWILIO = accounts.twilio;

let requests = [];
let failures = []; // { pathIncludes, status, times, body }
let issueNumber = 0;

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
    if (url.pathname === "/__reset") {
      requests = [];
      failures = [];
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
    reply(res, 404, { message: `No fake for ${req.method} ${url.pathname}` });
  });
});

server.listen(port, "127.0.0.1", () => console.log(`Fake providers listening at http://127.0.0.1:${port}`));
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

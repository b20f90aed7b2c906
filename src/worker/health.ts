// The worker's health endpoints, for an orchestrator's probes: GET /healthz (the process is alive)
// and GET /readyz (database and Redis answer, the worker takes jobs), both JSON.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReadinessCheck {
  /** Named checks; each resolves true when healthy. */
  [name: string]: () => Promise<boolean>;
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

async function runChecks(checks: ReadinessCheck): Promise<{ ok: boolean; checks: Record<string, "ok" | "failing"> }> {
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => [name, await check().catch(() => false)] as const),
  );
  return {
    ok: results.every(([, healthy]) => healthy),
    checks: Object.fromEntries(results.map(([name, healthy]) => [name, healthy ? "ok" : "failing"])),
  };
}

export function startHealthServer(port: number, readiness: ReadinessCheck, details: () => Record<string, unknown> = () => ({})): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(body));
    };
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, { error: "Method not allowed" });
    if (path === "/healthz") return send(200, { status: "ok", ...details() });
    if (path === "/readyz") {
      void runChecks(readiness).then(({ ok, checks }) => send(ok ? 200 : 503, { status: ok ? "ok" : "unavailable", checks, ...details() }));
      return;
    }
    send(404, { error: "Not found" });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => {
      server.off("error", reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

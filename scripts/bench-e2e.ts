// End-to-end throughput on the embedded default: HMAC-signed webhooks over real HTTP into the
// production route handler (src/app/api/webhooks/workflows/[token]/route.ts), through the
// in-process run queue and engine on a PGlite database on disk, to an HTTP sink on 127.0.0.1.
// The workflow: webhook trigger → condition (amount > 100) → http.request POSTing a templated
// (transformed) JSON body to the sink. Next.js's own HTTP layer is not in the loop: a plain
// node:http server hands each request to the route handler as a fetch Request.
//
//   npm run bench -- e2e            (or: npx tsx scripts/bench-e2e.ts [events] [concurrency])
//
// Prints a JSON report and a short table. A benchmark, not a test: nothing here asserts.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

const EVENTS = Number(process.argv[2] ?? 2000);
const CONCURRENCY = Number(process.argv[3] ?? 32);
const RATE_PER_SECOND = 200;
const RATE_SECONDS = 5;
const SECRET = "bench-webhook-secret-0123456789";

const dataDir = mkdtempSync(path.join(tmpdir(), "cue-bench-"));
// Set before the app's modules load: src/env.ts reads the environment once.
Object.assign(process.env, {
  DATABASE_URL: `pglite:${dataDir}`,
  HTTP_ALLOW_PRIVATE_NETWORK: "true",
  NODE_ENV: "production",
  SCHEDULER_INTERVAL_MS: process.env.SCHEDULER_INTERVAL_MS ?? "200",
  AUTH_SECRET: process.env.AUTH_SECRET ?? "bench-secret-0123456789abcdef0123456789",
  ENCRYPTION_KEYS: process.env.ENCRYPTION_KEYS ?? `bench:${Buffer.alloc(32, 3).toString("base64")}`,
});

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const round = (n: number) => Math.round(n * 100) / 100;

async function main() {
  const { getDatabase } = await import("@/server/db");
  const { getKeyRing, getRunQueue } = await import("@/server/runtime");
  const { encryptSecret } = await import("@/server/crypto/secrets");
  const { activateWorkflow, createWorkflow } = await import("@/server/services/workflows");
  const { signWebhookBody } = await import("@/server/services/dispatch");
  const route = await import("@/app/api/webhooks/workflows/[token]/route");

  const database = getDatabase();
  await database.prepare();
  const db = database.prisma;
  const queue = getRunQueue();
  queue.start();

  // The sink: records when each event's delivery arrives.
  const delivered = new Map<string, number>();
  let deliveries = 0;
  const sink = createServer(async (req, res) => {
    const body = JSON.parse((await readBody(req)).toString("utf8")) as { eventId: string };
    deliveries++;
    if (!delivered.has(body.eventId)) delivered.set(body.eventId, performance.now());
    res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
  });
  const sinkUrl = await listen(sink);

  // The intake: the production route handler behind a plain HTTP server.
  const intake = createServer(async (req, res) => {
    try {
      const url = `http://127.0.0.1${req.url}`;
      const token = (req.url ?? "").split("/").pop()!;
      const request = new Request(url, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: new Uint8Array(await readBody(req)),
      });
      const response = await route.POST(request, { params: Promise.resolve({ token }) });
      res.writeHead(response.status, { "content-type": "application/json" }).end(await response.text());
    } catch (error) {
      console.error("intake:", error);
      res.writeHead(500).end();
    }
  });
  // Longer than the client's idle keep-alive, so the server never closes a socket the client reuses.
  intake.keepAliveTimeout = 60_000;
  sink.keepAliveTimeout = 60_000;
  const intakeUrl = await listen(intake);

  const user = await db.user.create({ data: { email: `bench-${Date.now()}@example.com` } });
  const { id } = await createWorkflow(db, user.id, {
    name: "Bench: webhook → condition → HTTP",
    graph: {
      nodes: [
        { id: "t1", type: "webhook.received", config: {}, position: { x: 0, y: 0 } },
        {
          id: "c1",
          type: "core.condition",
          config: { mode: "all", rules: [{ left: "{{trigger.body.amount}}", operator: "gt", right: 100 }] },
          position: { x: 0, y: 100 },
        },
        {
          id: "h1",
          type: "http.request",
          config: {
            method: "POST",
            url: `${sinkUrl}/deliveries`,
            body: { eventId: "{{trigger.body.id}}", customer: "{{trigger.body.customer | upper}}", amount: "{{trigger.body.amount | money}}" },
          },
          position: { x: 0, y: 200 },
        },
      ],
      edges: [
        { id: "e1", source: "t1", target: "c1" },
        { id: "e2", source: "c1", target: "h1", sourceHandle: "true" },
      ],
    },
  });
  await db.workflow.update({ where: { id }, data: { webhookSecret: encryptSecret(getKeyRing(), SECRET) } });
  await activateWorkflow(db, user.id, id);
  const { webhookToken } = await db.workflow.findUniqueOrThrow({ where: { id }, select: { webhookToken: true } });
  const hookUrl = `${intakeUrl}/api/webhooks/workflows/${webhookToken}`;

  const sent = new Map<string, number>();
  async function send(eventId: string): Promise<number> {
    const body = JSON.stringify({ id: eventId, type: "charge.failed", amount: 12_500, customer: "cus_bench" });
    const started = performance.now();
    sent.set(eventId, started);
    const response = await fetch(hookUrl, {
      method: "POST",
      headers: { "content-type": "application/json", "x-cue-signature": signWebhookBody(SECRET, body), "idempotency-key": eventId },
      body,
    });
    await response.arrayBuffer();
    if (response.status !== 202) throw new Error(`intake answered ${response.status}`);
    return performance.now() - started;
  }

  async function waitForDeliveries(ids: string[], timeoutMs: number) {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline && ids.some((eventId) => !delivered.has(eventId))) {
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  // Phase 1: a fixed offered rate, for acknowledgement latency under normal load.
  const rateIds: string[] = [];
  const rateAcks: number[] = [];
  const rateStart = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < RATE_PER_SECOND * RATE_SECONDS; i++) {
    const due = rateStart + (i * 1000) / RATE_PER_SECOND;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const eventId = `rate_${i}`;
    rateIds.push(eventId);
    inFlight.push(send(eventId).then((ms) => void rateAcks.push(ms)));
  }
  await Promise.all(inFlight);
  await waitForDeliveries(rateIds, 30_000);

  // Phase 2: saturation, for throughput and end-to-end delivery latency.
  const ids = Array.from({ length: EVENTS }, (_, i) => `evt_${i}`);
  const acks: number[] = [];
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < ids.length) {
        const eventId = ids[next++]!;
        acks.push(await send(eventId));
      }
    }),
  );
  const intakeDone = performance.now();
  await waitForDeliveries(ids, 60_000);
  const lastDelivery = Math.max(...ids.map((eventId) => delivered.get(eventId) ?? 0));

  // A duplicate delivery of every saturation event must start nothing.
  const duplicateIds = ids.slice(0, 200);
  for (const eventId of duplicateIds) await send(eventId);
  await new Promise((r) => setTimeout(r, 1_000));

  const allIds = [...rateIds, ...ids];
  const lost = allIds.filter((eventId) => !delivered.has(eventId)).length;
  const latencies = ids.filter((eventId) => delivered.has(eventId)).map((eventId) => delivered.get(eventId)! - sent.get(eventId)!).sort((a, b) => a - b);
  rateAcks.sort((a, b) => a - b);
  acks.sort((a, b) => a - b);
  const runs = await db.workflowRun.groupBy({ by: ["status"], where: { workflowId: id }, _count: { _all: true } });

  const report = {
    benchmark: "e2e-embedded",
    database: "PGlite (on disk)",
    queue: `in-process, concurrency ${process.env.RUN_CONCURRENCY ?? "8 (default)"}`,
    workflow: "webhook → condition → http.request (templated body) → sink",
    intakeAtFixedRate: {
      offeredPerSecond: RATE_PER_SECOND,
      events: rateIds.length,
      ackP50Ms: round(percentile(rateAcks, 50)),
      ackP99Ms: round(percentile(rateAcks, 99)),
    },
    saturation: {
      events: EVENTS,
      clientConcurrency: CONCURRENCY,
      intakePerSecond: round(EVENTS / ((intakeDone - start) / 1000)),
      ackP50Ms: round(percentile(acks, 50)),
      ackP99Ms: round(percentile(acks, 99)),
      executionsPerSecond: round(EVENTS / ((lastDelivery - start) / 1000)),
      deliveryP50Ms: round(percentile(latencies, 50)),
      deliveryP99Ms: round(percentile(latencies, 99)),
    },
    lost,
    duplicated: deliveries - delivered.size,
    duplicateDeliveriesSent: duplicateIds.length,
    runsByStatus: Object.fromEntries(runs.map((r) => [r.status, r._count._all])),
  };
  console.log(JSON.stringify(report, null, 2));
  console.table({
    "ack p50/p99 @200/s (ms)": `${report.intakeAtFixedRate.ackP50Ms} / ${report.intakeAtFixedRate.ackP99Ms}`,
    "intake at saturation (/s)": report.saturation.intakePerSecond,
    "executions (/s)": report.saturation.executionsPerSecond,
    "delivery p50/p99 (ms)": `${report.saturation.deliveryP50Ms} / ${report.saturation.deliveryP99Ms}`,
    "lost / duplicated": `${report.lost} / ${report.duplicated}`,
  });

  await queue.stop();
  sink.close();
  intake.close();
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

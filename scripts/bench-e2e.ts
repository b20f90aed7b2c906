// End-to-end throughput: signed Stripe-style `charge.failed` events over real HTTP into Cue's
// production build (`npm run build` first), served by Next.js's own request handler, to the inbound
// webhook route of a workflow (src/app/api/webhooks/workflows/[token]/route.ts: X-Cue-Signature
// HMAC over the raw body, Idempotency-Key = the event id), through the run queue and engine, to an
// HTTP sink on 127.0.0.1. The workflow: webhook trigger → condition (amount > 100) → transform
// (four templated fields: upper, money) → http.request POSTing them as JSON to the sink. The
// client and the sink run in a separate process (bench-load.ts), as they would in life.
//
//   npm run bench:e2e                          embedded default: PGlite on disk, in-process queue
//   npm run bench:e2e -- --mode=production     Postgres (TEST_DATABASE_URL or DATABASE_URL, a fresh
//                                              schema) + BullMQ on REDIS_URL, two `cue worker` processes
//   options: --events=N (saturation, default 3000) --concurrency=N (clients, default 64)
//            --rate=N (offered/s, default 200) --rate-seconds=N (default 5)
//
// Prints a JSON report and a short table. A benchmark, not a test: nothing here asserts.
import { fork, spawn, type ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import path from "node:path";
import { randomBytes } from "node:crypto";
import type { LoadPlan, LoadReport } from "./bench-load";

const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, "").split("=");
    return [key!, value ?? "true"] as const;
  }),
);
const MODE = args.get("mode") === "production" ? "production" : "embedded";
const EVENTS = Number(args.get("events") ?? 3000);
const CONCURRENCY = Number(args.get("concurrency") ?? 64);
const RATE_PER_SECOND = Number(args.get("rate") ?? 200);
const RATE_SECONDS = Number(args.get("rate-seconds") ?? 5);
const WORKERS = 2;
const SECRET = "bench-webhook-secret-0123456789";
const root = path.resolve(import.meta.dirname, "..");

const dataDir = mkdtempSync(path.join(tmpdir(), "cue-bench-"));
const postgresUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
const schema = `cue_bench_${randomBytes(4).toString("hex")}`;
const benchEnv: Record<string, string> = {
  HTTP_ALLOW_PRIVATE_NETWORK: "true",
  NODE_ENV: "production",
  AUTH_SECRET: process.env.AUTH_SECRET ?? "bench-secret-0123456789abcdef0123456789",
  ENCRYPTION_KEYS: process.env.ENCRYPTION_KEYS ?? `bench:${Buffer.alloc(32, 3).toString("base64")}`,
};
if (MODE === "production") {
  if (!postgresUrl?.startsWith("postgres") || !process.env.REDIS_URL) {
    console.error("--mode=production needs TEST_DATABASE_URL (or DATABASE_URL) = postgresql://… and REDIS_URL = redis://…");
    process.exit(2);
  }
  const url = new URL(postgresUrl);
  url.searchParams.set("schema", schema);
  Object.assign(benchEnv, { DATABASE_URL: url.toString(), REDIS_URL: process.env.REDIS_URL, QUEUE_PREFIX: schema });
} else {
  Object.assign(benchEnv, { DATABASE_URL: `pglite:${dataDir}` });
  delete process.env.REDIS_URL;
}
// Set before the app's modules load: src/env.ts reads the environment once.
Object.assign(process.env, benchEnv);

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const round = (n: number) => Math.round(n * 100) / 100;

async function preparePostgresSchema(): Promise<void> {
  const pg = (await import("pg")).default;
  const { applyMigrations } = await import("@/server/migrate");
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  await admin.query(`SET search_path TO "${schema}"`);
  await applyMigrations({ exec: (sql) => admin.query(sql), query: async (sql, params) => (await admin.query(sql, params)).rows });
  await admin.end();
}

async function dropPostgresSchema(): Promise<void> {
  const pg = (await import("pg")).default;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
  await admin.end();
}

function startWorkers(): ChildProcess[] {
  return Array.from({ length: WORKERS }, (_, i) => {
    const child = spawn(process.execPath, [path.join(root, "bin/cue.mjs"), "worker"], {
      cwd: root,
      env: { ...process.env, ...benchEnv, WORKER_HEALTH_PORT: "0" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    child.on("exit", (code, signal) => {
      if (code && code !== 0) console.error(`worker ${i} exited with ${code ?? signal}`);
    });
    return child;
  });
}

/**
 * Embedded mode: counts the statements PGlite executes, by their first words: Prisma's (through
 * ThreadedPGlite's query()) and the write path's (the Database's driver-level sql()).
 */
const sqlStats = { statements: 0, byKind: new Map<string, number>() };
function countStatement(text: string): void {
  sqlStats.statements++;
  const kind = text.trim().split(/\s+/).slice(0, 3).join(" ").slice(0, 40);
  sqlStats.byKind.set(kind, (sqlStats.byKind.get(kind) ?? 0) + 1);
}
async function countStatements(): Promise<void> {
  const { ThreadedPGlite } = await import("@/server/pglite-thread");
  const query = ThreadedPGlite.prototype.query;
  ThreadedPGlite.prototype.query = async function (this: InstanceType<typeof ThreadedPGlite>, ...args: Parameters<typeof query>) {
    countStatement(String(args[0]));
    return query.apply(this, args);
  } as typeof query;
}
async function countSql(database: { prisma: object; sql: (query: string, params?: readonly unknown[]) => Promise<unknown> }): Promise<void> {
  const { SQL } = await import("@/server/db");
  const sql = database.sql;
  Object.defineProperty(database.prisma, SQL, {
    configurable: true,
    value: (query: string, params?: readonly unknown[]) => {
      countStatement(query);
      return sql(query, params);
    },
  });
}

async function main() {
  if (MODE === "production") await preparePostgresSchema();
  else await countStatements();
  const { getDatabase } = await import("@/server/db");
  const { getKeyRing, getRunQueue } = await import("@/server/runtime");
  const { encryptSecret } = await import("@/server/crypto/secrets");
  const { activateWorkflow, createWorkflow } = await import("@/server/services/workflows");

  const database = getDatabase();
  await database.prepare();
  if (MODE === "embedded") await countSql(database);
  const db = database.prisma;
  const queue = getRunQueue();
  queue.start();
  const workers = MODE === "production" ? startWorkers() : [];

  const load = fork(path.join(root, "scripts/bench-load.ts"), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const sinkUrl = await new Promise<string>((resolve) => load.once("message", (m: { url: string }) => resolve(m.url)));

  // The intake: Cue's production build (`npm run build`) served by Next.js's own request handler,
  // in this process, so its instrumentation shares the database and run queue created above.
  if (!existsSync(path.join(root, ".next/BUILD_ID"))) throw new Error("No production build: run `npm run build` first");
  const next = (await import("next")).default;
  const app = next({ dev: false, dir: root, quiet: true });
  await app.prepare();
  const handle = app.getRequestHandler();
  const intake = createServer((req, res) => void handle(req, res));
  // Longer than the client's idle keep-alive, so the server never closes a socket the client reuses.
  intake.keepAliveTimeout = 60_000;
  const intakeUrl = await listen(intake);

  const user = await db.user.create({ data: { email: `bench-${Date.now()}@example.com` } });
  const { id } = await createWorkflow(db, user.id, {
    name: "Bench: charge.failed webhook → condition → transform → HTTP",
    graph: {
      nodes: [
        { id: "t1", type: "webhook.received", config: {}, position: { x: 0, y: 0 } },
        {
          id: "c1",
          type: "core.condition",
          config: { mode: "all", rules: [{ left: "{{trigger.body.data.object.amount}}", operator: "gt", right: 100 }] },
          position: { x: 0, y: 100 },
        },
        {
          id: "x1",
          type: "core.transform",
          config: {
            fields: {
              eventId: "{{trigger.body.id}}",
              customer: "{{trigger.body.data.object.customer | upper}}",
              amount: "{{trigger.body.data.object.amount | money: trigger.body.data.object.currency}}",
              reason: "{{trigger.body.data.object.failure_message}}",
            },
          },
          position: { x: 0, y: 200 },
        },
        {
          id: "h1",
          type: "http.request",
          config: {
            method: "POST",
            url: `${sinkUrl}/deliveries`,
            body: { eventId: "{{steps.x1.eventId}}", customer: "{{steps.x1.customer}}", amount: "{{steps.x1.amount}}", reason: "{{steps.x1.reason}}" },
          },
          position: { x: 0, y: 300 },
        },
      ],
      edges: [
        { id: "e1", source: "t1", target: "c1" },
        { id: "e2", source: "c1", target: "x1", sourceHandle: "true" },
        { id: "e3", source: "x1", target: "h1" },
      ],
    },
  });
  await db.workflow.update({ where: { id }, data: { webhookSecret: encryptSecret(getKeyRing(), SECRET) } });
  await activateWorkflow(db, user.id, id);
  const { webhookToken } = await db.workflow.findUniqueOrThrow({ where: { id }, select: { webhookToken: true } });

  const plan: LoadPlan = {
    hookUrl: `${intakeUrl}/api/webhooks/workflows/${webhookToken}`,
    secret: SECRET,
    ratePerSecond: RATE_PER_SECOND,
    rateSeconds: RATE_SECONDS,
    events: EVENTS,
    concurrency: CONCURRENCY,
    duplicates: Math.min(200, EVENTS),
    deliveryTimeoutMs: 120_000,
    warmup: 400,
  };
  const loadBefore = loadavg()[0]!;
  let cpuBefore = process.cpuUsage();
  let statementsBefore = sqlStats.statements;
  // Counters start once the load process has warmed the server up.
  // How late this process's event loop ran while events came at the fixed rate: what an
  // acknowledgement waits for besides its own work and its commit.
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  load.on("message", (m: { type: string }) => {
    if (m.type === "rated") loopDelay.disable();
    if (m.type !== "warmed") return;
    cpuBefore = process.cpuUsage();
    statementsBefore = sqlStats.statements;
    sqlStats.byKind.clear();
    loopDelay.enable();
  });
  load.send({ type: "run", plan });
  const result = await new Promise<LoadReport>((resolve) => load.on("message", (m: { type: string; report: LoadReport }) => m.type === "report" && resolve(m.report)));
  const cpu = process.cpuUsage(cpuBefore);
  const runs = await db.workflowRun.groupBy({ by: ["status"], where: { workflowId: id }, _count: { _all: true } });

  const { rate, saturation } = result;
  const executions = rate.events + saturation.events;
  const report = {
    benchmark: `e2e-${MODE}`,
    database: MODE === "production" ? `Postgres (${new URL(postgresUrl!).host}, schema ${schema})` : "PGlite (on disk)",
    queue:
      MODE === "production"
        ? `BullMQ, ${WORKERS} \`cue worker\` processes, concurrency ${process.env.WORKER_CONCURRENCY ?? "32 (default)"} each`
        : `in-process, concurrency ${process.env.RUN_CONCURRENCY ?? "32 (default)"}`,
    intake: "POST /api/webhooks/workflows/<token> (X-Cue-Signature HMAC, Idempotency-Key = Stripe event id)",
    workflow: "webhook (Stripe charge.failed event) → condition → transform → http.request → sink",
    loadAverage1m: { before: round(loadBefore), after: round(loadavg()[0]!) },
    intakeAtFixedRate: {
      offeredPerSecond: RATE_PER_SECOND,
      events: rate.events,
      acceptedPerSecond: round(rate.acks.length / rate.seconds),
      failed: rate.failed,
      ackP50Ms: round(percentile(rate.acks, 50)),
      ackP99Ms: round(percentile(rate.acks, 99)),
      eventLoopDelayP99Ms: round(loopDelay.percentile(99) / 1e6),
      eventLoopDelayMaxMs: round(loopDelay.max / 1e6),
    },
    saturation: {
      events: saturation.events,
      clientConcurrency: CONCURRENCY,
      failed: saturation.failed,
      intakePerSecond: round(saturation.events / saturation.intakeSeconds),
      ackP50Ms: round(percentile(saturation.acks, 50)),
      ackP99Ms: round(percentile(saturation.acks, 99)),
      executionsPerSecond: round(saturation.events / saturation.executionSeconds),
      deliveryP50Ms: round(percentile(saturation.latencies, 50)),
      deliveryP99Ms: round(percentile(saturation.latencies, 99)),
    },
    serverProcess: {
      // CPU time of this process (intake, queue, engine and, embedded, the database) per execution.
      cpuMsPerExecution: round((cpu.user + cpu.system) / 1000 / executions),
      // The load process (client and sink) on the same two cores.
      loadProcessCpuMsPerEvent: result.loadCpuMsPerEvent,
      ...(MODE === "embedded"
        ? {
            statementsPerExecution: round((sqlStats.statements - statementsBefore) / executions),
            statements: Object.fromEntries([...sqlStats.byKind].sort((a, b) => b[1] - a[1]).slice(0, 8)),
          }
        : {}),
    },
    lost: result.lost,
    duplicated: result.duplicated,
    duplicateDeliveriesSent: result.duplicatesSent,
    runsByStatus: Object.fromEntries(runs.map((r) => [r.status, r._count._all])),
  };
  console.log(JSON.stringify(report, null, 2));
  console.table({
    [`ack p50/p99 @${RATE_PER_SECOND}/s (ms)`]: `${report.intakeAtFixedRate.ackP50Ms} / ${report.intakeAtFixedRate.ackP99Ms}`,
    "intake at saturation (/s)": report.saturation.intakePerSecond,
    "ack p50/p99 at saturation (ms)": `${report.saturation.ackP50Ms} / ${report.saturation.ackP99Ms}`,
    "executions (/s)": report.saturation.executionsPerSecond,
    "delivery p50/p99 (ms)": `${report.saturation.deliveryP50Ms} / ${report.saturation.deliveryP99Ms}`,
    "lost / duplicated": `${report.lost} / ${report.duplicated}`,
  });

  for (const worker of workers) worker.kill("SIGTERM");
  await Promise.all(workers.map((worker) => new Promise((resolve) => (worker.exitCode !== null ? resolve(null) : worker.once("exit", resolve)))));
  await queue.stop();
  intake.close();
  await database.close();
  if (MODE === "production") await dropPostgresSchema();
  rmSync(dataDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

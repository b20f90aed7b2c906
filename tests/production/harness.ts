// Production mode on the real services: a private Postgres schema and a private BullMQ prefix per
// test file, the web side (route handlers, BullRunQueue) in the test process, real worker
// processes (`node bin/cue.mjs worker`), and an HTTP sink on 127.0.0.1 that deduplicates by
// Idempotency-Key the way real providers do, so tests can count side effects.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import type { WorkflowGraph } from "@/engine/types";
import { applyMigrations } from "@/server/migrate";

const ROOT = path.resolve(import.meta.dirname, "../..");
/** Short leases so a killed worker's run is retaken within seconds. */
export const TEST_LEASE_MS = 2_000;

export function requiredServices(): { databaseUrl: string; redisUrl: string } {
  const databaseUrl = process.env.TEST_DATABASE_URL;
  const redisUrl = process.env.REDIS_URL;
  if (!databaseUrl?.startsWith("postgres") || !redisUrl?.startsWith("redis")) {
    throw new Error(
      "test:production runs against real Postgres and Redis: set TEST_DATABASE_URL=postgresql://… and REDIS_URL=redis://… " +
        "(e.g. TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379 npm run test:production)",
    );
  }
  return { databaseUrl, redisUrl };
}

export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  { timeoutMs = 20_000, intervalMs = 50 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

// ---------------------------------------------------------------------------------------------
// The environment: schema, prefix, and the app's modules loaded against them
// ---------------------------------------------------------------------------------------------

export async function openProductionEnv() {
  const { databaseUrl, redisUrl } = requiredServices();
  const id = randomBytes(5).toString("hex");
  const schema = `cue_prod_${id}`;
  const prefix = `cuetest-${id}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  await admin.query(`SET search_path TO "${schema}"`);
  await applyMigrations({ exec: (sql) => admin.query(sql), query: async (sql, params) => (await admin.query(sql, params)).rows });
  const url = new URL(databaseUrl);
  url.searchParams.set("schema", schema);

  // src/env.ts reads the environment once, when first imported: everything below imports after this.
  const appEnv = {
    DATABASE_URL: url.toString(),
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    HTTP_ALLOW_PRIVATE_NETWORK: "true",
    RUN_LEASE_MS: String(TEST_LEASE_MS),
    WORKER_SWEEP_INTERVAL_MS: "2000",
    WORKER_HEALTH_PORT: "0",
  };
  Object.assign(process.env, appEnv);
  const { getDatabase } = await import("@/server/db");
  const runtime = await import("@/server/runtime");
  const route = await import("@/app/api/webhooks/workflows/[token]/route");
  const workflows = await import("@/server/services/workflows");
  const db = getDatabase().prisma;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const workers = new Set<WorkerProcess>();

  async function deliver(token: string, body: unknown, headers: Record<string, string> = {}) {
    const request = new Request(`http://127.0.0.1/api/webhooks/workflows/${token}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
    const response = await route.POST(request, { params: Promise.resolve({ token }) });
    return { status: response.status, body: (await response.json()) as { runId: string | null; duplicate: boolean } };
  }

  async function createUser(email: string) {
    return db.user.create({ data: { email } });
  }

  /** Creates and activates a workflow through the same services (and queue hook) the tRPC router uses. */
  async function activeWorkflow(userId: string, graph: WorkflowGraph) {
    const { id } = await workflows.createWorkflow(db, userId, { name: "production test", graph });
    await workflows.activateWorkflow(db, userId, id);
    await runtime.getRunQueue().scheduleChanged(id);
    const { webhookToken } = await db.workflow.findUniqueOrThrow({ where: { id }, select: { webhookToken: true } });
    return { id, token: webhookToken };
  }

  function startWorker(options: { concurrency?: number; env?: Record<string, string> } = {}): Promise<WorkerProcess> {
    const worker = new WorkerProcess({ ...appEnv, ...options.env }, options.concurrency ?? 2);
    workers.add(worker);
    return worker.ready;
  }

  async function close() {
    await Promise.all([...workers].map((worker) => worker.kill("SIGKILL")));
    await runtime.closeRunQueue();
    await getDatabase().close();
    await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
    await admin.end();
    await deleteKeys(redis, `${prefix}:*`);
    await redis.quit();
  }

  return { db, redis, schema, prefix, runtime, workflows, deliver, createUser, activeWorkflow, startWorker, close };
}

export type ProductionEnv = Awaited<ReturnType<typeof openProductionEnv>>;

export async function deleteKeys(redis: Redis, pattern: string): Promise<number> {
  let cursor = "0";
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    cursor = next;
    if (keys.length) deleted += await redis.del(...keys);
  } while (cursor !== "0");
  return deleted;
}

// ---------------------------------------------------------------------------------------------
// Worker processes
// ---------------------------------------------------------------------------------------------

// A test process that dies never leaves worker processes behind.
const liveWorkers = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of liveWorkers) child.kill("SIGKILL");
});

export class WorkerProcess {
  readonly child: ChildProcess;
  readonly ready: Promise<WorkerProcess>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  healthPort = 0;
  private output = "";
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  constructor(env: Record<string, string>, concurrency: number) {
    this.child = spawn(process.execPath, [path.join(ROOT, "bin/cue.mjs"), "worker", "--concurrency", String(concurrency)], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    liveWorkers.add(this.child);
    this.child.stdout!.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr!.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => {
      this.child.once("exit", (code, signal) => {
        liveWorkers.delete(this.child);
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
    });
    this.ready = Promise.race([
      waitFor("the worker to be ready", () => /health on port (\d+)/.exec(this.output), { timeoutMs: 60_000, intervalMs: 25 }).then((match) => {
        this.healthPort = Number(match[1]);
        return this;
      }),
      this.exited.then(({ code, signal }) => {
        throw new Error(`worker exited before it was ready (code ${code}, signal ${signal}):\n${this.output}`);
      }),
    ]);
    this.ready.catch(() => undefined);
  }

  get pid(): number {
    return this.child.pid!;
  }

  get log(): string {
    return this.output;
  }

  get running(): boolean {
    return !this.exitInfo;
  }

  /** Whether a run's lease names this process (worker ids carry the pid). */
  holds(lockedBy: string | null | undefined): boolean {
    return Boolean(lockedBy?.includes(`-${this.pid}-`));
  }

  async kill(signal: NodeJS.Signals = "SIGTERM") {
    if (this.exitInfo) return this.exitInfo;
    this.child.kill(signal);
    return this.exited;
  }

  async health(path: "/healthz" | "/readyz") {
    const response = await fetch(`http://127.0.0.1:${this.healthPort}${path}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }
}

// ---------------------------------------------------------------------------------------------
// The sink
// ---------------------------------------------------------------------------------------------

export interface SinkRequest {
  path: string;
  key: string;
  body: unknown;
  at: number;
}

interface Hold {
  matches: (request: SinkRequest) => boolean;
  arrived: () => void;
  responses: ServerResponse[];
  released: boolean;
}

/**
 * An HTTP sink that stands in for a provider: every request is recorded, and the side effect
 * happens once per Idempotency-Key (a repeated key answers the first result without a new effect).
 * A hold keeps the first matching request unanswered until released, to freeze a step in flight.
 */
export async function startSink(options: { delayMs?: (request: SinkRequest) => number } = {}) {
  const requests: SinkRequest[] = [];
  const effects: SinkRequest[] = [];
  const seen = new Set<string>();
  const holds: Hold[] = [];

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const request: SinkRequest = {
        path: req.url ?? "/",
        key: String(req.headers["idempotency-key"] ?? ""),
        body: text ? (JSON.parse(text) as unknown) : null,
        at: Date.now(),
      };
      requests.push(request);
      const duplicate = request.key !== "" && seen.has(request.key);
      if (!duplicate) {
        if (request.key) seen.add(request.key);
        effects.push(request);
      }
      const answer = () => {
        if (res.destroyed) return;
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true, duplicate }));
      };
      const hold = holds.find((h) => !h.released && h.responses.length === 0 && h.matches(request));
      if (hold) {
        hold.responses.push(res);
        hold.arrived();
        return;
      }
      const delay = options.delayMs?.(request) ?? 0;
      if (delay > 0) setTimeout(answer, delay);
      else answer();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    requests,
    effects,
    /** Holds the first request for which `matches` is true; `arrived` resolves when it comes in. */
    hold(matches: (request: SinkRequest) => boolean) {
      let arrived!: () => void;
      const arrival = new Promise<void>((resolve) => (arrived = resolve));
      const hold: Hold = { matches, arrived, responses: [], released: false };
      holds.push(hold);
      return {
        arrived: arrival,
        release() {
          hold.released = true;
          for (const res of hold.responses) {
            if (!res.destroyed) res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
          }
        },
      };
    },
    count: (predicate: (request: SinkRequest) => boolean) => requests.filter(predicate).length,
    effectCount: (predicate: (request: SinkRequest) => boolean) => effects.filter(predicate).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Sink = Awaited<ReturnType<typeof startSink>>;

// ---------------------------------------------------------------------------------------------
// Graphs
// ---------------------------------------------------------------------------------------------

const at = (i: number) => ({ x: 0, y: i * 120 });

/** webhook → http.request POST to each path in turn. */
export function webhookToSink(sinkUrl: string, paths: string[]): WorkflowGraph {
  return {
    nodes: [
      { id: "t1", type: "webhook.received", config: {}, position: at(0) },
      ...paths.map((p, i) => ({
        id: `h${i + 1}`,
        type: "http.request",
        config: { method: "POST", url: `${sinkUrl}${p}`, body: { event: "{{trigger.body.id}}", step: i + 1 } },
        position: at(i + 1),
      })),
    ],
    edges: paths.map((_, i) => ({ id: `e${i + 1}`, source: i === 0 ? "t1" : `h${i}`, target: `h${i + 1}` })),
  };
}

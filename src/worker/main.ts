// `npx cue worker`: a run-executing process for production mode (Postgres + Redis). Any number of
// them share the work; each takes up to --concurrency runs at once. SIGTERM/SIGINT stop it
// gracefully: no new jobs, in-flight runs finish within WORKER_SHUTDOWN_GRACE_MS or are handed back.
export const WORKER_USAGE = `  cue worker [--concurrency N]
      Executes runs from the BullMQ queue (production mode: DATABASE_URL=postgresql://…, REDIS_URL=redis://…).
      N runs at once (default WORKER_CONCURRENCY, 8). Health: GET /healthz and /readyz on WORKER_HEALTH_PORT.
`;

function parseConcurrency(argv: string[]): number | undefined | Error {
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--concurrency" || arg === "-c") value = argv[++i];
    else if (arg.startsWith("--concurrency=")) value = arg.slice("--concurrency=".length);
    else return new Error(`unknown option "${arg}"`);
  }
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 256 ? n : new Error("--concurrency must be a whole number from 1 to 256");
}

export async function workerCommand(argv: string[]): Promise<number> {
  const concurrencyFlag = parseConcurrency(argv);
  if (concurrencyFlag instanceof Error) {
    process.stderr.write(`cue worker: ${concurrencyFlag.message}\n\n${WORKER_USAGE}`);
    return 2;
  }
  const { env } = await import("@/env");
  if (!env.REDIS_URL) {
    process.stderr.write("cue worker: REDIS_URL is not set. Workers take runs from BullMQ on Redis (REDIS_URL=redis://…).\n");
    return 2;
  }
  if (!env.DATABASE_URL || !/^postgres(ql)?:\/\//.test(env.DATABASE_URL)) {
    process.stderr.write("cue worker: DATABASE_URL must point at Postgres (postgresql://…), the database the web process uses.\n");
    return 2;
  }
  const { getDatabase } = await import("@/server/db");
  const { getCatalog } = await import("@/server/catalog");
  const { getKeyRing } = await import("@/server/runtime");
  const { credentialsReader } = await import("@/server/services/credentials");
  const { BullRunQueue } = await import("@/queue/bullmq");
  const { RunWorker } = await import("@/queue/bullmq-worker");
  const { startHealthServer } = await import("./health");
  const { connectedAccountsTick } = await import("@/server/services/connected-accounts-tick");

  const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  const concurrency = concurrencyFlag ?? env.WORKER_CONCURRENCY;
  const database = getDatabase();
  const db = database.prisma;
  const queue = new BullRunQueue(db, {
    redisUrl: env.REDIS_URL,
    prefix: env.QUEUE_PREFIX,
    onError: (message, error) => log(`queue: ${message}: ${error instanceof Error ? error.message : String(error)}`),
  });
  const worker = new RunWorker({ db, catalog: getCatalog(), getCredentials: credentialsReader(db, getKeyRing()) }, queue, {
    redisUrl: env.REDIS_URL,
    concurrency,
    leaseMs: env.RUN_LEASE_MS,
    graceMs: env.WORKER_SHUTDOWN_GRACE_MS,
    sweepIntervalMs: env.WORKER_SWEEP_INTERVAL_MS,
    // What the web process's in-process queue does on its tick: stored events left undispatched,
    // and Pipedrive connections without webhooks (claimed per connection with a compare-and-set,
    // so every worker may tick).
    onTick: (now) => connectedAccountsTick(db, queue, getKeyRing(), now),
    tickIntervalMs: env.SCHEDULER_INTERVAL_MS,
    log,
  });

  let signalled: (signal: string) => void = () => {};
  const stopSignal = new Promise<string>((resolve) => (signalled = resolve));
  process.once("SIGTERM", () => signalled("SIGTERM"));
  process.once("SIGINT", () => signalled("SIGINT"));

  await worker.start();
  const health = await startHealthServer(
    env.WORKER_HEALTH_PORT,
    {
      database: async () => (await db.$queryRawUnsafe<unknown[]>("SELECT 1")).length === 1,
      redis: () => queue.ping(),
      worker: async () => worker.isRunning(),
    },
    () => ({ worker: worker.workerId, concurrency, inFlight: worker.inFlight, runsExecuted: worker.executed }),
  );
  log(`cue worker ${worker.workerId} ready: concurrency ${concurrency}, queue "${env.QUEUE_PREFIX}", health on port ${health.port}`);

  const signal = await stopSignal;
  log(`cue worker: ${signal}: stopping (in-flight runs: ${worker.inFlight}, grace ${env.WORKER_SHUTDOWN_GRACE_MS} ms)`);
  await worker.stop();
  await queue.stop();
  await health.close();
  await database.close();
  log("cue worker: stopped");
  return 0;
}

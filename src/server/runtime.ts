// The process's long-lived parts, created once: the key ring for secrets and the run queue. The
// web server starts them from instrumentation.ts. Without REDIS_URL the queue is in-process (its
// workers and scheduler live here); with it, BullMQ: this process only enqueues and keeps job
// schedulers current, and `npx cue worker` processes execute.
import { env } from "@/env";
import { BullRunQueue } from "@/queue/bullmq";
import { InProcessRunQueue } from "@/queue/in-process";
import type { RunQueue } from "@/queue/types";
import { API_BASE_URLS, getCatalog, getRegistry } from "@/server/catalog";
import { parseKeyRing, type KeyRing } from "@/server/crypto/secrets";
import { getDatabase } from "@/server/db";
import type { ProviderEnvironment } from "@/server/services/connections";
import { credentialsReader } from "@/server/services/credentials";
import { connectedAccountsTick } from "@/server/services/connected-accounts-tick";
import { fireDueSchedules } from "@/server/services/dispatch";

const globalForRuntime = globalThis as unknown as { cueKeyRing?: KeyRing; cueRunQueue?: RunQueue };

export function getKeyRing(): KeyRing {
  return (globalForRuntime.cueKeyRing ??= parseKeyRing(env.ENCRYPTION_KEYS));
}

export type QueueKind = "bullmq" | "in-process";

/** BullMQ needs a database the worker processes share: REDIS_URL counts only with Postgres. */
export function runQueueKind(): QueueKind {
  return env.REDIS_URL && getDatabase().kind === "postgres" ? "bullmq" : "in-process";
}

let warnedEmbeddedRedis = false;

export function getRunQueue(): RunQueue {
  if (env.REDIS_URL && runQueueKind() === "in-process" && !warnedEmbeddedRedis) {
    warnedEmbeddedRedis = true;
    console.warn("REDIS_URL is ignored: worker processes cannot share the embedded database. Set DATABASE_URL=postgresql://… for production mode.");
  }
  if (!globalForRuntime.cueRunQueue && env.REDIS_URL && runQueueKind() === "bullmq") {
    globalForRuntime.cueRunQueue = new BullRunQueue(getDatabase().prisma, { redisUrl: env.REDIS_URL, prefix: env.QUEUE_PREFIX });
  }
  if (!globalForRuntime.cueRunQueue) {
    const database = getDatabase();
    const db = database.prisma;
    const queue: InProcessRunQueue = new InProcessRunQueue(
      { db, catalog: getCatalog(), getCredentials: credentialsReader(db, getKeyRing()) },
      {
        concurrency: env.RUN_CONCURRENCY,
        pollIntervalMs: env.SCHEDULER_INTERVAL_MS,
        leaseMs: env.RUN_LEASE_MS,
        reclaimOrphansOnStart: database.kind === "embedded",
        onTick: async (now) => {
          await fireDueSchedules(db, queue, now);
          await connectedAccountsTick(db, queue, getKeyRing(), now);
        },
        onError: (error) => console.error("run queue:", error instanceof Error ? error.message : error),
      },
    );
    globalForRuntime.cueRunQueue = queue;
  }
  return globalForRuntime.cueRunQueue;
}

/** Stops the process's run queue and forgets it (shutdown; tests that simulate a restart). */
export async function closeRunQueue(): Promise<void> {
  const queue = globalForRuntime.cueRunQueue;
  globalForRuntime.cueRunQueue = undefined;
  await queue?.stop();
}

export const providerEnvironment: ProviderEnvironment = {
  baseUrl: (provider) =>
    API_BASE_URLS[provider as keyof typeof API_BASE_URLS] ?? getRegistry().integration(provider)?.defaultBaseUrl ?? "",
  allowPrivateNetwork: env.HTTP_ALLOW_PRIVATE_NETWORK,
  // OAuth connections read their client credentials by the env names integrations declare.
  oauth: {
    read: (name) => {
      const value = (env as unknown as Record<string, unknown>)[name];
      return typeof value === "string" && value ? value : undefined;
    },
    appUrl: env.AUTH_URL,
    allowPrivateNetwork: env.HTTP_ALLOW_PRIVATE_NETWORK,
  },
};

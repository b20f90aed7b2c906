// The process's long-lived parts, created once: the key ring for secrets and the run queue with
// its workers and scheduler. The web server starts them from instrumentation.ts.
import { env } from "@/env";
import { InProcessRunQueue } from "@/queue/in-process";
import type { RunQueue } from "@/queue/types";
import { API_BASE_URLS, getCatalog, getRegistry } from "@/server/catalog";
import { parseKeyRing, type KeyRing } from "@/server/crypto/secrets";
import { getDatabase } from "@/server/db";
import type { ProviderEnvironment } from "@/server/services/connections";
import { credentialsReader } from "@/server/services/credentials";
import { fireDueSchedules } from "@/server/services/dispatch";

const globalForRuntime = globalThis as unknown as { cueKeyRing?: KeyRing; cueRunQueue?: RunQueue };

export function getKeyRing(): KeyRing {
  return (globalForRuntime.cueKeyRing ??= parseKeyRing(env.ENCRYPTION_KEYS));
}

export function getRunQueue(): RunQueue {
  if (!globalForRuntime.cueRunQueue) {
    const database = getDatabase();
    const db = database.prisma;
    const queue: InProcessRunQueue = new InProcessRunQueue(
      { db, catalog: getCatalog(), getCredentials: credentialsReader(db, getKeyRing()) },
      {
        concurrency: env.RUN_CONCURRENCY,
        pollIntervalMs: env.SCHEDULER_INTERVAL_MS,
        reclaimOrphansOnStart: database.kind === "embedded",
        onTick: async (now) => {
          await fireDueSchedules(db, queue, now);
        },
        onError: (error) => console.error("run queue:", error instanceof Error ? error.message : error),
      },
    );
    globalForRuntime.cueRunQueue = queue;
  }
  return globalForRuntime.cueRunQueue;
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
  },
};

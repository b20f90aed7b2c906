// Calls tRPC procedures directly, as a given user (or signed out), on a test database.
import { randomBytes } from "node:crypto";
import type { QueuedRun, RunQueue } from "@/queue/types";
import { createCaller } from "@/server/api/root";
import { parseKeyRing } from "@/server/crypto/secrets";
import type { Db } from "@/server/db";
import type { ProviderEnvironment } from "@/server/services/connections";

export const testKeys = parseKeyRing(`test:${randomBytes(32).toString("base64")}`);

/** A queue that only records what was handed to it (for tests that do not execute runs). */
export class RecordingQueue implements RunQueue {
  readonly enqueued: string[] = [];
  readonly aborted: string[] = [];
  readonly scheduleChanges: string[] = [];
  async enqueue(runs: readonly QueuedRun[]) {
    this.enqueued.push(...runs.map((run) => run.id));
  }
  async scheduleChanged(workflowId: string) {
    this.scheduleChanges.push(workflowId);
  }
  abort(runId: string) {
    this.aborted.push(runId);
  }
  start() {}
  async stop() {}
}

export function callerFor(
  db: Db,
  userId: string | null,
  options: { headers?: Headers; resHeaders?: Headers; queue?: RunQueue; providers?: ProviderEnvironment } = {},
) {
  return createCaller({
    db,
    user: userId ? { id: userId } : null,
    headers: options.headers ?? new Headers(),
    resHeaders: options.resHeaders ?? new Headers(),
    queue: options.queue ?? new RecordingQueue(),
    keys: testKeys,
    providers: options.providers ?? { baseUrl: () => "http://127.0.0.1:9", allowPrivateNetwork: true },
  });
}

export async function createUser(db: Db, email: string, extra: { name?: string } = {}) {
  return db.user.create({ data: { email, name: extra.name ?? email.split("@")[0] } });
}

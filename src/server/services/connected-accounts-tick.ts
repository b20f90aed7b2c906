// What every process that executes runs does for connected accounts on each scheduler tick (the
// web process's in-process queue, and each `cue worker`): dispatch the stored events a failed
// dispatch left behind, whichever provider they came from (throttled inside), then poll the
// Pipedrive connections that have no webhooks. Both are safe to run in many processes at once.
import type { RunQueue } from "@/queue/types";
import type { KeyRing } from "@/server/crypto/secrets";
import type { Db } from "@/server/db";
import { sweepPendingEvents } from "@/server/services/connection-events";
import { pollPipedrive } from "@/server/services/pipedrive-events";

export async function connectedAccountsTick(db: Db, queue: RunQueue, keys: KeyRing, now: Date): Promise<void> {
  await sweepPendingEvents(db, queue, now);
  await pollPipedrive(db, queue, keys, now);
}

// Events from connected accounts (Stripe Connect, Pipedrive webhooks and polling), stored once per
// connection by the provider's event id before anything else happens, then dispatched. A stored
// event is marked dispatched once its runs exist; one left undispatched (the dispatch failed, the
// process died) is dispatched again by a redelivery or by the scheduler tick's sweepPendingEvents,
// whichever provider it came from.
import type { RunQueue } from "@/queue/types";
import type { Db } from "@/server/db";
import { dispatchEvent } from "@/server/services/dispatch";

export interface ConnectionEventInput {
  connectionId: string;
  provider: string;
  eventId: string;
  /** The provider's event name, which trigger matching dispatches on. */
  type: string;
  payload: unknown;
}

/**
 * Stores the event unless this connection already has one with its id. Returns whether it still
 * needs dispatching: false only for an event stored and dispatched before (a duplicate).
 */
export async function storeConnectionEvent(db: Db, event: ConnectionEventInput): Promise<{ stored: boolean; pending: boolean }> {
  const { count } = await db.connectionEvent.createMany({
    data: [
      {
        connectionId: event.connectionId,
        provider: event.provider,
        eventId: event.eventId,
        type: event.type,
        payload: JSON.parse(JSON.stringify(event.payload ?? null)),
      },
    ],
    skipDuplicates: true,
  });
  if (count === 1) return { stored: true, pending: true };
  const existing = await db.connectionEvent.findUnique({
    where: { connectionId_eventId: { connectionId: event.connectionId, eventId: event.eventId } },
    select: { dispatchedAt: true },
  });
  // Stored but never dispatched: an earlier attempt failed midway, so this one is the retry. Runs
  // are deduplicated by event id, so racing the first attempt still starts each workflow once.
  return { stored: false, pending: !existing?.dispatchedAt };
}

/** Starts the owner's matching workflows for a stored event and marks it dispatched. */
export async function dispatchConnectionEvent(db: Db, queue: RunQueue, event: ConnectionEventInput): Promise<string[]> {
  const { runIds } = await dispatchEvent(db, queue, event.provider, event.type, event.payload, { connectionId: event.connectionId }, { eventId: event.eventId });
  const now = new Date();
  await db.connectionEvent.update({
    where: { connectionId_eventId: { connectionId: event.connectionId, eventId: event.eventId } },
    data: { dispatchedAt: now },
  });
  await db.connection.update({ where: { id: event.connectionId }, data: { lastUsedAt: now } });
  return runIds;
}

export type ReceivedConnectionEvent = { duplicate: true } | { duplicate: false; dispatched: boolean; runIds: string[] };

/**
 * What an intake route does with a verified event: store it once, then dispatch it in the same
 * request. Storing is the only step allowed to fail the request (nothing was kept, so the route
 * answers 5xx and the provider redelivers). Once stored the provider gets its 2xx whatever
 * happens next: a failed dispatch is logged and left for sweepPendingEvents, and runs are keyed by
 * the event id, so the retry (or a redelivery racing it) still starts each workflow once.
 *
 * Dispatch is awaited rather than left running after the response: a route handler's process may
 * be frozen or stopped once it has answered, and awaiting costs a few statements (the workflow
 * lookup, one grouped run INSERT) while the provider waits; in the common case the runs then exist
 * by the time the delivery is acknowledged.
 */
export async function receiveConnectionEvent(db: Db, queue: RunQueue, event: ConnectionEventInput): Promise<ReceivedConnectionEvent> {
  const { pending } = await storeConnectionEvent(db, event);
  if (!pending) return { duplicate: true };
  try {
    return { duplicate: false, dispatched: true, runIds: await dispatchConnectionEvent(db, queue, event) };
  } catch (error) {
    console.error(`${event.provider} event ${event.eventId}: dispatch failed, the tick will retry it:`, error instanceof Error ? error.message : error);
    return { duplicate: false, dispatched: false, runIds: [] };
  }
}

/**
 * An event younger than this may still be dispatching in the request that stored it: the sweep
 * leaves it alone (a race would be harmless, runs are deduplicated, but it would be wasted work).
 */
export const REDISPATCH_GRACE_MS = 30_000;
const REDISPATCH_BATCH = 50;

/**
 * Dispatches stored events still undispatched after the grace period, oldest first, from every
 * provider (or one). An event that fails again is logged and left for the next sweep; it does not
 * hold up the ones behind it.
 */
export async function redispatchPendingEvents(
  db: Db,
  queue: RunQueue,
  now: Date,
  options: { provider?: string; graceMs?: number } = {},
): Promise<{ dispatched: number; failed: number }> {
  const pending = await db.connectionEvent.findMany({
    where: {
      ...(options.provider ? { provider: options.provider } : {}),
      dispatchedAt: null,
      receivedAt: { lt: new Date(now.getTime() - (options.graceMs ?? REDISPATCH_GRACE_MS)) },
    },
    select: { connectionId: true, provider: true, eventId: true, type: true, payload: true },
    orderBy: { receivedAt: "asc" },
    take: REDISPATCH_BATCH,
  });
  let failed = 0;
  for (const event of pending) {
    try {
      await dispatchConnectionEvent(db, queue, event);
    } catch (error) {
      failed++;
      console.error(`${event.provider} event ${event.eventId}: dispatch failed again:`, error instanceof Error ? error.message : error);
    }
  }
  return { dispatched: pending.length - failed, failed };
}

const SWEEP_INTERVAL_MS = 30_000;
let lastSweepAt = Number.NEGATIVE_INFINITY;

/**
 * The scheduler tick's share: redispatchPendingEvents at most every 30 s per process (the tick
 * runs every second). Safe on every process at once: dispatching twice starts nothing twice.
 * Returns null when it was not this tick's turn.
 */
export async function sweepPendingEvents(db: Db, queue: RunQueue, now: Date): Promise<{ dispatched: number; failed: number } | null> {
  // A clock that went backwards (or a test replaying time) starts the interval over.
  if (now.getTime() - lastSweepAt < SWEEP_INTERVAL_MS && now.getTime() >= lastSweepAt) return null;
  lastSweepAt = now.getTime();
  return redispatchPendingEvents(db, queue, now);
}

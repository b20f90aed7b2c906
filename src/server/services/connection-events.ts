// Events from connected accounts (Stripe Connect, Pipedrive webhooks and polling), stored once per
// connection by the provider's event id before anything else happens, then dispatched. A stored
// event is marked dispatched once its runs exist; one left undispatched (the process died, the
// database hiccuped) is dispatched again by a redelivery or by redispatchPendingEvents.
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

/** Store once, then dispatch unless it was dispatched before. */
export async function receiveConnectionEvent(db: Db, queue: RunQueue, event: ConnectionEventInput): Promise<{ duplicate: boolean; runIds: string[] }> {
  const { pending } = await storeConnectionEvent(db, event);
  if (!pending) return { duplicate: true, runIds: [] };
  return { duplicate: false, runIds: await dispatchConnectionEvent(db, queue, event) };
}

/** Dispatches events of `provider` stored more than `graceMs` ago and still undispatched. */
export async function redispatchPendingEvents(db: Db, queue: RunQueue, provider: string, now: Date, graceMs = 30_000): Promise<number> {
  const pending = await db.connectionEvent.findMany({
    where: { provider, dispatchedAt: null, receivedAt: { lt: new Date(now.getTime() - graceMs) } },
    select: { connectionId: true, provider: true, eventId: true, type: true, payload: true },
    orderBy: { receivedAt: "asc" },
    take: 50,
  });
  for (const event of pending) await dispatchConnectionEvent(db, queue, event);
  return pending.length;
}

// Pipedrive events into workflows, two ways. Webhooks v2 (the default): POST
// /api/webhooks/pipedrive/<token> with HTTP Basic auth, stored once per connection by meta.id,
// acknowledged once stored, then dispatched. Polling (when Pipedrive refused the webhooks): the
// scheduler tick asks for persons added and deals updated since a per-connection cursor
// (Connection.pollCursor); each event is stored under a key derived from the record before the
// cursor moves past it, so a restart anywhere in between neither drops nor doubles an event.
import { createHash, timingSafeEqual } from "node:crypto";
import type { RunQueue } from "@/queue/types";
import { decryptSecret, type KeyRing } from "@/server/crypto/secrets";
import type { Db } from "@/server/db";
import { AppError } from "@/lib/errors";
import { serverOAuthEnvironment, type OAuthEnvironment } from "@/server/oauth/config";
import type { StoredSecrets } from "@/server/oauth/hooks";
import { dispatchConnectionEvent, receiveConnectionEvent, storeConnectionEvent, type ConnectionEventInput } from "@/server/services/connection-events";
import { freshPipedriveAccess, pipedriveCall, type PipedriveAccess } from "@/server/services/pipedrive-api";
import { PIPEDRIVE_WEBHOOK_USER, type PipedriveSettings } from "@/server/services/pipedrive-connect";

export const MAX_PIPEDRIVE_BODY_BYTES = 256 * 1024;

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Compares the whole Authorization header with the expected one in constant time. */
function basicAuthMatches(secret: string, header: string | null): boolean {
  const expected = `Basic ${Buffer.from(`${PIPEDRIVE_WEBHOOK_USER}:${secret}`).toString("base64")}`;
  // Hashing first gives equal lengths, so the comparison leaks neither content nor length.
  return timingSafeEqual(digest(expected), digest((header ?? "").trim()));
}

export type PipedriveWebhookResult = { received: true; duplicate: boolean; event: string; runs: number };

export async function receivePipedriveWebhook(
  db: Db,
  queue: RunQueue,
  keys: KeyRing,
  delivery: { token: string; authorization: string | null; rawBody: string },
): Promise<PipedriveWebhookResult> {
  const connection = delivery.token
    ? await db.connection.findFirst({
        where: { provider: "pipedrive", status: { not: "revoked" }, settings: { path: ["webhookToken"], equals: delivery.token } },
        select: { id: true, secrets: true },
      })
    : null;
  if (!connection) throw new AppError("NOT_FOUND", "No Pipedrive connection listens at this URL");
  let secret: string | undefined;
  try {
    secret = (JSON.parse(decryptSecret(keys, connection.secrets)) as StoredSecrets).webhookSecret;
  } catch {
    secret = undefined;
  }
  if (!secret || !basicAuthMatches(secret, delivery.authorization)) throw new AppError("UNAUTHORIZED", "Missing or invalid credentials");

  let payload: { meta?: { id?: unknown; action?: unknown; entity?: unknown } } | null;
  try {
    payload = JSON.parse(delivery.rawBody) as typeof payload;
  } catch {
    throw new AppError("BAD_REQUEST", "The body is not valid JSON");
  }
  const meta = payload && typeof payload === "object" ? payload.meta : undefined;
  const eventId = typeof meta?.id === "string" || typeof meta?.id === "number" ? String(meta.id) : "";
  if (!eventId || typeof meta?.action !== "string" || typeof meta.entity !== "string") {
    throw new AppError("BAD_REQUEST", "The body is not a Pipedrive webhook v2 event (meta.id, meta.action and meta.entity are required)");
  }
  const event: ConnectionEventInput = { connectionId: connection.id, provider: "pipedrive", eventId, type: `${meta.action}.${meta.entity}`, payload };
  const received = await receiveConnectionEvent(db, queue, event);
  return { received: true, duplicate: received.duplicate, event: event.type, runs: received.duplicate ? 0 : received.runIds.length };
}

// ---------------------------------------------------------------------------------------------
// Polling
// ---------------------------------------------------------------------------------------------

/** How often each polling connection asks Pipedrive. */
export const PIPEDRIVE_POLL_INTERVAL_MS = 60_000;
const PAGE_SIZE = 100;

/** Where each stream stopped: the last record handed over, by (time, id). */
interface StreamCursor {
  time: string;
  id: number;
}

export interface PipedrivePollCursor {
  person: StreamCursor;
  deal: StreamCursor;
  polledAt?: string;
}

interface V2Person {
  id: number;
  add_time: string;
  owner_id?: number;
  [key: string]: unknown;
}

interface V2Deal {
  id: number;
  status: string;
  update_time: string;
  won_time?: string | null;
  owner_id?: number;
  [key: string]: unknown;
}

const ms = (time: string) => new Date(time).getTime();
const after = (time: string, id: number, cursor: StreamCursor) => ms(time) > ms(cursor.time) || (ms(time) === ms(cursor.time) && id > cursor.id);

/** Every record updated since `since`, through all pages (API v2, cursor pagination). */
async function listUpdatedSince<T>(access: PipedriveAccess, entity: "persons" | "deals", since: string): Promise<T[]> {
  const records: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await pipedriveCall<T[] | null>(access, "GET", `v2/${entity}`, {
      query: { updated_since: new Date(since).toISOString().replace(/\.\d{3}Z$/, "Z"), sort_by: "update_time", sort_direction: "asc", limit: PAGE_SIZE, cursor },
    });
    records.push(...(page.data ?? []));
    cursor = page.additional_data?.next_cursor ?? undefined;
  } while (cursor);
  return records;
}

function initialCursor(settings: PipedriveSettings, now: Date): PipedrivePollCursor {
  const since = settings.pollSince ?? now.toISOString();
  return { person: { time: since, id: 0 }, deal: { time: since, id: 0 } };
}

/**
 * One poll of one connection. Each new record is stored as an event before the cursor moves past
 * it, and dispatched before the next one: a crash re-reads what the cursor did not pass, and the
 * event key (not the cursor) is what prevents doubles.
 */
async function pollConnection(
  db: Db,
  queue: RunQueue,
  access: PipedriveAccess,
  connection: { id: string; settings: PipedriveSettings },
  cursor: PipedrivePollCursor,
): Promise<number> {
  const save = () => db.connection.update({ where: { id: connection.id }, data: { pollCursor: { ...cursor } as object } });
  const meta = (action: string, entity: string, id: number, eventId: string, timestamp: string, owner?: number) => ({
    action,
    entity,
    entity_id: String(id),
    id: eventId,
    company_id: connection.settings.companyId ?? "",
    user_id: owner !== undefined ? String(owner) : "",
    timestamp,
    version: "2.0",
    host: connection.settings.apiDomain ? new URL(connection.settings.apiDomain).host : undefined,
  });
  let events = 0;
  const hand = async (event: ConnectionEventInput) => {
    const { pending } = await storeConnectionEvent(db, event);
    if (pending) await dispatchConnectionEvent(db, queue, event);
    events++;
  };

  const persons = (await listUpdatedSince<V2Person>(access, "persons", cursor.person.time))
    .filter((p) => p.add_time && after(p.add_time, p.id, cursor.person))
    .sort((a, b) => ms(a.add_time) - ms(b.add_time) || a.id - b.id);
  for (const person of persons) {
    const eventId = `poll:create.person:${person.id}`;
    await hand({
      connectionId: connection.id,
      provider: "pipedrive",
      eventId,
      type: "create.person",
      payload: { meta: meta("create", "person", person.id, eventId, person.add_time, person.owner_id), data: person, previous: null },
    });
    cursor.person = { time: person.add_time, id: person.id };
    await save();
  }

  // A deal "became won" in this window when it is won and its won_time is not before the cursor.
  const windowStart = ms(cursor.deal.time);
  const deals = (await listUpdatedSince<V2Deal>(access, "deals", cursor.deal.time))
    .filter((d) => d.update_time && after(d.update_time, d.id, cursor.deal))
    .sort((a, b) => ms(a.update_time) - ms(b.update_time) || a.id - b.id);
  for (const deal of deals) {
    const wonAt = deal.won_time ?? deal.update_time;
    if (deal.status === "won" && ms(wonAt) >= windowStart) {
      const eventId = `poll:change.deal:${deal.id}:won:${wonAt}`;
      await hand({
        connectionId: connection.id,
        provider: "pipedrive",
        eventId,
        type: "change.deal",
        // Polling sees only the new state; a deal is open until it is won (Pipedrive reopens lost deals first).
        payload: { meta: meta("change", "deal", deal.id, eventId, wonAt, deal.owner_id), data: deal, previous: { status: "open" } },
      });
    }
    cursor.deal = { time: deal.update_time, id: deal.id };
    await save();
  }
  return events;
}

/**
 * The scheduler tick's Pipedrive work: poll each polling connection whose interval has passed. A
 * connection is claimed with a compare-and-set on its updatedAt, so two processes ticking together
 * poll it once. Part of connectedAccountsTick (connected-accounts-tick.ts).
 */
export async function pollPipedrive(
  db: Db,
  queue: RunQueue,
  keys: KeyRing,
  now: Date,
  options: { intervalMs?: number; settings?: OAuthEnvironment } = {},
): Promise<{ polled: number; events: number }> {
  const interval = options.intervalMs ?? PIPEDRIVE_POLL_INTERVAL_MS;
  const connections = await db.connection.findMany({
    where: { provider: "pipedrive", status: "active", settings: { path: ["eventDelivery"], equals: "polling" } },
    select: { id: true, secrets: true, settings: true, pollCursor: true, updatedAt: true },
  });
  let polled = 0;
  let events = 0;
  for (const connection of connections) {
    const settings = (connection.settings ?? {}) as PipedriveSettings;
    const stored = connection.pollCursor as PipedrivePollCursor | null;
    if (stored?.polledAt && now.getTime() - ms(stored.polledAt) < interval) continue;
    const cursor: PipedrivePollCursor = { ...(stored?.person && stored.deal ? stored : initialCursor(settings, now)), polledAt: now.toISOString() };
    const { count } = await db.connection.updateMany({ where: { id: connection.id, updatedAt: connection.updatedAt }, data: { pollCursor: { ...cursor } as object } });
    if (count === 0) continue;
    polled++;
    try {
      const access = await freshPipedriveAccess(db, keys, options.settings ?? serverOAuthEnvironment(), connection);
      events += await pollConnection(db, queue, access, { id: connection.id, settings }, cursor);
      await db.connection.update({ where: { id: connection.id }, data: { lastError: null } });
    } catch (error) {
      await db.connection.update({ where: { id: connection.id }, data: { lastError: `Checking Pipedrive for new events failed: ${(error as Error).message}`.slice(0, 500) } });
    }
  }
  return { polled, events };
}

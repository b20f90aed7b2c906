// Pipedrive contact sync (Business plan): imports a connected company's persons into the user's
// contacts, all of them or the ones picked, in the background of this process. Each page is
// enriched (organization name, open and won deal counts), matched to existing contacts by
// mapping, then lower-cased email, then normalised phone, and written with its progress in one
// batch; a record that fails is logged on the run and the sync goes on. A sync this process did
// not start and that is still "running" was cut off by a restart: it is ended as interrupted.
import { z } from "zod";
import type { Contact } from "@/generated/prisma/client";
import { entitlements } from "@/server/billing/entitlements";
import { PLANS, planThatLifts } from "@/server/billing/plans";
import type { KeyRing } from "@/server/crypto/secrets";
import type { Db } from "@/server/db";
import { AppError, notFound } from "@/lib/errors";
import type { OAuthEnvironment } from "@/server/oauth/config";
import { freshPipedriveAccess, pipedriveCall, type PipedriveAccess } from "@/server/services/pipedrive-api";

// ---------------------------------------------------------------------------------------------
// Entitlement
// ---------------------------------------------------------------------------------------------

export interface ContactSyncAccess {
  allowed: boolean;
  plan: string;
  /** The plan that includes contact sync, for the upsell. */
  upgradeTo: string | null;
}

/** Whether the user's plan includes contact sync: the one place that decides. */
export async function contactSyncAccess(db: Db, userId: string): Promise<ContactSyncAccess> {
  const ent = await entitlements(db, userId);
  const lifting = ent.limits.contactSync ? null : planThatLifts(ent.plan, "contactSync");
  return { allowed: ent.limits.contactSync, plan: PLANS[ent.plan].name, upgradeTo: lifting?.name ?? null };
}

export async function assertContactSyncAllowed(db: Db, userId: string): Promise<void> {
  const access = await contactSyncAccess(db, userId);
  if (access.allowed) return;
  throw new AppError(
    "FORBIDDEN",
    `Contact sync is not included in the ${access.plan} plan.${access.upgradeTo ? ` Upgrade to ${access.upgradeTo} to import your Pipedrive contacts.` : ""}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Normalising
// ---------------------------------------------------------------------------------------------

export function normaliseEmail(value: string | null | undefined): string | null {
  const email = value?.trim().toLowerCase();
  return email && /^[^\s@]+@[^\s@]+$/.test(email) ? email : null;
}

/** "+1 (415) 555-0123" → "+14155550123", "0044 20 7946 0000" → "+442079460000". */
export function normalisePhone(value: string | null | undefined): string | null {
  const raw = value?.trim();
  if (!raw) return null;
  const international = raw.startsWith("+") || raw.startsWith("00");
  let digits = raw.replace(/\D/g, "");
  if (raw.startsWith("00")) digits = digits.slice(2);
  if (digits.length < 5) return null;
  return `${international ? "+" : ""}${digits}`;
}

const contactPoint = z.object({ value: z.string().nullish(), primary: z.boolean().nullish() }).loose();
const contactPoints = z.union([z.array(contactPoint), z.string()]).nullish();

/** A person as API v1 lists it (GET /v1/persons, GET /v1/persons/{id}). */
const pipedrivePerson = z
  .object({
    id: z.number().int().positive(),
    name: z.string().trim().min(1, { error: "the person has no name" }).max(500),
    first_name: z.string().nullish(),
    last_name: z.string().nullish(),
    email: contactPoints,
    phone: contactPoints,
    org_id: z.union([z.number(), z.object({ value: z.number().nullish(), name: z.string().nullish() }).loose()]).nullish(),
    org_name: z.string().nullish(),
    open_deals_count: z.number().int().nonnegative().nullish(),
    won_deals_count: z.number().int().nonnegative().nullish(),
    active_flag: z.boolean().nullish(),
  })
  .loose();

type PipedrivePerson = z.output<typeof pipedrivePerson>;

function primaryOf(points: z.output<typeof contactPoints>): string | null {
  if (!points) return null;
  if (typeof points === "string") return points;
  const usable = points.filter((p) => p.value?.trim());
  return (usable.find((p) => p.primary) ?? usable[0])?.value ?? null;
}

interface ContactFields {
  name: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  organization: string | null;
  openDeals: number;
  wonDeals: number;
}

// ---------------------------------------------------------------------------------------------
// Reading Pipedrive
// ---------------------------------------------------------------------------------------------

const PAGE_SIZE = 100;
const MAX_RECORD_ERRORS = 200;

/** Organization names and deal counts the person record lacks, fetched once per sync. */
class Enricher {
  private readonly organizations = new Map<number, Promise<string | null>>();
  constructor(private readonly access: PipedriveAccess) {}

  organization(person: PipedrivePerson): Promise<string | null> {
    if (person.org_name) return Promise.resolve(person.org_name);
    const org = person.org_id;
    if (org === null || org === undefined) return Promise.resolve(null);
    if (typeof org === "object") {
      if (org.name) return Promise.resolve(org.name);
      if (!org.value) return Promise.resolve(null);
    }
    const id = typeof org === "number" ? org : org.value!;
    let name = this.organizations.get(id);
    if (!name) {
      name = pipedriveCall<{ name?: string } | null>(this.access, "GET", `v1/organizations/${id}`).then((r) => r.data?.name ?? null);
      this.organizations.set(id, name);
    }
    return name;
  }

  async deals(person: PipedrivePerson): Promise<{ open: number; won: number }> {
    if (typeof person.open_deals_count === "number" && typeof person.won_deals_count === "number") {
      return { open: person.open_deals_count, won: person.won_deals_count };
    }
    let open = 0;
    let won = 0;
    let start = 0;
    for (;;) {
      const page = await pipedriveCall<{ status?: string }[] | null>(this.access, "GET", `v1/persons/${person.id}/deals`, {
        query: { status: "all_not_deleted", start, limit: PAGE_SIZE },
      });
      for (const deal of page.data ?? []) {
        if (deal.status === "open") open++;
        else if (deal.status === "won") won++;
      }
      const pagination = page.additional_data?.pagination;
      if (!pagination?.more_items_in_collection || pagination.next_start === undefined) break;
      start = pagination.next_start;
    }
    return { open, won };
  }

  async fields(person: PipedrivePerson): Promise<ContactFields> {
    const [organization, deals] = await Promise.all([this.organization(person), this.deals(person)]);
    return {
      name: person.name,
      firstName: person.first_name ?? null,
      lastName: person.last_name ?? null,
      email: normaliseEmail(primaryOf(person.email)),
      phone: normalisePhone(primaryOf(person.phone)),
      organization,
      openDeals: deals.open,
      wonDeals: deals.won,
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Runs
// ---------------------------------------------------------------------------------------------

export interface RecordError {
  externalId: string;
  name: string | null;
  message: string;
}

interface Progress {
  processed: number;
  created: number;
  updated: number;
  skipped: number;
  errors: RecordError[];
}

/** Syncs running in this process, by run id (the promise settles when the run has ended). */
const running = new Map<string, Promise<void>>();
/** Runs still "running" but started before this process were cut off by a restart. */
const PROCESS_STARTED_AT = new Date();

/** Settles when the sync has ended (immediately if it is not running here). */
export function contactSyncSettled(runId: string): Promise<void> {
  return running.get(runId) ?? Promise.resolve();
}

class SyncInterrupted extends Error {}

/** Ends, as failed, the connection's "running" syncs that no process is running any more. */
async function endInterruptedSyncs(db: Db, connectionId: string) {
  await db.contactSyncRun.updateMany({
    where: { connectionId, status: "running", startedAt: { lt: PROCESS_STARTED_AT }, id: { notIn: [...running.keys()] } },
    data: { status: "failed", error: "interrupted: the server restarted during the sync", finishedAt: new Date() },
  });
}

async function ownedPipedrive(db: Db, userId: string, connectionId: string) {
  const connection = await db.connection.findFirst({
    where: { id: connectionId, userId, provider: "pipedrive" },
    select: { id: true, userId: true, status: true, secrets: true, settings: true, lastSyncAt: true },
  });
  if (!connection) throw notFound("Pipedrive connection");
  return connection;
}

async function accessOf(
  db: Db,
  keys: KeyRing,
  settings: OAuthEnvironment | undefined,
  connection: { id: string; secrets: string; settings: unknown },
  fallbackBaseUrl?: string,
): Promise<PipedriveAccess> {
  try {
    return await freshPipedriveAccess(db, keys, settings, connection, fallbackBaseUrl);
  } catch (error) {
    throw new AppError("BAD_REQUEST", `This Pipedrive connection cannot be used (${(error as Error).message}); connect it again on the Integrations page`);
  }
}

const runSelect = {
  id: true,
  mode: true,
  status: true,
  total: true,
  processed: true,
  created: true,
  updated: true,
  skipped: true,
  errors: true,
  error: true,
  startedAt: true,
  finishedAt: true,
} as const;

function sameFields(contact: Contact, fields: ContactFields, merged: ContactFields): boolean {
  return (Object.keys(fields) as (keyof ContactFields)[]).every((key) => contact[key] === merged[key]);
}

/** Incoming empty values never erase what the contact already has (it may come from elsewhere). */
function merge(contact: Contact, fields: ContactFields): ContactFields {
  return {
    name: fields.name,
    firstName: fields.firstName ?? contact.firstName,
    lastName: fields.lastName ?? contact.lastName,
    email: fields.email ?? contact.email,
    phone: fields.phone ?? contact.phone,
    organization: fields.organization ?? contact.organization,
    openDeals: fields.openDeals,
    wonDeals: fields.wonDeals,
  };
}

/** Imports one page of raw person records into the user's contacts. */
async function importPersons(
  db: Db,
  enricher: Enricher,
  owner: { userId: string; connectionId: string },
  records: readonly unknown[],
  progress: Progress,
) {
  const fail = (record: unknown, message: string) => {
    const raw = record as { id?: unknown; name?: unknown } | null;
    progress.errors.push({
      externalId: raw?.id !== undefined ? String(raw.id) : "?",
      name: typeof raw?.name === "string" && raw.name ? raw.name.slice(0, 200) : null,
      message: message.slice(0, 300),
    });
  };
  const persons: PipedrivePerson[] = [];
  for (const record of records) {
    const parsed = pipedrivePerson.safeParse(record);
    if (parsed.success) persons.push(parsed.data);
    else {
      fail(record, parsed.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; "));
      progress.processed++;
    }
  }
  if (persons.length === 0) return;

  // Everything the page could match, in two queries.
  const mappings = await db.contactMapping.findMany({
    where: { connectionId: owner.connectionId, externalId: { in: persons.map((p) => String(p.id)) } },
    select: { externalId: true, contact: true },
  });
  const byMapping = new Map(mappings.map((m) => [m.externalId, m.contact]));
  const emails = persons.map((p) => normaliseEmail(primaryOf(p.email))).filter((e): e is string => Boolean(e));
  const phones = persons.map((p) => normalisePhone(primaryOf(p.phone))).filter((p): p is string => Boolean(p));
  const candidates = emails.length || phones.length
    ? await db.contact.findMany({ where: { userId: owner.userId, OR: [{ email: { in: emails } }, { phone: { in: phones } }] }, orderBy: { createdAt: "asc" } })
    : [];
  const byEmail = new Map<string, Contact>();
  const byPhone = new Map<string, Contact>();
  const remember = (contact: Contact) => {
    if (contact.email && !byEmail.has(contact.email)) byEmail.set(contact.email, contact);
    if (contact.phone && !byPhone.has(contact.phone)) byPhone.set(contact.phone, contact);
  };
  candidates.forEach(remember);

  for (const person of persons) {
    const externalId = String(person.id);
    try {
      if (person.active_flag === false) {
        progress.skipped++;
        continue;
      }
      const fields = await enricher.fields(person);
      const mapped = byMapping.get(externalId);
      const target = mapped ?? (fields.email ? byEmail.get(fields.email) : undefined) ?? (fields.phone ? byPhone.get(fields.phone) : undefined);
      if (!target) {
        const contact = await db.contact.create({
          data: { ...fields, userId: owner.userId, mappings: { create: { connectionId: owner.connectionId, externalId } } },
        });
        byMapping.set(externalId, contact);
        remember(contact);
        progress.created++;
        continue;
      }
      const merged = merge(target, fields);
      const unchanged = sameFields(target, fields, merged);
      if (unchanged && mapped) {
        await db.contactMapping.update({ where: { connectionId_externalId: { connectionId: owner.connectionId, externalId } }, data: { syncedAt: new Date() } });
        progress.skipped++;
        continue;
      }
      const contact = unchanged ? target : await db.contact.update({ where: { id: target.id }, data: merged });
      if (!mapped) {
        await db.contactMapping.upsert({
          where: { connectionId_externalId: { connectionId: owner.connectionId, externalId } },
          create: { connectionId: owner.connectionId, externalId, contactId: contact.id },
          update: { contactId: contact.id, syncedAt: new Date() },
        });
      } else {
        await db.contactMapping.update({ where: { connectionId_externalId: { connectionId: owner.connectionId, externalId } }, data: { syncedAt: new Date() } });
      }
      byMapping.set(externalId, contact);
      remember(contact);
      progress.updated++;
    } catch (error) {
      fail(person, (error as Error).message);
    } finally {
      progress.processed++;
    }
  }
}

async function runSync(
  db: Db,
  access: PipedriveAccess,
  run: { id: string; userId: string; connectionId: string },
  personIds: readonly number[] | null,
) {
  const progress: Progress = { processed: 0, created: 0, updated: 0, skipped: 0, errors: [] };
  const snapshot = () => ({
    processed: progress.processed,
    created: progress.created,
    updated: progress.updated,
    skipped: progress.skipped,
    errors: progress.errors.slice(0, MAX_RECORD_ERRORS) as unknown as object[],
  });
  // Guarded by status: a run ended from outside (interrupted) is not resurrected by its writer.
  const flush = async (extra: { total?: number } = {}) => {
    const { count } = await db.contactSyncRun.updateMany({ where: { id: run.id, status: "running" }, data: { ...snapshot(), ...extra } });
    if (count === 0) throw new SyncInterrupted();
  };
  const enricher = new Enricher(access);
  const owner = { userId: run.userId, connectionId: run.connectionId };
  try {
    if (personIds) {
      for (let i = 0; i < personIds.length; i += 10) {
        const chunk = personIds.slice(i, i + 10);
        const records = await Promise.all(
          chunk.map((id) =>
            pipedriveCall<unknown>(access, "GET", `v1/persons/${id}`).then(
              (r) => r.data,
              (error: Error) => ({ __error: error.message, id }),
            ),
          ),
        );
        const found = records.filter((r) => !(r && typeof r === "object" && "__error" in r));
        for (const missing of records.filter((r): r is { __error: string; id: number } => Boolean(r && typeof r === "object" && "__error" in r))) {
          progress.errors.push({ externalId: String(missing.id), name: null, message: missing.__error.slice(0, 300) });
          progress.processed++;
        }
        await importPersons(db, enricher, owner, found, progress);
        await flush();
      }
    } else {
      let start = 0;
      for (;;) {
        const page = await pipedriveCall<unknown[] | null>(access, "GET", "v1/persons", { query: { start, limit: PAGE_SIZE, sort: "id ASC" } });
        await importPersons(db, enricher, owner, page.data ?? [], progress);
        const pagination = page.additional_data?.pagination;
        const more = Boolean(pagination?.more_items_in_collection) && typeof pagination?.next_start === "number" && pagination.next_start > start;
        await flush(more ? {} : { total: progress.processed });
        if (!more) break;
        start = pagination!.next_start!;
      }
    }
    const finishedAt = new Date();
    const { count } = await db.contactSyncRun.updateMany({
      where: { id: run.id, status: "running" },
      data: { ...snapshot(), total: progress.processed, status: "succeeded", finishedAt },
    });
    if (count === 1) await db.connection.update({ where: { id: run.connectionId }, data: { lastSyncAt: finishedAt } });
  } catch (error) {
    if (error instanceof SyncInterrupted) return;
    await db.contactSyncRun.updateMany({
      where: { id: run.id, status: "running" },
      data: { ...snapshot(), status: "failed", error: (error as Error).message.slice(0, 500), finishedAt: new Date() },
    });
  }
}

export const MAX_SELECTED_PERSONS = 500;

/** What the procedures pass on from the request context: the OAuth apps (refresh) and the API default. */
export function pipedriveEnv(providers: { baseUrl(provider: string): string; oauth?: OAuthEnvironment }) {
  return { settings: providers.oauth, fallbackBaseUrl: providers.baseUrl("pipedrive") };
}

/**
 * Starts a sync of all the company's persons, or of `personIds`, and returns at once; the page
 * follows it with contactSyncStatus. One running sync per connection.
 */
export async function startContactSync(
  db: Db,
  keys: KeyRing,
  userId: string,
  input: { connectionId: string; personIds?: readonly number[]; fallbackBaseUrl?: string; settings?: OAuthEnvironment },
): Promise<{ runId: string }> {
  await assertContactSyncAllowed(db, userId);
  const connection = await ownedPipedrive(db, userId, input.connectionId);
  if (connection.status !== "active") throw new AppError("BAD_REQUEST", "This Pipedrive connection is not active: connect it again first");
  const access = await accessOf(db, keys, input.settings, connection, input.fallbackBaseUrl);
  await endInterruptedSyncs(db, connection.id);
  const personIds = input.personIds ? [...new Set(input.personIds)] : null;
  const run = await db.$transaction(async (tx) => {
    // Row lock on the connection: two starts at once cannot both see "nothing running".
    await tx.$queryRaw`SELECT id FROM "Connection" WHERE id = ${connection.id} FOR UPDATE`;
    const busy = await tx.contactSyncRun.findFirst({ where: { connectionId: connection.id, status: "running" }, select: { id: true } });
    if (busy) throw new AppError("CONFLICT", "A sync of this Pipedrive account is already running");
    return tx.contactSyncRun.create({
      data: {
        userId,
        connectionId: connection.id,
        mode: personIds ? "selective" : "full",
        ...(personIds ? { selection: personIds.map(String), total: personIds.length } : {}),
      },
      select: { id: true },
    });
  });
  const done = runSync(db, access, { id: run.id, userId, connectionId: connection.id }, personIds).finally(() => running.delete(run.id));
  running.set(run.id, done);
  return { runId: run.id };
}

const toRun = <T extends { errors: unknown }>(run: T) => ({ ...run, errors: (Array.isArray(run.errors) ? run.errors : []) as RecordError[] });

/** The running sync (live counts) and the latest finished one, for the page to poll. */
export async function contactSyncStatus(db: Db, userId: string, connectionId: string) {
  await assertContactSyncAllowed(db, userId);
  const connection = await ownedPipedrive(db, userId, connectionId);
  await endInterruptedSyncs(db, connection.id);
  const [current, last] = await Promise.all([
    db.contactSyncRun.findFirst({ where: { connectionId, userId, status: "running" }, select: runSelect, orderBy: { startedAt: "desc" } }),
    db.contactSyncRun.findFirst({ where: { connectionId, userId, status: { not: "running" } }, select: runSelect, orderBy: { startedAt: "desc" } }),
  ]);
  const contacts = await db.contactMapping.count({ where: { connectionId } });
  return { running: current ? toRun(current) : null, last: last ? toRun(last) : null, lastSyncAt: connection.lastSyncAt, contacts };
}

/** The connection's sync log, newest first, with counts and per-record errors. */
export async function contactSyncHistory(db: Db, userId: string, input: { connectionId: string; limit?: number }) {
  await assertContactSyncAllowed(db, userId);
  const connection = await ownedPipedrive(db, userId, input.connectionId);
  await endInterruptedSyncs(db, connection.id);
  const runs = await db.contactSyncRun.findMany({
    where: { connectionId: connection.id, userId },
    select: runSelect,
    orderBy: { startedAt: "desc" },
    take: input.limit ?? 20,
  });
  return runs.map(toRun);
}

export interface PersonChoice {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  organization: string | null;
  /** Already imported from this connection. */
  imported: boolean;
}

/** The company's persons for the selective import: a page of the list, or of a search (2+ characters). */
export async function listPipedrivePersons(
  db: Db,
  keys: KeyRing,
  userId: string,
  input: { connectionId: string; search?: string; start?: number; limit?: number; fallbackBaseUrl?: string; settings?: OAuthEnvironment },
): Promise<{ items: PersonChoice[]; nextStart: number | null }> {
  await assertContactSyncAllowed(db, userId);
  const connection = await ownedPipedrive(db, userId, input.connectionId);
  const access = await accessOf(db, keys, input.settings, connection, input.fallbackBaseUrl);
  const start = input.start ?? 0;
  const limit = input.limit ?? 25;
  const term = input.search?.trim() ?? "";
  let items: Omit<PersonChoice, "imported">[];
  let pagination: { more_items_in_collection?: boolean; next_start?: number } | undefined;
  try {
    if (term.length >= 2) {
      const page = await pipedriveCall<{ items?: { item: { id: number; name: string; emails?: string[]; phones?: string[]; organization?: { name?: string } | null } }[] } | null>(
        access,
        "GET",
        "v1/persons/search",
        { query: { term, fields: "name,email,phone", start, limit } },
      );
      items = (page.data?.items ?? []).map(({ item }) => ({
        id: item.id,
        name: item.name,
        email: item.emails?.[0] ?? null,
        phone: item.phones?.[0] ?? null,
        organization: item.organization?.name ?? null,
      }));
      pagination = page.additional_data?.pagination;
    } else {
      const page = await pipedriveCall<unknown[] | null>(access, "GET", "v1/persons", { query: { start, limit, sort: "name ASC" } });
      items = (page.data ?? []).flatMap((record) => {
        const parsed = pipedrivePerson.safeParse(record);
        if (!parsed.success) return [];
        const person = parsed.data;
        const org = person.org_id;
        return [
          {
            id: person.id,
            name: person.name,
            email: primaryOf(person.email),
            phone: primaryOf(person.phone),
            organization: person.org_name ?? (org && typeof org === "object" ? (org.name ?? null) : null),
          },
        ];
      });
      pagination = page.additional_data?.pagination;
    }
  } catch (error) {
    throw new AppError("BAD_REQUEST", `Pipedrive did not answer: ${(error as Error).message}`);
  }
  const imported = new Set(
    (
      await db.contactMapping.findMany({
        where: { connectionId: connection.id, externalId: { in: items.map((i) => String(i.id)) } },
        select: { externalId: true },
      })
    ).map((m) => m.externalId),
  );
  return {
    items: items.map((item) => ({ ...item, imported: imported.has(String(item.id)) })),
    nextStart: pagination?.more_items_in_collection && typeof pagination.next_start === "number" ? pagination.next_start : null,
  };
}

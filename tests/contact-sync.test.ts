// Pipedrive contact sync on a real database against a fake Pipedrive company: Business-only,
// paging through every person, enrichment, dedup by mapping, email and phone, per-record errors,
// counts, selective import, history, one sync at a time, interrupted syncs, and tenant isolation.
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { configureBilling, createBillingRuntime } from "@/server/billing/runtime";
import { encryptSecret } from "@/server/crypto/secrets";
import type { Db } from "@/server/db";
import { contactSyncSettled, normaliseEmail, normalisePhone } from "@/server/services/contacts-sync";
import { callerFor, createUser, testKeys } from "./helpers/caller";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { PD_ACCESS_TOKEN, PD_CLIENT_ID, PD_CLIENT_SECRET, startFakePipedrive, type FakePerson, type FakePipedrive } from "./helpers/fake-pipedrive";

let database: TestDatabase;
let db: Db;
let fake: FakePipedrive;
let alice: { id: string };
let bob: { id: string };
let carol: { id: string };
let dave: { id: string };
let aliceConnection: string;
let bobConnection: string;

const PRICES = { pro: { month: "price_pro_m", year: "price_pro_y" }, business: { month: "price_biz_m", year: "price_biz_y" } };
const billing = createBillingRuntime({ secretKey: "sk_test_not_called", webhookSecret: "whsec_not_called", apiUrl: "http://127.0.0.1:9", prices: PRICES });

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.prisma;
  fake = await startFakePipedrive();
});
afterAll(async () => {
  configureBilling(null);
  await fake?.close();
  await database?.close();
});

async function subscribe(userId: string, plan: "pro" | "business") {
  await db.billingSubscription.create({
    data: { id: `sub_${plan}_${userId}`, userId, stripeCustomerId: `cus_${userId}`, priceId: PRICES[plan].month, plan, interval: "month", status: "active", stripeCreatedAt: new Date() },
  });
}

async function pipedriveConnection(userId: string, label = "Acme Ltd") {
  const connection = await db.connection.create({
    data: {
      userId,
      provider: "pipedrive",
      label,
      externalAccountId: `company-${label}`,
      secrets: encryptSecret(testKeys, JSON.stringify({ accessToken: PD_ACCESS_TOKEN, refreshToken: "r" })),
      settings: { apiDomain: fake.url, eventDelivery: "webhooks" },
    },
  });
  return connection.id;
}

function people(): FakePerson[] {
  const t = "2026-01-01T00:00:00Z";
  const list: FakePerson[] = [];
  for (let i = 1; i <= 240; i++) {
    list.push({
      id: i,
      name: `Person ${i}`,
      first_name: "Person",
      last_name: String(i),
      email: [{ value: `person${i}@example.com`, primary: true }],
      phone: [{ value: `+1 415 555 ${String(1000 + i)}`, primary: true }],
      org_name: i % 2 === 0 ? "Even Corp" : "Odd Inc",
      open_deals_count: i % 3,
      won_deals_count: i % 2,
      add_time: t,
      update_time: t,
    });
  }
  list.push(
    // Matches Alice's existing contact by email (case differs).
    { id: 241, name: "Dup Email", email: [{ value: "old@x.com", primary: false }, { value: "Dup.Email@Example.COM", primary: true }], org_name: "Dup Co", open_deals_count: 0, won_deals_count: 0, add_time: t, update_time: t },
    // Matches Alice's existing contact by phone (formatting differs), no email.
    { id: 242, name: "Phone Match", phone: [{ value: "+1 (415) 555-0999", primary: true }], open_deals_count: 1, won_deals_count: 0, add_time: t, update_time: t },
    // Broken record: no name.
    { id: 243, name: "", email: [{ value: "broken@example.com", primary: true }], add_time: t, update_time: t },
    // Organization by id and deal counts from its deals.
    { id: 244, name: "Org Lookup", email: [{ value: "org.lookup@example.com", primary: true }], org_id: 77, add_time: t, update_time: t },
    // The same person as #1, entered twice in Pipedrive: merged into #1's contact.
    { ...structuredClone(listFirst(list)), id: 245 },
  );
  return list;
}
const listFirst = (list: FakePerson[]) => list[0]!;

beforeEach(async () => {
  configureBilling(billing);
  await db.user.deleteMany();
  fake.requests.length = 0;
  fake.tokenRequests.length = 0;
  fake.listDelayMs = 0;
  fake.accessToken = PD_ACCESS_TOKEN;
  fake.brokenPersons.clear();
  fake.persons.length = 0;
  fake.persons.push(...people());
  fake.deals.length = 0;
  fake.deals.push(
    { id: 1, title: "a", status: "open", person_id: 244, won_time: null, add_time: "2026-01-01T00:00:00Z", update_time: "2026-01-01T00:00:00Z" },
    { id: 2, title: "b", status: "open", person_id: 244, won_time: null, add_time: "2026-01-01T00:00:00Z", update_time: "2026-01-01T00:00:00Z" },
    { id: 3, title: "c", status: "won", person_id: 244, won_time: "2026-01-02T00:00:00Z", add_time: "2026-01-01T00:00:00Z", update_time: "2026-01-02T00:00:00Z" },
    { id: 4, title: "d", status: "lost", person_id: 244, won_time: null, add_time: "2026-01-01T00:00:00Z", update_time: "2026-01-02T00:00:00Z" },
  );
  fake.organizations.set(77, "Globex");
  alice = await createUser(db, "alice@example.com");
  bob = await createUser(db, "bob@example.com");
  carol = await createUser(db, "carol@example.com");
  dave = await createUser(db, "dave@example.com");
  await subscribe(alice.id, "business");
  await subscribe(bob.id, "business");
  await subscribe(dave.id, "pro");
  aliceConnection = await pipedriveConnection(alice.id);
  bobConnection = await pipedriveConnection(bob.id, "Bob's company");
});

const api = (userId: string) => callerFor(db, userId, { providers: { baseUrl: () => fake.url, allowPrivateNetwork: true } });

async function trpcError(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

async function syncAll(userId: string, connectionId: string) {
  const { runId } = await api(userId).integrations.pipedriveSync({ connectionId });
  await contactSyncSettled(runId);
  return runId;
}

describe("normalising", () => {
  it("lower-cases emails and strips phone formatting", () => {
    expect(normaliseEmail("  Jenny.Rosen@Example.COM ")).toBe("jenny.rosen@example.com");
    expect(normaliseEmail("not an email")).toBeNull();
    expect(normalisePhone("+1 (415) 555-0123")).toBe("+14155550123");
    expect(normalisePhone("0044 20 7946 0000")).toBe("+442079460000");
    expect(normalisePhone("415.555.0123")).toBe("4155550123");
    expect(normalisePhone("12")).toBeNull();
  });
});

describe("contact sync: plans", () => {
  it("is Business only: every procedure says which plan includes it, and nothing is started", async () => {
    const carolConnection = await pipedriveConnection(carol.id, "Carol's");
    const daveConnection = await pipedriveConnection(dave.id, "Dave's");
    for (const [user, connectionId, plan] of [
      [carol, carolConnection, "Free"],
      [dave, daveConnection, "Pro"],
    ] as const) {
      const caller = api(user.id);
      // Called one at a time, each awaited before the next starts.
      const attempts = [
        () => caller.integrations.pipedriveSync({ connectionId }),
        () => caller.integrations.pipedriveSyncSelected({ connectionId, personIds: [1] }),
        () => caller.integrations.pipedrivePersons({ connectionId }),
        () => caller.integrations.pipedriveSyncStatus({ connectionId }),
        () => caller.integrations.pipedriveSyncHistory({ connectionId }),
      ];
      for (const attempt of attempts) {
        const error = await trpcError(attempt());
        expect(error.code).toBe("FORBIDDEN");
        expect(error.message).toBe(`Contact sync is not included in the ${plan} plan. Upgrade to Business to import your Pipedrive contacts.`);
      }
      expect(await caller.integrations.contactSyncAccess()).toEqual({ allowed: false, plan, upgradeTo: "Business" });
    }
    expect(await api(alice.id).integrations.contactSyncAccess()).toEqual({ allowed: true, plan: "Business", upgradeTo: null });
    expect(await db.contactSyncRun.count()).toBe(0);
    expect(fake.requests).toHaveLength(0);
  });

  it("is allowed on an instance without billing (nothing is metered)", async () => {
    configureBilling(null);
    const connectionId = await pipedriveConnection(carol.id, "Carol's");
    expect(await api(carol.id).integrations.contactSyncAccess()).toMatchObject({ allowed: true });
    await syncAll(carol.id, connectionId);
    expect(await db.contact.count({ where: { userId: carol.id } })).toBe(243);
  });
});

describe("contact sync: full import", () => {
  it("pages through every person, enriches, dedups by email and phone, logs bad records and counts", async () => {
    const byEmail = await db.contact.create({ data: { userId: alice.id, name: "Existing by email", email: "dup.email@example.com" } });
    const byPhone = await db.contact.create({ data: { userId: alice.id, name: "Existing by phone", phone: "+14155550999", email: "phone.person@example.com" } });
    // Bob has a contact with one of Alice's emails: Alice's import must not touch it.
    const bobs = await db.contact.create({ data: { userId: bob.id, name: "Bob's contact", email: "person7@example.com" } });

    const runId = await syncAll(alice.id, aliceConnection);
    const run = await db.contactSyncRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run).toMatchObject({ mode: "full", status: "succeeded", total: 245, processed: 245, created: 241, updated: 3, skipped: 0, error: null });
    expect(run.errors).toEqual([{ externalId: "243", name: null, message: expect.stringContaining("the person has no name") }]);
    expect(run.finishedAt).toBeInstanceOf(Date);

    // Three pages of 100, 100 and 45, by start offset.
    const pages = fake.requests.filter((r) => r.path.startsWith("/api/v1/persons?"));
    expect(pages.map((r) => new URL(r.path, "http://x").searchParams.get("start"))).toEqual(["0", "100", "200"]);
    expect(pages.every((r) => r.headers.authorization === `Bearer ${PD_ACCESS_TOKEN}`)).toBe(true);

    expect(await db.contact.count({ where: { userId: alice.id } })).toBe(243);
    const seven = await db.contact.findFirstOrThrow({ where: { userId: alice.id, email: "person7@example.com" } });
    expect(seven).toMatchObject({ name: "Person 7", firstName: "Person", lastName: "7", phone: "+14155551007", organization: "Odd Inc", openDeals: 1, wonDeals: 1 });
    expect(await db.contact.findUniqueOrThrow({ where: { id: bobs.id } })).toMatchObject({ name: "Bob's contact" });
    expect(await db.contact.findUniqueOrThrow({ where: { id: byEmail.id } })).toMatchObject({ name: "Dup Email", email: "dup.email@example.com", organization: "Dup Co" });
    // Matched by phone; the email it already had is kept.
    expect(await db.contact.findUniqueOrThrow({ where: { id: byPhone.id } })).toMatchObject({ name: "Phone Match", email: "phone.person@example.com", openDeals: 1 });
    expect(await db.contact.findFirstOrThrow({ where: { userId: alice.id, email: "org.lookup@example.com" } })).toMatchObject({ organization: "Globex", openDeals: 2, wonDeals: 1 });
    // #245 is #1 entered twice: one contact, two mappings.
    const one = await db.contact.findFirstOrThrow({ where: { userId: alice.id, email: "person1@example.com" }, include: { mappings: true } });
    expect(one.mappings.map((m) => m.externalId).sort()).toEqual(["1", "245"]);
    expect(await db.contactMapping.count({ where: { connectionId: aliceConnection } })).toBe(244);
    expect((await db.connection.findUniqueOrThrow({ where: { id: aliceConnection } })).lastSyncAt).toEqual(run.finishedAt);
  });

  it("a second sync matches by mapping: unchanged persons are skipped, changed ones updated, nothing duplicated", async () => {
    await syncAll(alice.id, aliceConnection);
    fake.persons.find((p) => p.id === 5)!.name = "Person Five";
    fake.persons.find((p) => p.id === 6)!.email = [{ value: "six.new@example.com", primary: true }];
    const runId = await syncAll(alice.id, aliceConnection);
    expect(await db.contactSyncRun.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ created: 0, updated: 2, skipped: 242, processed: 245 });
    expect(await db.contact.count({ where: { userId: alice.id } })).toBe(243);
    expect(await db.contact.findFirst({ where: { userId: alice.id, name: "Person Five" } })).not.toBeNull();
    // Mapped, so the changed email moves with the same contact instead of creating another one.
    expect(await db.contact.findFirstOrThrow({ where: { userId: alice.id, lastName: "6" } })).toMatchObject({ email: "six.new@example.com" });

    const history = await api(alice.id).integrations.pipedriveSyncHistory({ connectionId: aliceConnection });
    expect(history.map((h) => [h.status, h.created, h.updated, h.skipped])).toEqual([
      ["succeeded", 0, 2, 242],
      ["succeeded", 243, 1, 0],
    ]);
    expect(history[1]!.errors).toEqual([expect.objectContaining({ externalId: "243" })]);
  });

  it("shows live progress while running, allows one running sync per connection, then the outcome", async () => {
    fake.listDelayMs = 150;
    const caller = api(alice.id);
    const { runId } = await caller.integrations.pipedriveSync({ connectionId: aliceConnection });
    const busy = await trpcError(caller.integrations.pipedriveSyncSelected({ connectionId: aliceConnection, personIds: [1] }));
    expect(busy.code).toBe("CONFLICT");
    const concurrent = await Promise.allSettled([1, 2, 3].map(() => caller.integrations.pipedriveSync({ connectionId: aliceConnection })));
    expect(concurrent.every((r) => r.status === "rejected")).toBe(true);
    const live = await caller.integrations.pipedriveSyncStatus({ connectionId: aliceConnection });
    expect(live.running).toMatchObject({ id: runId, status: "running", mode: "full" });
    // Bob's connection is independent.
    await trpcError(api(bob.id).integrations.pipedriveSync({ connectionId: aliceConnection }));
    const bobsRun = await api(bob.id).integrations.pipedriveSync({ connectionId: bobConnection });

    await contactSyncSettled(runId);
    await contactSyncSettled(bobsRun.runId);
    const done = await caller.integrations.pipedriveSyncStatus({ connectionId: aliceConnection });
    expect(done.running).toBeNull();
    expect(done.last).toMatchObject({ id: runId, status: "succeeded", processed: 245, created: 243 });
    expect(done.contacts).toBe(244);
    expect(done.lastSyncAt).toBeInstanceOf(Date);
    expect(await db.contactSyncRun.count({ where: { connectionId: aliceConnection } })).toBe(1);
  });

  it("fails the run with Pipedrive's answer when a page cannot be read, keeping what was imported", async () => {
    fake.accessToken = "someone-else";
    const runId = await syncAll(alice.id, aliceConnection);
    const run = await db.contactSyncRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/401|unauthorized/i);
    expect((await db.connection.findUniqueOrThrow({ where: { id: aliceConnection } })).lastSyncAt).toBeNull();
  });

  it("ends a sync left running by a previous process as failed (interrupted), and can start again", async () => {
    const stale = await db.contactSyncRun.create({
      data: { userId: alice.id, connectionId: aliceConnection, mode: "full", status: "running", processed: 100, startedAt: new Date(Date.now() - 3_600_000) },
    });
    const status = await api(alice.id).integrations.pipedriveSyncStatus({ connectionId: aliceConnection });
    expect(status.running).toBeNull();
    expect(status.last).toMatchObject({ id: stale.id, status: "failed", error: expect.stringMatching(/^interrupted/), processed: 100 });
    const runId = await syncAll(alice.id, aliceConnection);
    expect(await db.contactSyncRun.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ status: "succeeded" });
  });

  it("refreshes an expired access token before importing", async () => {
    const expired = await db.connection.create({
      data: {
        userId: alice.id,
        provider: "pipedrive",
        label: "Expired",
        externalAccountId: "company-expired",
        secrets: encryptSecret(testKeys, JSON.stringify({ accessToken: "pd-access-token-old", refreshToken: "pd-refresh-token-1", expiresAt: Date.now() - 1000 })),
        settings: { apiDomain: fake.url },
      },
    });
    fake.accessToken = "not-yet-issued";
    const oauth = { read: (name: string) => ({ PIPEDRIVE_CLIENT_ID: PD_CLIENT_ID, PIPEDRIVE_CLIENT_SECRET: PD_CLIENT_SECRET, PIPEDRIVE_OAUTH_URL: fake.oauthUrl })[name] };
    const caller = callerFor(db, alice.id, { providers: { baseUrl: () => fake.url, allowPrivateNetwork: true, oauth } });
    const { runId } = await caller.integrations.pipedriveSync({ connectionId: expired.id });
    await contactSyncSettled(runId);
    expect(await db.contactSyncRun.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ status: "succeeded", created: 243 });
    const refresh = fake.tokenRequests.find((r) => new URLSearchParams(r.body).get("grant_type") === "refresh_token");
    expect(refresh).toBeDefined();
    expect(fake.requests.filter((r) => r.path.startsWith("/api/")).every((r) => r.headers.authorization === `Bearer ${fake.accessToken}`)).toBe(true);
  });

  it("refuses a connection that is not active", async () => {
    await db.connection.update({ where: { id: aliceConnection }, data: { status: "needs_reconnect" } });
    expect((await trpcError(api(alice.id).integrations.pipedriveSync({ connectionId: aliceConnection }))).code).toBe("BAD_REQUEST");
  });
});

describe("contact sync: selective import", () => {
  it("lists persons to choose from, with search and pages, then imports only the chosen ones", async () => {
    const caller = api(alice.id);
    const first = await caller.integrations.pipedrivePersons({ connectionId: aliceConnection, limit: 20 });
    // The nameless record (first by name) cannot be imported, so it is not offered.
    expect(first.items).toHaveLength(19);
    expect(first.items.some((p) => p.id === 243)).toBe(false);
    expect(first.nextStart).toBe(20);
    expect(first.items.every((p) => !p.imported)).toBe(true);
    const second = await caller.integrations.pipedrivePersons({ connectionId: aliceConnection, limit: 20, start: first.nextStart! });
    expect(second.items[0]!.id).not.toBe(first.items[0]!.id);

    const search = await caller.integrations.pipedrivePersons({ connectionId: aliceConnection, search: "Org Look" });
    expect(search.items).toEqual([{ id: 244, name: "Org Lookup", email: "org.lookup@example.com", phone: null, organization: null, imported: false }]);
    expect(fake.requests.some((r) => r.path.startsWith("/api/v1/persons/search?") && r.path.includes("term=Org+Look"))).toBe(true);

    fake.brokenPersons.add(9);
    const { runId } = await caller.integrations.pipedriveSyncSelected({ connectionId: aliceConnection, personIds: [3, 244, 9, 99999, 3] });
    await contactSyncSettled(runId);
    const run = await db.contactSyncRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run).toMatchObject({ mode: "selective", status: "succeeded", total: 4, processed: 4, created: 2, updated: 0, skipped: 0 });
    expect(run.selection).toEqual(["3", "244", "9", "99999"]);
    expect((run.errors as { externalId: string }[]).map((e) => e.externalId).sort()).toEqual(["9", "99999"]);
    expect(await db.contact.count({ where: { userId: alice.id } })).toBe(2);

    const again = await caller.integrations.pipedrivePersons({ connectionId: aliceConnection, search: "Org Look" });
    expect(again.items[0]!.imported).toBe(true);
  });

  it("validates the selection", async () => {
    const empty = await trpcError(api(alice.id).integrations.pipedriveSyncSelected({ connectionId: aliceConnection, personIds: [] }));
    expect(empty.code).toBe("BAD_REQUEST");
    expect(await db.contactSyncRun.count()).toBe(0);
  });
});

describe("contacts list", () => {
  it("lists the user's contacts with search and pages", async () => {
    await syncAll(alice.id, aliceConnection);
    await syncAll(bob.id, bobConnection);
    const caller = api(alice.id);
    const page = await caller.integrations.contacts({ limit: 50 });
    expect(page.items).toHaveLength(50);
    expect(page.total).toBe(243);
    const next = await caller.integrations.contacts({ limit: 50, cursor: page.nextCursor! });
    expect(next.items[0]!.id).not.toBe(page.items.at(-1)!.id);
    const found = await caller.integrations.contacts({ search: "PERSON17@" });
    expect(found.items.map((c) => c.email)).toEqual(["person17@example.com"]);
    expect(found.items[0]!.sources).toEqual(["Acme Ltd"]);
    expect((await caller.integrations.contacts({ search: "Globex" })).items.map((c) => c.name)).toEqual(["Org Lookup"]);
    expect((await caller.integrations.contacts({ search: "+1 415 555 1017" })).items.map((c) => c.name)).toEqual(["Person 17"]);
    expect((await caller.integrations.contacts({ connectionId: aliceConnection })).total).toBe(243);
    // Bob sees only his own.
    expect((await api(bob.id).integrations.contacts({})).items.every((c) => c.sources.includes("Bob's company"))).toBe(true);
  });
});

describe("contact sync: tenant isolation", () => {
  it("answers NOT_FOUND for another user's Pipedrive connection and for a non-Pipedrive one, calling Pipedrive for neither", async () => {
    const caller = api(bob.id);
    const attempts = [
      () => caller.integrations.pipedriveSync({ connectionId: aliceConnection }),
      () => caller.integrations.pipedriveSyncSelected({ connectionId: aliceConnection, personIds: [1, 2] }),
      () => caller.integrations.pipedrivePersons({ connectionId: aliceConnection }),
      () => caller.integrations.pipedriveSyncStatus({ connectionId: aliceConnection }),
      () => caller.integrations.pipedriveSyncHistory({ connectionId: aliceConnection }),
      () => caller.integrations.contacts({ connectionId: aliceConnection }),
    ];
    for (const attempt of attempts) expect((await trpcError(attempt())).code).toBe("NOT_FOUND");
    // A connection of another provider is not a Pipedrive connection either.
    const stripe = await db.connection.create({ data: { userId: bob.id, provider: "stripe", label: "S", secrets: encryptSecret(testKeys, "{}") } });
    expect((await trpcError(caller.integrations.pipedriveSync({ connectionId: stripe.id }))).code).toBe("NOT_FOUND");
    expect(await db.contactSyncRun.count()).toBe(0);
    expect(fake.requests).toHaveLength(0);
  });
});

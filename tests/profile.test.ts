import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/server/db";
import { callerFor, createUser } from "./helpers/caller";
import { createTestDatabase, type TestDatabase } from "./helpers/db";

let database: TestDatabase;
let db: Db;
let alice: { id: string };
let bob: { id: string };

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.prisma;
});
afterAll(async () => database?.close());

beforeEach(async () => {
  await db.user.deleteMany();
  alice = await createUser(db, "alice@example.com", { name: "Alice A" });
  bob = await createUser(db, "bob@example.com", { name: "Bob B" });
});

async function trpcError(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

describe("profile router", () => {
  it("refuses callers without a session", async () => {
    const anonymous = callerFor(db, null);
    expect((await trpcError(anonymous.profile.get())).code).toBe("UNAUTHORIZED");
    expect((await trpcError(anonymous.profile.update({ firstName: "Eve" }))).code).toBe("UNAUTHORIZED");
    expect(await db.user.count({ where: { firstName: "Eve" } })).toBe(0);
  });

  it("returns the signed-in user's own profile", async () => {
    const profile = await callerFor(db, alice.id).profile.get();
    expect(profile).toMatchObject({ id: alice.id, email: "alice@example.com", displayName: "Alice A", firstName: null });
  });

  it("updates every editable field, trims text and clears empty values", async () => {
    const caller = callerFor(db, alice.id);
    const saved = await caller.profile.update({
      firstName: "  Alice ",
      lastName: "Liddell",
      company: "Wonderland Ltd",
      industry: "SaaS",
      role: "Founder",
      usagePurpose: "Open a Jira ticket when a payment fails",
      avatarUrl: "https://images.example.com/alice.png",
    });
    expect(saved).toMatchObject({
      firstName: "Alice",
      lastName: "Liddell",
      displayName: "Alice Liddell",
      company: "Wonderland Ltd",
      avatarUrl: "https://images.example.com/alice.png",
    });
    const row = await db.user.findUniqueOrThrow({ where: { id: alice.id } });
    expect(row).toMatchObject({ firstName: "Alice", role: "Founder", image: "https://images.example.com/alice.png" });

    const cleared = await caller.profile.update({ company: "", avatarUrl: "" });
    expect(cleared.company).toBeNull();
    expect(cleared.avatarUrl).toBeNull();
    expect(cleared.firstName).toBe("Alice");
  });

  const badInputs: [string, Record<string, unknown>, string][] = [
    ["firstName", { firstName: "x".repeat(61) }, "at most 60"],
    ["lastName", { lastName: "x".repeat(61) }, "at most 60"],
    ["company", { company: "x".repeat(121) }, "at most 120"],
    ["industry", { industry: "x".repeat(81) }, "at most 80"],
    ["role", { role: "x".repeat(81) }, "at most 80"],
    ["usagePurpose", { usagePurpose: "x".repeat(501) }, "at most 500"],
    ["avatarUrl", { avatarUrl: "javascript:alert(1)" }, "http:// or https://"],
    ["avatarUrl", { avatarUrl: "not a url" }, "http:// or https://"],
    ["avatarUrl", { avatarUrl: `https://x.example/${"a".repeat(2048)}` }, "at most 2048"],
    ["firstName", { firstName: 42 }, "must be text"],
    ["isAdmin", { isAdmin: true }, "not a field"],
    ["email", { email: "mallory@example.com" }, "not a field"],
  ];

  it.each(badInputs)("rejects a bad %s with a field message and writes nothing", async (field, input, message) => {
    const before = await db.user.findUniqueOrThrow({ where: { id: alice.id } });
    const error = await trpcError(callerFor(db, alice.id).profile.update({ firstName: "Changed", ...input } as never));
    expect(error.code).toBe("BAD_REQUEST");
    const after = await db.user.findUniqueOrThrow({ where: { id: alice.id } });
    expect(after).toEqual(before);
    // The formatter turns the zod issues into field messages.
    const { getErrorShape } = await import("@trpc/server/unstable-core-do-not-import");
    const { appRouter } = await import("@/server/api/root");
    const shape = getErrorShape({
      config: appRouter._def._config,
      error,
      type: "mutation",
      path: "profile.update",
      input,
      ctx: undefined,
    }) as { data: { fieldErrors: Record<string, string[]> } };
    expect(shape.data.fieldErrors[field]?.join(" ")).toContain(message);
  });

  it("keeps users apart: each reads and changes only their own profile", async () => {
    await callerFor(db, bob.id).profile.update({ firstName: "Robert", company: "Bob Corp" });
    const aliceView = await callerFor(db, alice.id).profile.get();
    expect(aliceView.id).toBe(alice.id);
    expect(aliceView.firstName).toBeNull();
    expect(aliceView.company).toBeNull();
    const aliceRow = await db.user.findUniqueOrThrow({ where: { id: alice.id } });
    expect(aliceRow.firstName).toBeNull();
    // The API takes no user id at all: an id smuggled into the input is refused, not obeyed.
    const error = await trpcError(callerFor(db, bob.id).profile.update({ id: alice.id, firstName: "Hacked" } as never));
    expect(error.code).toBe("BAD_REQUEST");
    expect((await db.user.findUniqueOrThrow({ where: { id: alice.id } })).firstName).toBeNull();
  });

  it("answers NOT_FOUND for a session whose user no longer exists", async () => {
    const ghost = callerFor(db, "ckdeleteduser000000000000");
    expect((await trpcError(ghost.profile.get())).code).toBe("NOT_FOUND");
    expect((await trpcError(ghost.profile.update({ firstName: "Ghost" }))).code).toBe("NOT_FOUND");
  });
});

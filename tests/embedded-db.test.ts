// The embedded database (PGlite on its own thread, src/server/pglite-thread.ts) behaves as an
// in-process PGlite did: errors reach Prisma as Postgres errors with their codes, transactions commit and
// roll back, data on disk survives a reopen, and a closed database refuses work. And the point of
// the thread: while a statement executes, this thread keeps running.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/server/db";

const dirs: string[] = [];
const opened: Database[] = [];

async function open(url: string): Promise<Database> {
  const database = openDatabase(url);
  opened.push(database);
  await database.prepare();
  return database;
}

afterAll(async () => {
  for (const database of opened) await database.close().catch(() => undefined);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("embedded database on its own thread", () => {
  it("keeps this thread running while a long statement executes there", async () => {
    const { sql } = await open("pglite:memory");
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const started = Date.now();
    const { rows } = await sql<{ n: string }>("SELECT count(*)::text AS n FROM generate_series(1, 3000000) AS g WHERE g % 7 = 0");
    const elapsed = Date.now() - started;
    clearInterval(timer);
    expect(rows[0]?.n).toBe("428571");
    // An in-process PGlite would hold this thread for the whole statement: no tick at all.
    expect(elapsed).toBeGreaterThan(50);
    expect(ticks).toBeGreaterThanOrEqual(Math.floor(elapsed / 5 / 4));
  });

  it("hands database errors to Prisma with their Postgres codes, and rolls back failed transactions", async () => {
    const { prisma } = await open("pglite:memory");
    await prisma.user.create({ data: { email: "ada@example.com" } });
    await expect(prisma.user.create({ data: { email: "ada@example.com" } })).rejects.toMatchObject({
      name: "DriverAdapterError",
      cause: { kind: "postgres", code: "23505" },
    });
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.user.create({ data: { email: "grace@example.com" } });
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    await prisma.$transaction(async (tx) => {
      await tx.user.create({ data: { email: "linus@example.com" } });
    });
    const emails = (await prisma.user.findMany({ orderBy: { email: "asc" } })).map((user) => user.email);
    expect(emails).toEqual(["ada@example.com", "linus@example.com"]);
  });

  it("runs concurrent statements one at a time, arrays and dates included", async () => {
    const { sql, prisma } = await open("pglite:memory");
    const users = await Promise.all(Array.from({ length: 20 }, (_, i) => prisma.user.create({ data: { email: `u${i}@example.com` } })));
    const { rows } = await sql<{ email: string; createdAt: Date }>(`SELECT email, "createdAt" FROM "User" WHERE id = ANY($1::text[]) ORDER BY email`, [
      users.slice(0, 3).map((user) => user.id),
    ]);
    expect(rows.map((row) => row.email)).toEqual(["u0@example.com", "u1@example.com", "u2@example.com"]);
    expect(rows[0]?.createdAt).toBeInstanceOf(Date);
    expect(rows[0]?.createdAt.getTime()).toBe(users[0]?.createdAt.getTime());
  });

  it("keeps data on disk across a reopen, and a closed database refuses work", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cue-embedded-"));
    dirs.push(dir);
    const first = await open(`pglite:${dir}`);
    await first.prisma.user.create({ data: { email: "kept@example.com" } });
    await first.close();
    await expect(first.sql("SELECT 1")).rejects.toThrow(/closed/);
    const second = await open(`pglite:${dir}`);
    expect(await second.prisma.user.count({ where: { email: "kept@example.com" } })).toBe(1);
  });
});

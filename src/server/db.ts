// The one door to the database. DATABASE_URL picks the driver adapter:
//   unset or pglite:<dir>  → embedded PGlite in-process (pglite:memory for a throwaway one),
//                            migrated automatically by prepare();
//   postgresql://…         → Postgres through @prisma/adapter-pg (a pooled pg.Pool),
//                            migrated by `prisma migrate deploy`.
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { mkdirSync } from "node:fs";
import { PrismaClient } from "@/generated/prisma/client";
import { env } from "@/env";
import { applyMigrations } from "@/server/migrate";

export type Db = PrismaClient;

export interface Database {
  prisma: PrismaClient;
  kind: "embedded" | "postgres";
  /** Resolves once the database is ready for queries (embedded: migrations applied). */
  prepare(): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_EMBEDDED_DIR = ".data/db";

export function openDatabase(url: string | undefined, options: { schema?: string } = {}): Database {
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const schema = options.schema ?? new URL(url).searchParams.get("schema") ?? undefined;
    const adapter = new PrismaPg(
      { connectionString: url, ...(schema ? { options: `-c search_path="${schema}"` } : {}) },
      schema ? { schema } : undefined,
    );
    const prisma = new PrismaClient({ adapter });
    return { prisma, kind: "postgres", prepare: async () => {}, close: () => prisma.$disconnect() };
  }

  const dir = url?.startsWith("pglite:") ? url.slice("pglite:".length) : DEFAULT_EMBEDDED_DIR;
  if (dir !== "memory") mkdirSync(dir, { recursive: true });
  const pglite = dir === "memory" ? new PGlite() : new PGlite(dir);
  // pglite-prisma-adapter pins an older @prisma/driver-adapter-utils; the runtime protocol matches,
  // only the declared types differ.
  const adapter = new PrismaPGlite(pglite) as unknown as PrismaPg;
  const prisma = new PrismaClient({ adapter });
  let ready: Promise<void> | undefined;
  return {
    prisma,
    kind: "embedded",
    prepare: () =>
      (ready ??= applyMigrations({
        exec: (sql) => pglite.exec(sql),
        query: async (sql, params) => (await pglite.query(sql, params)).rows as never,
      }).then(() => undefined)),
    async close() {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

// One instance per process; kept on globalThis so dev-mode module reloads don't open a second
// PGlite on the same directory.
const globalForDb = globalThis as unknown as { cueDatabase?: Database };

export function getDatabase(): Database {
  return (globalForDb.cueDatabase ??= openDatabase(env.DATABASE_URL));
}

/** The process-wide Prisma client (embedded or Postgres, per DATABASE_URL). */
export function getDb(): PrismaClient {
  return getDatabase().prisma;
}

// The one door to the database. DATABASE_URL picks the driver adapter:
//   unset or pglite:<dir>  → embedded PGlite in-process (pglite:memory for a throwaway one),
//                            migrated automatically by prepare();
//   postgresql://…         → Postgres through @prisma/adapter-pg (a pooled pg.Pool),
//                            migrated by `prisma migrate deploy`.
import { parse, protocol } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { mkdirSync } from "node:fs";
import { PrismaClient } from "@/generated/prisma/client";
import { env } from "@/env";
import { applyMigrations } from "@/server/migrate";
import { ThreadedPGlite } from "@/server/pglite-thread";

export type Db = PrismaClient;

/**
 * A statement straight to the driver (the PGlite instance or the pg Pool), bypassing Prisma's
 * query compiler and result mapping: for the run write path's hot statements. Dates go as ISO
 * strings and `timestamp` columns come back as UTC Dates, whatever the process's time zone, as
 * Prisma stores them; jsonb comes back parsed. On PGlite it waits for any open Prisma transaction.
 */
export type Sql = <Row = Record<string, unknown>>(query: string, params?: readonly unknown[]) => Promise<{ rows: Row[]; rowCount: number }>;

export interface Database {
  prisma: PrismaClient;
  sql: Sql;
  kind: "embedded" | "postgres";
  /** Resolves once the database is ready for queries (embedded: migrations applied). */
  prepare(): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_EMBEDDED_DIR = ".data/db";

const TIMESTAMP_OID = 1114;
const utcTimestamp = (value: string) => new Date(`${value.replace(" ", "T")}Z`);
const toParam = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

/** Where openDatabase puts a client's `sql` (a property, so a wrapper of the client can wrap it too). */
export const SQL = Symbol.for("cue.sql");

function withSql(prisma: PrismaClient, sql: Sql): PrismaClient {
  Object.defineProperty(prisma, SQL, { value: sql, configurable: true });
  return prisma;
}

/** The driver-level `sql` of the database this client belongs to (every client comes from openDatabase). */
export function sqlOf(db: Db): Sql {
  const sql = (db as unknown as { [SQL]?: Sql })[SQL];
  if (!sql) throw new Error("This Prisma client was not opened by openDatabase()");
  return sql;
}

export function openDatabase(url: string | undefined, options: { schema?: string } = {}): Database {
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const schema = options.schema ?? new URL(url).searchParams.get("schema") ?? undefined;
    // One pool for Prisma and for sql(); Prisma ends it on disconnect.
    const pool = new pg.Pool({ connectionString: url, ...(schema ? { options: `-c search_path="${schema}"` } : {}) });
    const adapter = new PrismaPg(pool, { ...(schema ? { schema } : {}), disposeExternalPool: true });
    const prisma = new PrismaClient({ adapter });
    const types = {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === TIMESTAMP_OID ? utcTimestamp : pg.types.getTypeParser(oid, format ?? "text")) as typeof pg.types.getTypeParser,
    };
    const sql: Sql = async (query, params = []) => {
      const result = await pool.query({ text: query, values: params.map(toParam), types });
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    };
    withSql(prisma, sql);
    return { prisma, sql, kind: "postgres", prepare: async () => {}, close: () => prisma.$disconnect() };
  }

  const dir = url?.startsWith("pglite:") ? url.slice("pglite:".length) : DEFAULT_EMBEDDED_DIR;
  if (dir !== "memory") mkdirSync(dir, { recursive: true });
  // PGlite executes on a thread of its own (pglite-thread.ts), not on the one serving requests.
  const pglite = new ThreadedPGlite(dir === "memory" ? undefined : dir);
  // pglite-prisma-adapter pins an older @prisma/driver-adapter-utils; the runtime protocol matches,
  // only the declared types differ.
  const adapter = new PrismaPGlite(pglite) as unknown as PrismaPg;
  const prisma = new PrismaClient({ adapter });
  const sql = preparedStatements(pglite);
  withSql(prisma, sql);
  let ready: Promise<void> | undefined;
  return {
    prisma,
    sql,
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

/**
 * PGlite's query() parses and plans its statement anew on every call (an unnamed statement, five
 * protocol round trips); for the write path's few, fixed, complex statements that was most of
 * their cost. Here each distinct statement text is prepared once under a name (callers pass a
 * fixed text, values as parameters), and a call is one Bind/Describe/Execute/Sync exchange, run
 * as query() runs: after any open transaction, synced to the file system before it resolves.
 */
function preparedStatements(pglite: ThreadedPGlite): Sql {
  const prepared = new Map<string, { name: string; paramTypes: number[] }>();
  const options = { parsers: { [TIMESTAMP_OID]: utcTimestamp } };
  const message = (...parts: Uint8Array[]) => {
    const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
    let offset = 0;
    for (const part of parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  };
  const { serialize } = protocol;
  return (query, params = []) =>
    pglite._runExclusiveTransaction(() =>
      pglite._runExclusiveQuery(async () => {
        let statement = prepared.get(query);
        if (!statement) {
          const name = `cue_${prepared.size}`;
          const { messages } = await pglite.execProtocol(
            message(serialize.parse({ name, text: query, types: [] }), serialize.describe({ type: "S", name }), serialize.sync()),
            { syncToFs: false },
          );
          statement = { name, paramTypes: parse.parseDescribeStatementResults(messages) };
          prepared.set(query, statement);
        }
        const { paramTypes } = statement;
        const values = params.map((value, i) => {
          if (value === null || value === undefined) return null;
          const serializer = pglite.serializers[paramTypes[i]!];
          return serializer ? serializer(toParam(value)) : String(toParam(value));
        });
        // Synced to the file system before it resolves, as query() does.
        const { messages } = await pglite.execProtocol(
          message(serialize.bind({ statement: statement.name, values }), serialize.describe({ type: "P" }), serialize.execute({}), serialize.sync()),
          { syncToFs: true },
        );
        const [result] = parse.parseResults(messages, pglite.parsers, options);
        return { rows: (result?.rows ?? []) as never[], rowCount: result?.affectedRows ?? 0 };
      }),
    );
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

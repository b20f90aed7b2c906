// A fresh, migrated database per test file: PGlite in memory by default, or a private schema on
// the Postgres named by TEST_DATABASE_URL (so the same suite proves both adapters).
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type Database } from "@/server/db";
import { applyMigrations } from "@/server/migrate";

export interface TestDatabase extends Database {
  label: string;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const database = openDatabase("pglite:memory");
    await database.prepare();
    return { ...database, label: "pglite" };
  }
  const schema = `cue_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  await admin.query(`SET search_path TO "${schema}"`);
  await applyMigrations({
    exec: (sql) => admin.query(sql),
    query: async (sql, params) => (await admin.query(sql, params)).rows,
  });
  const database = openDatabase(url, { schema });
  return {
    ...database,
    label: `postgres:${schema}`,
    async close() {
      await database.close();
      await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
      await admin.end();
    },
  };
}

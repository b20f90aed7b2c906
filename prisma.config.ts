// Prisma CLI configuration (migrate deploy/diff/dev, generate). The CLI reaches Postgres
// through the same driver adapter as the app, so no native engine is needed. The embedded
// PGlite database never goes through the CLI: the app applies prisma/migrations to it at
// start-up (src/server/db/migrate.ts), recording them in _prisma_migrations like the CLI does.
import path from "node:path";
import { defineConfig } from "prisma/config";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    const url = process.env.DATABASE_URL ?? "";
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new Error(
        "The Prisma CLI needs DATABASE_URL=postgresql://… (the embedded database migrates itself at start-up).",
      );
    }
    const { PrismaPg } = await import("@prisma/adapter-pg");
    // Discrete fields, not connectionString: `migrate dev` overrides `database` for its shadow DB.
    const u = new URL(url);
    return new PrismaPg({
      host: u.hostname,
      port: Number(u.port || 5432),
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
      database: u.pathname.slice(1),
    });
  },
});

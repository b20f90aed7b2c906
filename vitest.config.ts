import path from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname, "src") } },
  test: {
    include: ["src/**/*.test.ts", "tests/**/*.test.ts"],
    // Production mode needs real Postgres + Redis and worker processes: `npm run test:production`.
    exclude: [...configDefaults.exclude, "tests/production/**"],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Test files run in parallel: each opens its own database (PGlite in memory, or its own
    // schema on the Postgres named by TEST_DATABASE_URL).
    pool: "forks",
    // CI collects JSON reports to print one closing summary line (scripts/ci-summary.mjs).
    reporters: process.env.CUE_TEST_RESULTS
      ? ["default", ["json", { outputFile: `${process.env.CUE_TEST_RESULTS}/vitest-${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"}.json` }]]
      : ["default"],
  },
});

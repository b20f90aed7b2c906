// Production mode on the real services (`npm run test:production`): Postgres (TEST_DATABASE_URL),
// Redis (REDIS_URL), BullMQ and `cue worker` processes. Fails, never skips, without them.
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname, "src") } },
  test: {
    include: ["tests/production/**/*.test.ts"],
    globalSetup: ["tests/production/global-setup.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 90_000,
    pool: "forks",
    // Each file has its own schema and queue prefix; two at a time keeps worker processes from
    // starving each other on small machines.
    maxWorkers: 2,
    reporters: process.env.CUE_TEST_RESULTS
      ? ["default", ["json", { outputFile: `${process.env.CUE_TEST_RESULTS}/vitest-production.json` }]]
      : ["default"],
  },
});

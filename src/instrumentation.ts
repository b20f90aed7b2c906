// Runs once when the server starts: the embedded database is migrated before the first request,
// then the run queue starts: in-process, its workers and schedule poll run here; with REDIS_URL
// (BullMQ) this process only enqueues, and `npx cue worker` processes execute runs and schedules.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { getDatabase } = await import("@/server/db");
    await getDatabase().prepare();
    const { getRunQueue, closeRunQueue } = await import("@/server/runtime");
    getRunQueue().start();
    const shutdown = () => {
      void closeRunQueue().finally(() => process.exit(0));
    };
    process.once("SIGTERM", shutdown);
    process.once("SIGINT", shutdown);
  }
}

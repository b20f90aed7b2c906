// Runs once when the server starts: the embedded database is migrated before the first request,
// then the run queue's workers and scheduler start.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { getDatabase } = await import("@/server/db");
    await getDatabase().prepare();
    const { getRunQueue } = await import("@/server/runtime");
    const queue = getRunQueue();
    queue.start();
    const shutdown = () => {
      void queue.stop().finally(() => process.exit(0));
    };
    process.once("SIGTERM", shutdown);
    process.once("SIGINT", shutdown);
  }
}

// Runs once when the server starts: the embedded database is migrated before the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { getDatabase } = await import("@/server/db");
    await getDatabase().prepare();
  }
}

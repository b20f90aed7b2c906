// GET /api/health: for load balancers and orchestrators. 200 when the database (and Redis, in
// production mode) answer, 503 otherwise; the JSON names the queue backend and each check.
import { getDb } from "@/server/db";
import { BullRunQueue } from "@/queue/bullmq";
import { getRunQueue, runQueueKind } from "@/server/runtime";

export const dynamic = "force-dynamic";

async function databaseAnswers(): Promise<boolean> {
  try {
    await getDb().$queryRawUnsafe("SELECT 1");
    return true;
  } catch {
    return false;
  }
}

export async function GET() {
  const queue = getRunQueue();
  const [database, redis] = await Promise.all([
    databaseAnswers(),
    queue instanceof BullRunQueue ? queue.ping() : Promise.resolve(null),
  ]);
  const ok = database && redis !== false;
  return Response.json(
    {
      status: ok ? "ok" : "unavailable",
      queue: runQueueKind(),
      checks: { database: database ? "ok" : "failing", redis: redis === null ? "not configured" : redis ? "ok" : "failing" },
    },
    { status: ok ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}

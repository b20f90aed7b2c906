// Refuses to run without the real services, and checks they answer, before any test file starts.
import { Redis } from "ioredis";
import pg from "pg";
import { requiredServices } from "./harness";

export default async function setup() {
  const { databaseUrl, redisUrl } = requiredServices();
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    throw new Error(`test:production: Postgres at TEST_DATABASE_URL does not answer: ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(`test:production: Redis at REDIS_URL does not answer: ${(error as Error).message}`);
  } finally {
    redis.disconnect();
  }
}

// Calls tRPC procedures directly, as a given user (or signed out), on a test database.
import { createCaller } from "@/server/api/root";
import type { Db } from "@/server/db";

export function callerFor(db: Db, userId: string | null, options: { headers?: Headers; resHeaders?: Headers } = {}) {
  return createCaller({
    db,
    user: userId ? { id: userId } : null,
    headers: options.headers ?? new Headers(),
    resHeaders: options.resHeaders ?? new Headers(),
  });
}

export async function createUser(db: Db, email: string, extra: { name?: string } = {}) {
  return db.user.create({ data: { email, name: extra.name ?? email.split("@")[0] } });
}

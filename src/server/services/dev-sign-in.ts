// Email-only sign-in for a newcomer's machine, where no OAuth app is configured. It writes the
// same User and Session rows the OAuth flow does, so the rest of the app cannot tell them apart.
import { randomBytes } from "node:crypto";
import type { Db } from "@/server/db";
import { SESSION_MAX_AGE_SECONDS } from "@/server/auth/constants";

export async function createDevSession(db: Db, email: string): Promise<{ sessionToken: string; expires: Date }> {
  const normalized = email.trim().toLowerCase();
  const user = await db.user.upsert({
    where: { email: normalized },
    create: { email: normalized, name: normalized.split("@")[0] },
    update: {},
    select: { id: true },
  });
  const sessionToken = randomBytes(32).toString("hex");
  const expires = new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000);
  await db.session.create({ data: { sessionToken, userId: user.id, expires } });
  return { sessionToken, expires };
}

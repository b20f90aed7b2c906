import "server-only";
// Server components call procedures directly, with the same context the HTTP route builds.
import { headers } from "next/headers";
import { cache } from "react";
import { createCaller } from "@/server/api/root";
import { auth } from "@/server/auth";
import { getDb } from "@/server/db";

export const api = cache(async () => {
  const session = await auth();
  return createCaller({
    db: getDb(),
    user: session?.user?.id ? { id: session.user.id } : null,
    headers: new Headers(await headers()),
    resHeaders: new Headers(),
  });
});

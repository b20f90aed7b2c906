import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { auth } from "@/server/auth";
import { getDb } from "@/server/db";
import { getKeyRing, getRunQueue, providerEnvironment } from "@/server/runtime";

async function handler(req: Request) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    async createContext({ resHeaders }) {
      const session = await auth();
      return {
        db: getDb(),
        user: session?.user?.id ? { id: session.user.id } : null,
        headers: req.headers,
        resHeaders,
        queue: getRunQueue(),
        keys: getKeyRing(),
        providers: providerEnvironment,
      };
    },
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`tRPC ${path ?? "?"} failed:`, error.message);
    },
  });
}

export { handler as GET, handler as POST };

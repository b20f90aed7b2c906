// Where a provider sends the browser back after the user approves (or refuses) a connection:
// the state check, the code exchange and saving the connection happen in src/server/oauth/flow.ts.
import { env } from "@/env";
import { auth } from "@/server/auth";
import { getDb } from "@/server/db";
import { completeOAuthConnection, outcomeLocation } from "@/server/oauth/flow";
import { getKeyRing, providerEnvironment } from "@/server/runtime";

export async function GET(request: Request, { params }: { params: Promise<{ provider: string }> }) {
  const url = new URL(request.url);
  const base = env.AUTH_URL ?? url.origin;
  const session = await auth();
  if (!session?.user?.id) {
    // Signed out (an expired session): sign in, then come back here with the same code and state.
    return Response.redirect(new URL(`/signin?callbackUrl=${encodeURIComponent(url.pathname + url.search)}`, base), 303);
  }
  const outcome = await completeOAuthConnection(getDb(), getKeyRing(), providerEnvironment.oauth, {
    provider: (await params).provider,
    userId: session.user.id,
    params: url.searchParams,
  });
  return Response.redirect(new URL(outcomeLocation(outcome), base), 303);
}

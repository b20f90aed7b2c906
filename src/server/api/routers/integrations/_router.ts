import { z } from "zod";
import { protectedProcedure, router } from "@/server/api/trpc";
import { startOAuthConnection } from "@/server/oauth/flow";
import { connectWithToken, disconnect, listProviders, renameConnection, testConnection } from "@/server/services/connections";
import { stripeRecentPayments } from "@/server/services/stripe-connect";

/** The origin the browser used, for redirect URIs when AUTH_URL is not set. */
function requestOrigin(headers: Headers): string | undefined {
  const host = headers.get("x-forwarded-host") ?? headers.get("host");
  if (!host) return undefined;
  const protocol = headers.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? "http";
  return `${protocol}://${host}`;
}

const connectionId = z.object({ id: z.string().min(1).max(64) }).strict();
const label = z.string().trim().min(1, { error: "Give the connection a name" }).max(80, { error: "Name must be at most 80 characters" });

export const integrationsRouter = router({
  /** Every provider that can be connected, with the user's connections (never their secrets). */
  providers: protectedProcedure.query(({ ctx }) => listProviders(ctx.db, ctx.user.id, ctx.providers)),

  /** Starts an OAuth connection: stores the state server-side and returns the URL to open. */
  connect: protectedProcedure
    .input(z.object({ provider: z.string().min(1).max(40), returnTo: z.string().max(200).optional() }).strict())
    .mutation(({ ctx, input }) =>
      startOAuthConnection(ctx.db, ctx.keys, ctx.providers.oauth, ctx.user.id, { ...input, origin: requestOrigin(ctx.headers) }),
    ),

  connectWithToken: protectedProcedure
    .input(z.object({ provider: z.string().min(1).max(40), label: label.optional(), fields: z.record(z.string(), z.unknown()) }).strict())
    .mutation(({ ctx, input }) => connectWithToken(ctx.db, ctx.keys, ctx.providers, ctx.user.id, input)),

  test: protectedProcedure.input(connectionId).mutation(({ ctx, input }) => testConnection(ctx.db, ctx.keys, ctx.providers, ctx.user.id, input.id)),

  rename: protectedProcedure
    .input(z.object({ id: z.string().min(1).max(64), label }).strict())
    .mutation(({ ctx, input }) => renameConnection(ctx.db, ctx.user.id, input.id, input.label)),

  disconnect: protectedProcedure
    .input(connectionId)
    .mutation(({ ctx, input }) => disconnect(ctx.db, ctx.keys, ctx.providers, ctx.user.id, input.id)),

  /** The connected Stripe account's latest succeeded charges. */
  stripeRecentPayments: protectedProcedure
    .input(z.object({ connectionId: z.string().min(1).max(64) }).strict())
    .query(({ ctx, input }) => stripeRecentPayments(ctx.db, ctx.providers.oauth, ctx.user.id, input.connectionId)),
});

import { z } from "zod";
import { protectedProcedure, router } from "@/server/api/trpc";
import { connectWithToken, disconnect, listProviders, renameConnection, testConnection } from "@/server/services/connections";

const connectionId = z.object({ id: z.string().min(1).max(64) }).strict();
const label = z.string().trim().min(1, { error: "Give the connection a name" }).max(80, { error: "Name must be at most 80 characters" });

export const integrationsRouter = router({
  /** Every provider that can be connected, with the user's connections (never their secrets). */
  providers: protectedProcedure.query(({ ctx }) => listProviders(ctx.db, ctx.user.id)),

  connectWithToken: protectedProcedure
    .input(z.object({ provider: z.string().min(1).max(40), label: label.optional(), fields: z.record(z.string(), z.unknown()) }).strict())
    .mutation(({ ctx, input }) => connectWithToken(ctx.db, ctx.keys, ctx.providers, ctx.user.id, input)),

  test: protectedProcedure.input(connectionId).mutation(({ ctx, input }) => testConnection(ctx.db, ctx.keys, ctx.providers, ctx.user.id, input.id)),

  rename: protectedProcedure
    .input(z.object({ id: z.string().min(1).max(64), label }).strict())
    .mutation(({ ctx, input }) => renameConnection(ctx.db, ctx.user.id, input.id, input.label)),

  disconnect: protectedProcedure.input(connectionId).mutation(({ ctx, input }) => disconnect(ctx.db, ctx.user.id, input.id)),
});

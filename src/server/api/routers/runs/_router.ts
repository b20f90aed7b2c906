import { z } from "zod";
import { protectedProcedure, router } from "@/server/api/trpc";
import { cancelRun, getRun, listRuns, replayRun } from "@/server/services/runs";

const runId = z.object({ id: z.string().min(1).max(64) }).strict();

export const runsRouter = router({
  list: protectedProcedure
    .input(
      z
        .object({
          workflowId: z.string().min(1).max(64),
          status: z.enum(["queued", "running", "waiting", "succeeded", "failed", "cancelled"]).optional(),
          cursor: z.string().nullish(),
          limit: z.number().int().min(1).max(100).default(25),
          direction: z.enum(["forward", "backward"]).optional(),
        })
        .strict(),
    )
    .query(({ ctx, input }) => listRuns(ctx.db, ctx.user.id, input)),

  get: protectedProcedure.input(runId).query(({ ctx, input }) => getRun(ctx.db, ctx.user.id, input.id)),

  replay: protectedProcedure.input(runId).mutation(({ ctx, input }) => replayRun(ctx.db, ctx.queue, ctx.user.id, input.id)),

  cancel: protectedProcedure.input(runId).mutation(({ ctx, input }) => cancelRun(ctx.db, ctx.queue, ctx.user.id, input.id)),
});

import { protectedProcedure, router } from "@/server/api/trpc";
import { getProfile, updateProfile } from "@/server/services/profile";
import { updateProfileInput } from "./update.schema";

export const profileRouter = router({
  get: protectedProcedure.query(({ ctx }) => getProfile(ctx.db, ctx.user.id)),
  update: protectedProcedure
    .input(updateProfileInput)
    .mutation(({ ctx, input }) => updateProfile(ctx.db, ctx.user.id, input)),
});

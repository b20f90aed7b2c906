// The app's API: one router per domain.
import { authRouter } from "@/server/api/routers/auth/_router";
import { profileRouter } from "@/server/api/routers/profile/_router";
import { createCallerFactory, router } from "@/server/api/trpc";

export const appRouter = router({
  auth: authRouter,
  profile: profileRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);

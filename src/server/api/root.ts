// The app's API: one router per domain.
import { authRouter } from "@/server/api/routers/auth/_router";
import { billingRouter } from "@/server/api/routers/billing/_router";
import { integrationsRouter } from "@/server/api/routers/integrations/_router";
import { profileRouter } from "@/server/api/routers/profile/_router";
import { runsRouter } from "@/server/api/routers/runs/_router";
import { workflowsRouter } from "@/server/api/routers/workflows/_router";
import { createCallerFactory, router } from "@/server/api/trpc";

export const appRouter = router({
  auth: authRouter,
  profile: profileRouter,
  integrations: integrationsRouter,
  workflows: workflowsRouter,
  runs: runsRouter,
  billing: billingRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);

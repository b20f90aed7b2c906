// Plan-aware procedure builders: handlers get the caller's entitlements in the context, and a
// feature gate refuses, with the plan that lifts it, before the handler runs.
import { protectedProcedure } from "@/server/api/trpc";
import { entitlements } from "@/server/billing/entitlements";
import { PLANS, planThatLifts } from "@/server/billing/plans";
import { AppError } from "@/lib/errors";

/** protectedProcedure plus `ctx.entitlements` (plan, limits, period) for the signed-in user. */
export const entitledProcedure = protectedProcedure.use(async ({ ctx, next }) =>
  next({ ctx: { ...ctx, entitlements: await entitlements(ctx.db, ctx.user.id) } }),
);

const FEATURE_NAMES = { pipedrive: "Pipedrive" } as const;

/** Only for plans that include `feature`; others get FORBIDDEN naming the plan to upgrade to. */
export function planGatedProcedure(feature: keyof typeof FEATURE_NAMES) {
  return entitledProcedure.use(({ ctx, next }) => {
    if (!ctx.entitlements.limits[feature]) {
      const lifting = planThatLifts(ctx.entitlements.plan, feature);
      throw new AppError(
        "FORBIDDEN",
        `${FEATURE_NAMES[feature]} is not included in the ${PLANS[ctx.entitlements.plan].name} plan.` +
          (lifting ? ` Upgrade to ${lifting.name} to use it.` : ""),
      );
    }
    return next();
  });
}

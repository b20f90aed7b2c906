// Cue's own billing: wires inputs to src/server/services/billing (Stripe calls and the mirror).
import { env } from "@/env";
import { protectedProcedure, router } from "@/server/api/trpc";
import { entitledProcedure } from "@/server/billing/procedures";
import { getBilling } from "@/server/billing/runtime";
import { usage } from "@/server/billing/entitlements";
import {
  cancelSubscription,
  changePlan,
  createCheckoutSession,
  createPortalSession,
  getSubscription,
  listPlans,
  resumeSubscription,
} from "@/server/services/billing";
import { planChoiceInput } from "./schemas";

/** Where Stripe sends the user back: AUTH_URL when set, else the request's own origin. */
function appOrigin(headers: Headers): string {
  if (env.AUTH_URL) return new URL(env.AUTH_URL).origin;
  const proto = headers.get("x-forwarded-proto") ?? "http";
  const host = headers.get("x-forwarded-host") ?? headers.get("host") ?? "localhost:3000";
  return `${proto}://${host}`;
}

export const billingRouter = router({
  /** Free, Pro and Business with limits and (when billing is configured) their Stripe prices. */
  plans: protectedProcedure.query(() => listPlans(getBilling())),

  /** Plan, status, renewal or end date, pending cancellation and payment problems. */
  subscription: protectedProcedure.query(({ ctx }) => getSubscription(ctx.db, getBilling(), ctx.user.id)),

  /** Active workflows and runs this period against the plan's limits. */
  usage: entitledProcedure.query(async ({ ctx }) => ({
    plan: ctx.entitlements.plan,
    metered: ctx.entitlements.metered,
    ...(await usage(ctx.db, ctx.user.id, ctx.entitlements)),
  })),

  createCheckoutSession: protectedProcedure
    .input(planChoiceInput)
    .mutation(({ ctx, input }) => createCheckoutSession(ctx.db, getBilling(), ctx.user.id, { ...input, origin: appOrigin(ctx.headers) })),

  createPortalSession: protectedProcedure.mutation(({ ctx }) =>
    createPortalSession(ctx.db, getBilling(), ctx.user.id, { origin: appOrigin(ctx.headers) }),
  ),

  cancel: protectedProcedure.mutation(({ ctx }) => cancelSubscription(ctx.db, getBilling(), ctx.user.id)),

  resume: protectedProcedure.mutation(({ ctx }) => resumeSubscription(ctx.db, getBilling(), ctx.user.id)),

  changePlan: protectedProcedure.input(planChoiceInput).mutation(({ ctx, input }) => changePlan(ctx.db, getBilling(), ctx.user.id, input)),
});

// What a user's plan allows, derived from the mirrored Stripe subscriptions, and the checks the
// API (activation), the run queue (monthly quota) and the webhook (downgrades) share.
import type { WorkflowGraph } from "@/engine/types";
import type { Db } from "@/server/db";
import { AppError } from "@/lib/errors";
import {
  formatLimit,
  isPlanKey,
  planRank,
  PLANS,
  planThatLifts,
  UNMETERED_LIMITS,
  type PlanKey,
  type PlanLimits,
} from "@/server/billing/plans";
import { getBilling } from "@/server/billing/runtime";

/** Stripe statuses under which a subscription's plan applies (past_due: Stripe is still retrying). */
export const ENTITLING_STATUSES = ["active", "trialing", "past_due"] as const;

/** The error code of a run refused because the owner's monthly quota was used up. */
export const QUOTA_EXCEEDED = "quota_exceeded";

export interface Entitlements {
  /** False when billing is not configured: nothing is metered (see UNMETERED_LIMITS). */
  metered: boolean;
  plan: PlanKey;
  limits: PlanLimits;
  /** The period runs are counted in: the subscription's billing period, else the calendar month (UTC). */
  period: { start: Date; end: Date };
}

function calendarMonth(now: Date) {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { start, end };
}

export async function entitlements(db: Db, userId: string, now = new Date()): Promise<Entitlements> {
  if (!getBilling()) return { metered: false, plan: "free", limits: UNMETERED_LIMITS, period: calendarMonth(now) };
  const subscriptions = await db.billingSubscription.findMany({
    where: { userId, status: { in: [...ENTITLING_STATUSES] } },
    select: { plan: true, currentPeriodStart: true, currentPeriodEnd: true },
  });
  // Normally one; while a customer switches subscriptions two can overlap, and the better plan wins.
  const best = subscriptions
    .filter((s) => isPlanKey(s.plan))
    .sort((a, b) => planRank(b.plan as PlanKey) - planRank(a.plan as PlanKey))[0];
  const plan = (best?.plan as PlanKey | undefined) ?? "free";
  const inPeriod = best?.currentPeriodStart && best.currentPeriodEnd && best.currentPeriodStart <= now && now < best.currentPeriodEnd;
  const period = inPeriod ? { start: best.currentPeriodStart!, end: best.currentPeriodEnd! } : calendarMonth(now);
  return { metered: true, plan, limits: PLANS[plan].limits, period };
}

/** Non-test runs the user started in the period, not counting the ones the quota refused. */
export async function runsInPeriod(db: Db, userId: string, since: Date): Promise<number> {
  const where = { userId, test: false, createdAt: { gte: since } };
  // Two counts rather than NOT(error.code = …): that JSON filter is NULL, not true, for runs with no error.
  const [all, refused] = await Promise.all([
    db.workflowRun.count({ where }),
    db.workflowRun.count({ where: { ...where, error: { path: ["code"], equals: QUOTA_EXCEEDED } } }),
  ]);
  return all - refused;
}

export async function usage(db: Db, userId: string, ent: Entitlements) {
  const [activeWorkflows, runs] = await Promise.all([
    db.workflow.count({ where: { userId, status: "active" } }),
    runsInPeriod(db, userId, ent.period.start),
  ]);
  return {
    activeWorkflows: { used: activeWorkflows, limit: ent.limits.activeWorkflows },
    runs: { used: runs, limit: ent.limits.runsPerMonth, periodStart: ent.period.start, periodEnd: ent.period.end },
  };
}

export const usesPipedrive = (graph: WorkflowGraph) => graph.nodes.some((node) => node.type.startsWith("pipedrive."));

function upgradeHint(plan: PlanKey, limit: "activeWorkflows" | "runsPerMonth", needed: number): string {
  const lifting = planThatLifts(plan, limit, needed);
  if (!lifting) return "";
  const what = limit === "activeWorkflows" ? "active workflows" : "runs a month";
  return ` Upgrade to ${lifting.name} for ${formatLimit(lifting.limits[limit])} ${what}`;
}

/**
 * Refuses activation the plan does not allow: a Pipedrive node without Pipedrive, or one more
 * active workflow than the plan's limit. Re-activating an active workflow (a new version) is
 * always allowed: it does not add to the count.
 */
export async function assertCanActivate(db: Db, userId: string, workflow: { id: string; status: string; graph: WorkflowGraph }) {
  const ent = await entitlements(db, userId);
  const plan = PLANS[ent.plan];
  if (usesPipedrive(workflow.graph) && !ent.limits.pipedrive) {
    const lifting = planThatLifts(ent.plan, "pipedrive");
    throw new AppError(
      "FORBIDDEN",
      `Pipedrive is not included in the ${plan.name} plan.${lifting ? ` Upgrade to ${lifting.name} to use Pipedrive in workflows.` : ""}`,
    );
  }
  const limit = ent.limits.activeWorkflows;
  if (limit === null || workflow.status === "active") return;
  const active = await db.workflow.count({ where: { userId, status: "active", id: { not: workflow.id } } });
  if (active >= limit) {
    throw new AppError(
      "FORBIDDEN",
      `Your ${plan.name} plan allows ${formatLimit(limit)} active workflows and ${active} are active.` +
        `${upgradeHint(ent.plan, "activeWorkflows", limit)}, or pause another workflow first.`,
    );
  }
}

export interface QuotaDecision {
  refused: boolean;
  message?: string;
}

/**
 * Decides, per requested run, whether its owner's monthly quota has room. Test runs from the
 * editor are exempt and uncounted: they are how a workflow gets built, and the user starts each
 * one by hand. Between this count and the insert a concurrent batch can slip past the limit by at
 * most its own size; the quota is a billing limit, not a safety one.
 */
export async function decideRunQuota(db: Db, runs: readonly { userId: string; test?: boolean }[], now = new Date()): Promise<QuotaDecision[]> {
  if (!getBilling()) return runs.map(() => ({ refused: false }));
  const remaining = new Map<string, { left: number; message: string }>();
  for (const userId of new Set(runs.filter((r) => !r.test).map((r) => r.userId))) {
    const ent = await entitlements(db, userId, now);
    const limit = ent.limits.runsPerMonth;
    if (limit === null) continue;
    const used = await runsInPeriod(db, userId, ent.period.start);
    const resets = ent.period.end.toISOString().slice(0, 10);
    const message =
      `Monthly run quota reached: the ${PLANS[ent.plan].name} plan includes ${formatLimit(limit)} runs a month ` +
      `(the count resets on ${resets}).${upgradeHint(ent.plan, "runsPerMonth", limit)}.`;
    remaining.set(userId, { left: limit - used, message });
  }
  return runs.map((run) => {
    const quota = run.test ? undefined : remaining.get(run.userId);
    if (!quota) return { refused: false };
    if (quota.left <= 0) return { refused: true, message: quota.message };
    quota.left--;
    return { refused: false };
  });
}

/**
 * Pauses active workflows the current plan no longer allows (after a downgrade or when a
 * subscription ends), never deleting them: Pipedrive workflows without Pipedrive, then the least
 * recently used ones beyond the active-workflow limit. Returns the ids it paused.
 */
export async function enforcePlanLimits(db: Db, userId: string): Promise<string[]> {
  const ent = await entitlements(db, userId);
  const plan = PLANS[ent.plan];
  const active = await db.workflow.findMany({
    where: { userId, status: "active" },
    select: { id: true, activeVersionId: true },
    orderBy: [{ lastRunAt: { sort: "desc", nulls: "last" } }, { updatedAt: "desc" }, { id: "asc" }],
  });
  const pauses = new Map<string, string>();
  if (!ent.limits.pipedrive && active.length > 0) {
    const versions = await db.workflowVersion.findMany({
      where: { id: { in: active.flatMap((w) => (w.activeVersionId ? [w.activeVersionId] : [])) } },
      select: { id: true, graph: true },
    });
    const lifting = planThatLifts(ent.plan, "pipedrive");
    for (const version of versions) {
      if (!usesPipedrive(version.graph as unknown as WorkflowGraph)) continue;
      const workflow = active.find((w) => w.activeVersionId === version.id)!;
      pauses.set(
        workflow.id,
        `Paused because the ${plan.name} plan does not include Pipedrive.${lifting ? ` Upgrade to ${lifting.name} to turn it back on.` : ""}`,
      );
    }
  }
  const limit = ent.limits.activeWorkflows;
  const remaining = active.filter((w) => !pauses.has(w.id));
  if (limit !== null && remaining.length > limit) {
    for (const workflow of remaining.slice(limit)) {
      pauses.set(
        workflow.id,
        `Paused because the ${plan.name} plan allows ${formatLimit(limit)} active workflows.` +
          `${upgradeHint(ent.plan, "activeWorkflows", limit)}, or pause another workflow and activate this one again.`,
      );
    }
  }
  // One update per distinct reason; the status guard leaves alone anything paused meanwhile.
  const byReason = new Map<string, string[]>();
  for (const [id, reason] of pauses) byReason.set(reason, [...(byReason.get(reason) ?? []), id]);
  for (const [reason, ids] of byReason) {
    await db.workflow.updateMany({
      where: { id: { in: ids }, userId, status: "active" },
      data: { status: "paused", pausedReason: reason, nextFireAt: null },
    });
  }
  return [...pauses.keys()];
}

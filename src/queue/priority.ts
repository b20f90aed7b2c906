// Fair ordering of runs, shared by both queue backends. Lower numbers run first (BullMQ's
// convention). A user's k-th outstanding run gets roughly priority k, so one user's flood of runs
// interleaves with everyone else's instead of starving them; a plan's queuePriority stretches the
// scale (Business, 10, advances at twice the rate of Free/Pro, 0), so paying users wait less when
// the queue is contended without ever starving anyone.
import { entitlements } from "@/server/billing/entitlements";
import type { Db } from "@/server/db";

/** BullMQ's largest priority (2^21). */
export const MAX_PRIORITY = 2_097_152;

/** `outstanding`: runs of this user already queued or running, not counting this one. */
export function runPriority(outstanding: number, planQueuePriority: number): number {
  const weight = 10 / (10 + Math.max(0, planQueuePriority));
  return Math.min(MAX_PRIORITY, 1 + Math.floor(Math.max(0, outstanding) * weight));
}

export type PlanPriorityLookup = (userId: string) => Promise<number>;

/** The plan's queuePriority per user, cached for a minute (a plan change shows up within it). */
export function planPriorityLookup(db: Db, ttlMs = 60_000): PlanPriorityLookup {
  const cache = new Map<string, { value: number; until: number }>();
  return async (userId) => {
    const now = Date.now();
    const hit = cache.get(userId);
    if (hit && hit.until > now) return hit.value;
    const value = (await entitlements(db, userId)).limits.queuePriority;
    if (cache.size > 10_000) cache.clear();
    cache.set(userId, { value, until: now + ttlMs });
    return value;
  };
}

"use client";
// The billing page: current plan and status, usage against limits, plan cards, and the actions
// that go through Stripe. Webhooks update the subscription server-side, so while a change is in
// flight (a return from Checkout, a cancel or resume) the page polls until it shows up.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useEffect, useState } from "react";
import { messageFrom } from "@/lib/trpc-errors";
import type { AppRouter } from "@/server/api/root";
import { useTRPC } from "@/trpc/react";

type Outputs = inferRouterOutputs<AppRouter>["billing"];
type Plan = Outputs["plans"][number];
type Interval = "month" | "year";
type PaidPlan = "pro" | "business";

const POLL_MS = 1_000;
const POLL_AFTER_CHECKOUT_MS = 30_000;
const POLL_AFTER_CHANGE_MS = 8_000;

const STATUS_LABEL: Record<string, string> = {
  active: "Active",
  trialing: "Trial",
  past_due: "Payment overdue",
  unpaid: "Unpaid",
  incomplete: "Awaiting payment",
  paused: "Paused",
};

const formatDate = (date: Date | string | null | undefined) =>
  date ? new Date(date).toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric" }) : "—";

function formatPrice(price: { amount: number | null; currency: string | null } | undefined, interval: Interval) {
  if (!price || price.amount === null || !price.currency) return "See price at checkout";
  const amount = new Intl.NumberFormat("en-US", { style: "currency", currency: price.currency.toUpperCase() }).format(price.amount / 100);
  return `${amount} / ${interval === "year" ? "year" : "month"}`;
}

const limitText = (value: number | null) => (value === null ? "Unlimited" : value.toLocaleString("en-US"));

export function BillingView({ checkoutReturn }: { checkoutReturn: "success" | "cancelled" | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [pollUntil, setPollUntil] = useState(() => (checkoutReturn === "success" ? Date.now() + POLL_AFTER_CHECKOUT_MS : 0));
  const [interval, setBillingInterval] = useState<Interval>("month");
  const [notice, setNotice] = useState<{ kind: "success" | "error"; text: string } | null>(
    checkoutReturn === "cancelled" ? { kind: "success", text: "Checkout was cancelled. Nothing was charged and your plan is unchanged." } : null,
  );

  const subscription = useQuery({
    ...trpc.billing.subscription.queryOptions(),
    refetchInterval: () => (Date.now() < pollUntil ? POLL_MS : false),
  });
  const usage = useQuery(trpc.billing.usage.queryOptions());
  const plans = useQuery(trpc.billing.plans.queryOptions());

  const current = subscription.data;
  // Back from Checkout: stop polling once the webhook has turned the account into a paid one.
  const upgraded = checkoutReturn === "success" && current && current.plan !== "free";
  useEffect(() => {
    if (upgraded) setPollUntil(0);
  }, [upgraded]);
  // Limits follow the plan: refresh usage whenever the plan or subscription changes.
  const planKey = `${current?.plan}:${current?.subscription?.status}:${current?.subscription?.cancelAtPeriodEnd}`;
  useEffect(() => {
    void queryClient.invalidateQueries({ queryKey: trpc.billing.usage.queryKey() });
  }, [planKey, queryClient, trpc]);

  const afterChange = (text: string) => ({
    onSuccess: async () => {
      setNotice({ kind: "success" as const, text });
      setPollUntil(Date.now() + POLL_AFTER_CHANGE_MS);
      await queryClient.invalidateQueries({ queryKey: trpc.billing.subscription.queryKey() });
    },
    onError: (error: unknown) => setNotice({ kind: "error" as const, text: messageFrom(error) }),
  });
  const redirect = {
    onSuccess: (result: { url: string }) => window.location.assign(result.url),
    onError: (error: unknown) => setNotice({ kind: "error" as const, text: messageFrom(error) }),
  };
  const checkout = useMutation(trpc.billing.createCheckoutSession.mutationOptions(redirect));
  const portal = useMutation(trpc.billing.createPortalSession.mutationOptions(redirect));
  const cancel = useMutation(trpc.billing.cancel.mutationOptions(afterChange("Your subscription will end at the end of this billing period.")));
  const resume = useMutation(trpc.billing.resume.mutationOptions(afterChange("Your subscription will renew as usual.")));
  const change = useMutation(trpc.billing.changePlan.mutationOptions(afterChange("Your plan has changed. Stripe prorates the difference on your next invoice.")));
  const busy = checkout.isPending || portal.isPending || cancel.isPending || resume.isPending || change.isPending;

  if (subscription.isPending) return <p className="muted">Loading…</p>;
  if (subscription.isError) return <div className="alert alert-error">{messageFrom(subscription.error)}</div>;
  const state = subscription.data;
  const sub = state.subscription;

  function choose(plan: Plan) {
    setNotice(null);
    if (plan.key === "free") {
      if (window.confirm("Cancel your subscription? You keep your plan until the end of this billing period, then move to Free.")) cancel.mutate();
      return;
    }
    const target = { plan: plan.key as PaidPlan, interval };
    if (!sub) checkout.mutate(target);
    else if (window.confirm(`Switch to ${plan.name} (${interval === "year" ? "yearly" : "monthly"})? Stripe prorates the difference.`)) change.mutate(target);
  }

  return (
    <div className="billing">
      {checkoutReturn === "success" ? (
        <div className={`alert ${upgraded ? "alert-success" : "alert-info"}`} role="status" data-testid="checkout-return">
          {upgraded
            ? `Payment received. Welcome to ${state.planName}: your new limits apply now.`
            : "Payment received. Activating your subscription…"}
        </div>
      ) : null}
      {notice ? (
        <div className={`alert alert-${notice.kind}`} role={notice.kind === "error" ? "alert" : "status"}>
          {notice.text}
        </div>
      ) : null}
      {sub?.paymentProblem ? (
        <div className="alert alert-error billing-banner" role="alert" data-testid="past-due-banner">
          <span>
            <strong>Your last payment failed.</strong> Stripe will retry it; update your payment method to keep your {sub.planName} plan.
          </span>
          <button type="button" className="btn btn-secondary btn-small" disabled={busy} onClick={() => portal.mutate()}>
            Update payment method
          </button>
        </div>
      ) : null}
      {!state.billingEnabled ? (
        <div className="alert alert-info" data-testid="billing-not-configured">
          Billing is not configured on this server (no Stripe key), so nothing is metered: every feature is available without a plan.
        </div>
      ) : null}

      <section className="card billing-current" aria-label="Current plan" data-testid="current-plan">
        <div>
          <span className="hint">Current plan</span>
          <h2>
            {state.planName}{" "}
            {sub ? <span className={`status-pill status-sub-${sub.status}`}>{STATUS_LABEL[sub.status] ?? sub.status}</span> : null}
          </h2>
          {sub ? (
            <p className="muted" data-testid="renewal">
              {sub.cancelAtPeriodEnd
                ? `Cancelled: ends on ${formatDate(sub.endsAt)}, then your account moves to Free.`
                : `${sub.interval === "year" ? "Yearly" : "Monthly"} · renews on ${formatDate(sub.renewsAt)}`}
            </p>
          ) : state.lastEnded ? (
            <p className="muted">Your {state.lastEnded.planName} subscription ended on {formatDate(state.lastEnded.endedAt)}.</p>
          ) : state.billingEnabled ? (
            <p className="muted">Upgrade for more active workflows and runs.</p>
          ) : null}
        </div>
        {state.billingEnabled ? (
          <div className="row-actions">
            {sub?.cancelAtPeriodEnd ? (
              <button type="button" className="btn btn-primary" disabled={busy} onClick={() => resume.mutate()}>
                Resume subscription
              </button>
            ) : sub ? (
              <button
                type="button"
                className="btn btn-secondary"
                disabled={busy}
                onClick={() => {
                  if (window.confirm(`Cancel ${sub.planName}? You keep it until ${formatDate(sub.renewsAt)}, then move to Free.`)) cancel.mutate();
                }}
              >
                Cancel subscription
              </button>
            ) : null}
            <button type="button" className="btn btn-secondary" disabled={busy} onClick={() => portal.mutate()}>
              Manage payment method
            </button>
          </div>
        ) : null}
      </section>

      {usage.data ? (
        <section className="card billing-usage" aria-label="Usage">
          <h2>Usage this period</h2>
          <UsageBar label="Active workflows" testId="usage-active-workflows" used={usage.data.activeWorkflows.used} limit={usage.data.activeWorkflows.limit} />
          <UsageBar
            label="Runs"
            testId="usage-runs"
            used={usage.data.runs.used}
            limit={usage.data.runs.limit}
            hint={usage.data.metered ? `Counts runs started since ${formatDate(usage.data.runs.periodStart)}; resets on ${formatDate(usage.data.runs.periodEnd)}. Test runs from the editor are free.` : undefined}
          />
        </section>
      ) : null}

      {state.billingEnabled && plans.data ? (
        <section aria-label="Plans">
          <div className="billing-plans-head">
            <h2>Plans</h2>
            <div className="segmented" role="group" aria-label="Billing interval">
              {(["month", "year"] as const).map((value) => (
                <button key={value} type="button" aria-pressed={interval === value} onClick={() => setBillingInterval(value)}>
                  {value === "month" ? "Monthly" : "Yearly"}
                </button>
              ))}
            </div>
          </div>
          <div className="plan-grid">
            {plans.data.map((plan) => (
              <PlanCard key={plan.key} plan={plan} interval={interval} state={state} busy={busy} onChoose={() => choose(plan)} />
            ))}
          </div>
        </section>
      ) : null}
    </div>
  );
}

function UsageBar({ label, used, limit, hint, testId }: { label: string; used: number; limit: number | null; hint?: string; testId: string }) {
  const share = limit ? Math.min(1, used / limit) : 0;
  const level = limit === null ? "" : share >= 1 ? "usage-full" : share >= 0.8 ? "usage-high" : "";
  return (
    <div className="usage" data-testid={testId}>
      <div className="usage-label">
        <span>{label}</span>
        <span>
          {used.toLocaleString("en-US")} of {limitText(limit)}
        </span>
      </div>
      <div
        className={`usage-bar ${level}`}
        role="progressbar"
        aria-label={label}
        aria-valuenow={used}
        aria-valuemin={0}
        {...(limit !== null ? { "aria-valuemax": limit } : {})}
      >
        <span style={{ width: `${limit === null ? 0 : share * 100}%` }} />
      </div>
      {limit !== null && used >= limit ? <span className="field-error">Limit reached: upgrade for more.</span> : null}
      {hint ? <span className="hint">{hint}</span> : null}
    </div>
  );
}

function PlanCard({
  plan,
  interval,
  state,
  busy,
  onChoose,
}: {
  plan: Plan;
  interval: Interval;
  state: Outputs["subscription"];
  busy: boolean;
  onChoose: () => void;
}) {
  const sub = state.subscription;
  const rank = ["free", "pro", "business"];
  const isCurrent = plan.key === state.plan && (plan.key === "free" || sub?.interval === interval);
  const samePlanOtherInterval = plan.key === state.plan && plan.key !== "free" && !isCurrent;
  let action: string;
  if (isCurrent) action = "Current plan";
  else if (plan.key === "free") action = sub?.cancelAtPeriodEnd ? "Moving to Free" : "Downgrade to Free";
  else if (samePlanOtherInterval) action = `Switch to ${interval === "year" ? "yearly" : "monthly"}`;
  else action = rank.indexOf(plan.key) > rank.indexOf(state.plan) ? `Upgrade to ${plan.name}` : `Downgrade to ${plan.name}`;
  const disabled = busy || isCurrent || (plan.key === "free" && (!sub || sub.cancelAtPeriodEnd));
  const price = plan.prices?.[interval];
  return (
    <section className={`card plan-card${isCurrent ? " plan-current" : ""}`} aria-label={`${plan.name} plan`} data-testid={`plan-${plan.key}`}>
      <h3>{plan.name}</h3>
      <p className="muted">{plan.tagline}</p>
      <p className="plan-price">{plan.key === "free" ? "Free" : formatPrice(price, interval)}</p>
      <ul className="plan-features">
        <li>{limitText(plan.limits.activeWorkflows)} active workflows</li>
        <li>{limitText(plan.limits.runsPerMonth)} runs a month</li>
        <li>{plan.limits.pipedrive ? (plan.key === "business" ? "Pipedrive sync" : "Pipedrive") : "No Pipedrive"}</li>
        {plan.limits.queuePriority > 0 ? <li>Priority in the run queue</li> : null}
      </ul>
      <button type="button" className={`btn ${isCurrent ? "btn-secondary" : "btn-primary"} btn-block`} disabled={disabled} onClick={onChoose}>
        {action}
      </button>
    </section>
  );
}

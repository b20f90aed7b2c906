// The offline planner on the behaviours the product promises: ordered actions, conditions with both
// branches, waits, schedules, values carried into config, sensible defaults, and refusals.
import { describe, expect, it } from "vitest";
import { coreNodes } from "@/engine/core-nodes";
import type { WorkflowGraph } from "@/engine/types";
import { validateGraph } from "@/engine/validate";
import { createIntegrationRegistry } from "@/integrations/registry";
import { AppError } from "@/lib/errors";
import { evalSet } from "./eval";
import { outlineGraph } from "./graph-outline";
import { planWorkflow } from "./planner";

const registry = createIntegrationRegistry({ extraNodes: coreNodes });
const triggerTypes = new Set(registry.catalog.list().filter((node) => node.kind === "trigger").map((node) => node.type));
const plan = (description: string) => planWorkflow(description, registry);
const outline = (graph: WorkflowGraph) => outlineGraph(graph, triggerTypes);
const node = (graph: WorkflowGraph, type: string) => graph.nodes.find((candidate) => candidate.type === type);

function refusal(description: string): AppError {
  try {
    plan(description);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error(`"${description}" was not refused`);
}

describe("planWorkflow", () => {
  it("builds the headline example with sensible, valid defaults", () => {
    const { graph, explanation } = plan("when a payment fails, create a Jira ticket and text the customer");
    expect(outline(graph)).toEqual({ trigger: "stripe.charge.failed", steps: ["jira.issue.create", "twilio.sms.send"] });
    expect(node(graph, "jira.issue.create")?.config).toEqual({ project: "OPS", summary: "Charge failed: {{trigger.data.object.customer}}" });
    expect(node(graph, "twilio.sms.send")?.config.to).toBe("{{trigger.data.object.billing_details.phone}}");
    expect(validateGraph(graph, registry.catalog)).toEqual({ ok: true, issues: [] });
    // The placeholders are called out for review.
    expect(explanation).toContain("OPS");
    expect(explanation).toMatch(/Review before activating/);
  });

  it("keeps the order the description gives, whichever way round it is written", () => {
    expect(outline(plan("When a charge fails, text the customer, then open a ticket in Jira").graph).steps).toEqual(["twilio.sms.send", "jira.issue.create"]);
    expect(outline(plan("Open a Jira ticket whenever a Stripe payment fails").graph)).toEqual({ trigger: "stripe.charge.failed", steps: ["jira.issue.create"] });
  });

  it("turns 'if … otherwise …' into a condition with both branches, in Stripe's minor units", () => {
    const { graph } = plan("When a payment fails, if the amount is over $500 create a Jira ticket, otherwise post to #billing on Slack");
    const condition = node(graph, "core.condition");
    expect(condition?.config).toEqual({ mode: "all", rules: [{ left: "{{trigger.data.object.amount}}", operator: "gt", right: 50000 }] });
    const branch = (handle: string) => graph.edges.find((edge) => edge.source === condition?.id && edge.sourceHandle === handle)?.target;
    expect(graph.nodes.find((n) => n.id === branch("true"))?.type).toBe("jira.issue.create");
    expect(graph.nodes.find((n) => n.id === branch("false"))?.type).toBe("slack.message.post");
    expect(validateGraph(graph, registry.catalog).ok).toBe(true);
  });

  it("puts 'where status is urgent' on the trigger's payload", () => {
    const { graph } = plan("When a webhook is received where status is urgent, post to #ops");
    expect(node(graph, "core.condition")?.config).toEqual({ mode: "all", rules: [{ left: "{{trigger.body.status}}", operator: "equals", right: "urgent" }] });
  });

  it("does not read the trigger's own words as a condition", () => {
    expect(outline(plan("If the payment is declined, text the customer").graph)).toEqual({ trigger: "stripe.charge.failed", steps: ["twilio.sms.send"] });
  });

  it("inserts a delay before the later action", () => {
    const { graph } = plan("When someone subscribes, email them, wait 3 days and then create a follow-up activity");
    expect(outline(graph).steps).toEqual(["sendgrid.email.send", { delay: [3, "days"] }, "pipedrive.activity.create"]);
  });

  it.each([
    ["every Monday at 9am", "0 9 * * 1"],
    ["every weekday at 17:30", "30 17 * * 1-5"],
    ["each day at 8:00", "0 8 * * *"],
    ["every hour", "0 * * * *"],
    ["on the first day of every month at midnight", "0 0 1 * *"],
  ])("schedules %s as %s", (when, cron) => {
    const { graph } = plan(`${when}, post a reminder to #team`);
    expect(graph.nodes[0]).toMatchObject({ type: "schedule.cron", config: { cron, timezone: "UTC" } });
  });

  it("carries event names, channels, phone numbers, emails and URLs into config", () => {
    const { graph } = plan(
      "On charge.failed post to #sales, text +1 (415) 555-0100, email billing@acme.com and call https://hooks.acme.io/fail",
    );
    expect(graph.nodes[0]?.type).toBe("stripe.charge.failed");
    expect(node(graph, "slack.message.post")?.config.channel).toBe("#sales");
    expect(node(graph, "twilio.sms.send")?.config.to).toBe("+14155550100");
    expect(node(graph, "sendgrid.email.send")?.config.to).toBe("billing@acme.com");
    expect(node(graph, "http.request")?.config).toMatchObject({ url: "https://hooks.acme.io/fail", method: "POST", body: "{{trigger}}" });
  });

  it("lays nodes out top-down, branches side by side", () => {
    const { graph } = plan("When a payment fails, if the amount is over $500 create a Jira ticket, otherwise email the customer");
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    for (const edge of graph.edges) expect(byId.get(edge.target)!.position.y).toBeGreaterThan(byId.get(edge.source)!.position.y);
    const [yes, no] = ["true", "false"].map((handle) => byId.get(graph.edges.find((edge) => edge.sourceHandle === handle)!.target)!);
    expect(yes!.position.x).toBeLessThan(no!.position.x);
  });

  it("reports what it could not map", () => {
    const result = plan("When a deal is won, post to #wins and update the commission spreadsheet");
    expect(outline(result.graph).steps).toEqual(["slack.message.post"]);
    expect(result.unmapped).toEqual(["update the commission spreadsheet"]);
  });

  it("refuses nonsense and empty input with what Cue understands", () => {
    for (const description of ["", "   ", "asdf qwerty", "make me a sandwich"]) {
      const error = refusal(description);
      expect(error.code).toBe("BAD_REQUEST");
      expect(error.message).toContain("Stripe: Charge failed");
      expect(error.message).toContain("Jira: Create a Jira issue");
    }
    expect(refusal("when a payment fails").message).toMatch(/understood the trigger \(Charge failed\) but not what should happen next/);
  });

  it("starts with a manual run when no trigger is named", () => {
    const result = plan("send an SMS to +14155550100");
    expect(outline(result.graph)).toEqual({ trigger: "manual.run", steps: ["twilio.sms.send"] });
    expect(result.explanation).toMatch(/No trigger was named/);
  });

  it("returns a valid graph for every description in the evaluation set, fast and deterministically", () => {
    plan("when a payment fails, post to #warm-up");
    for (const testCase of evalSet.filter((c) => c.expected)) {
      // Best of three, so a busy machine running other test files does not decide the result.
      const timings = [0, 1, 2].map(() => {
        const started = performance.now();
        plan(testCase.description);
        return performance.now() - started;
      });
      expect(Math.min(...timings), testCase.description).toBeLessThan(50);
      const first = plan(testCase.description);
      expect(validateGraph(first.graph, registry.catalog).issues, testCase.description).toEqual([]);
      expect(plan(testCase.description)).toEqual(first);
    }
  });
});

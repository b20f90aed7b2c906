// The clause-structure planner on what issue #18 asks of it: later actions naming Pipedrive, GitHub
// or Jira stay actions, in order; the trigger clause may come last; events are read by meaning and
// the most specific one wins; other languages are read and named; every plan reports what it
// could not map.
import { describe, expect, it } from "vitest";
import { coreNodes } from "@/engine/core-nodes";
import type { WorkflowGraph } from "@/engine/types";
import { createIntegrationRegistry } from "@/integrations/registry";
import { AppError } from "@/lib/errors";
import { outlineGraph } from "./graph-outline";
import { planWorkflow } from "./planner";
import { readDescription } from "./reading";

const registry = createIntegrationRegistry({ extraNodes: coreNodes });
const triggerTypes = new Set(registry.catalog.list().filter((node) => node.kind === "trigger").map((node) => node.type));
const plan = (description: string) => planWorkflow(description, registry);
const outline = (graph: WorkflowGraph) => outlineGraph(graph, triggerTypes);

function refusal(description: string): string {
  try {
    plan(description);
  } catch (error) {
    if (error instanceof AppError && error.code === "BAD_REQUEST") return error.message;
    throw error;
  }
  throw new Error(`"${description}" was not refused`);
}

describe("clause structure", () => {
  it.each([
    [
      "When a deal is won, post to #wins, add the person in Pipedrive, open an issue in GitHub and create a Jira ticket",
      "pipedrive.deal.won",
      ["slack.message.post", "pipedrive.person.create", "github.issue.create", "jira.issue.create"],
    ],
    ["When a payment fails, text the customer and create a person in Pipedrive", "stripe.charge.failed", ["twilio.sms.send", "pipedrive.person.create"]],
    ["When a charge succeeds, add a contact in Pipedrive, then open a GitHub issue in acme/ops", "stripe.charge.succeeded", ["pipedrive.person.create", "github.issue.create"]],
    ["When an invoice is paid, create a Jira task and add a person to Pipedrive", "stripe.invoice.paid", ["jira.issue.create", "pipedrive.person.create"]],
  ])("keeps later actions naming a provider as actions, in order: %s", (description, trigger, steps) => {
    expect(outline(plan(description).graph)).toEqual({ trigger, steps });
  });

  it("reads the trigger clause wherever it sits, including last", () => {
    expect(outline(plan("Post to #sales and add the buyer to Pipedrive whenever a deal is won").graph)).toEqual({
      trigger: "pipedrive.deal.won",
      steps: ["slack.message.post", "pipedrive.person.create"],
    });
    expect(outline(plan("new github issue → create a Jira ticket → text +14155550100").graph)).toEqual({
      trigger: "github.issue.opened",
      steps: ["jira.issue.create", "twilio.sms.send"],
    });
  });

  it("reads a command in the trigger clause's tail as an action, not as the event", () => {
    expect(outline(plan("when a card is declined text the customer and open a ticket in jira").graph)).toEqual({
      trigger: "stripe.charge.failed",
      steps: ["twilio.sms.send", "jira.issue.create"],
    });
  });
});

describe("events by meaning", () => {
  it.each([
    ["When a payment intent succeeded, post to #ops", "stripe.payment_intent.succeeded"],
    ["When a payment succeeds, post to #ops", "stripe.charge.succeeded"],
    ["When an invoice payment fails, post to #ops", "stripe.invoice.payment_failed"],
    ["When a subscription payment fails, post to #ops", "stripe.invoice.payment_failed"],
    ["When an invoice fails to be paid, post to #ops", "stripe.invoice.payment_failed"],
    ["When a checkout session completes, post to #ops", "stripe.checkout.session.completed"],
    ["When a subscription is created, post to #ops", "stripe.customer.subscription.created"],
    ["When a subscription is updated, post to #ops", "stripe.customer.subscription.updated"],
    ["When a subscription is deleted, post to #ops", "stripe.customer.subscription.deleted"],
    ["On invoice.payment_failed post to #ops", "stripe.invoice.payment_failed"],
  ])("%s → %s", (description, trigger) => {
    expect(plan(description).graph.nodes[0]?.type).toBe(trigger);
  });

  it.each(["When a deal is lost, post to #sales", "When a charge is refunded, post to #ops", "When a Jira issue is created, post to #ops"])(
    "refuses an event Cue has no trigger for rather than the nearest one: %s",
    (description) => {
      expect(refusal(description)).toMatch(/^Cue has no trigger for “When a/);
    },
  );
});

describe("languages", () => {
  it.each([
    ["Quand un paiement échoue, créer un ticket Jira puis envoyer un SMS au client", "French"],
    ["Cuando se gana un trato, publicar en #ventas y crear una tarea en Pipedrive", "Spanish"],
    ["Wenn eine Rechnung bezahlt wird, eine E-Mail an buchhaltung@acme.de senden", "German"],
    ["When a payment fails, create a Jira ticket", "English"],
  ])("says which language it read: %s", (description, language) => {
    const result = plan(description);
    expect(result.language.name).toBe(language);
    expect(result.explanation).toContain(`Read as ${language}.`);
  });

  it("reads the words in English but quotes the description as written", () => {
    const reading = readDescription("Lorsqu'une facture n'est pas payée, prévenir #compta");
    expect(reading.language.code).toBe("fr");
    expect(reading.text).toMatch(/^when a invoice not is\s+paid, notify\s+$/);
    expect(reading.written(0, 4)).toBe("Lorsqu");
    expect(reading.entities).toEqual([{ kind: "channel", value: "#compta", start: reading.text.length - 7, end: reading.text.length }]);
  });
});

describe("coverage", () => {
  it("reports the clauses and the words it could not map, in the user's language", () => {
    const result = plan("Quand une affaire est gagnée, publier dans #ventes et arroser les plantes");
    expect(outline(result.graph).steps).toEqual(["slack.message.post"]);
    expect(result.unmapped).toEqual(["arroser les plantes"]);
    expect(result.coverage.unmappedWords).toEqual(["arroser", "plantes"]);
    expect(result.explanation).toContain("Words Cue did not map: arroser, plantes.");
  });

  it("says so when every word was mapped", () => {
    const result = plan("When a payment fails, create a Jira ticket and text the customer");
    expect(result.coverage.unmappedWords).toEqual([]);
    expect(result.explanation).toContain("Every word was mapped.");
  });

  it("names the words a step ignored, such as what a message should say", () => {
    expect(plan("every day at 6pm post the daily summary to #ops").coverage.unmappedWords).toEqual(["daily", "summary"]);
  });
});

import { z } from "zod";
import { describe, expect, it } from "vitest";
import type { NodeDefinition } from "@/engine/types";
import { createIntegrationRegistry, integrations, triggerEventNames, triggersForEvent } from "./registry";
import { rejectionOf, stepContext } from "./testing/fake-server";

// Copied from shared/DESIGN.md: keys may be added, never renamed or removed.
const CANONICAL_TRIGGERS = [
  "stripe.charge.succeeded",
  "stripe.charge.failed",
  "stripe.payment_intent.succeeded",
  "stripe.payment_intent.payment_failed",
  "stripe.customer.subscription.created",
  "stripe.customer.subscription.updated",
  "stripe.customer.subscription.deleted",
  "stripe.invoice.paid",
  "stripe.invoice.payment_failed",
  "stripe.checkout.session.completed",
  "pipedrive.person.created",
  "pipedrive.deal.won",
  "github.issue.opened",
  "webhook.received",
  "schedule.cron",
  "manual.run",
];
const CANONICAL_ACTIONS = [
  "jira.issue.create",
  "slack.message.post",
  "twilio.sms.send",
  "sendgrid.email.send",
  "http.request",
  "pipedrive.person.create",
  "pipedrive.activity.create",
  "github.issue.create",
];

const registry = createIntegrationRegistry();

describe("registry", () => {
  it.each(CANONICAL_TRIGGERS)("has trigger %s", (type) => {
    expect(registry.catalog.get(type)).toMatchObject({ type, kind: "trigger" });
    expect(registry.trigger(type)).toBeDefined();
  });

  it.each(CANONICAL_ACTIONS)("has action %s with run and preview", (type) => {
    const node = registry.catalog.get(type);
    expect(node).toMatchObject({ type, kind: "action" });
    expect(typeof node?.run).toBe("function");
    expect(typeof node?.preview).toBe("function");
    expect(registry.action(type)).toBeDefined();
  });

  it("lists exactly the canonical integration nodes", () => {
    expect(registry.catalog.list().map((node) => node.type).sort()).toEqual([...CANONICAL_TRIGGERS, ...CANONICAL_ACTIONS].sort());
  });

  it("includes the engine's logic nodes passed as extraNodes, and refuses duplicates", () => {
    const condition: NodeDefinition = {
      type: "core.condition",
      kind: "logic",
      provider: "core",
      title: "Condition",
      description: "Branches on a comparison",
      configSchema: z.object({}),
      outputSchema: z.object({ result: z.boolean() }),
      sample: { result: true },
    };
    expect(createIntegrationRegistry({ extraNodes: [condition] }).catalog.get("core.condition")).toBe(condition);
    expect(() => createIntegrationRegistry({ extraNodes: [{ ...condition, type: "slack.message.post" }] })).toThrow(/defined twice/);
  });

  it("describes every integration for the canvas and the planner", () => {
    for (const integration of integrations) {
      expect(integration.color).toMatch(/^#[0-9a-f]{6}$/i);
      expect(integration.name.length).toBeGreaterThan(0);
      for (const node of [...integration.triggers, ...integration.actions]) {
        expect(node.phrases.length, node.type).toBeGreaterThanOrEqual(3);
        expect(node.description.length, node.type).toBeGreaterThan(0);
      }
    }
  });
});

describe("samples", () => {
  const triggers = integrations.flatMap((integration) => integration.triggers);
  const actions = integrations.flatMap((integration) => integration.actions);

  it.each(triggers.map((trigger) => [trigger.type, trigger] as const))("%s sample parses with its payload schema", (_type, trigger) => {
    expect(trigger.payloadSchema.safeParse(trigger.sample).error).toBeUndefined();
  });

  it.each(actions.map((action) => [action.type, action] as const))("%s sampleOutput parses with its output schema", (_type, action) => {
    expect(action.output.safeParse(action.sampleOutput).error).toBeUndefined();
  });

  it("Stripe payloads keep fields the schema does not list", () => {
    const trigger = registry.trigger("stripe.charge.failed");
    const sample = z.object({ data: z.object({ object: z.record(z.string(), z.unknown()) }) }).loose().parse(trigger?.sample);
    const withExtra = { ...sample, data: { object: { ...sample.data.object, radar_options: {}, calculated_statement_descriptor: "ACME" } } };
    expect(trigger?.payloadSchema.parse(withExtra)).toMatchObject({ data: { object: { calculated_statement_descriptor: "ACME" } } });
  });
});

describe("provider events", () => {
  it("maps canonical trigger keys to provider event names", () => {
    expect(triggerEventNames["stripe.charge.failed"]).toBe("charge.failed");
    expect(triggerEventNames["stripe.checkout.session.completed"]).toBe("checkout.session.completed");
    expect(triggerEventNames["pipedrive.person.created"]).toBe("create.person");
    expect(triggerEventNames["pipedrive.deal.won"]).toBe("change.deal");
    expect(triggerEventNames["github.issue.opened"]).toBe("issues.opened");
    for (const type of CANONICAL_TRIGGERS.filter((key) => key.startsWith("stripe."))) {
      expect(triggerEventNames[type]).toBe(type.slice("stripe.".length));
    }
  });

  it("finds the triggers a Stripe event starts", () => {
    expect(triggersForEvent("stripe", "invoice.payment_failed", registry.trigger("stripe.invoice.payment_failed")?.sample)).toEqual([
      "stripe.invoice.payment_failed",
    ]);
    expect(triggersForEvent("stripe", "customer.created", {})).toEqual([]);
    expect(triggersForEvent("nope", "charge.failed", {})).toEqual([]);
  });
});

describe("trigger config", () => {
  const config = (type: string) => {
    const schema = registry.catalog.get(type)?.configSchema;
    if (!schema) throw new Error(`${type} missing`);
    return schema;
  };

  it("schedule.cron accepts a 5-field cron in an IANA zone, defaulting to UTC", () => {
    expect(config("schedule.cron").parse({ cron: "0 9 * * 1" })).toEqual({ cron: "0 9 * * 1", timezone: "UTC" });
    expect(config("schedule.cron").safeParse({ cron: "*/15 8-18 * * MON-FRI", timezone: "Europe/Paris" }).success).toBe(true);
  });

  it.each([
    [{ cron: "0 0 9 * * 1" }, "cron"],
    [{ cron: "61 * * * *" }, "cron"],
    [{ cron: "every monday" }, "cron"],
    [{ cron: "0 9 * * 1", timezone: "Mars/Olympus" }, "timezone"],
  ])("schedule.cron rejects %j", (value, field) => {
    const result = config("schedule.cron").safeParse(value);
    expect(result.error?.issues[0]?.path).toEqual([field]);
  });

  it("triggers without settings refuse unknown config; webhook secrets are never node config", () => {
    expect(config("stripe.charge.failed").safeParse({}).success).toBe(true);
    expect(config("stripe.charge.failed").safeParse({ extra: 1 }).success).toBe(false);
    expect(config("webhook.received").safeParse({}).success).toBe(true);
    expect(config("webhook.received").safeParse({ secret: "a-long-enough-shared-secret" }).success).toBe(false);
  });
});

describe("preview", () => {
  it("returns the exact request with secrets redacted and sends nothing", async () => {
    let calls = 0;
    const counting: typeof fetch = async () => {
      calls++;
      return new Response("{}");
    };
    const node = createIntegrationRegistry({ fetch: counting, baseUrls: { twilio: "https://twilio.test" } }).catalog.get("twilio.sms.send");
    const preview = await node?.preview?.(
      { to: "+14155550123", from: "+14155559876", body: "Your payment failed" },
      stepContext({ twilio: { username: "AC123", password: "very-secret-auth-token" } }),
    );
    expect(preview).toEqual({
      method: "POST",
      url: "https://twilio.test/2010-04-01/Accounts/AC123/Messages.json",
      headers: {
        authorization: "Basic •••",
        accept: "application/json",
        "content-type": "application/x-www-form-urlencoded",
        "i-twilio-idempotency-token": "run_1:a1",
      },
      body: { To: "+14155550123", From: "+14155559876", Body: "Your payment failed" },
    });
    expect(JSON.stringify(preview)).not.toContain("very-secret-auth-token");
    expect(calls).toBe(0);
  });

  it("redacts Bearer tokens, including ones typed into http.request headers", async () => {
    const slack = await registry.catalog.get("slack.message.post")?.preview?.({ channel: "C1", text: "hi" }, stepContext({ slack: { accessToken: "xoxb-secret" } }));
    expect(slack).toMatchObject({ url: "https://slack.com/api/chat.postMessage", headers: { authorization: "Bearer •••" }, body: { channel: "C1", text: "hi" } });

    const http = await registry.catalog.get("http.request")?.preview?.(
      { method: "POST", url: "https://api.example.com/hooks", headers: { Authorization: "Bearer user-secret" }, body: { a: 1 } },
      stepContext(),
    );
    expect(http).toMatchObject({ headers: { authorization: "Bearer •••", "idempotency-key": "run_1:a1" }, body: { a: 1 } });
  });

  it("reports a missing connection as a config error", async () => {
    const preview = registry.catalog.get("github.issue.create")?.preview;
    if (!preview) throw new Error("github.issue.create has no preview");
    const error = await rejectionOf(preview({ owner: "acme", repo: "web", title: "t" }, stepContext()));
    expect(error).toMatchObject({ code: "config", message: "Connect GitHub first", retryable: false });
  });
});

// Every integration in one list, and the engine's NodeCatalog built from it. The app passes the
// engine's own logic nodes (core.condition, core.delay) in as extraNodes so this module never
// depends on the engine's implementation, only on its contracts.
import type { NodeCatalog, NodeDefinition } from "@/engine/types";
import {
  type ActionDefinition,
  actionNode,
  type IntegrationDefinition,
  type IntegrationKey,
  type TriggerDefinition,
  triggerNode,
} from "./core/define";
import type { LookupAll } from "./core/network-guard";
import { github } from "./github";
import { http } from "./http";
import { jira } from "./jira";
import { manual } from "./manual";
import { pipedream } from "./pipedream";
import { pipedrive } from "./pipedrive";
import { schedule } from "./schedule";
import { sendgrid } from "./sendgrid";
import { slack } from "./slack";
import { stripe } from "./stripe";
import { twilio } from "./twilio";
import { webhook } from "./webhook";

export const integrations: readonly IntegrationDefinition[] = [
  stripe,
  pipedrive,
  pipedream,
  jira,
  slack,
  twilio,
  sendgrid,
  github,
  http,
  webhook,
  schedule,
  manual,
];

export interface IntegrationRegistryOptions {
  /** Overrides each provider's API base URL (tests point them at fakes on 127.0.0.1). */
  baseUrls?: Partial<Record<IntegrationKey, string>>;
  /** Lets http.request reach loopback and private networks: for tests and trusted self-hosting. */
  allowPrivateNetwork?: boolean;
  fetch?: typeof fetch;
  /** Per-request timeout inside a step; the step's own signal still applies. Default 30 s. */
  timeoutMs?: number;
  /** DNS resolver for the private-network guard. */
  lookup?: LookupAll;
  /** Nodes defined outside the integrations, e.g. the engine's core.condition and core.delay. */
  extraNodes?: NodeDefinition[];
}

export interface IntegrationRegistry {
  integrations: readonly IntegrationDefinition[];
  catalog: NodeCatalog;
  integration(key: string): IntegrationDefinition | undefined;
  trigger(type: string): TriggerDefinition | undefined;
  action(type: string): ActionDefinition | undefined;
}

export function createIntegrationRegistry(options: IntegrationRegistryOptions = {}): IntegrationRegistry {
  const nodes = new Map<string, NodeDefinition>();
  const triggers = new Map<string, TriggerDefinition>();
  const actions = new Map<string, ActionDefinition>();
  const add = (node: NodeDefinition) => {
    if (nodes.has(node.type)) throw new Error(`Node type ${node.type} is defined twice`);
    nodes.set(node.type, node);
  };

  for (const integration of integrations) {
    const env = {
      baseUrl: options.baseUrls?.[integration.key] ?? integration.defaultBaseUrl ?? "",
      allowPrivateNetwork: options.allowPrivateNetwork ?? false,
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
      lookup: options.lookup,
    };
    for (const trigger of integration.triggers) {
      add(triggerNode(integration, trigger));
      triggers.set(trigger.type, trigger);
    }
    for (const action of integration.actions) {
      add(actionNode(integration, action, env));
      actions.set(action.type, action);
    }
  }
  for (const node of options.extraNodes ?? []) add(node);

  const list = [...nodes.values()];
  return {
    integrations,
    catalog: { get: (type) => nodes.get(type), list: () => list },
    integration: (key) => integrations.find((integration) => integration.key === key),
    trigger: (type) => triggers.get(type),
    action: (type) => actions.get(type),
  };
}

/** Canonical trigger key → the provider's own event name ("stripe.charge.failed" → "charge.failed"). */
export const triggerEventNames: Readonly<Record<string, string>> = Object.fromEntries(
  integrations.flatMap((integration) =>
    integration.triggers.flatMap((trigger) => (trigger.event ? [[trigger.type, trigger.event.name] as const] : [])),
  ),
);

/**
 * The canonical trigger keys a provider event starts, for webhook intake. Several keys can share
 * an event name (Pipedrive "change.deal"), so each trigger's payload check decides.
 */
export function triggersForEvent(provider: string, eventName: string, payload: unknown): string[] {
  const integration = integrations.find((candidate) => candidate.key === provider);
  if (!integration) return [];
  return integration.triggers
    .filter((trigger) => {
      if (trigger.event?.name !== eventName) return false;
      if (!trigger.event.matches) return true;
      const parsed = trigger.payloadSchema.safeParse(payload);
      return parsed.success && trigger.event.matches(parsed.data);
    })
    .map((trigger) => trigger.type);
}

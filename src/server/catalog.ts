// The node catalog the server runs with: every integration (base URLs from the environment) plus
// the engine's logic nodes, and the serialisable view of it the editor and the AI planner read.
import { z } from "zod";
import { coreNodes } from "@/engine/core-nodes";
import type { NodeCatalog, NodeKind } from "@/engine/types";
import { env } from "@/env";
import { createIntegrationRegistry, type IntegrationRegistry } from "@/integrations/registry";

/** Provider API locations overridden by the environment (tests, proxies); defaults otherwise. */
export const API_BASE_URLS = {
  slack: env.SLACK_API_URL,
  twilio: env.TWILIO_API_URL,
  sendgrid: env.SENDGRID_API_URL,
  github: env.GITHUB_API_URL,
  jira: env.JIRA_API_URL,
  pipedrive: env.PIPEDRIVE_API_URL,
};

let registry: IntegrationRegistry | undefined;

export function getRegistry(): IntegrationRegistry {
  return (registry ??= createIntegrationRegistry({
    baseUrls: API_BASE_URLS,
    allowPrivateNetwork: env.HTTP_ALLOW_PRIVATE_NETWORK,
    extraNodes: coreNodes,
  }));
}

export function getCatalog(): NodeCatalog {
  return getRegistry().catalog;
}

export interface CatalogEntry {
  type: string;
  kind: NodeKind;
  provider: string;
  providerName: string;
  title: string;
  description: string;
  color: string;
  icon: string;
  configSchema: unknown;
  sample: unknown;
  /** Dotted paths into this node's output, for the {{reference}} picker. */
  outputPaths: string[];
}

const CORE_STYLE = { name: "Logic", color: "#475569" };

let entries: CatalogEntry[] | undefined;

export function catalogEntries(): CatalogEntry[] {
  if (entries) return entries;
  const { integrations } = getRegistry();
  entries = getCatalog()
    .list()
    .map((node) => {
      const integration = integrations.find((i) => i.key === node.provider);
      const icon = integration?.icon;
      return {
        type: node.type,
        kind: node.kind,
        provider: node.provider,
        providerName: integration?.name ?? CORE_STYLE.name,
        title: node.title,
        description: node.description,
        color: integration?.color ?? CORE_STYLE.color,
        icon: icon?.kind === "monogram" ? icon.text : (integration?.name ?? node.title).slice(0, 2),
        configSchema: z.toJSONSchema(node.configSchema, { unrepresentable: "any", io: "input" }),
        sample: node.sample,
        outputPaths: leafPaths(node.sample),
      };
    });
  return entries;
}

/** Every path to a value in a sample, objects first-level-deep into arrays (`items.0.name`). */
export function leafPaths(value: unknown, prefix = "", depth = 0): string[] {
  if (depth > 6 || value === null || typeof value !== "object") return prefix ? [prefix] : [];
  const entries = Array.isArray(value) ? value.slice(0, 1).map((v, i) => [String(i), v] as const) : Object.entries(value);
  const paths = entries.flatMap(([key, child]) => leafPaths(child, prefix ? `${prefix}.${key}` : key, depth + 1));
  return prefix && paths.length === 0 ? [prefix] : paths;
}

// Workflows: drafts, activation into immutable versions, import/export. Every function takes the
// owner's id and scopes every query by it: another user's workflow is NOT_FOUND.
import { randomBytes } from "node:crypto";
import { Cron } from "croner";
import { parseGraph, validateGraph, type ValidationIssue } from "@/engine";
import type { WorkflowGraph } from "@/engine/types";
import { Prisma } from "@/generated/prisma/client";
import type { WorkflowStatus } from "@/generated/prisma/enums";
import { assertCanActivate } from "@/server/billing/entitlements";
import { env } from "@/env";
import { integrations } from "@/integrations/registry";
import { getCatalog } from "@/server/catalog";
import type { Db } from "@/server/db";
import { AppError, notFound } from "@/lib/errors";
import { forgetWebhookWorkflows } from "@/server/http/webhook-cache";

export const EXPORT_FORMAT = "cue.workflow/v1";
export const EMPTY_GRAPH: WorkflowGraph = { nodes: [], edges: [] };

const summarySelect = {
  id: true,
  name: true,
  description: true,
  status: true,
  triggerType: true,
  updatedAt: true,
  lastRunAt: true,
  pausedReason: true,
} as const;

export function newWebhookToken(): string {
  return randomBytes(24).toString("base64url");
}

/** The graph's trigger type, if it has exactly one trigger node. */
export function triggerTypeOf(graph: WorkflowGraph): string | null {
  const catalog = getCatalog();
  const triggers = graph.nodes.filter((node) => catalog.get(node.type)?.kind === "trigger");
  return triggers.length === 1 ? triggers[0]!.type : null;
}

function validationIssues(graph: unknown): ValidationIssue[] {
  return validateGraph(graph, getCatalog()).issues;
}

/** Shape-checks a graph coming from a client; meaning is checked separately (drafts may be invalid). */
export function requireGraphShape(graph: unknown): WorkflowGraph {
  const parsed = parseGraph(graph);
  if (!parsed.success) {
    throw new AppError("BAD_REQUEST", `The workflow graph is malformed: ${parsed.error.issues[0]?.message ?? "invalid"}`, {
      fieldErrors: { graph: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) },
    });
  }
  return parsed.data;
}

async function owned(db: Db, userId: string, id: string) {
  const workflow = await db.workflow.findFirst({ where: { id, userId } });
  if (!workflow) throw notFound("Workflow");
  return workflow;
}

export interface ConnectionWarning {
  provider: string;
  /** "Jira connection needs reconnecting: <reason>", for the workflow list and editor. */
  message: string;
}

/** The integrations a graph's nodes use (those that need a connected account). */
function connectedProvidersOf(graph: unknown): string[] {
  const nodes = (graph as Partial<WorkflowGraph> | null)?.nodes;
  if (!Array.isArray(nodes)) return [];
  const catalog = getCatalog();
  const providers = new Set<string>();
  for (const node of nodes) {
    const provider = typeof node?.type === "string" ? catalog.get(node.type)?.provider : undefined;
    if (provider && integrations.some((i) => i.key === provider && i.connection.kind !== "none")) providers.add(provider);
  }
  return [...providers];
}

/**
 * For each graph, the providers whose connections all need reconnecting (none is active), with
 * the reason: runs using them fail until the user reconnects on the Integrations page.
 */
async function connectionWarnings(db: Db, userId: string, graphs: unknown[]): Promise<ConnectionWarning[][]> {
  const used = graphs.map(connectedProvidersOf);
  const providers = [...new Set(used.flat())];
  if (providers.length === 0) return used.map(() => []);
  const connections = await db.connection.findMany({
    where: { userId, provider: { in: providers } },
    select: { provider: true, status: true, lastError: true },
    orderBy: { updatedAt: "desc" },
  });
  const warnings = new Map<string, ConnectionWarning>();
  for (const provider of providers) {
    const mine = connections.filter((c) => c.provider === provider);
    if (mine.length === 0 || mine.some((c) => c.status === "active")) continue;
    const reason = mine.find((c) => c.lastError)?.lastError;
    const name = integrations.find((i) => i.key === provider)?.name ?? provider;
    warnings.set(provider, { provider, message: `${name} connection needs reconnecting${reason ? `: ${reason}` : ""}` });
  }
  return used.map((list) => list.flatMap((provider) => warnings.get(provider) ?? []));
}

export interface ListWorkflowsInput {
  cursor?: string | null;
  limit: number;
  search?: string;
  status?: WorkflowStatus;
}

export async function listWorkflows(db: Db, userId: string, input: ListWorkflowsInput) {
  const where: Prisma.WorkflowWhereInput = {
    userId,
    ...(input.status ? { status: input.status } : {}),
    ...(input.search ? { name: { contains: input.search, mode: "insensitive" } } : {}),
  };
  const rows = await db.workflow.findMany({
    where,
    select: { ...summarySelect, graph: true },
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, input.limit);
  const counts = page.length
    ? await db.workflowRun.groupBy({
        by: ["workflowId", "status"],
        where: { workflowId: { in: page.map((w) => w.id) }, test: false },
        _count: { _all: true },
      })
    : [];
  const warnings = await connectionWarnings(db, userId, page.map((w) => w.graph));
  const items = page.map(({ graph: _graph, ...w }, index) => {
    const mine = counts.filter((c) => c.workflowId === w.id);
    const count = (status?: string) =>
      mine.filter((c) => !status || c.status === status).reduce((sum, c) => sum + c._count._all, 0);
    return { ...w, runCounts: { total: count(), succeeded: count("succeeded"), failed: count("failed") }, connectionWarnings: warnings[index]! };
  });
  return { items, nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null };
}

/** The public URL of a workflow's inbound webhook: AUTH_URL when set, else the request's host. */
export function publicWebhookUrl(headers: Headers, token: string): string {
  const proto = headers.get("x-forwarded-proto") ?? "http";
  const host = headers.get("x-forwarded-host") ?? headers.get("host") ?? "localhost:3000";
  const origin = env.AUTH_URL ? new URL(env.AUTH_URL).origin : `${proto}://${host}`;
  return `${origin}/api/webhooks/workflows/${token}`;
}

export type WorkflowDetail = Awaited<ReturnType<typeof getWorkflow>>;

export async function getWorkflow(db: Db, userId: string, id: string, headers: Headers) {
  const workflow = await owned(db, userId, id);
  const activeVersion = workflow.activeVersionId
    ? await db.workflowVersion.findUnique({ where: { id: workflow.activeVersionId }, select: { version: true } })
    : null;
  return {
    id: workflow.id,
    name: workflow.name,
    description: workflow.description,
    status: workflow.status,
    graph: workflow.graph as unknown as WorkflowGraph,
    issues: validationIssues(workflow.graph),
    activeVersion: activeVersion?.version ?? null,
    webhookUrl: publicWebhookUrl(headers, workflow.webhookToken),
    hasWebhookSecret: workflow.webhookSecret !== null,
    pausedReason: workflow.pausedReason,
    maxConcurrency: workflow.maxConcurrency,
    updatedAt: workflow.updatedAt,
    connectionWarnings: (await connectionWarnings(db, userId, [workflow.graph]))[0]!,
  };
}

export async function createWorkflow(db: Db, userId: string, input: { name: string; description?: string | null; graph?: unknown }) {
  const graph = input.graph === undefined ? EMPTY_GRAPH : requireGraphShape(input.graph);
  const workflow = await db.workflow.create({
    data: {
      userId,
      name: input.name,
      description: input.description ?? null,
      graph: graph as unknown as Prisma.InputJsonValue,
      webhookToken: newWebhookToken(),
    },
    select: { id: true },
  });
  return { id: workflow.id, issues: validationIssues(graph) };
}

export async function updateWorkflow(
  db: Db,
  userId: string,
  input: { id: string; graph?: unknown; name?: string; description?: string | null; maxConcurrency?: number | null },
) {
  const graph = input.graph === undefined ? undefined : requireGraphShape(input.graph);
  const result = await db.workflow.updateManyAndReturn({
    where: { id: input.id, userId },
    data: {
      ...(graph ? { graph: graph as unknown as Prisma.InputJsonValue } : {}),
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.maxConcurrency !== undefined ? { maxConcurrency: input.maxConcurrency } : {}),
    },
    select: { updatedAt: true, graph: true },
  });
  const row = result[0];
  if (!row) throw notFound("Workflow");
  return { updatedAt: row.updatedAt, issues: validationIssues(row.graph) };
}

export async function duplicateWorkflow(db: Db, userId: string, id: string) {
  const source = await owned(db, userId, id);
  const copy = await db.workflow.create({
    data: {
      userId,
      name: `${source.name} (copy)`.slice(0, 120),
      description: source.description,
      graph: source.graph as Prisma.InputJsonValue,
      webhookToken: newWebhookToken(),
    },
    select: { id: true },
  });
  return copy;
}

export async function deleteWorkflow(db: Db, userId: string, id: string) {
  const { count } = await db.workflow.deleteMany({ where: { id, userId } });
  if (count === 0) throw notFound("Workflow");
  forgetWebhookWorkflows();
  return { id };
}

/** The first fire time of a cron trigger after `from`, or null for other triggers. */
export function nextFireTime(graph: WorkflowGraph, from: Date): Date | null {
  const trigger = graph.nodes.find((node) => node.type === "schedule.cron");
  if (!trigger) return null;
  const config = trigger.config as { cron?: string; timezone?: string };
  if (!config.cron) return null;
  return new Cron(config.cron, { timezone: config.timezone ?? "UTC", paused: true }).nextRun(from) ?? null;
}

export async function activateWorkflow(db: Db, userId: string, id: string) {
  const workflow = await owned(db, userId, id);
  const result = validateGraph(workflow.graph, getCatalog());
  if (!result.ok) {
    const reasons = result.issues.slice(0, 5).map((issue) => issue.message);
    const more = result.issues.length > 5 ? ` (and ${result.issues.length - 5} more)` : "";
    throw new AppError("BAD_REQUEST", `This workflow cannot be activated: ${reasons.join("; ")}${more}`, {
      issues: result.issues,
    });
  }
  const graph = workflow.graph as unknown as WorkflowGraph;
  // Billing: the plan's active-workflow limit and features (FORBIDDEN naming the plan that lifts it).
  await assertCanActivate(db, userId, { id, status: workflow.status, graph });
  const activated = await db.$transaction(async (tx) => {
    const last = await tx.workflowVersion.findFirst({ where: { workflowId: id }, orderBy: { version: "desc" }, select: { version: true } });
    const version = await tx.workflowVersion.create({
      data: { workflowId: id, version: (last?.version ?? 0) + 1, graph: workflow.graph as Prisma.InputJsonValue },
    });
    await tx.workflow.update({
      where: { id },
      data: {
        status: "active",
        activeVersionId: version.id,
        triggerType: triggerTypeOf(graph),
        pausedReason: null,
        nextFireAt: nextFireTime(graph, new Date()),
      },
    });
    return { status: "active" as const, version: version.version };
  });
  forgetWebhookWorkflows();
  return activated;
}

export async function pauseWorkflow(db: Db, userId: string, id: string, reason: string | null = null) {
  const { count } = await db.workflow.updateMany({
    where: { id, userId },
    data: { status: "paused", pausedReason: reason, nextFireAt: null },
  });
  if (count === 0) throw notFound("Workflow");
  forgetWebhookWorkflows();
  return { status: "paused" as const };
}

export async function listVersions(db: Db, userId: string, id: string) {
  await owned(db, userId, id);
  return db.workflowVersion.findMany({
    where: { workflowId: id },
    orderBy: { version: "desc" },
    select: { id: true, version: true, createdAt: true },
  });
}

export async function exportWorkflow(db: Db, userId: string, id: string) {
  const workflow = await owned(db, userId, id);
  return {
    format: EXPORT_FORMAT,
    name: workflow.name,
    description: workflow.description,
    graph: workflow.graph as unknown as WorkflowGraph,
  };
}

/** Imports an exported workflow as a new draft. Unknown node types are kept and reported. */
export async function importWorkflow(db: Db, userId: string, data: unknown) {
  const record = typeof data === "object" && data !== null ? (data as Record<string, unknown>) : {};
  if ("format" in record && record.format !== EXPORT_FORMAT) {
    throw new AppError("BAD_REQUEST", `Unsupported export format "${String(record.format)}"; expected "${EXPORT_FORMAT}"`);
  }
  // Accept both an export envelope and a bare graph.
  const graph = requireGraphShape("graph" in record ? record.graph : data);
  const name = typeof record.name === "string" && record.name.trim() ? record.name.trim().slice(0, 120) : "Imported workflow";
  const description = typeof record.description === "string" ? record.description.slice(0, 1000) : null;
  const catalog = getCatalog();
  const unknownTypes = [...new Set(graph.nodes.map((n) => n.type).filter((type) => !catalog.get(type)))];
  const created = await createWorkflow(db, userId, { name, description, graph });
  return { id: created.id, issues: created.issues, unknownTypes };
}

import { generateWorkflow } from "@/ai/generate";
import { llmSettingsFromEnv } from "@/ai/settings";
import { protectedProcedure, router } from "@/server/api/trpc";
import { validateGraph } from "@/engine";
import { catalogEntries, getCatalog, getRegistry } from "@/server/catalog";
import { encryptSecret } from "@/server/crypto/secrets";
import { notFound } from "@/lib/errors";
import { forgetWebhookWorkflows } from "@/server/http/webhook-cache";
import { runNow, testRun } from "@/server/services/runs";
import {
  activateWorkflow,
  createWorkflow,
  deleteWorkflow,
  duplicateWorkflow,
  exportWorkflow,
  getWorkflow,
  importWorkflow,
  listVersions,
  listWorkflows,
  pauseWorkflow,
  updateWorkflow,
} from "@/server/services/workflows";
import {
  createWorkflowInput,
  generateWorkflowInput,
  importWorkflowInput,
  listWorkflowsInput,
  renameWorkflowInput,
  runNowInput,
  setWebhookSecretInput,
  testRunInput,
  updateWorkflowInput,
  validateGraphInput,
  workflowId,
} from "./schemas";

export const workflowsRouter = router({
  /** Every trigger, action and logic node, with JSON schemas for the editor's forms. */
  catalog: protectedProcedure.query(() => catalogEntries()),

  list: protectedProcedure.input(listWorkflowsInput).query(({ ctx, input }) => listWorkflows(ctx.db, ctx.user.id, input)),

  get: protectedProcedure.input(workflowId).query(({ ctx, input }) => getWorkflow(ctx.db, ctx.user.id, input.id, ctx.headers)),

  create: protectedProcedure.input(createWorkflowInput).mutation(({ ctx, input }) => createWorkflow(ctx.db, ctx.user.id, input)),

  /** A workflow drawn from a plain-language description (not saved: `create` saves the one the user keeps). */
  generate: protectedProcedure
    .input(generateWorkflowInput)
    .mutation(({ input }) => generateWorkflow(input.description, { registry: getRegistry(), llm: llmSettingsFromEnv() })),

  /** Validates a graph without saving it, so the editor shows issues as the user edits. */
  validate: protectedProcedure
    .input(validateGraphInput)
    .mutation(({ input }) => ({ issues: validateGraph(input.graph, getCatalog()).issues })),

  update: protectedProcedure.input(updateWorkflowInput).mutation(({ ctx, input }) => updateWorkflow(ctx.db, ctx.user.id, input)),

  rename: protectedProcedure
    .input(renameWorkflowInput)
    .mutation(({ ctx, input }) => updateWorkflow(ctx.db, ctx.user.id, { id: input.id, name: input.name })),

  duplicate: protectedProcedure.input(workflowId).mutation(({ ctx, input }) => duplicateWorkflow(ctx.db, ctx.user.id, input.id)),

  // Activating, pausing and deleting change what a cron trigger should fire: the queue's scheduler
  // (BullMQ job schedulers in production mode) is told after the change is committed.
  delete: protectedProcedure.input(workflowId).mutation(async ({ ctx, input }) => {
    const result = await deleteWorkflow(ctx.db, ctx.user.id, input.id);
    await ctx.queue.scheduleChanged(input.id);
    return result;
  }),

  activate: protectedProcedure.input(workflowId).mutation(async ({ ctx, input }) => {
    const result = await activateWorkflow(ctx.db, ctx.user.id, input.id);
    await ctx.queue.scheduleChanged(input.id);
    return result;
  }),

  pause: protectedProcedure.input(workflowId).mutation(async ({ ctx, input }) => {
    const result = await pauseWorkflow(ctx.db, ctx.user.id, input.id);
    await ctx.queue.scheduleChanged(input.id);
    return result;
  }),

  versions: protectedProcedure.input(workflowId).query(({ ctx, input }) => listVersions(ctx.db, ctx.user.id, input.id)),

  export: protectedProcedure.input(workflowId).query(({ ctx, input }) => exportWorkflow(ctx.db, ctx.user.id, input.id)),

  import: protectedProcedure.input(importWorkflowInput).mutation(({ ctx, input }) => importWorkflow(ctx.db, ctx.user.id, input.data)),

  testRun: protectedProcedure.input(testRunInput).mutation(({ ctx, input }) => testRun(ctx.db, ctx.queue, ctx.user.id, input)),

  runNow: protectedProcedure.input(runNowInput).mutation(({ ctx, input }) => runNow(ctx.db, ctx.queue, ctx.user.id, input)),

  /** Sets (or clears, with null) the HMAC secret inbound webhook requests must be signed with. */
  setWebhookSecret: protectedProcedure.input(setWebhookSecretInput).mutation(async ({ ctx, input }) => {
    const { count } = await ctx.db.workflow.updateMany({
      where: { id: input.id, userId: ctx.user.id },
      data: { webhookSecret: input.secret === null ? null : encryptSecret(ctx.keys, input.secret) },
    });
    if (count === 0) throw notFound("Workflow");
    forgetWebhookWorkflows();
    return { hasWebhookSecret: input.secret !== null };
  }),
});

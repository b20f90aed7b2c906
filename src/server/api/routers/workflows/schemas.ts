// Inputs of the workflows API. Graph shape is checked by the engine's parser in the service, so a
// malformed graph gets the same messages wherever it comes from (API, import, AI).
import { z } from "zod";

export const workflowId = z.object({ id: z.string().min(1).max(64) }).strict();

const name = z.string().trim().min(1, { error: "Give the workflow a name" }).max(120, { error: "Name must be at most 120 characters" });
const description = z.string().trim().max(1000, { error: "Description must be at most 1000 characters" }).nullable();

export const listWorkflowsInput = z
  .object({
    cursor: z.string().nullish(),
    limit: z.number().int().min(1).max(100).default(25),
    search: z.string().trim().max(120).optional(),
    status: z.enum(["draft", "active", "paused"]).optional(),
    // Sent by TanStack's infinite queries; pages only go forward.
    direction: z.enum(["forward", "backward"]).optional(),
  })
  .strict()
  .default({ limit: 25 });

export const createWorkflowInput = z
  .object({ name, description: description.optional(), graph: z.unknown().optional() })
  .strict();

export const updateWorkflowInput = z
  .object({
    id: z.string().min(1).max(64),
    graph: z.unknown().optional(),
    name: name.optional(),
    description: description.optional(),
    // How many runs of this workflow may execute at once (null: no limit); enforced when runs are claimed.
    maxConcurrency: z
      .number()
      .int({ error: "Use a whole number" })
      .min(1, { error: "Allow at least 1 run at a time" })
      .max(100, { error: "Allow at most 100 runs at a time" })
      .nullable()
      .optional(),
  })
  .strict();

export const validateGraphInput = z.object({ graph: z.unknown() }).strict();

export const renameWorkflowInput = z.object({ id: z.string().min(1).max(64), name }).strict();

export const importWorkflowInput = z.object({ data: z.unknown() }).strict();

export const testRunInput = z
  .object({ id: z.string().min(1).max(64), payload: z.unknown().optional(), dryRun: z.boolean().optional() })
  .strict();

export const runNowInput = z.object({ id: z.string().min(1).max(64), payload: z.unknown().optional() }).strict();

export const setWebhookSecretInput = z
  .object({
    id: z.string().min(1).max(64),
    secret: z.string().min(16, { error: "Use at least 16 characters" }).max(256).nullable(),
  })
  .strict();

export const generateWorkflowInput = z
  .object({
    // Empty is allowed through: the generator answers it with what Cue understands.
    description: z.string().max(2000, { error: "Keep the description under 2000 characters" }),
  })
  .strict();

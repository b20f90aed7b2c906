// Input schemas of the Pipedream Connect and contact sync procedures (the integrations router
// wires them; kept here so that shared router file only gains a few lines).
import { z } from "zod";
import { MAX_SELECTED_PERSONS } from "@/server/services/contacts-sync";

const id = z.string().min(1).max(64);

export const pipedreamConnectInput = z
  .object({ app: z.string().trim().regex(/^[a-z0-9_]{1,80}$/, { error: "Use the app's name slug, e.g. google_sheets" }) })
  .strict();

export const syncConnectionInput = z.object({ connectionId: id }).strict();

export const syncSelectedInput = z
  .object({
    connectionId: id,
    personIds: z
      .array(z.number().int().positive())
      .min(1, { error: "Pick at least one person" })
      .max(MAX_SELECTED_PERSONS, { error: `Pick at most ${MAX_SELECTED_PERSONS} people at a time` }),
  })
  .strict();

export const syncHistoryInput = z.object({ connectionId: id, limit: z.number().int().min(1).max(100).optional() }).strict();

export const pipedrivePersonsInput = z
  .object({
    connectionId: id,
    search: z.string().max(100).optional(),
    start: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(100).optional(),
  })
  .strict();

export const contactsInput = z
  .object({
    search: z.string().max(100).optional(),
    connectionId: id.optional(),
    cursor: id.optional(),
    limit: z.number().int().min(1).max(100).optional(),
  })
  .strict();

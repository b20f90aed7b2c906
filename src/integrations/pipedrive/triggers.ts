// Pipedrive webhooks v2 (https://pipedrive.readme.io/docs/guide-for-webhooks-v2): the payload is
// { meta, data, previous }, named by "<action>.<entity>".
import { z } from "zod";
import { defineTrigger } from "../core/define";

const id = z.union([z.string(), z.number()]);

const meta = z
  .object({
    action: z.enum(["create", "change", "delete"]),
    entity: z.string(),
    entity_id: id,
    id,
    company_id: id,
    user_id: id,
    timestamp: z.union([z.string(), z.number()]),
    version: z.string(),
    host: z.string().optional(),
  })
  .loose();

const contactPoint = z.object({ value: z.string(), primary: z.boolean(), label: z.string().nullable() }).loose();

const person = z
  .object({
    id: z.number().int(),
    name: z.string(),
    first_name: z.string().nullable(),
    last_name: z.string().nullable(),
    emails: z.array(contactPoint),
    phones: z.array(contactPoint),
    org_id: z.number().int().nullable(),
    owner_id: z.number().int(),
    add_time: z.string(),
  })
  .loose();

const deal = z
  .object({
    id: z.number().int(),
    title: z.string(),
    value: z.number(),
    currency: z.string(),
    status: z.enum(["open", "won", "lost", "deleted"]),
    person_id: z.number().int().nullable(),
    org_id: z.number().int().nullable(),
    owner_id: z.number().int(),
    stage_id: z.number().int(),
    pipeline_id: z.number().int(),
    won_time: z.string().nullable(),
    add_time: z.string(),
    update_time: z.string(),
  })
  .loose();

export const personCreated = defineTrigger({
  type: "pipedrive.person.created",
  title: "New Pipedrive person",
  description: "Starts when a person (contact) is added in Pipedrive.",
  phrases: ["new contact in pipedrive", "person is added", "new person", "contact created", "new lead in the crm", "create.person"],
  payloadSchema: z.object({ meta, data: person, previous: z.null() }),
  sample: {
    meta: {
      action: "create",
      entity: "person",
      entity_id: "1234",
      id: "8f6b7c1e-2d3a-4b5c-9d8e-7f6a5b4c3d2e",
      company_id: "12882925",
      user_id: "18487521",
      timestamp: "2026-03-02T14:25:27.000Z",
      version: "2.0",
      host: "acme.pipedrive.com",
    },
    data: {
      id: 1234,
      name: "Jenny Rosen",
      first_name: "Jenny",
      last_name: "Rosen",
      emails: [{ value: "jenny.rosen@example.com", primary: true, label: "work" }],
      phones: [{ value: "+14155550123", primary: true, label: "mobile" }],
      org_id: 42,
      owner_id: 18487521,
      add_time: "2026-03-02T14:25:27Z",
    },
    previous: null,
  },
  event: { name: "create.person" },
});

const dealChanged = z.object({
  meta,
  data: deal,
  /** Only the fields that changed, with their old values. */
  previous: z.object({ status: z.string().optional() }).loose().nullable(),
});

export const dealWon = defineTrigger({
  type: "pipedrive.deal.won",
  title: "Pipedrive deal won",
  description: "Starts when a deal is marked as won in Pipedrive.",
  phrases: ["deal is won", "deal won", "closed won", "we win a deal", "deal closes", "sale is closed"],
  payloadSchema: dealChanged,
  sample: {
    meta: {
      action: "change",
      entity: "deal",
      entity_id: "881",
      id: "1c9f0a3e-5b2d-4e6f-8a7b-9c0d1e2f3a4b",
      company_id: "12882925",
      user_id: "18487521",
      timestamp: "2026-03-05T09:12:44.000Z",
      version: "2.0",
      host: "acme.pipedrive.com",
    },
    data: {
      id: 881,
      title: "Acme Corp — annual plan",
      value: 12000,
      currency: "USD",
      status: "won",
      person_id: 1234,
      org_id: 42,
      owner_id: 18487521,
      stage_id: 5,
      pipeline_id: 1,
      won_time: "2026-03-05T09:12:44Z",
      add_time: "2026-02-11T16:03:10Z",
      update_time: "2026-03-05T09:12:44Z",
    },
    previous: { status: "open" },
  },
  // Pipedrive has no "won" event: a won deal is a change.deal whose status just became "won".
  event: {
    name: "change.deal",
    matches: (payload) => payload.data.status === "won" && payload.previous?.status !== undefined && payload.previous.status !== "won",
  },
});

// Add an activity (https://developers.pipedrive.com/docs/api/v1/Activities#addActivity).
import { z } from "zod";
import { defineAction } from "../../core/define";
import { pipedriveData, pipedriveHeaders, pipedriveId, pipedriveUrl } from "../client";

const input = z.object({
  subject: z.string().trim().min(1).max(255),
  type: z
    .string()
    .trim()
    .regex(/^[a-z0-9_]+$/, "Expected an activity type key such as call, meeting, task, deadline, email or lunch")
    .default("task"),
  dueDate: z.iso.date().optional().describe("YYYY-MM-DD"),
  dueTime: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Expected HH:MM (24-hour, UTC)")
    .optional(),
  personId: pipedriveId.optional(),
  dealId: pipedriveId.optional(),
  note: z.string().optional().describe("Shown in the activity; HTML is allowed"),
});

const output = z.object({ id: z.number().int() });

const created = pipedriveData(z.object({ id: z.number().int() }).loose());

export const createActivity = defineAction({
  type: "pipedrive.activity.create",
  title: "Create a Pipedrive activity",
  description: "Schedules a call, meeting, task or other activity in Pipedrive.",
  phrases: ["schedule a call", "create a follow-up", "add a task in pipedrive", "create an activity", "remind sales to call", "follow up"],
  input,
  output,
  sampleOutput: { id: 5678 },
  request(activity, ctx) {
    return {
      method: "POST",
      url: pipedriveUrl(ctx, "activities"),
      headers: pipedriveHeaders(ctx),
      json: {
        subject: activity.subject,
        type: activity.type,
        ...(activity.dueDate ? { due_date: activity.dueDate } : {}),
        ...(activity.dueTime ? { due_time: activity.dueTime } : {}),
        ...(activity.personId !== undefined ? { person_id: activity.personId } : {}),
        ...(activity.dealId !== undefined ? { deal_id: activity.dealId } : {}),
        ...(activity.note ? { note: activity.note } : {}),
      },
    };
  },
  parse: (response) => ({ id: created.parse(response.body).data.id }),
});

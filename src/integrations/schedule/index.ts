// Time-based runs: a 5-field cron expression evaluated in an IANA time zone.
import { Cron } from "croner";
import { z } from "zod";
import { defineIntegration, defineTrigger } from "../core/define";

function isCronExpression(pattern: string): boolean {
  try {
    // Paused: only parse. "5-part" rejects the seconds/years fields croner would otherwise accept.
    new Cron(pattern, { paused: true, mode: "5-part" }).stop();
    return true;
  } catch {
    return false;
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const cronSchema = z
  .string()
  .trim()
  .refine(isCronExpression, "Expected a 5-field cron expression: minute hour day-of-month month day-of-week (e.g. 0 9 * * 1)");

export const timeZoneSchema = z.string().trim().refine(isTimeZone, "Expected an IANA time zone such as UTC or Europe/Paris");

const cron = defineTrigger({
  type: "schedule.cron",
  title: "On a schedule",
  description: "Starts on a repeating schedule.",
  phrases: ["every day", "every monday", "every morning", "on a schedule", "every hour", "daily", "weekly", "at 9am", "cron"],
  configSchema: z.object({ cron: cronSchema, timezone: timeZoneSchema.default("UTC") }).strict(),
  payloadSchema: z.object({ firedAt: z.iso.datetime({ offset: true }), cron: z.string(), timezone: z.string() }),
  sample: { firedAt: "2026-03-02T09:00:00.000Z", cron: "0 9 * * 1", timezone: "UTC" },
});

export const schedule = defineIntegration({
  key: "schedule",
  name: "Schedule",
  description: "Run workflows at set times.",
  color: "#0EA5E9",
  icon: { kind: "svg", path: "M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20Zm0-16v6l4 2" },
  connection: { kind: "none" },
  triggers: [cron],
  actions: [],
});

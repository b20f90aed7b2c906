// The shape of an evaluation case: a description, the category of phrasing it tests, and the
// workflow a careful human would draw for it (omitted when Cue must refuse). Conditions name the
// trigger field without the "trigger." prefix; only a condition's first rule is compared.

export type DelayUnit = "seconds" | "minutes" | "hours" | "days";
export type ConditionOperator = "equals" | "not_equals" | "gt" | "lt" | "contains" | "exists";

/** An action type, a delay, or a condition with its branches. */
export type ExpectedStep =
  | string
  | { delay: [number, DelayUnit] }
  | { if: [string, ConditionOperator, string | number | boolean]; then: ExpectedStep[]; else?: ExpectedStep[] };

export const EVAL_CATEGORIES = [
  "order",
  "voice",
  "synonyms",
  "multi-action",
  "events",
  "conditions",
  "schedules",
  "delays",
  "values",
  "french",
  "spanish",
  "german",
  "nonsense",
  "half-nonsense",
] as const;
export type EvalCategory = (typeof EVAL_CATEGORIES)[number];

/** The language a category's descriptions are written in; everything else is English. */
export const CATEGORY_LANGUAGE: Partial<Record<EvalCategory, string>> = { french: "fr", spanish: "es", german: "de" };

export interface EvalCase {
  description: string;
  category: EvalCategory;
  /** Omitted for descriptions Cue must refuse. */
  expected?: {
    trigger: string;
    cron?: string;
    steps: ExpectedStep[];
    /** Per action type: config values the description spelled out (channels, numbers, addresses …). */
    config?: Record<string, Record<string, unknown>>;
    /** Parts of the description that must be reported as not mapped (each a substring, any case). */
    unmapped?: string[];
  };
}

export const JIRA = "jira.issue.create";
export const SLACK = "slack.message.post";
export const SMS = "twilio.sms.send";
export const EMAIL = "sendgrid.email.send";
export const HTTP = "http.request";
export const PERSON = "pipedrive.person.create";
export const ACTIVITY = "pipedrive.activity.create";
export const GITHUB_ISSUE = "github.issue.create";
export const CRON = "schedule.cron";

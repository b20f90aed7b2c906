// Fills an action's settings from its own input schema: values the description spelled out
// (addresses, numbers, channels, quoted text), references into the trigger's data where it has
// them, and clearly flagged placeholders where only the user can know (a Jira project key).
import { z } from "zod";
import type { ActionDefinition, TriggerDefinition } from "@/integrations/core/define";
import type { Entity, EntityKind } from "./entities";
import { pathByKey, pathByValue, reference } from "./trigger-data";

interface JsonSchema {
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  default?: unknown;
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

export type FieldKind = "email" | "phone" | "url" | "channel" | "message" | "name" | "repo-owner" | "repo-name" | "method" | "payload" | "text";

export interface ActionField {
  name: string;
  kind: FieldKind;
  required: boolean;
  schema: JsonSchema;
}

const MESSAGE_FIELDS = new Set(["summary", "title", "subject", "text", "body", "note", "description", "message"]);
// Values only the user can know, by field name; each is called out for review.
const NAMED_PLACEHOLDERS: Record<string, string> = { project: "OPS", owner: "your-org", repo: "your-repo" };
const PLACEHOLDER_EMAIL = { to: "you@example.com", from: "notifications@example.com" };
// Twilio's documented test number: valid E.164, obviously not a real sender.
const PLACEHOLDER_PHONE = "+15005550006";
const PLACEHOLDER_URL = "https://example.com/webhook";
const PLACEHOLDER_CHANNEL = "#general";

const isEmail = (value: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
const isPhone = (value: string) => /^\+[1-9]\d{6,14}$/.test(value);

function has(schema: JsonSchema, test: (s: JsonSchema) => boolean): boolean {
  return test(schema) || (schema.anyOf ?? []).some((option) => has(option, test));
}

function kindOf(name: string, schema: JsonSchema): FieldKind {
  if (has(schema, (s) => s.format === "email")) return "email";
  if (has(schema, (s) => typeof s.pattern === "string" && s.pattern.includes("\\+"))) return "phone";
  if (name === "url" || has(schema, (s) => s.format === "uri")) return "url";
  if (name === "channel") return "channel";
  if (name === "owner") return "repo-owner";
  if (name === "repo") return "repo-name";
  if (name === "method" && schema.enum) return "method";
  if (schema.type === undefined && !schema.anyOf && !schema.enum) return "payload";
  if (name === "name") return "name";
  if (MESSAGE_FIELDS.has(name) && schema.type === "string") return "message";
  return "text";
}

const fieldCache = new WeakMap<ActionDefinition, ActionField[]>();

/** The action's settings as the planner sees them, read from its zod input schema. */
export function actionFields(action: ActionDefinition): ActionField[] {
  const cached = fieldCache.get(action);
  if (cached) return cached;
  const json = z.toJSONSchema(action.input, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const required = new Set(json.required ?? []);
  const fields = Object.entries(json.properties ?? {}).map(([name, schema]) => ({
    name,
    kind: kindOf(name, schema),
    required: required.has(name) && schema.default === undefined,
    schema,
  }));
  fieldCache.set(action, fields);
  return fields;
}

const ENTITY_FOR_FIELD: Partial<Record<FieldKind, EntityKind>> = { email: "email", phone: "phone", url: "url", channel: "channel", "repo-owner": "repo", "repo-name": "repo", message: "quote" };

/** Where an action goes, as the entity kinds its required fields take ("#sales", "+1 …", "acme/web"). */
export function targetEntityKinds(action: ActionDefinition): Set<EntityKind> {
  return new Set(
    actionFields(action).flatMap((field) => {
      const kind = ENTITY_FOR_FIELD[field.kind];
      return field.required && kind && kind !== "quote" ? [kind] : [];
    }),
  );
}

export interface ConfigContext {
  trigger: TriggerDefinition;
  /** What started the run, in words ("Charge failed", "Scheduled: every Monday at 09:00 UTC"). */
  label: string;
  /**
   * An unused entity: from the action's own clause first, then (for required fields only) from the
   * rest of the description.
   */
  takeEntity(kind: EntityKind, scope?: "clause" | "anywhere"): Entity | undefined;
  /** Upper-case codes written in the clause ("in project FIN"): candidate keys. */
  codes: string[];
  /** The clause as written (accent-folded, original case). */
  clause: string;
  /** Something the user must check before activating. */
  review(note: string): void;
}

function subjectReference(trigger: TriggerDefinition): string | undefined {
  const path = pathByKey(trigger, ["customer", "customer_email", "title", "email", "name"], (value) => typeof value === "string");
  return path ? reference(path) : undefined;
}

export function buildActionConfig(action: ActionDefinition, ctx: ConfigContext): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  const fields = actionFields(action);
  const quote = fields.some((field) => field.kind === "message") ? ctx.takeEntity("quote") : undefined;
  const subject = subjectReference(ctx.trigger);
  const message = quote?.value ?? (subject ? `${ctx.label}: ${subject}` : ctx.label);
  let repo: [string, string] | undefined;

  for (const field of fields) {
    const { name, kind } = field;
    const pattern = field.schema.pattern ? new RegExp(field.schema.pattern) : undefined;
    switch (kind) {
      case "email": {
        const entity = ctx.takeEntity("email", field.required ? "anywhere" : "clause");
        if (entity) config[name] = entity.value;
        else if (field.required) {
          const path = name === "from" ? undefined : pathByValue(ctx.trigger, isEmail, "email");
          if (path) config[name] = reference(path);
          else {
            config[name] = name === "from" ? PLACEHOLDER_EMAIL.from : PLACEHOLDER_EMAIL.to;
            ctx.review(`${action.title}: "${name}" is a placeholder (${String(config[name])}); use ${name === "from" ? "a sender address verified with the provider" : "the real recipient"}`);
          }
        }
        break;
      }
      case "phone": {
        const entity = name === "from" ? undefined : ctx.takeEntity("phone", field.required ? "anywhere" : "clause");
        if (entity) config[name] = entity.value;
        else if (field.required) {
          const path = name === "from" ? undefined : pathByValue(ctx.trigger, isPhone, "phone");
          if (path) config[name] = reference(path);
          else {
            config[name] = PLACEHOLDER_PHONE;
            ctx.review(`${action.title}: "${name}" is a placeholder phone number (${PLACEHOLDER_PHONE}); set ${name === "from" ? "your own sending number" : "the recipient"}`);
          }
        }
        break;
      }
      case "url": {
        const entity = ctx.takeEntity("url");
        if (entity) config[name] = entity.value;
        else if (field.required) {
          config[name] = PLACEHOLDER_URL;
          ctx.review(`${action.title}: "${name}" is a placeholder (${PLACEHOLDER_URL}); set the address to call`);
        }
        break;
      }
      case "channel": {
        const entity = ctx.takeEntity("channel");
        if (entity) config[name] = entity.value;
        else if (field.required) {
          config[name] = PLACEHOLDER_CHANNEL;
          ctx.review(`${action.title}: no channel was named, so it posts to ${PLACEHOLDER_CHANNEL}`);
        }
        break;
      }
      case "repo-owner":
      case "repo-name": {
        if (!repo) {
          const entity = ctx.takeEntity("repo");
          const [owner, repoName] = entity?.value.split("/") ?? [];
          if (owner && repoName) repo = [owner, repoName];
        }
        if (repo) config[name] = kind === "repo-owner" ? repo[0] : repo[1];
        else if (field.required) {
          config[name] = NAMED_PLACEHOLDERS[name] ?? name;
          ctx.review(`${action.title}: "${name}" is a placeholder (${String(config[name])})`);
        }
        break;
      }
      case "method": {
        const written = field.schema.enum?.find((method) => typeof method === "string" && new RegExp(`\\b${method}\\b`).test(ctx.clause));
        const sendsPayload = fields.some((other) => other.kind === "payload");
        if (written) config[name] = written;
        // Forwarding the event is what calling a URL from a workflow is usually for.
        else if (sendsPayload && field.schema.enum?.includes("POST")) config[name] = "POST";
        break;
      }
      case "payload": {
        if (config.method !== undefined && config.method !== "GET" && config.method !== "HEAD") config[name] = "{{trigger}}";
        break;
      }
      case "name": {
        if (!field.required) break;
        const path = pathByKey(ctx.trigger, ["name", "customer_name", "customer_email", "email", "title"], (value) => typeof value === "string");
        config[name] = path ? reference(path) : ctx.label;
        break;
      }
      case "message": {
        if (field.required) config[name] = message;
        break;
      }
      case "text": {
        if (!field.required) break;
        const code = pattern ? ctx.codes.find((candidate) => pattern.test(candidate)) : undefined;
        if (code) config[name] = code;
        else if (NAMED_PLACEHOLDERS[name]) {
          config[name] = NAMED_PLACEHOLDERS[name];
          ctx.review(`${action.title}: "${name}" is a placeholder (${NAMED_PLACEHOLDERS[name]}); set yours`);
        } else config[name] = ctx.label;
        break;
      }
    }
  }
  return config;
}

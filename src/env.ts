// The one reader of process.env: every setting Cue understands, validated once with zod.
// A bad value stops start-up with a message naming the variable (see .env.example).
import { z } from "zod";
import { parseKeyRing } from "@/server/crypto/secrets";

const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

const optionalUrl = optionalString.pipe(z.url({ protocol: /^https?$/ }).optional());

const integer = (min: number, max: number, fallback: number) =>
  optionalString.transform((v, ctx) => {
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      ctx.addIssue({ code: "custom", message: `must be a whole number from ${min} to ${max}` });
      return z.NEVER;
    }
    return n;
  });

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    DATABASE_URL: optionalString.pipe(
      z
        .string()
        .regex(/^(postgres(ql)?:\/\/|pglite:)/, "must start with postgresql:// or pglite:")
        .optional(),
    ),
    AUTH_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
    AUTH_URL: optionalUrl,
    AUTH_GOOGLE_ID: optionalString,
    AUTH_GOOGLE_SECRET: optionalString,
    AUTH_GITHUB_ID: optionalString,
    AUTH_GITHUB_SECRET: optionalString,
    AUTH_OIDC_ISSUER: optionalUrl,
    AUTH_OIDC_ID: optionalString,
    AUTH_OIDC_SECRET: optionalString,
    AUTH_OIDC_NAME: optionalString,
    ENCRYPTION_KEYS: optionalString,
    SLACK_API_URL: optionalUrl,
    TWILIO_API_URL: optionalUrl,
    SENDGRID_API_URL: optionalUrl,
    GITHUB_API_URL: optionalUrl,
    JIRA_API_URL: optionalUrl,
    PIPEDRIVE_API_URL: optionalUrl,
    HTTP_ALLOW_PRIVATE_NETWORK: z
      .enum(["true", "false", ""])
      .optional()
      .transform((v) => v === "true"),
    // Billing (Cue's own subscriptions, src/server/billing): off unless STRIPE_SECRET_KEY is set.
    STRIPE_SECRET_KEY: optionalString,
    STRIPE_WEBHOOK_SECRET: optionalString,
    STRIPE_API_URL: optionalUrl,
    STRIPE_PRICE_PRO_MONTHLY: optionalString,
    STRIPE_PRICE_PRO_YEARLY: optionalString,
    STRIPE_PRICE_BUSINESS_MONTHLY: optionalString,
    STRIPE_PRICE_BUSINESS_YEARLY: optionalString,
    // Stripe Connect (connecting users' own Stripe accounts, src/server/services/stripe-connect.ts):
    // the Connect client id, and the platform secret key (defaults to STRIPE_SECRET_KEY).
    STRIPE_CONNECT_CLIENT_ID: optionalString,
    STRIPE_CONNECT_SECRET_KEY: optionalString,
    STRIPE_CONNECT_URL: optionalUrl,
    // AI workflow generation (src/ai): a language model on any OpenAI-compatible endpoint. All three
    // or none; without them the offline planner generates workflows.
    AI_BASE_URL: optionalUrl,
    AI_API_KEY: optionalString,
    AI_MODEL: optionalString,
    AI_TIMEOUT_MS: integer(1_000, 300_000, 20_000),
    // OAuth apps for connections (src/integrations/*/index.ts declare which names each reads);
    // *_OAUTH_URL overrides where the provider's authorize/token endpoints live (tests, proxies).
    PIPEDRIVE_CLIENT_ID: optionalString,
    PIPEDRIVE_CLIENT_SECRET: optionalString,
    PIPEDRIVE_OAUTH_URL: optionalUrl,
    JIRA_CLIENT_ID: optionalString,
    JIRA_CLIENT_SECRET: optionalString,
    JIRA_OAUTH_URL: optionalUrl,
    SLACK_CLIENT_ID: optionalString,
    SLACK_CLIENT_SECRET: optionalString,
    SLACK_OAUTH_URL: optionalUrl,
    GITHUB_CLIENT_ID: optionalString,
    GITHUB_CLIENT_SECRET: optionalString,
    GITHUB_OAUTH_URL: optionalUrl,
    // Pipedream Connect: the project's OAuth client, and the secret its webhooks are signed with.
    PIPEDREAM_CLIENT_ID: optionalString,
    PIPEDREAM_CLIENT_SECRET: optionalString,
    PIPEDREAM_PROJECT_ID: optionalString,
    PIPEDREAM_ENVIRONMENT: z.enum(["development", "production"]).default("development"),
    PIPEDREAM_API_URL: optionalUrl,
    PIPEDREAM_WEBHOOK_SECRET: optionalString,
    // Production mode: with REDIS_URL the run queue is BullMQ and `npx cue worker` executes runs.
    REDIS_URL: optionalString.pipe(z.string().regex(/^rediss?:\/\//, "must start with redis:// or rediss://").optional()),
    WORKER_CONCURRENCY: integer(1, 256, 32),
    WORKER_HEALTH_PORT: integer(0, 65_535, 9464),
    // Keys and queue names in Redis start with this, so several deployments (or test files) can
    // share one Redis.
    QUEUE_PREFIX: optionalString.pipe(z.string().regex(/^[A-Za-z0-9_.-]+$/, "letters, digits, _ . - only").default("cue")),
    // How long a worker's claim on a run lasts without renewal: a dead worker's runs are retaken after it.
    RUN_LEASE_MS: integer(1_000, 3_600_000, 60_000),
    // On SIGTERM a worker lets in-flight runs finish this long, then hands them back to other workers.
    WORKER_SHUTDOWN_GRACE_MS: integer(0, 3_600_000, 25_000),
    // How often workers re-read due runs and schedules from the database (the truth) into Redis.
    WORKER_SWEEP_INTERVAL_MS: integer(1_000, 3_600_000, 30_000),
    RUN_CONCURRENCY: integer(1, 256, 32),
    SCHEDULER_INTERVAL_MS: integer(100, 60_000, 1_000),
  })
  .superRefine((v, ctx) => {
    const pairs = [
      ["AUTH_GOOGLE_ID", "AUTH_GOOGLE_SECRET"],
      ["AUTH_GITHUB_ID", "AUTH_GITHUB_SECRET"],
      ["AUTH_OIDC_ID", "AUTH_OIDC_SECRET"],
      ["AUTH_OIDC_ISSUER", "AUTH_OIDC_ID"],
    ] as const;
    for (const [a, b] of pairs) {
      if (Boolean(v[a]) !== Boolean(v[b])) {
        const missing = v[a] ? b : a;
        ctx.addIssue({ code: "custom", path: [missing], message: `is required when ${v[a] ? a : b} is set` });
      }
    }
    // Billing half-configured would take money without being able to confirm it: all or nothing.
    if (v.STRIPE_SECRET_KEY) {
      const billing = [
        "STRIPE_WEBHOOK_SECRET",
        "STRIPE_PRICE_PRO_MONTHLY",
        "STRIPE_PRICE_PRO_YEARLY",
        "STRIPE_PRICE_BUSINESS_MONTHLY",
        "STRIPE_PRICE_BUSINESS_YEARLY",
      ] as const;
      for (const name of billing) {
        if (!v[name]) ctx.addIssue({ code: "custom", path: [name], message: "is required when STRIPE_SECRET_KEY is set" });
      }
    }
    // A half-configured model would silently never be used: name what is missing instead.
    const ai = ["AI_BASE_URL", "AI_API_KEY", "AI_MODEL"] as const;
    if (ai.some((name) => v[name])) {
      for (const name of ai) if (!v[name]) ctx.addIssue({ code: "custom", path: [name], message: `is required when ${ai.filter((n) => v[n]).join(", ")} is set` });
    }
    // `next build` evaluates server modules with NODE_ENV=production but without runtime secrets.
    const building = process.env.NEXT_PHASE === "phase-production-build";
    if (v.NODE_ENV === "production" && !building) {
      for (const name of ["AUTH_SECRET", "ENCRYPTION_KEYS"] as const) {
        if (!v[name]) ctx.addIssue({ code: "custom", path: [name], message: "is required in production" });
      }
    }
    if (v.ENCRYPTION_KEYS) {
      try {
        parseKeyRing(v.ENCRYPTION_KEYS);
      } catch (error) {
        ctx.addIssue({ code: "custom", path: ["ENCRYPTION_KEYS"], message: (error as Error).message.replace(/^ENCRYPTION_KEYS: /, "") });
      }
    }
  });

export type Env = z.infer<typeof schema> & { AUTH_SECRET: string; ENCRYPTION_KEYS: string };

// Only for development and tests; production refuses to start without its own values.
const DEVELOPMENT_AUTH_SECRET = "cue-development-secret-do-not-use-in-production";
const DEVELOPMENT_ENCRYPTION_KEYS = `dev:${Buffer.from("cue-development-key-not-for-prod").toString("base64")}`;

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join("\n")}\nSee .env.example.`);
  }
  return {
    ...result.data,
    AUTH_SECRET: result.data.AUTH_SECRET ?? DEVELOPMENT_AUTH_SECRET,
    ENCRYPTION_KEYS: result.data.ENCRYPTION_KEYS ?? DEVELOPMENT_ENCRYPTION_KEYS,
  };
}

export const env: Env = parseEnv(process.env);

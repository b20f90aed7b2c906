// The one reader of process.env: every setting Cue understands, validated once with zod.
// A bad value stops start-up with a message naming the variable (see .env.example).
import { z } from "zod";

const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

const optionalUrl = optionalString.pipe(z.url({ protocol: /^https?$/ }).optional());

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
    // `next build` evaluates server modules with NODE_ENV=production but without runtime secrets.
    const building = process.env.NEXT_PHASE === "phase-production-build";
    if (v.NODE_ENV === "production" && !building && !v.AUTH_SECRET) {
      ctx.addIssue({ code: "custom", path: ["AUTH_SECRET"], message: "is required in production" });
    }
  });

export type Env = z.infer<typeof schema> & { AUTH_SECRET: string };

// Only for development and tests; production refuses to start without AUTH_SECRET.
const DEVELOPMENT_AUTH_SECRET = "cue-development-secret-do-not-use-in-production";

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join("\n")}\nSee .env.example.`);
  }
  return { ...result.data, AUTH_SECRET: result.data.AUTH_SECRET ?? DEVELOPMENT_AUTH_SECRET };
}

export const env: Env = parseEnv(process.env);

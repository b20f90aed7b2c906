// tRPC foundations: the request context, the error formatter (zod issues → field messages;
// AppError codes → tRPC codes, in one place) and the procedure builders every router uses.
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import type { RunQueue } from "@/queue/types";
import type { KeyRing } from "@/server/crypto/secrets";
import type { Db } from "@/server/db";
import type { ProviderEnvironment } from "@/server/services/connections";
import { AppError } from "@/lib/errors";

export interface SessionUser {
  id: string;
}

export interface Context {
  db: Db;
  /** The signed-in user, or null. */
  user: SessionUser | null;
  /** Request headers (cookies, protocol), for procedures that need them. */
  headers: Headers;
  /** Response headers a procedure may add to (e.g. Set-Cookie). */
  resHeaders: Headers;
  /** Where new runs go once their rows are committed. */
  queue: RunQueue;
  /** Encrypts and decrypts secrets at rest. */
  keys: KeyRing;
  /** Provider API locations, for verifying connections. */
  providers: ProviderEnvironment;
}

export type FieldErrors = Record<string, string[]>;

function fieldErrorsOf(cause: unknown): FieldErrors | null {
  if (cause instanceof ZodError) {
    const flat = z.flattenError(cause);
    const fields: FieldErrors = { ...(flat.fieldErrors as FieldErrors) };
    // Unknown keys from a strict object come as one form-level issue naming the keys.
    for (const issue of cause.issues) {
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys) fields[key] = [`"${key}" is not a field that can be changed`];
      }
    }
    return fields;
  }
  if (cause instanceof AppError && cause.fieldErrors) return cause.fieldErrors;
  return null;
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const fieldErrors = fieldErrorsOf(error.cause);
    const message = error.cause instanceof ZodError ? "Please correct the highlighted fields." : shape.message;
    const { stack: _stack, ...data } = shape.data;
    const issues = error.cause instanceof AppError ? (error.cause.issues ?? null) : null;
    return { ...shape, message, data: { ...data, fieldErrors, issues } };
  },
});

/** Turns AppError thrown anywhere below into the matching TRPCError. */
const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    const cause = result.error.cause;
    return { ...result, error: new TRPCError({ code: cause.trpcCode, message: cause.message, cause }) };
  }
  return result;
});

export const createCallerFactory = t.createCallerFactory;
export const router = t.router;

export const publicProcedure = t.procedure.use(appErrors);

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Please sign in." });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

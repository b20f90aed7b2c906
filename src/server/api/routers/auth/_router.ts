import { z } from "zod";
import { env } from "@/env";
import { publicProcedure, router } from "@/server/api/trpc";
import { sessionCookieName } from "@/server/auth/constants";
import { devSignInEnabled, signInOptions } from "@/server/auth/providers";
import { AppError } from "@/lib/errors";
import { createDevSession } from "@/server/services/dev-sign-in";
import { getProfile } from "@/server/services/profile";

export const devSignInInput = z
  .object({ email: z.string().trim().toLowerCase().pipe(z.email({ error: "Enter a valid email address" }).max(254)) })
  .strict();

export const authRouter = router({
  /** The signed-in user (for the app shell), or null. */
  session: publicProcedure.query(async ({ ctx }) => {
    if (!ctx.user) return null;
    const profile = await getProfile(ctx.db, ctx.user.id);
    return { user: { id: profile.id, email: profile.email, name: profile.displayName, avatarUrl: profile.avatarUrl } };
  }),

  signInOptions: publicProcedure.query(() => ({
    providers: signInOptions(env),
    devSignIn: devSignInEnabled(env),
  })),

  devSignIn: publicProcedure.input(devSignInInput).mutation(async ({ ctx, input }) => {
    if (!devSignInEnabled(env)) {
      throw new AppError("FORBIDDEN", "Development sign-in is disabled: an OAuth provider is configured or this is production.");
    }
    const { sessionToken, expires } = await createDevSession(ctx.db, input.email);
    const secure = ctx.headers.get("x-forwarded-proto") === "https" || (env.AUTH_URL?.startsWith("https:") ?? false);
    ctx.resHeaders.append(
      "Set-Cookie",
      `${sessionCookieName(secure)}=${sessionToken}; Path=/; HttpOnly; SameSite=Lax; Expires=${expires.toUTCString()}${secure ? "; Secure" : ""}`,
    );
    return { ok: true as const };
  }),
});

// next-auth v5: OAuth/OIDC sign-in with sessions stored in the database by the Prisma adapter.
import { PrismaAdapter } from "@auth/prisma-adapter";
import NextAuth, { type DefaultSession } from "next-auth";
import { cache } from "react";
import { env } from "@/env";
import { getDb } from "@/server/db";
import { configuredProviders } from "@/server/auth/providers";
import { SESSION_MAX_AGE_SECONDS } from "@/server/auth/constants";

declare module "next-auth" {
  interface Session {
    user: { id: string } & DefaultSession["user"];
  }
}



const nextAuth = NextAuth(() => ({
  adapter: PrismaAdapter(getDb()),
  session: { strategy: "database", maxAge: SESSION_MAX_AGE_SECONDS },
  secret: env.AUTH_SECRET,
  trustHost: true,
  providers: configuredProviders(env),
  pages: { signIn: "/signin", error: "/signin" },
  callbacks: {
    session({ session, user }) {
      return { ...session, user: { ...session.user, id: user.id } };
    },
  },
}));

export const { handlers, signIn, signOut } = nextAuth;

/** The current session, read once per request. */
export const auth = cache(nextAuth.auth);

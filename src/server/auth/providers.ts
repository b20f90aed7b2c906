// Which sign-in methods this deployment offers, decided from the environment alone.
import type { Provider } from "next-auth/providers";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import type { Env } from "@/env";

export interface SignInOption {
  id: string;
  name: string;
}

export function configuredProviders(env: Env): Provider[] {
  const providers: Provider[] = [];
  if (env.AUTH_GOOGLE_ID && env.AUTH_GOOGLE_SECRET) {
    providers.push(Google({ clientId: env.AUTH_GOOGLE_ID, clientSecret: env.AUTH_GOOGLE_SECRET }));
  }
  if (env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET) {
    providers.push(GitHub({ clientId: env.AUTH_GITHUB_ID, clientSecret: env.AUTH_GITHUB_SECRET }));
  }
  if (env.AUTH_OIDC_ISSUER && env.AUTH_OIDC_ID && env.AUTH_OIDC_SECRET) {
    providers.push({
      id: "oidc",
      name: env.AUTH_OIDC_NAME ?? "Single sign-on",
      type: "oidc",
      issuer: env.AUTH_OIDC_ISSUER,
      clientId: env.AUTH_OIDC_ID,
      clientSecret: env.AUTH_OIDC_SECRET,
      checks: ["pkce", "state"],
    });
  }
  return providers;
}

export function signInOptions(env: Env): SignInOption[] {
  return configuredProviders(env).map((p) => {
    const config = typeof p === "function" ? p() : p;
    return { id: config.id, name: config.name };
  });
}

/** The email-only development sign-in: only when nothing else is configured, never in production. */
export function devSignInEnabled(env: Env): boolean {
  return env.NODE_ENV !== "production" && configuredProviders(env).length === 0;
}

import { redirect } from "next/navigation";
import { env } from "@/env";
import { auth, signIn } from "@/server/auth";
import { devSignInEnabled, signInOptions } from "@/server/auth/providers";
import { safeCallbackUrl } from "@/server/auth/require-user";
import { DevSignInForm } from "./dev-sign-in-form";

export const metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

const ERROR_MESSAGES: Record<string, string> = {
  OAuthAccountNotLinked: "That email is already linked to another sign-in method. Use the one you signed up with.",
  AccessDenied: "Access was denied by the provider.",
  Configuration: "Sign-in is misconfigured on this server. Please contact the administrator.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  if ((await auth())?.user) redirect(callbackUrl);

  const providers = signInOptions(env);
  const devSignIn = devSignInEnabled(env);
  const errorCode = typeof params.error === "string" ? params.error : undefined;

  return (
    <main className="auth-page">
      <section className="card auth-card">
        <div className="brand">
          <span className="brand-mark" style={{ color: "#fff" }}>C</span> Cue
        </div>
        <h1>Sign in</h1>
        <p className="muted">Automate the work between your tools.</p>
        {errorCode ? (
          <div role="alert" className="alert alert-error">
            {ERROR_MESSAGES[errorCode] ?? "Sign-in failed. Please try again."}
          </div>
        ) : null}
        <div className="stack">
          {providers.map((provider) => (
            <form
              key={provider.id}
              action={async () => {
                "use server";
                await signIn(provider.id, { redirectTo: callbackUrl });
              }}
            >
              <button type="submit" className="btn btn-secondary btn-block">
                Continue with {provider.name}
              </button>
            </form>
          ))}
        </div>
        {devSignIn ? (
          <>
            {providers.length > 0 ? <div className="divider">or</div> : null}
            <DevSignInForm callbackUrl={callbackUrl} />
          </>
        ) : null}
        {!devSignIn && providers.length === 0 ? (
          <div role="alert" className="alert alert-error">
            No sign-in method is configured. Set AUTH_GOOGLE_ID/SECRET, AUTH_GITHUB_ID/SECRET or AUTH_OIDC_* (see .env.example).
          </div>
        ) : null}
      </section>
    </main>
  );
}

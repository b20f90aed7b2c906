import "server-only";
// Server components' gate: the signed-in user, or a redirect to sign-in that comes back here.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { auth } from "@/server/auth";

export async function requireUserId(): Promise<string> {
  const session = await auth();
  if (session?.user?.id) return session.user.id;
  const path = (await headers()).get("x-cue-path") ?? "/workflows";
  redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
}

/** Only same-site paths are allowed as post-sign-in destinations. */
export function safeCallbackUrl(value: string | string[] | undefined): string {
  const candidate = Array.isArray(value) ? value[0] : value;
  return candidate && candidate.startsWith("/") && !candidate.startsWith("//") ? candidate : "/workflows";
}

import type { ReactNode } from "react";
import { Avatar } from "@/components/avatar";
import { NavLinks } from "@/components/nav-links";
import { signOut } from "@/server/auth";
import { requireUserId } from "@/server/auth/require-user";
import { getDb } from "@/server/db";
import { getProfile } from "@/server/services/profile";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const userId = await requireUserId();
  const profile = await getProfile(getDb(), userId);

  async function signOutAction() {
    "use server";
    await signOut({ redirectTo: "/signin" });
  }

  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark">C</span> Cue
        </div>
        <NavLinks />
        <div className="sidebar-user" data-testid="current-user">
          <Avatar name={profile.displayName} url={profile.avatarUrl} />
          <div className="who">
            <strong>{profile.displayName}</strong>
            {profile.email ? <span>{profile.email}</span> : null}
          </div>
          <form action={signOutAction}>
            <button type="submit" className="btn btn-ghost">
              Sign out
            </button>
          </form>
        </div>
      </aside>
      <main className="main">{children}</main>
    </div>
  );
}

import { requireUserId } from "@/server/auth/require-user";
import { getDb } from "@/server/db";
import { getProfile } from "@/server/services/profile";
import { ProfileForm } from "./profile-form";

export const metadata = { title: "Profile" };

export default async function ProfilePage() {
  const profile = await getProfile(getDb(), await requireUserId());
  return (
    <>
      <header className="page-header">
        <h1>Profile</h1>
        <p className="muted">How you appear in Cue, and what you use it for.</p>
      </header>
      <ProfileForm profile={profile} />
    </>
  );
}

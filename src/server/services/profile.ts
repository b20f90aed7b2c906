// Reading and editing the signed-in user's own profile.
import type { z } from "zod";
import type { Db } from "@/server/db";
import { notFound } from "@/lib/errors";
import type { updateProfileInput } from "@/server/api/routers/profile/update.schema";

const profileSelect = {
  id: true,
  email: true,
  name: true,
  image: true,
  firstName: true,
  lastName: true,
  company: true,
  industry: true,
  role: true,
  usagePurpose: true,
} as const;

type ProfileRow = { [K in keyof typeof profileSelect]: K extends "id" ? string : string | null };

export interface Profile {
  id: string;
  email: string | null;
  displayName: string;
  avatarUrl: string | null;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  industry: string | null;
  role: string | null;
  usagePurpose: string | null;
}

function toProfile(row: ProfileRow): Profile {
  const fullName = [row.firstName, row.lastName].filter(Boolean).join(" ");
  return {
    id: row.id,
    email: row.email,
    displayName: fullName || row.name || row.email || "Cue user",
    avatarUrl: row.image,
    firstName: row.firstName,
    lastName: row.lastName,
    company: row.company,
    industry: row.industry,
    role: row.role,
    usagePurpose: row.usagePurpose,
  };
}

export async function getProfile(db: Db, userId: string): Promise<Profile> {
  const row = await db.user.findUnique({ where: { id: userId }, select: profileSelect });
  if (!row) throw notFound("Profile");
  return toProfile(row);
}

export async function updateProfile(
  db: Db,
  userId: string,
  input: z.output<typeof updateProfileInput>,
): Promise<Profile> {
  const { avatarUrl, ...rest } = input;
  const result = await db.user.updateManyAndReturn({
    where: { id: userId },
    data: { ...rest, ...(avatarUrl !== undefined ? { image: avatarUrl } : {}) },
    select: profileSelect,
  });
  const row = result[0];
  if (!row) throw notFound("Profile");
  return toProfile(row);
}

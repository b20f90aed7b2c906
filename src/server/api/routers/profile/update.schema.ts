// The profile a user can edit. Shared by the API (validation) and the form (instant feedback).
import { z } from "zod";

/** Trimmed text; an empty value clears the field (stored as null). */
const text = (label: string, max: number) =>
  z
    .string({ error: `${label} must be text` })
    .trim()
    .max(max, { error: `${label} must be at most ${max} characters` })
    .transform((v) => (v === "" ? null : v))
    .nullable();

export const PROFILE_LIMITS = {
  firstName: 60,
  lastName: 60,
  company: 120,
  industry: 80,
  role: 80,
  usagePurpose: 500,
  avatarUrl: 2048,
} as const;

export const updateProfileInput = z
  .object({
    firstName: text("First name", PROFILE_LIMITS.firstName),
    lastName: text("Last name", PROFILE_LIMITS.lastName),
    company: text("Company", PROFILE_LIMITS.company),
    industry: text("Industry", PROFILE_LIMITS.industry),
    role: text("Role", PROFILE_LIMITS.role),
    usagePurpose: text("Usage purpose", PROFILE_LIMITS.usagePurpose),
    avatarUrl: z
      .string({ error: "Avatar URL must be text" })
      .trim()
      .max(PROFILE_LIMITS.avatarUrl, { error: `Avatar URL must be at most ${PROFILE_LIMITS.avatarUrl} characters` })
      .refine((v) => v === "" || isHttpUrl(v), { error: "Avatar URL must be an http:// or https:// address" })
      .transform((v) => (v === "" ? null : v))
      .nullable(),
  })
  .partial()
  .strict();

export type UpdateProfileInput = z.input<typeof updateProfileInput>;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname.length > 0;
  } catch {
    return false;
  }
}

"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { z } from "zod";
import { Avatar } from "@/components/avatar";
import { fieldErrorsFrom, messageFrom, type FieldErrors } from "@/lib/trpc-errors";
import { PROFILE_LIMITS, updateProfileInput } from "@/server/api/routers/profile/update.schema";
import type { Profile } from "@/server/services/profile";
import { useTRPC } from "@/trpc/react";

type FieldName = keyof typeof PROFILE_LIMITS;

const FIELDS: { name: FieldName; label: string; hint?: string; multiline?: boolean; suggestions?: string[] }[] = [
  { name: "firstName", label: "First name" },
  { name: "lastName", label: "Last name" },
  { name: "company", label: "Company" },
  {
    name: "industry",
    label: "Industry",
    suggestions: ["SaaS", "E-commerce", "Agency", "Fintech", "Healthcare", "Education", "Non-profit"],
  },
  { name: "role", label: "Role", suggestions: ["Founder", "Engineer", "Operations", "Sales", "Support", "Finance"] },
  { name: "avatarUrl", label: "Avatar URL", hint: "An http:// or https:// link to an image." },
  { name: "usagePurpose", label: "What will you automate with Cue?", multiline: true },
];

function valuesOf(profile: Profile): Record<FieldName, string> {
  return Object.fromEntries(FIELDS.map((f) => [f.name, profile[f.name] ?? ""])) as Record<FieldName, string>;
}

export function ProfileForm({ profile }: { profile: Profile }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [values, setValues] = useState(() => valuesOf(profile));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [status, setStatus] = useState<{ kind: "success" | "error"; text: string } | null>(null);

  const update = useMutation(
    trpc.profile.update.mutationOptions({
      onSuccess(saved) {
        setValues(valuesOf(saved));
        setErrors({});
        setStatus({ kind: "success", text: "Profile saved." });
        router.refresh();
      },
      onError(error) {
        setErrors(fieldErrorsFrom(error));
        setStatus({ kind: "error", text: messageFrom(error) });
      },
    }),
  );

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setStatus(null);
    const parsed = updateProfileInput.safeParse(values);
    if (!parsed.success) {
      setErrors(z.flattenError(parsed.error).fieldErrors);
      setStatus({ kind: "error", text: "Please correct the highlighted fields." });
      return;
    }
    update.mutate(values);
  }

  const displayName = [values.firstName, values.lastName].filter(Boolean).join(" ") || profile.displayName;

  return (
    <form className="card" onSubmit={onSubmit} noValidate aria-label="Profile">
      {status ? (
        <div role={status.kind === "error" ? "alert" : "status"} className={`alert alert-${status.kind}`}>
          {status.text}
        </div>
      ) : null}
      <div style={{ display: "flex", alignItems: "center", gap: 14, marginBottom: 20 }}>
        <Avatar name={displayName} url={errors.avatarUrl ? null : values.avatarUrl || null} size={56} />
        <div>
          <strong>{displayName}</strong>
          <div className="muted">{profile.email}</div>
        </div>
      </div>
      <div className="grid-2">
        {FIELDS.map((field) => {
          const id = `profile-${field.name}`;
          const fieldErrors = errors[field.name];
          const common = {
            id,
            name: field.name,
            value: values[field.name],
            maxLength: PROFILE_LIMITS[field.name] + 50,
            "aria-invalid": fieldErrors ? true : undefined,
            "aria-describedby": fieldErrors ? `${id}-error` : undefined,
            onChange: (e: { target: { value: string } }) => {
              setValues((v) => ({ ...v, [field.name]: e.target.value }));
              if (errors[field.name]) setErrors((err) => ({ ...err, [field.name]: undefined }));
            },
          };
          return (
            <div key={field.name} className={`field${field.multiline ? " full" : ""}`}>
              <label htmlFor={id}>{field.label}</label>
              {field.multiline ? (
                <textarea rows={3} {...common} />
              ) : (
                <input type={field.name === "avatarUrl" ? "url" : "text"} list={field.suggestions ? `${id}-options` : undefined} {...common} />
              )}
              {field.suggestions ? (
                <datalist id={`${id}-options`}>
                  {field.suggestions.map((s) => (
                    <option key={s} value={s} />
                  ))}
                </datalist>
              ) : null}
              {fieldErrors ? (
                <span id={`${id}-error`} className="field-error">
                  {fieldErrors[0]}
                </span>
              ) : field.hint ? (
                <span className="hint">{field.hint}</span>
              ) : null}
            </div>
          );
        })}
      </div>
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={update.isPending}>
          {update.isPending ? "Saving…" : "Save profile"}
        </button>
      </div>
    </form>
  );
}

// Reads the validation issues the API attaches to a refusal (activate on an invalid graph).
import { TRPCClientError } from "@trpc/client";
import type { ValidationIssue } from "./api-types";

function isIssue(value: unknown): value is ValidationIssue {
  return typeof value === "object" && value !== null && "message" in value && typeof value.message === "string";
}

export function issuesFromError(error: unknown): ValidationIssue[] {
  if (!(error instanceof TRPCClientError)) return [];
  const data: unknown = error.data;
  if (typeof data !== "object" || data === null || !("issues" in data) || !Array.isArray(data.issues)) return [];
  return data.issues.filter(isIssue);
}

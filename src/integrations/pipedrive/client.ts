// What every Pipedrive call shares: the company's API domain from the OAuth token response,
// Bearer auth, and the { success, data } response envelope.
import { z } from "zod";
import { bearer, joinUrl, type RequestContext, requireCredential } from "../core/define";

export function pipedriveUrl(ctx: RequestContext, path: string): string {
  // OAuth token responses name the company's own domain (api_domain); prefer it to the default.
  return joinUrl(ctx.credentials.extra?.apiDomain ?? ctx.baseUrl, `api/v1/${path}`);
}

export function pipedriveHeaders(ctx: RequestContext): Record<string, string> {
  return { authorization: bearer(requireCredential(ctx.credentials.accessToken, "Pipedrive")), accept: "application/json" };
}

export function pipedriveData<T extends z.ZodType>(data: T) {
  return z.object({ success: z.literal(true), data });
}

/** Ids arrive from templates as numbers or numeric strings. */
export const pipedriveId = z.coerce.number().int().positive();

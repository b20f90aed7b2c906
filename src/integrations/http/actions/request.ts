// A generic HTTP call to any public URL, for services Cue has no integration for.
import { z } from "zod";
import { defineAction } from "../../core/define";

const input = z
  .object({
    method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]).default("GET"),
    url: z.url({ protocol: /^https?$/, error: "Expected an http(s) URL" }),
    headers: z.record(z.string(), z.string()).default({}),
    query: z.record(z.string(), z.string()).optional().describe("Added to the URL's query string"),
    body: z.unknown().optional().describe("Sent as JSON; a string with your own content-type is sent as is"),
    failOnHttpError: z.boolean().default(true).describe("Fail the step on 4xx/5xx answers instead of passing them on"),
  })
  .refine((request) => request.body === undefined || (request.method !== "GET" && request.method !== "HEAD"), {
    message: "GET and HEAD requests cannot have a body",
    path: ["body"],
  });

const output = z.object({
  status: z.number().int(),
  headers: z.record(z.string(), z.string()),
  body: z.unknown(),
});

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

export const httpRequest = defineAction({
  type: "http.request",
  title: "HTTP request",
  description: "Calls any public HTTP API and passes on its status, headers and body.",
  phrases: ["call an api", "make an http request", "send a webhook", "post to a url", "call a url", "http request", "hit an endpoint"],
  input,
  output,
  sampleOutput: {
    status: 200,
    headers: { "content-type": "application/json; charset=utf-8" },
    body: { id: "ord_8231", status: "created" },
  },
  publicNetworkOnly: true,
  request(call, ctx) {
    const url = new URL(call.url);
    for (const [name, value] of Object.entries(call.query ?? {})) url.searchParams.append(name, value);
    const headers = { ...call.headers };
    // Lets servers that honour the convention drop a retried request they already handled.
    if (!hasHeader(headers, "idempotency-key")) headers["Idempotency-Key"] = ctx.idempotencyKey;
    const rawString = typeof call.body === "string" && hasHeader(headers, "content-type");
    return {
      method: call.method,
      url: url.toString(),
      headers,
      ...(call.body === undefined ? {} : rawString ? { body: String(call.body) } : { json: call.body }),
      failOnHttpError: call.failOnHttpError,
    };
  },
  parse: (response) => ({ status: response.status, headers: response.headers, body: response.body }),
});

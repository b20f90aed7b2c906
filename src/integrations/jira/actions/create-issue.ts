// Create issue (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-post).
import { z } from "zod";
import { StepError } from "@/engine/errors";
import type { Credentials } from "@/engine/types";
import { basicAuth, bearer, defineAction, joinUrl, requireCredential } from "../../core/define";
import { plainTextToAdf } from "../adf";

const input = z.object({
  project: z
    .string()
    .trim()
    .regex(/^[A-Z][A-Z0-9_]+$/, "Expected a Jira project key like OPS")
    .describe("Project key"),
  summary: z
    .string()
    .trim()
    .min(1)
    .max(255)
    // Jira rejects summaries containing line breaks.
    .transform((summary) => summary.replace(/\s*[\r\n]+\s*/g, " ")),
  issueType: z.string().trim().min(1).default("Task").describe("Issue type name: Task, Bug, Story …"),
  description: z.string().optional().describe("Plain text; blank lines start new paragraphs"),
  labels: z.array(z.string().regex(/^\S+$/, "Jira labels cannot contain spaces")).optional(),
  priority: z.string().trim().min(1).optional().describe("Priority name: Highest, High, Medium, Low, Lowest"),
});

const output = z.object({ id: z.string(), key: z.string(), url: z.url() });

const createdIssue = z.object({ id: z.string(), key: z.string(), self: z.url() });

interface JiraSite {
  apiBase: string;
  authorization: string;
  /** Where people open the issue in a browser, when known. */
  siteUrl?: string;
}

// Two ways to connect: OAuth 2.0 (3LO) goes through api.atlassian.com with the site's cloudId;
// an API token talks to the site URL directly with Basic email:token.
function jiraSite(credentials: Credentials, baseUrl: string): JiraSite {
  const extra = credentials.extra ?? {};
  if (extra.baseUrl) {
    const email = requireCredential(credentials.username, "Jira");
    const token = requireCredential(credentials.password ?? credentials.accessToken, "Jira");
    return { apiBase: extra.baseUrl, authorization: basicAuth(email, token), siteUrl: extra.baseUrl };
  }
  const token = requireCredential(credentials.accessToken, "Jira");
  if (!extra.cloudId) throw new StepError("config", "Connect Jira first: the connection does not name a Jira site (cloudId)");
  return {
    apiBase: joinUrl(baseUrl, `ex/jira/${encodeURIComponent(extra.cloudId)}`),
    authorization: bearer(token),
    siteUrl: extra.siteUrl,
  };
}

export const createIssue = defineAction({
  type: "jira.issue.create",
  title: "Create a Jira issue",
  description: "Opens an issue in a Jira Cloud project.",
  phrases: ["create a jira ticket", "open a jira issue", "file a ticket", "create a ticket", "log a bug", "jira", "jira ticket", "jira issue", "jira task", "jira bug", "ticket in jira", "open a ticket", "creer un ticket", "crear un ticket", "ticket erstellen"],
  input,
  output,
  sampleOutput: { id: "10042", key: "OPS-123", url: "https://acme.atlassian.net/browse/OPS-123" },
  request(issue, ctx) {
    const site = jiraSite(ctx.credentials, ctx.baseUrl);
    const description = issue.description?.trim() ? plainTextToAdf(issue.description) : undefined;
    return {
      method: "POST",
      url: joinUrl(site.apiBase, "rest/api/3/issue"),
      headers: { authorization: site.authorization, accept: "application/json" },
      json: {
        fields: {
          project: { key: issue.project },
          summary: issue.summary,
          issuetype: { name: issue.issueType },
          ...(description ? { description } : {}),
          ...(issue.labels?.length ? { labels: issue.labels } : {}),
          ...(issue.priority ? { priority: { name: issue.priority } } : {}),
        },
      },
    };
  },
  parse(response, ctx) {
    const created = createdIssue.parse(response.body);
    const site = jiraSite(ctx.credentials, ctx.baseUrl).siteUrl;
    // Without the site URL (OAuth connections that did not store it) the API link is the best we have.
    return { id: created.id, key: created.key, url: site ? joinUrl(site, `browse/${created.key}`) : created.self };
  },
});

// Create an issue (https://docs.github.com/en/rest/issues/issues#create-an-issue).
import { z } from "zod";
import { bearer, defineAction, joinUrl, requireCredential } from "../../core/define";

const name = z.string().trim().regex(/^[A-Za-z0-9_.-]+$/, "Expected a GitHub owner or repository name");

const input = z.object({
  owner: name.describe("User or organization"),
  repo: name.describe("Repository name"),
  title: z.string().trim().min(1).max(256),
  body: z.string().optional().describe("Markdown"),
  labels: z.array(z.string().min(1)).optional(),
  assignees: z.array(z.string().min(1)).optional().describe("Logins to assign"),
});

const output = z.object({ number: z.number().int(), url: z.url() });

const createdIssue = z.object({ number: z.number().int(), html_url: z.url() }).loose();

export const createIssue = defineAction({
  type: "github.issue.create",
  title: "Create a GitHub issue",
  description: "Opens an issue in a GitHub repository.",
  phrases: ["open a github issue", "create a github issue", "file a bug on github", "new issue in the repo", "github issue"],
  input,
  output,
  sampleOutput: { number: 1347, url: "https://github.com/acme/web/issues/1347" },
  request(issue, ctx) {
    return {
      method: "POST",
      url: joinUrl(ctx.baseUrl, `repos/${encodeURIComponent(issue.owner)}/${encodeURIComponent(issue.repo)}/issues`),
      headers: {
        authorization: bearer(requireCredential(ctx.credentials.accessToken, "GitHub")),
        accept: "application/vnd.github+json",
        "x-github-api-version": "2022-11-28",
      },
      json: {
        title: issue.title,
        ...(issue.body ? { body: issue.body } : {}),
        ...(issue.labels?.length ? { labels: issue.labels } : {}),
        ...(issue.assignees?.length ? { assignees: issue.assignees } : {}),
      },
    };
  },
  parse: (response) => {
    const created = createdIssue.parse(response.body);
    return { number: created.number, url: created.html_url };
  },
});

// The "issues" webhook with action "opened" (https://docs.github.com/en/webhooks/webhook-events-and-payloads#issues).
import { z } from "zod";
import { defineTrigger } from "../core/define";

const user = z.object({ login: z.string(), id: z.number().int(), html_url: z.url() }).loose();

const issue = z
  .object({
    id: z.number().int(),
    number: z.number().int(),
    title: z.string(),
    body: z.string().nullable(),
    state: z.enum(["open", "closed"]),
    html_url: z.url(),
    user,
    labels: z.array(z.object({ name: z.string(), color: z.string() }).loose()),
    assignees: z.array(user),
    created_at: z.string(),
  })
  .loose();

const repository = z
  .object({
    id: z.number().int(),
    name: z.string(),
    full_name: z.string(),
    private: z.boolean(),
    html_url: z.url(),
    owner: user,
  })
  .loose();

export const issueOpened = defineTrigger({
  type: "github.issue.opened",
  title: "New GitHub issue",
  description: "Starts when an issue is opened in a GitHub repository.",
  phrases: ["issue is opened", "new github issue", "someone opens an issue", "bug is reported on github", "issue created", "issues.opened"],
  payloadSchema: z.object({ action: z.literal("opened"), issue, repository, sender: user }).loose(),
  sample: {
    action: "opened",
    issue: {
      id: 2419073615,
      number: 1347,
      title: "Checkout button does nothing on Safari",
      body: "Steps to reproduce:\n1. Open /pricing in Safari 17\n2. Click Subscribe",
      state: "open",
      html_url: "https://github.com/acme/web/issues/1347",
      user: { login: "octocat", id: 583231, html_url: "https://github.com/octocat" },
      labels: [{ name: "bug", color: "d73a4a" }],
      assignees: [],
      created_at: "2026-03-02T14:25:27Z",
    },
    repository: {
      id: 1296269,
      name: "web",
      full_name: "acme/web",
      private: false,
      html_url: "https://github.com/acme/web",
      owner: { login: "acme", id: 9919, html_url: "https://github.com/acme" },
    },
    sender: { login: "octocat", id: 583231, html_url: "https://github.com/octocat" },
  },
  // GitHub names the event in the X-GitHub-Event header and the action in the body.
  event: { name: "issues.opened" },
});

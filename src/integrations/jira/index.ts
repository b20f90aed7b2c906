import { defineIntegration } from "../core/define";
import { jiraConnection } from "./connection";
import { createIssue } from "./actions/create-issue";

export const jira = defineIntegration({
  key: "jira",
  name: "Jira",
  description: "Create issues in Jira Cloud.",
  color: "#0052CC",
  icon: { kind: "monogram", text: "J" },
  connection: { kind: "oauth2", token: jiraConnection },
  defaultBaseUrl: "https://api.atlassian.com",
  triggers: [],
  actions: [createIssue],
});

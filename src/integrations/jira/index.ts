import { defineIntegration } from "../core/define";
import { jiraConnection } from "./connection";
import { jiraOAuth } from "./oauth";
import { createIssue } from "./actions/create-issue";

export const jira = defineIntegration({
  key: "jira",
  name: "Jira",
  description: "Create issues in Jira Cloud.",
  color: "#0052CC",
  icon: { kind: "monogram", text: "J" },
  // Connect with OAuth, or paste a token: both kinds of connection work with every action.
  connection: { kind: "oauth2", token: jiraConnection, oauth: jiraOAuth },
  defaultBaseUrl: "https://api.atlassian.com",
  triggers: [],
  actions: [createIssue],
});

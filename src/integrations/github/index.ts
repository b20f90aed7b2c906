import { defineIntegration } from "../core/define";
import { githubConnection } from "./connection";
import { githubOAuth } from "./oauth";
import { createIssue } from "./actions/create-issue";
import { issueOpened } from "./triggers";

export const github = defineIntegration({
  key: "github",
  name: "GitHub",
  description: "React to new issues and open issues in repositories.",
  color: "#24292F",
  icon: { kind: "monogram", text: "GH" },
  // Connect with OAuth, or paste a token: both kinds of connection work with every action.
  connection: { kind: "oauth2", token: githubConnection, oauth: githubOAuth },
  defaultBaseUrl: "https://api.github.com",
  triggers: [issueOpened],
  actions: [createIssue],
});

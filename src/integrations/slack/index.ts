import { defineIntegration } from "../core/define";
import { slackConnection } from "./connection";
import { slackOAuth } from "./oauth";
import { postMessage } from "./actions/post-message";

export const slack = defineIntegration({
  key: "slack",
  name: "Slack",
  description: "Post messages to Slack channels.",
  color: "#4A154B",
  icon: { kind: "monogram", text: "S" },
  // Connect with OAuth, or paste a token: both kinds of connection work with every action.
  connection: { kind: "oauth2", token: slackConnection, oauth: slackOAuth },
  defaultBaseUrl: "https://slack.com/api",
  triggers: [],
  actions: [postMessage],
});

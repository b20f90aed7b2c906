import { defineIntegration } from "../core/define";
import { slackConnection } from "./connection";
import { postMessage } from "./actions/post-message";

export const slack = defineIntegration({
  key: "slack",
  name: "Slack",
  description: "Post messages to Slack channels.",
  color: "#4A154B",
  icon: { kind: "monogram", text: "S" },
  connection: { kind: "oauth2", token: slackConnection },
  defaultBaseUrl: "https://slack.com/api",
  triggers: [],
  actions: [postMessage],
});

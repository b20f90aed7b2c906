import { defineIntegration } from "../core/define";
import { postMessage } from "./actions/post-message";

export const slack = defineIntegration({
  key: "slack",
  name: "Slack",
  description: "Post messages to Slack channels.",
  color: "#4A154B",
  icon: { kind: "monogram", text: "S" },
  connection: { kind: "oauth2" },
  defaultBaseUrl: "https://slack.com/api",
  triggers: [],
  actions: [postMessage],
});

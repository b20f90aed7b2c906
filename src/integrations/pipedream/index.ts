// Pipedream Connect: people connect accounts at any of Pipedream's apps through a Connect Link
// (src/server/services/pipedream-connect.ts); Pipedream holds the credentials and tells Cue about
// each account by webhook. Cue keeps a connection row per account so the settings page shows it.
import { defineIntegration } from "../core/define";

export const pipedream = defineIntegration({
  key: "pipedream",
  name: "Pipedream Connect",
  description: "Connect accounts at 2,500+ apps through Pipedream; Pipedream keeps their credentials.",
  color: "#2C9E5A",
  icon: { kind: "monogram", text: "Pd" },
  connection: { kind: "external" },
  triggers: [],
  actions: [],
});

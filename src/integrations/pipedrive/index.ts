import { defineIntegration } from "../core/define";
import { createActivity } from "./actions/create-activity";
import { createPerson } from "./actions/create-person";
import { dealWon, personCreated } from "./triggers";

export const pipedrive = defineIntegration({
  key: "pipedrive",
  name: "Pipedrive",
  description: "React to CRM changes and create people and activities.",
  color: "#1A1A1A",
  icon: { kind: "monogram", text: "P" },
  connection: { kind: "oauth2" },
  // Used only when the connection did not store the company's api_domain.
  defaultBaseUrl: "https://api.pipedrive.com",
  triggers: [personCreated, dealWon],
  actions: [createPerson, createActivity],
});

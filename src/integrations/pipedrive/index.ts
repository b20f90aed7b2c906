import { z } from "zod";
import { bearer, defineIntegration, joinUrl } from "../core/define";
import { createActivity } from "./actions/create-activity";
import { createPerson } from "./actions/create-person";
import { dealWon, personCreated } from "./triggers";

export const pipedrive = defineIntegration({
  key: "pipedrive",
  name: "Pipedrive",
  description: "React to CRM changes, create people and activities, and import contacts.",
  color: "#1A1A1A",
  icon: { kind: "monogram", text: "P" },
  connection: {
    kind: "oauth2",
    // Pipedrive OAuth (https://pipedrive.readme.io/docs/marketplace-oauth-authorization): the app's
    // credentials go in an HTTP Basic header at the token endpoint, there is no PKCE, and the token
    // response names the company's own API host (api_domain), which every later call uses. Scopes
    // are chosen on the app in Developer Hub; the ones listed are what Cue's features need.
    oauth: {
      defaultBaseUrl: "https://oauth.pipedrive.com",
      authorizePath: "/oauth/authorize",
      tokenPath: "/oauth/token",
      scopes: ["base", "contacts:full", "deals:read", "activities:full", "admin"],
      pkce: false,
      clientAuth: "client_secret_basic",
      env: { baseUrl: "PIPEDRIVE_OAUTH_URL", clientId: "PIPEDRIVE_CLIENT_ID", clientSecret: ["PIPEDRIVE_CLIENT_SECRET"] },
      // Plain http passes this shape check only for local fakes: the connect hook refuses it, and
      // private hosts, unless HTTP_ALLOW_PRIVATE_NETWORK is set (pipedriveApiOrigin).
      tokenFields: z.object({ api_domain: z.url({ protocol: /^https?$/ }) }),
      // The company's host identifies the account until the connect hook asks /users/me for the
      // company's id and name (src/server/services/pipedrive-connect.ts).
      account: (token) => {
        const apiDomain = new URL(String(token.api_domain));
        return { externalAccountId: apiDomain.host, label: apiDomain.host, settings: { apiDomain: apiDomain.origin } };
      },
      // "Test" on the Integrations page: a 401 here makes Cue refresh the token (or ask to reconnect).
      verify: {
        request: (credentials, baseUrl) => ({
          method: "GET",
          url: joinUrl(credentials.extra?.apiDomain ?? baseUrl, "api/v1/users/me"),
          headers: { authorization: bearer(credentials.accessToken ?? ""), accept: "application/json" },
        }),
      },
    },
  },
  // Used only when the connection did not store the company's api_domain.
  defaultBaseUrl: "https://api.pipedrive.com",
  triggers: [personCreated, dealWon],
  actions: [createPerson, createActivity],
});

// SendGrid: an API key, checked by listing its scopes (https://www.twilio.com/docs/sendgrid/api-reference/api-key-permissions).
import { z } from "zod";
import { bearer, defineTokenConnection, joinUrl } from "../core/define";

export const sendgridConnection = defineTokenConnection({
  fields: z
    .object({ apiKey: z.string().trim().regex(/^SG\.[\w-]+\.[\w-]+$/, "SendGrid API keys look like SG.xxxx.yyyy").describe("API key") })
    .strict(),
  secretFields: ["apiKey"],
  toCredentials: (fields) => ({ credentials: { accessToken: fields.apiKey }, settings: {} }),
  verify: {
    request: (credentials, _settings, baseUrl) => ({
      method: "GET",
      url: joinUrl(baseUrl, "/v3/scopes"),
      headers: { authorization: bearer(credentials.accessToken ?? "") },
    }),
    account: () => ({}),
  },
});

// Twilio: Account SID + Auth Token, checked by fetching the account
// (https://www.twilio.com/docs/iam/api/account#fetch-an-account-resource).
import { z } from "zod";
import { basicAuth, defineTokenConnection, joinUrl } from "../core/define";

export const twilioConnection = defineTokenConnection({
  fields: z
    .object({
      accountSid: z.string().trim().regex(/^AC\w{1,64}$/, "Account SIDs start with AC").describe("Account SID"),
      authToken: z.string().trim().min(8, "Paste the full Auth Token").max(128).describe("Auth Token"),
    })
    .strict(),
  secretFields: ["authToken"],
  toCredentials: (fields) => ({ credentials: { username: fields.accountSid, password: fields.authToken }, settings: {} }),
  verify: {
    request: (credentials, _settings, baseUrl) => ({
      method: "GET",
      url: joinUrl(baseUrl, `/2010-04-01/Accounts/${encodeURIComponent(credentials.username ?? "")}.json`),
      headers: { authorization: basicAuth(credentials.username ?? "", credentials.password ?? "") },
    }),
    account: (body) => {
      const account = z.object({ sid: z.string(), friendly_name: z.string().optional() }).safeParse(body);
      return account.success ? { externalAccountId: account.data.sid, label: account.data.friendly_name } : {};
    },
  },
});

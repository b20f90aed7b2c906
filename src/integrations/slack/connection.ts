// Slack: a bot token (xoxb-…) from a Slack app, checked with auth.test (https://api.slack.com/methods/auth.test).
import { z } from "zod";
import { bearer, defineTokenConnection, joinUrl } from "../core/define";

export const slackConnection = defineTokenConnection({
  fields: z.object({ botToken: z.string().trim().regex(/^xoxb-[\w-]+$/, "Bot tokens start with xoxb-").describe("Bot token") }).strict(),
  secretFields: ["botToken"],
  toCredentials: (fields) => ({ credentials: { accessToken: fields.botToken }, settings: {} }),
  verify: {
    request: (credentials, _settings, baseUrl) => ({
      method: "POST",
      url: joinUrl(baseUrl, "/auth.test"),
      headers: { authorization: bearer(credentials.accessToken ?? "") },
      okFlagInBody: true,
    }),
    account: (body) => {
      const team = z.object({ team_id: z.string(), team: z.string().optional() }).safeParse(body);
      return team.success ? { externalAccountId: team.data.team_id, label: team.data.team } : {};
    },
  },
});

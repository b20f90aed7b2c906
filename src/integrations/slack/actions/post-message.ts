// chat.postMessage (https://api.slack.com/methods/chat.postMessage) with the bot token.
import { z } from "zod";
import { bearer, defineAction, joinUrl, requireCredential } from "../../core/define";

const input = z.object({
  channel: z.string().trim().min(1).describe("Channel ID (C0123…) or name (#ops)"),
  text: z.string().min(1).max(40_000).describe("Message text (Slack mrkdwn)"),
  threadTs: z.string().regex(/^\d+\.\d+$/, "Expected a Slack message timestamp like 1712345678.000100").optional().describe("Reply in this thread"),
});

const output = z.object({ ok: z.literal(true), channel: z.string(), ts: z.string() });

export const postMessage = defineAction({
  type: "slack.message.post",
  title: "Post a Slack message",
  description: "Posts a message to a Slack channel as the Cue bot.",
  phrases: ["post to slack", "send a slack message", "notify slack", "message the channel", "ping the team on slack", "slack alert", "slack", "slack message", "post in slack", "post to a channel", "message slack", "slack nachricht", "mensaje de slack", "envoyer un message slack"],
  input,
  output,
  sampleOutput: { ok: true, channel: "C024BE91L", ts: "1712345678.000100" },
  request(message, ctx) {
    return {
      method: "POST",
      url: joinUrl(ctx.baseUrl, "chat.postMessage"),
      headers: {
        authorization: bearer(requireCredential(ctx.credentials.accessToken, "Slack")),
        // Slack warns about JSON bodies without an explicit charset.
        "content-type": "application/json; charset=utf-8",
      },
      json: { channel: message.channel, text: message.text, ...(message.threadTs ? { thread_ts: message.threadTs } : {}) },
      okFlagInBody: true,
    };
  },
});

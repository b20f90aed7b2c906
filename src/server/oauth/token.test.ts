// Token endpoint answers as each provider gives them, read without a network: Slack's and
// GitHub's errors inside HTTP 200, Slack's "bot" token type, RFC 6749 errors, and what the stored
// secrets become after a refresh (a rotated refresh token replaces the old one, a missing one keeps it).
import * as oauth from "oauth4webapi";
import { describe, expect, it } from "vitest";
import { githubOAuth } from "@/integrations/github/oauth";
import { jiraOAuth } from "@/integrations/jira/oauth";
import { slackOAuth } from "@/integrations/slack/oauth";
import type { OAuthConnection } from "@/integrations/core/define";
import type { OAuthApp } from "./config";
import { readTokenResponse, secretsFromToken, TokenEndpointError } from "./token";

function appFor(declaration: OAuthConnection): OAuthApp {
  return {
    declaration,
    clientId: "id",
    clientSecret: "secret",
    baseUrl: "https://auth.example",
    authorizationServer: { issuer: "https://auth.example", token_endpoint: "https://auth.example/token" },
    client: { client_id: "id" },
    allowInsecure: false,
  } as unknown as OAuthApp;
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

const read = (declaration: OAuthConnection, response: Response) => {
  const app = appFor(declaration);
  return readTokenResponse(app, response, (r, options) => oauth.processRefreshTokenResponse(app.authorizationServer, app.client, r, options));
};

const failure = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as TokenEndpointError);

describe("readTokenResponse", () => {
  it("accepts a standard Bearer answer", async () => {
    const { token } = await read(jiraOAuth, json({ access_token: "at", token_type: "Bearer", refresh_token: "rt", expires_in: 3600, scope: "a b" }));
    expect(token).toEqual({ access_token: "at", token_type: "bearer", refresh_token: "rt", expires_in: 3600, scope: "a b" });
  });

  it("accepts Slack's bot token type and refuses its ok:false answers", async () => {
    const { body } = await read(slackOAuth, json({ ok: true, access_token: "xoxb-1", token_type: "bot", team: { id: "T1" } }));
    expect(body.team).toEqual({ id: "T1" });
    expect(await failure(read(slackOAuth, json({ ok: false, error: "invalid_refresh_token" })))).toMatchObject({ code: "invalid_refresh_token", grantRevoked: true });
    expect(await failure(read(slackOAuth, json({ ok: false, error: "ratelimited" })))).toMatchObject({ code: "ratelimited", grantRevoked: false });
  });

  it("refuses GitHub's HTTP 200 error bodies", async () => {
    expect(await failure(read(githubOAuth, json({ error: "bad_refresh_token", error_description: "The refresh token passed is incorrect or expired." })))).toMatchObject({
      code: "bad_refresh_token",
      grantRevoked: true,
    });
  });

  it("maps RFC 6749 errors, other statuses and malformed answers", async () => {
    expect(await failure(read(jiraOAuth, json({ error: "invalid_grant" }, 400)))).toMatchObject({ code: "invalid_grant", grantRevoked: true });
    expect(await failure(read(jiraOAuth, json({ error: "invalid_client" }, 401)))).toMatchObject({ code: "invalid_client", grantRevoked: false });
    expect(await failure(read(jiraOAuth, new Response("<html>down</html>", { status: 502 })))).toMatchObject({ code: "http_502", grantRevoked: false });
    expect(await failure(read(jiraOAuth, json({ token_type: "Bearer" })))).toMatchObject({ code: "invalid_response" });
    expect(await failure(read(jiraOAuth, json({ access_token: "at", token_type: "mac" })))).toMatchObject({ code: "invalid_response" });
  });
});

describe("secretsFromToken", () => {
  const now = new Date("2026-01-01T00:00:00Z");
  it("replaces the access token, a rotated refresh token and the expiry; keeps the rest", () => {
    const previous = { accessToken: "old", refreshToken: "rt-old", expiresAt: 1, webhookSecret: "whsec", extra: { cloudId: "c" } };
    expect(secretsFromToken({ access_token: "new", token_type: "bearer", refresh_token: "rt-new", expires_in: 60 }, now, previous)).toEqual({
      accessToken: "new",
      refreshToken: "rt-new",
      expiresAt: now.getTime() + 60_000,
      webhookSecret: "whsec",
      extra: { cloudId: "c" },
    });
  });
  it("keeps the refresh token when the provider does not rotate it, and drops a stale expiry", () => {
    expect(secretsFromToken({ access_token: "new", token_type: "bearer" }, now, { accessToken: "old", refreshToken: "rt", expiresAt: 5 })).toEqual({
      accessToken: "new",
      refreshToken: "rt",
    });
  });
});

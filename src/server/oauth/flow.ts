// The OAuth 2 authorization-code flow for connections, on oauth4webapi. Starting stores the state
// server-side (hashed, bound to the user, single use, 10 minutes) with the encrypted PKCE verifier
// and returns the authorize URL; the callback consumes that state, exchanges the code, checks the
// token response with zod, encrypts the tokens and creates or updates the user's connection.
import { createHash } from "node:crypto";
import * as oauth from "oauth4webapi";
import { decryptSecret, encryptSecret, type KeyRing } from "@/server/crypto/secrets";
import type { Db } from "@/server/db";
import { AppError } from "@/lib/errors";
import { resolveOAuthApp, type OAuthApp, type OAuthEnvironment } from "@/server/oauth/config";
import { connectHooksFor, type StoredSecrets } from "@/server/oauth/hooks";
import { clientAuthentication, readTokenResponse, requestOptions, secretsFromToken, tokenEndpointError, type TokenResponse } from "@/server/oauth/token";

export const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;

/** Why a callback did not produce a connection; the Integrations page explains each. */
export type OAuthFailure =
  | "invalid_state"
  | "expired_state"
  | "wrong_user"
  | "access_denied"
  | "provider_error"
  | "token_exchange_failed"
  | "invalid_token_response"
  | "setup_failed"
  | "not_configured";

export type OAuthOutcome =
  | { ok: true; provider: string; connectionId: string; returnTo: string }
  | { ok: false; provider: string; reason: OAuthFailure; returnTo: string };

const DEFAULT_RETURN_TO = "/integrations";

const hashState = (state: string) => createHash("sha256").update(state).digest("base64url");

/** Only same-site paths: the redirect after connecting must never leave the app. */
export function safeReturnTo(value: string | undefined | null): string {
  return value && value.startsWith("/") && !value.startsWith("//") && !value.includes("\\") ? value : DEFAULT_RETURN_TO;
}

export function callbackUrl(origin: string, provider: string): string {
  return new URL(`/api/oauth/${provider}/callback`, origin).toString();
}

/**
 * Stores a fresh state for the user and returns the provider's authorize URL. `origin` is the
 * request's, used only when the deployment does not set its public URL.
 */
export async function startOAuthConnection(
  db: Db,
  keys: KeyRing,
  settings: OAuthEnvironment | undefined,
  userId: string,
  input: { provider: string; returnTo?: string; origin?: string; now?: Date },
): Promise<{ authorizeUrl: string }> {
  const app = resolveOAuthApp(input.provider, settings);
  const origin = settings?.appUrl ?? input.origin;
  if (!origin) throw new AppError("INTERNAL", "The app's public URL is unknown: set AUTH_URL");
  const now = input.now ?? new Date();
  const state = oauth.generateRandomState();
  const codeVerifier = app.declaration.pkce ? oauth.generateRandomCodeVerifier() : null;
  const redirectUri = callbackUrl(origin, app.integration.key);

  // Abandoned flows leave rows behind; each new start sweeps the expired ones.
  await db.oAuthState.deleteMany({ where: { expiresAt: { lt: now } } });
  await db.oAuthState.create({
    data: {
      stateHash: hashState(state),
      userId,
      provider: app.integration.key,
      codeVerifier: codeVerifier ? encryptSecret(keys, codeVerifier) : null,
      redirectUri,
      returnTo: safeReturnTo(input.returnTo),
      expiresAt: new Date(now.getTime() + OAUTH_STATE_TTL_MS),
    },
  });

  const url = new URL(app.authorizationServer.authorization_endpoint!);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", app.clientId);
  url.searchParams.set("redirect_uri", redirectUri);
  url.searchParams.set("scope", app.declaration.scopes.join(app.declaration.scopeSeparator ?? " "));
  url.searchParams.set("state", state);
  for (const [name, value] of Object.entries(app.declaration.authorizeParams ?? {})) url.searchParams.set(name, value);
  if (codeVerifier) {
    url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(codeVerifier));
    url.searchParams.set("code_challenge_method", "S256");
  }
  return { authorizeUrl: url.toString() };
}

/**
 * Handles the provider's redirect back for a signed-in user. Never throws for anything the
 * browser or the provider sent: the outcome says where to send the user and why.
 */
export async function completeOAuthConnection(
  db: Db,
  keys: KeyRing,
  settings: OAuthEnvironment | undefined,
  input: { provider: string; userId: string; params: URLSearchParams; now?: Date },
): Promise<OAuthOutcome> {
  const now = input.now ?? new Date();
  const fail = (reason: OAuthFailure, returnTo = DEFAULT_RETURN_TO): OAuthOutcome => ({ ok: false, provider: input.provider, reason, returnTo });

  const state = input.params.get("state");
  if (!state) return fail("invalid_state");
  const stateHash = hashState(state);
  const pending = await db.oAuthState.findUnique({ where: { stateHash } });
  if (!pending) return fail("invalid_state");
  // Single use: of concurrent callbacks with the same state, only the one that deletes it goes on.
  const { count } = await db.oAuthState.deleteMany({ where: { stateHash } });
  if (count !== 1) return fail("invalid_state");
  // A state started by someone else (a forged or leaked link) must not attach an account here.
  if (pending.userId !== input.userId) return fail("wrong_user");
  if (pending.provider !== input.provider) return fail("invalid_state");
  if (pending.expiresAt.getTime() <= now.getTime()) return fail("expired_state", pending.returnTo);

  let app: OAuthApp;
  try {
    app = resolveOAuthApp(input.provider, settings);
  } catch {
    return fail("not_configured", pending.returnTo);
  }

  let callbackParameters: URLSearchParams;
  try {
    callbackParameters = oauth.validateAuthResponse(app.authorizationServer, app.client, input.params, state);
  } catch (error) {
    if (error instanceof oauth.AuthorizationResponseError) return fail(error.error === "access_denied" ? "access_denied" : "provider_error", pending.returnTo);
    return fail("provider_error", pending.returnTo);
  }

  let token: TokenResponse;
  let providerFields: Record<string, unknown>;
  try {
    const codeVerifier = pending.codeVerifier ? decryptSecret(keys, pending.codeVerifier) : oauth.nopkce;
    const response = await oauth.authorizationCodeGrantRequest(
      app.authorizationServer,
      app.client,
      clientAuthentication(app),
      callbackParameters,
      pending.redirectUri,
      codeVerifier,
      requestOptions(app),
    );
    const result = await readTokenResponse(app, response, (r, options) =>
      oauth.processAuthorizationCodeResponse(app.authorizationServer, app.client, r, options),
    );
    const extra = app.declaration.tokenFields.safeParse(result.body);
    if (!extra.success) return fail("invalid_token_response", pending.returnTo);
    token = result.token;
    providerFields = extra.data;
  } catch (error) {
    // Only the error code is logged: the provider's answer is never quoted, our secret never sent.
    const failure = tokenEndpointError(app, error);
    console.warn(`OAuth ${input.provider}: code exchange failed:`, failure.code);
    return fail(failure.code === "invalid_response" ? "invalid_token_response" : "token_exchange_failed", pending.returnTo);
  }

  const hooks = connectHooksFor(app.integration.key);
  let account: { externalAccountId: string; label?: string; settings?: Record<string, string> };
  try {
    if (hooks?.identify) {
      account = await hooks.identify({ settings: settings!, app, accessToken: token.access_token, token: { ...providerFields, ...token } });
    } else if (app.declaration.account) {
      account = app.declaration.account({ ...providerFields, ...token });
    } else {
      throw new Error(`${app.integration.key} declares no way to identify the connected account`);
    }
  } catch (error) {
    console.warn(`OAuth ${input.provider}: identifying the connected account failed:`, (error as { code?: string }).code ?? (error as Error).name);
    return fail("setup_failed", pending.returnTo);
  }
  const existing = await db.connection.findFirst({
    where: { userId: input.userId, provider: app.integration.key, externalAccountId: account.externalAccountId },
    select: { id: true, secrets: true, settings: true },
  });
  const secrets: StoredSecrets = secretsFromToken(token, now);
  let settingsOut: Record<string, string> = { ...account.settings };
  let label = account.label ?? app.integration.name;

  if (hooks?.afterAuthorize) {
    try {
      const previous = existing
        ? { secrets: JSON.parse(decryptSecret(keys, existing.secrets)) as StoredSecrets, settings: existing.settings as Record<string, string> }
        : null;
      const setup = await hooks.afterAuthorize({
        settings: settings!,
        app,
        externalAccountId: account.externalAccountId,
        origin: new URL(pending.redirectUri).origin,
        accessToken: token.access_token,
        accountSettings: settingsOut,
        previous,
      });
      Object.assign(secrets, setup.secrets);
      settingsOut = { ...settingsOut, ...setup.settings };
      label = setup.label ?? label;
    } catch (error) {
      // Provider messages may quote masked keys; log the kind of failure, not the text.
      console.warn(`OAuth ${input.provider}: setting up the connected account failed:`, (error as { code?: string }).code ?? (error as Error).name);
      return fail("setup_failed", pending.returnTo);
    }
  }

  // A reconnect starts the connection's health over: new tokens, no failures, no stale lease.
  const data = {
    status: "active" as const,
    lastError: null,
    secrets: encryptSecret(keys, JSON.stringify(secrets)),
    settings: settingsOut,
    // Marks the connection as made through OAuth (token connections have none): the granted scopes.
    scopes: token.scope?.trim() || app.declaration.scopes.join(" "),
    expiresAt: secrets.expiresAt ? new Date(secrets.expiresAt) : null,
    refreshFailures: 0,
    refreshLockedUntil: null,
  };
  const connection = existing
    ? await db.connection.update({ where: { id: existing.id }, data, select: { id: true } })
    : await db.connection.create({
        data: { ...data, userId: input.userId, provider: app.integration.key, label, externalAccountId: account.externalAccountId },
        select: { id: true },
      });
  return { ok: true, provider: app.integration.key, connectionId: connection.id, returnTo: pending.returnTo };
}

/** The page the browser lands on after the callback, with the outcome in the query. */
export function outcomeLocation(outcome: OAuthOutcome): string {
  const separator = outcome.returnTo.includes("?") ? "&" : "?";
  return outcome.ok
    ? `${outcome.returnTo}${separator}connected=${encodeURIComponent(outcome.provider)}`
    : `${outcome.returnTo}${separator}error=${outcome.reason}&provider=${encodeURIComponent(outcome.provider)}`;
}

// The OAuth 2 authorization-code flow for connections, on oauth4webapi. Starting stores the state
// server-side (hashed, bound to the user, single use, 10 minutes) with the encrypted PKCE verifier
// and returns the authorize URL; the callback consumes that state, exchanges the code, checks the
// token response with zod, encrypts the tokens and creates or updates the user's connection.
import { createHash } from "node:crypto";
import * as oauth from "oauth4webapi";
import { z } from "zod";
import { decryptSecret, encryptSecret, type KeyRing } from "@/server/crypto/secrets";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { resolveOAuthApp, type OAuthApp, type OAuthEnvironment } from "@/server/oauth/config";
import { connectHooksFor, type StoredSecrets } from "@/server/oauth/hooks";

export const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;
const TOKEN_REQUEST_TIMEOUT_MS = 15_000;

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
  url.searchParams.set("scope", app.declaration.scopes.join(" "));
  url.searchParams.set("state", state);
  if (codeVerifier) {
    url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(codeVerifier));
    url.searchParams.set("code_challenge_method", "S256");
  }
  return { authorizeUrl: url.toString() };
}

/** The standard fields of a token response; each provider declares its own on top. */
const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.number().int().positive().optional(),
  scope: z.string().optional(),
});

function clientAuthentication(app: OAuthApp): oauth.ClientAuth {
  return app.declaration.clientAuth === "client_secret_basic" ? oauth.ClientSecretBasic(app.clientSecret) : oauth.ClientSecretPost(app.clientSecret);
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

  let token: z.output<typeof tokenResponseSchema>;
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
      { [oauth.allowInsecureRequests]: app.allowInsecure, signal: AbortSignal.timeout(TOKEN_REQUEST_TIMEOUT_MS) },
    );
    const result = await oauth.processAuthorizationCodeResponse(app.authorizationServer, app.client, response);
    const parsed = tokenResponseSchema.safeParse(result);
    const extra = app.declaration.tokenFields.safeParse(result);
    if (!parsed.success || !extra.success) return fail("invalid_token_response", pending.returnTo);
    token = parsed.data;
    providerFields = extra.data;
  } catch (error) {
    // The message may quote the provider's answer but never our secret; keep it to the reason.
    const kind = error instanceof oauth.ResponseBodyError ? error.error : `${(error as Error).name} ${(error as { cause?: { code?: string } }).cause?.code ?? ""}`;
    console.warn(`OAuth ${input.provider}: code exchange failed:`, kind.trim());
    return fail("token_exchange_failed", pending.returnTo);
  }

  const account = app.declaration.account({ ...providerFields, ...token });
  const existing = await db.connection.findFirst({
    where: { userId: input.userId, provider: app.integration.key, externalAccountId: account.externalAccountId },
    select: { id: true, secrets: true, settings: true },
  });
  const secrets: StoredSecrets = {
    accessToken: token.access_token,
    ...(token.refresh_token ? { refreshToken: token.refresh_token } : {}),
    ...(token.expires_in ? { expiresAt: now.getTime() + token.expires_in * 1000 } : {}),
  };
  let settingsOut: Record<string, string> = { ...account.settings };
  let label = account.label ?? app.integration.name;

  const hooks = connectHooksFor(app.integration.key);
  if (hooks?.afterAuthorize) {
    try {
      const previous = existing
        ? { secrets: JSON.parse(decryptSecret(keys, existing.secrets)) as StoredSecrets, settings: existing.settings as Record<string, string> }
        : null;
      const setup = await hooks.afterAuthorize({ settings: settings!, app, externalAccountId: account.externalAccountId, origin: new URL(pending.redirectUri).origin, previous });
      Object.assign(secrets, setup.secrets);
      settingsOut = { ...settingsOut, ...setup.settings };
      label = setup.label ?? label;
    } catch (error) {
      // Provider messages may quote masked keys; log the kind of failure, not the text.
      console.warn(`OAuth ${input.provider}: setting up the connected account failed:`, (error as { code?: string }).code ?? (error as Error).name);
      return fail("setup_failed", pending.returnTo);
    }
  }

  const data = {
    status: "active" as const,
    lastError: null,
    secrets: encryptSecret(keys, JSON.stringify(secrets)),
    settings: settingsOut,
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

// Talking to a provider's token endpoint, shared by the code exchange (flow.ts) and refresh
// (refresh.ts): oauth4webapi sends the request and checks the OAuth 2 shape, the provider's quirks
// (errors inside HTTP 200 bodies, non-Bearer token types) are handled from its declaration, and
// the result is zod-parsed before anything is stored.
import * as oauth from "oauth4webapi";
import { z } from "zod";
import type { OAuthApp } from "@/server/oauth/config";
import type { StoredSecrets } from "@/server/oauth/hooks";

export const TOKEN_REQUEST_TIMEOUT_MS = 15_000;

/** The standard fields of a token response; each provider declares its own on top. */
export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.number().positive().optional(),
  scope: z.string().optional(),
});

export type TokenResponse = z.output<typeof tokenResponseSchema>;

/** Why a token request failed, without anything secret: an OAuth error code or a transport kind. */
export class TokenEndpointError extends Error {
  constructor(
    /** The provider's OAuth error code (invalid_grant …), or "network", "timeout", "invalid_response", "http_<status>". */
    readonly code: string,
    /** True when the grant itself is dead: only the user can fix it by connecting again. */
    readonly grantRevoked: boolean,
  ) {
    super(`token endpoint: ${code}`);
    this.name = "TokenEndpointError";
  }
}

export function clientAuthentication(app: OAuthApp): oauth.ClientAuth {
  return app.declaration.clientAuth === "client_secret_basic" ? oauth.ClientSecretBasic(app.clientSecret) : oauth.ClientSecretPost(app.clientSecret);
}

export function requestOptions(app: OAuthApp, fetchImpl?: typeof fetch) {
  return {
    [oauth.allowInsecureRequests]: app.allowInsecure,
    signal: AbortSignal.timeout(TOKEN_REQUEST_TIMEOUT_MS),
    ...(fetchImpl ? { [oauth.customFetch]: fetchImpl } : {}),
  };
}

function isGrantRevoked(app: OAuthApp, code: string): boolean {
  return code === "invalid_grant" || (app.declaration.invalidGrantErrors ?? []).includes(code);
}

/**
 * Checks a token endpoint response: throws TokenEndpointError for any failure, returns the
 * standard fields and the whole body (for provider-specific fields) otherwise.
 */
export async function readTokenResponse(
  app: OAuthApp,
  response: Response,
  processResponse: (response: Response, options: { recognizedTokenTypes: oauth.RecognizedTokenTypes }) => Promise<oauth.TokenEndpointResponse>,
): Promise<{ token: TokenResponse; body: Record<string, unknown> }> {
  if (response.status === 200 && app.declaration.tokenError) {
    const body = (await response
      .clone()
      .json()
      .catch(() => null)) as unknown;
    const code = body && typeof body === "object" && !Array.isArray(body) ? app.declaration.tokenError(body as Record<string, unknown>) : undefined;
    if (code) {
      await response.body?.cancel();
      throw new TokenEndpointError(code, isGrantRevoked(app, code));
    }
  }
  const recognizedTokenTypes: oauth.RecognizedTokenTypes = Object.fromEntries((app.declaration.tokenTypes ?? []).map((type) => [type.toLowerCase(), () => {}]));
  let result: oauth.TokenEndpointResponse;
  try {
    result = await processResponse(response, { recognizedTokenTypes });
  } catch (error) {
    throw tokenEndpointError(app, error, response.status);
  }
  const parsed = tokenResponseSchema.safeParse(result);
  if (!parsed.success) throw new TokenEndpointError("invalid_response", false);
  return { token: parsed.data, body: result as Record<string, unknown> };
}

/** Maps whatever oauth4webapi or fetch threw to a TokenEndpointError (never quoting the body). */
export function tokenEndpointError(app: OAuthApp, error: unknown, status?: number): TokenEndpointError {
  if (error instanceof TokenEndpointError) return error;
  if (error instanceof oauth.ResponseBodyError) return new TokenEndpointError(error.error, isGrantRevoked(app, error.error));
  if (error instanceof oauth.WWWAuthenticateChallengeError) return new TokenEndpointError("invalid_client", false);
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return new TokenEndpointError("timeout", false);
  if (error instanceof oauth.OperationProcessingError) return new TokenEndpointError(status && status !== 200 ? `http_${status}` : "invalid_response", false);
  if (error instanceof oauth.UnsupportedOperationError) return new TokenEndpointError("invalid_response", false);
  return new TokenEndpointError("network", false);
}

/** What a token response means for the stored secrets: a rotated refresh token replaces the old one. */
export function secretsFromToken(token: TokenResponse, now: Date, previous: StoredSecrets = {}): StoredSecrets {
  const { expiresAt: _expired, ...kept } = previous;
  return {
    ...kept,
    accessToken: token.access_token,
    ...(token.refresh_token ? { refreshToken: token.refresh_token } : {}),
    ...(token.expires_in ? { expiresAt: now.getTime() + token.expires_in * 1000 } : {}),
  };
}

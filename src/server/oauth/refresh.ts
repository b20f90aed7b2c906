// Keeping OAuth access tokens usable: refresh proactively when a token expires within five minutes,
// or on demand after the provider answered 401. One refresh per connection at a time: callers in
// this process share one promise, and across processes a lease on Connection.refreshLockedUntil
// (a conditional UPDATE only one process can win) makes the others wait and re-read the row.
// Rotated refresh tokens are saved in the same write as the new access token. Three failures in a
// row, or a grant the provider says is dead, put the connection in needs_reconnect.
import * as oauth from "oauth4webapi";
import { StepError } from "@/engine/errors";
import { integrations } from "@/integrations/registry";
import { decryptSecret, encryptSecret, type KeyRing } from "@/server/crypto/secrets";
import type { Db } from "@/server/db";
import { resolveOAuthApp, type OAuthApp, type OAuthEnvironment } from "@/server/oauth/config";
import type { StoredSecrets } from "@/server/oauth/hooks";
import { clientAuthentication, readTokenResponse, requestOptions, secretsFromToken, TOKEN_REQUEST_TIMEOUT_MS, tokenEndpointError } from "@/server/oauth/token";

/** Refresh when the access token expires within this long. */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;
/** Consecutive failed refreshes after which the user must reconnect. */
export const MAX_REFRESH_FAILURES = 3;
/** How long one process may hold the refresh lease: longer than a token request may take. */
export const REFRESH_LEASE_MS = TOKEN_REQUEST_TIMEOUT_MS * 2;

export interface RefreshOptions {
  /** Where the OAuth apps' client credentials are read (see resolveOAuthApp). */
  settings: OAuthEnvironment | undefined;
  /** How often a caller waiting on another process's lease re-reads the row. */
  pollMs?: number;
  leaseMs?: number;
  /** For tests: the token endpoint's fetch. */
  fetch?: typeof fetch;
  /**
   * Refreshes in flight in this process, by connection id. Defaults to one map per database
   * client; a separate map behaves like a separate process (tests of the lease use that).
   */
  inFlight?: Map<string, Promise<StoredSecrets>>;
}

export interface ConnectionTokens {
  id: string;
  provider: string;
  secrets: StoredSecrets;
}

const inFlightByDb = new WeakMap<Db, Map<string, Promise<StoredSecrets>>>();

export function providerName(provider: string): string {
  return integrations.find((i) => i.key === provider)?.name ?? provider;
}

/** Whether a token should be refreshed now: it can be, and it expires soon (or was just refused). */
export function shouldRefresh(secrets: StoredSecrets, now: number, force = false): boolean {
  if (!secrets.refreshToken) return false;
  if (force) return true;
  return secrets.expiresAt !== undefined && secrets.expiresAt - now <= REFRESH_MARGIN_MS;
}

export function reconnectMessage(provider: string, reason: string | null | undefined): string {
  return `${providerName(provider)} connection needs reconnecting${reason ? `: ${reason}` : ""}`;
}

export class TokenRefresher {
  private readonly inFlight: Map<string, Promise<StoredSecrets>>;
  private readonly pollMs: number;
  private readonly leaseMs: number;

  constructor(
    private readonly db: Db,
    private readonly keys: KeyRing,
    private readonly options: RefreshOptions,
  ) {
    this.pollMs = options.pollMs ?? 100;
    this.leaseMs = options.leaseMs ?? REFRESH_LEASE_MS;
    if (options.inFlight) this.inFlight = options.inFlight;
    else {
      let shared = inFlightByDb.get(db);
      if (!shared) inFlightByDb.set(db, (shared = new Map()));
      this.inFlight = shared;
    }
  }

  /**
   * The connection's secrets with an access token worth using: as stored when it is not about to
   * expire, otherwise (or with `force`, after a 401) refreshed first. Throws a StepError when the
   * connection needs reconnecting or the refresh failed and the stored token is no longer usable.
   */
  ensureFresh(connection: ConnectionTokens, options: { force?: boolean } = {}): Promise<StoredSecrets> {
    if (!shouldRefresh(connection.secrets, Date.now(), options.force)) return Promise.resolve(connection.secrets);
    let pending = this.inFlight.get(connection.id);
    if (!pending) {
      pending = this.refreshOnce(connection, options.force === true).finally(() => this.inFlight.delete(connection.id));
      this.inFlight.set(connection.id, pending);
    }
    return pending;
  }

  private async readRow(id: string) {
    const row = await this.db.connection.findUnique({
      where: { id },
      select: { status: true, secrets: true, lastError: true, refreshFailures: true },
    });
    if (!row) return null;
    let secrets: StoredSecrets;
    try {
      secrets = JSON.parse(decryptSecret(this.keys, row.secrets)) as StoredSecrets;
    } catch {
      throw new StepError("config", "The connection cannot be read; reconnect it on the Integrations page");
    }
    return { ...row, secrets };
  }

  private async releaseLease(id: string) {
    await this.db.connection.updateMany({ where: { id }, data: { refreshLockedUntil: null } });
  }

  /** Takes the lease (or waits for whoever holds it), then refreshes unless someone already did. */
  private async refreshOnce(connection: ConnectionTokens, force: boolean): Promise<StoredSecrets> {
    const stale = connection.secrets.accessToken;
    const waitUntil = Date.now() + this.leaseMs + this.pollMs;
    for (;;) {
      const now = new Date();
      const { count } = await this.db.connection.updateMany({
        where: { id: connection.id, status: "active", OR: [{ refreshLockedUntil: null }, { refreshLockedUntil: { lt: now } }] },
        data: { refreshLockedUntil: new Date(now.getTime() + this.leaseMs) },
      });
      const leased = count === 1;
      const row = await this.readRow(connection.id);
      if (!row) throw new StepError("config", `The ${providerName(connection.provider)} connection was removed; connect it again`);
      if (row.status !== "active") throw new StepError("auth", reconnectMessage(connection.provider, row.lastError));
      // Another caller refreshed between our read and now: its token is the fresh one.
      if (row.secrets.accessToken !== stale && (force || !shouldRefresh(row.secrets, Date.now()))) {
        if (leased) await this.releaseLease(connection.id);
        return row.secrets;
      }
      if (leased) return this.refreshWithLease(connection.provider, connection.id, row, force);
      if (Date.now() >= waitUntil) {
        // The holder is taking too long; a token that has not expired yet is still worth a try.
        if (!force && row.secrets.expiresAt !== undefined && row.secrets.expiresAt > Date.now()) return row.secrets;
        throw new StepError("timeout", `Timed out waiting for the ${providerName(connection.provider)} token to be refreshed`);
      }
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
  }

  private async refreshWithLease(
    provider: string,
    id: string,
    row: { secrets: StoredSecrets; refreshFailures: number },
    force: boolean,
  ): Promise<StoredSecrets> {
    const name = providerName(provider);
    let app: OAuthApp;
    try {
      app = resolveOAuthApp(provider, this.options.settings);
    } catch {
      await this.releaseLease(id);
      // The server's setup, not the user's grant: nothing to count against the connection.
      if (!force && row.secrets.expiresAt !== undefined && row.secrets.expiresAt > Date.now()) return row.secrets;
      throw new StepError("config", `${name} is not set up on this server, so its access token cannot be refreshed`);
    }

    try {
      const response = await oauth.refreshTokenGrantRequest(
        app.authorizationServer,
        app.client,
        clientAuthentication(app),
        row.secrets.refreshToken!,
        requestOptions(app, this.options.fetch),
      );
      const { token } = await readTokenResponse(app, response, (r, options) => oauth.processRefreshTokenResponse(app.authorizationServer, app.client, r, options));
      const secrets = secretsFromToken(token, new Date(), row.secrets);
      // One write: the new access token, the rotated refresh token and the healthy status together.
      await this.db.connection.updateMany({
        where: { id },
        data: {
          secrets: encryptSecret(this.keys, JSON.stringify(secrets)),
          expiresAt: secrets.expiresAt ? new Date(secrets.expiresAt) : null,
          ...(token.scope?.trim() ? { scopes: token.scope.trim() } : {}),
          status: "active",
          refreshFailures: 0,
          lastError: null,
          refreshLockedUntil: null,
        },
      });
      return secrets;
    } catch (error) {
      const failure = tokenEndpointError(app, error);
      const failures = row.refreshFailures + 1;
      const dead = failure.grantRevoked || failures >= MAX_REFRESH_FAILURES;
      const reason = failure.grantRevoked
        ? `${name} no longer accepts Cue's access (${failure.code}); connect it again`
        : `refreshing the ${name} access token failed ${failures} time${failures === 1 ? "" : "s"} in a row (${failure.code})`;
      // Only the error code is logged, never the provider's answer or a token.
      console.warn(`OAuth ${provider}: token refresh failed:`, failure.code);
      await this.db.connection.updateMany({
        where: { id },
        data: { refreshFailures: failures, lastError: reason, refreshLockedUntil: null, ...(dead ? { status: "needs_reconnect" } : {}) },
      });
      if (dead) throw new StepError("auth", reconnectMessage(provider, reason));
      if (!force && row.secrets.expiresAt !== undefined && row.secrets.expiresAt > Date.now()) return row.secrets;
      throw new StepError(failure.code === "timeout" ? "timeout" : "server", `Could not refresh the ${name} access token (${failure.code})`);
    }
  }
}

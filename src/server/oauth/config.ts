// Where an integration's OAuth app lives in this deployment: its endpoints (base URL overridable
// for tests and proxies) and the client credentials, read through the environment names the
// integration declares. A provider whose app is not configured cannot be connected, and says why.
import type * as oauth from "oauth4webapi";
import type { IntegrationDefinition, OAuthConnection } from "@/integrations/core/define";
import { env } from "@/env";
import { integrations } from "@/integrations/registry";
import { AppError } from "@/lib/errors";

export interface OAuthEnvironment {
  /** A setting by its environment variable name (src/env.ts in the app, a plain map in tests). */
  read(name: string): string | undefined;
  /** The app's public URL (AUTH_URL); without it, the origin of the request that starts the flow. */
  appUrl?: string;
  /**
   * HTTP_ALLOW_PRIVATE_NETWORK: hosts a token response names (Pipedrive's api_domain) may be plain
   * http or private addresses (local fakes, development). Off, they must be https and public.
   */
  allowPrivateNetwork?: boolean;
}

export interface OAuthApp {
  integration: IntegrationDefinition;
  declaration: OAuthConnection;
  clientId: string;
  clientSecret: string;
  baseUrl: string;
  authorizationServer: oauth.AuthorizationServer;
  client: oauth.Client;
  /**
   * oauth4webapi refuses plain http; a loopback authorization server (a local fake, a dev
   * proxy) is the one place it is allowed, so a misconfigured URL never sends a secret in clear.
   */
  allowInsecure: boolean;
}

export function oauthIntegration(provider: string): IntegrationDefinition & { connection: { oauth: OAuthConnection } } {
  const integration = integrations.find((i) => i.key === provider && i.connection.oauth);
  if (!integration) throw new AppError("BAD_REQUEST", `"${provider}" cannot be connected with OAuth`);
  return integration as IntegrationDefinition & { connection: { oauth: OAuthConnection } };
}

/** The environment variables an integration's OAuth app still needs; empty when configured. */
export function missingOAuthSettings(declaration: OAuthConnection, settings: OAuthEnvironment | undefined): string[] {
  const missing: string[] = [];
  if (!settings?.read(declaration.env.clientId)) missing.push(declaration.env.clientId);
  if (!declaration.env.clientSecret.some((name) => settings?.read(name))) missing.push(declaration.env.clientSecret.join(" or "));
  return missing;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

export function resolveOAuthApp(provider: string, settings: OAuthEnvironment | undefined): OAuthApp {
  const integration = oauthIntegration(provider);
  const declaration = integration.connection.oauth;
  const missing = missingOAuthSettings(declaration, settings);
  if (missing.length > 0 || !settings) {
    throw new AppError("BAD_REQUEST", `${integration.name} is not set up on this server yet: set ${missing.join(" and ")}.`);
  }
  const clientId = settings.read(declaration.env.clientId)!;
  const clientSecret = declaration.env.clientSecret.map((name) => settings.read(name)).find(Boolean)!;
  const baseUrl = (settings.read(declaration.env.baseUrl) ?? declaration.defaultBaseUrl).replace(/\/+$/, "");
  const base = new URL(baseUrl);
  return {
    integration,
    declaration,
    clientId,
    clientSecret,
    baseUrl,
    authorizationServer: {
      issuer: base.origin,
      authorization_endpoint: `${baseUrl}${declaration.authorizePath}`,
      token_endpoint: `${baseUrl}${declaration.tokenPath}`,
    },
    client: { client_id: clientId },
    allowInsecure: base.protocol === "http:" && LOOPBACK.has(base.hostname),
  };
}

/** The OAuth settings of this server, read by the names integrations declare from src/env.ts. */
export function serverOAuthEnvironment(): OAuthEnvironment {
  const values = env as unknown as Record<string, unknown>;
  return {
    read: (name) => {
      const value = values[name];
      return typeof value === "string" && value ? value : undefined;
    },
    appUrl: env.AUTH_URL,
    allowPrivateNetwork: env.HTTP_ALLOW_PRIVATE_NETWORK,
  };
}

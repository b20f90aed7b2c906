// Provider-specific work around an OAuth connection: remote setup once the tokens are in hand
// (Stripe: a webhook endpoint on the connected account) and its undoing on disconnect.
import type { Credentials } from "@/engine/types";
import type { OAuthApp, OAuthEnvironment } from "@/server/oauth/config";
import { stripeConnectHooks } from "@/server/services/stripe-connect";

/** What a connection's encrypted `secrets` column holds for OAuth connections. */
export interface StoredSecrets extends Credentials {
  refreshToken?: string;
  /** Epoch milliseconds at which the access token expires, when the provider says. */
  expiresAt?: number;
  /** Signing secret of the webhook endpoint Cue created on the account. */
  webhookSecret?: string;
}

export interface ConnectHooks {
  /** After the code exchange, before the connection is saved; what it returns is stored with it. */
  afterAuthorize?(input: {
    settings: OAuthEnvironment;
    app: OAuthApp;
    externalAccountId: string;
    /** The app's public origin, for webhook URLs. */
    origin: string;
    /** The same account's earlier connection, when this is a reconnect. */
    previous: { secrets: StoredSecrets; settings: Record<string, string> } | null;
  }): Promise<{ secrets?: Partial<StoredSecrets>; settings?: Record<string, string>; label?: string }>;
  /** Before the connection is deleted: remove what afterAuthorize created and revoke access. */
  beforeDisconnect?(input: {
    settings: OAuthEnvironment | undefined;
    externalAccountId: string | null;
    secrets: StoredSecrets;
    connectionSettings: Record<string, string>;
  }): Promise<void>;
}

const hooks: Record<string, ConnectHooks> = {
  stripe: stripeConnectHooks,
};

export function connectHooksFor(provider: string): ConnectHooks | undefined {
  return hooks[provider];
}

// Provider-specific work around an OAuth connection: who the tokens belong to when only an API
// call can tell (Jira's site, GitHub's user), remote setup once the tokens are in hand (Stripe: a
// webhook endpoint on the connected account) and its undoing on disconnect.
import type { Credentials } from "@/engine/types";
import type { OAuthApp, OAuthEnvironment } from "@/server/oauth/config";
import { githubConnectHooks } from "@/server/oauth/providers/github";
import { jiraConnectHooks } from "@/server/oauth/providers/jira";
import { slackConnectHooks } from "@/server/oauth/providers/slack";
import { pipedreamConnectHooks } from "@/server/services/pipedream-connect";
import { pipedriveConnectHooks } from "@/server/services/pipedrive-connect";
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
  /**
   * Who the tokens belong to, for providers whose token response does not say (an API call with
   * the new access token); replaces the declaration's `account`.
   */
  identify?(input: {
    settings: OAuthEnvironment;
    app: OAuthApp;
    accessToken: string;
    token: Record<string, unknown>;
  }): Promise<{ externalAccountId: string; label?: string; settings?: Record<string, string> }>;
  /** After the code exchange, before the connection is saved; what it returns is stored with it. */
  afterAuthorize?(input: {
    settings: OAuthEnvironment;
    app: OAuthApp;
    externalAccountId: string;
    /** The app's public origin, for webhook URLs. */
    origin: string;
    /** The new access token and the account's settings so far, for set-up calls made as the user (Pipedrive webhooks). */
    accessToken: string;
    accountSettings: Record<string, string>;
    /** The same account's earlier connection, when this is a reconnect. */
    previous: { secrets: StoredSecrets; settings: Record<string, string> } | null;
  }): Promise<{ secrets?: Partial<StoredSecrets>; settings?: Record<string, string>; label?: string }>;
  /** Before the connection is deleted: remove what afterAuthorize created and revoke access. */
  beforeDisconnect?(input: {
    settings: OAuthEnvironment | undefined;
    /** How the connection was made: only OAuth grants are revoked (a pasted token is the user's own). */
    method: "oauth" | "token";
    externalAccountId: string | null;
    secrets: StoredSecrets;
    connectionSettings: Record<string, string>;
    /**
     * The connection's secrets with an access token worth using, through the single-flight
     * refresher the actions use: refreshed when it expires soon, or with `force` after the
     * provider refused it. Throws a StepError ("auth" when the grant is dead).
     */
    freshSecrets(options?: { force?: boolean }): Promise<StoredSecrets>;
  }): Promise<void>;
}

const hooks: Record<string, ConnectHooks> = {
  stripe: stripeConnectHooks,
  jira: jiraConnectHooks,
  github: githubConnectHooks,
  slack: slackConnectHooks,
  pipedrive: pipedriveConnectHooks,
  pipedream: pipedreamConnectHooks,
};

export function connectHooksFor(provider: string): ConnectHooks | undefined {
  return hooks[provider];
}

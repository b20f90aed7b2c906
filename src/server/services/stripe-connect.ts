// Stripe Connect: what Cue does with a connected Stripe account. On connect it creates a webhook
// endpoint ON that account (Stripe-Account header, platform key) for the events Cue's Stripe
// triggers use and keeps its signing secret; on disconnect it deletes the endpoint and
// deauthorizes the platform. It also lists the account's recent payments for the settings page.
import Stripe from "stripe";
import { stripeTriggers } from "@/integrations/stripe/triggers";
import { decryptSecret, type KeyRing } from "@/server/crypto/secrets";
import type { Db } from "@/server/db";
import { AppError, notFound } from "@/lib/errors";
import { receiveConnectionEvent } from "@/server/services/connection-events";
import type { RunQueue } from "@/queue/types";
import type { OAuthEnvironment } from "@/server/oauth/config";
import type { ConnectHooks, StoredSecrets } from "@/server/oauth/hooks";

/** The Stripe event types Cue's triggers start on; the endpoint subscribes to exactly these. */
export const STRIPE_CONNECT_EVENT_TYPES = [...new Set(stripeTriggers.map((t) => t.event!.name))] as Stripe.WebhookEndpointCreateParams.EnabledEvent[];

export const STRIPE_CONNECT_WEBHOOK_PATH = "/api/webhooks/stripe/connect";
const DEFAULT_CONNECT_URL = "https://connect.stripe.com";

const clients = new Map<string, Stripe>();

/** Stripe's messages can quote (masked) keys; what reaches a page or a log names none. */
export function redactStripeSecrets(message: string): string {
  return message.replace(/\b(sk|rk|pk|whsec|rt)_[A-Za-z0-9_*]+/g, "[redacted]");
}

/** The platform's Stripe client (its secret key, STRIPE_API_URL), shared per key and URL. */
export function platformStripe(settings: OAuthEnvironment | undefined): Stripe {
  const secretKey = settings?.read("STRIPE_CONNECT_SECRET_KEY") ?? settings?.read("STRIPE_SECRET_KEY");
  if (!secretKey) throw new AppError("BAD_REQUEST", "Stripe is not set up on this server yet: set STRIPE_CONNECT_SECRET_KEY or STRIPE_SECRET_KEY.");
  const apiUrl = settings?.read("STRIPE_API_URL");
  const cacheKey = `${secretKey}\n${apiUrl ?? ""}`;
  let client = clients.get(cacheKey);
  if (!client) {
    const api = apiUrl ? new URL(apiUrl) : null;
    const protocol = api?.protocol === "http:" ? "http" : "https";
    client = new Stripe(secretKey, {
      ...(api ? { host: api.hostname, port: api.port || (protocol === "http" ? 80 : 443), protocol } : {}),
      // Requests here are made while someone waits (connect, disconnect, the page); they retry by hand.
      maxNetworkRetries: 0,
      timeout: 15_000,
      telemetry: false,
      appInfo: { name: "Cue" },
    });
    clients.set(cacheKey, client);
  }
  return client;
}

/**
 * The endpoint is gone, or the account no longer lets the platform in (the user removed Cue in
 * Stripe's dashboard): either way there is nothing left for Cue to delete.
 */
const isGoneOrInaccessible = (error: unknown) =>
  error instanceof Stripe.errors.StripeError && (error.statusCode === 404 || error.code === "resource_missing" || error.code === "account_invalid");

async function deleteEndpoint(stripe: Stripe, account: string, endpointId: string) {
  try {
    await stripe.webhookEndpoints.del(endpointId, {}, { stripeAccount: account });
  } catch (error) {
    if (!isGoneOrInaccessible(error)) throw error;
  }
}

/** Revokes the platform's access to the account. An account that is no longer connected is fine. */
async function deauthorize(settings: OAuthEnvironment | undefined, account: string) {
  const clientId = settings?.read("STRIPE_CONNECT_CLIENT_ID");
  const secretKey = settings?.read("STRIPE_CONNECT_SECRET_KEY") ?? settings?.read("STRIPE_SECRET_KEY");
  if (!clientId || !secretKey) throw new AppError("BAD_REQUEST", "Stripe is not set up on this server: cannot revoke access");
  const base = (settings?.read("STRIPE_CONNECT_URL") ?? DEFAULT_CONNECT_URL).replace(/\/+$/, "");
  const response = await fetch(`${base}/oauth/deauthorize`, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`${secretKey}:`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: clientId, stripe_user_id: account }),
    signal: AbortSignal.timeout(15_000),
  });
  if (response.ok) return;
  const body = (await response.json().catch(() => ({}))) as { error?: string; error_description?: string };
  // Stripe answers invalid_client "…not connected…" when the user already revoked us.
  if (body.error === "invalid_client" && /not connected/i.test(body.error_description ?? "")) return;
  throw new Error(`Stripe refused to deauthorize (${response.status} ${body.error ?? ""})`);
}

export const stripeConnectHooks: ConnectHooks = {
  async afterAuthorize({ settings, externalAccountId, origin, previous }) {
    const stripe = platformStripe(settings);
    const account = await stripe.accounts.retrieve(externalAccountId);
    // Reconnecting the same account: its old endpoint's secret is about to be replaced.
    if (previous?.settings.webhookEndpointId) await deleteEndpoint(stripe, externalAccountId, previous.settings.webhookEndpointId);
    const endpoint = await stripe.webhookEndpoints.create(
      {
        url: new URL(STRIPE_CONNECT_WEBHOOK_PATH, origin).toString(),
        enabled_events: STRIPE_CONNECT_EVENT_TYPES,
        description: "Cue: starts your workflows",
      },
      { stripeAccount: externalAccountId },
    );
    if (!endpoint.secret) throw new Error("Stripe did not return the webhook endpoint's signing secret");
    const label = account.settings?.dashboard?.display_name || account.business_profile?.name || account.email || externalAccountId;
    return { secrets: { webhookSecret: endpoint.secret }, settings: { webhookEndpointId: endpoint.id }, label };
  },

  async beforeDisconnect({ settings, externalAccountId, connectionSettings }) {
    if (!externalAccountId) return;
    try {
      if (connectionSettings.webhookEndpointId) await deleteEndpoint(platformStripe(settings), externalAccountId, connectionSettings.webhookEndpointId);
      await deauthorize(settings, externalAccountId);
    } catch (error) {
      const reason = redactStripeSecrets((error as Error).message);
      throw new AppError("BAD_REQUEST", `Stripe could not be reached to disconnect this account; nothing was changed. Try again. (${reason})`);
    }
  },
};

// Stripe's minor units: most currencies have two decimals, these none or three
// (https://docs.stripe.com/currencies#zero-decimal).
const ZERO_DECIMAL = new Set(["bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"]);
const THREE_DECIMAL = new Set(["bhd", "jod", "kwd", "omr", "tnd"]);

/** "$12.50", "¥1,200", "12.500 KWD": an amount in Stripe's minor units, in its currency. */
export function formatMoney(amount: number, currency: string): string {
  const code = currency.toLowerCase();
  const digits = ZERO_DECIMAL.has(code) ? 0 : THREE_DECIMAL.has(code) ? 3 : 2;
  return new Intl.NumberFormat("en-US", { style: "currency", currency: code.toUpperCase(), minimumFractionDigits: digits, maximumFractionDigits: digits }).format(
    amount / 10 ** digits,
  );
}

export interface RecentPayment {
  id: string;
  amount: number;
  currency: string;
  formatted: string;
  created: Date;
  description: string | null;
  customer: string | null;
}

/** The connected account's latest succeeded charges, newest first (Stripe lists newest first). */
export async function stripeRecentPayments(db: Db, settings: OAuthEnvironment | undefined, userId: string, connectionId: string, limit = 10): Promise<RecentPayment[]> {
  const connection = await db.connection.findFirst({ where: { id: connectionId, userId, provider: "stripe" }, select: { externalAccountId: true } });
  if (!connection?.externalAccountId) throw notFound("Connection");
  let charges: Stripe.ApiList<Stripe.Charge>;
  try {
    // Failed and pending charges are filtered out here, so ask for more than are shown.
    charges = await platformStripe(settings).charges.list({ limit: Math.min(100, limit * 3) }, { stripeAccount: connection.externalAccountId });
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError("BAD_REQUEST", `Stripe did not answer: ${redactStripeSecrets((error as Error).message)}`);
  }
  return charges.data
    .filter((charge) => charge.status === "succeeded")
    .sort((a, b) => b.created - a.created)
    .slice(0, limit)
    .map((charge) => ({
      id: charge.id,
      amount: charge.amount,
      currency: charge.currency,
      formatted: formatMoney(charge.amount, charge.currency),
      created: new Date(charge.created * 1000),
      description: charge.description ?? null,
      customer: charge.billing_details?.email ?? charge.receipt_email ?? null,
    }));
}

// ---------------------------------------------------------------------------------------------
// Webhook intake: POST /api/webhooks/stripe/connect
// ---------------------------------------------------------------------------------------------

export const MAX_CONNECT_WEBHOOK_BYTES = 512 * 1024;
/** Seconds a signature's timestamp may be old: Stripe's default, against replayed deliveries. */
export const CONNECT_SIGNATURE_TOLERANCE_SECONDS = 300;

export type ConnectWebhookResult =
  | { received: true; ignored: true; type: string }
  | { received: true; duplicate: true; id: string }
  | { received: true; id: string; runs: number; pending?: true };

/**
 * Verifies a delivery with the signing secret of the connection that owns `event.account`,
 * stores it once per connection by event id, then dispatches it to that owner's workflows.
 * `pending` says the event is stored but its dispatch failed and will be retried.
 */
export async function receiveStripeConnectWebhook(
  db: Db,
  queue: RunQueue,
  keys: KeyRing,
  input: { rawBody: string; signature: string | null },
): Promise<ConnectWebhookResult> {
  if (!input.signature) throw new AppError("BAD_REQUEST", "Missing Stripe-Signature header");
  let claimed: { id?: unknown; type?: unknown; account?: unknown };
  try {
    claimed = JSON.parse(input.rawBody) as typeof claimed;
  } catch {
    throw new AppError("BAD_REQUEST", "The body is not valid JSON");
  }
  if (typeof claimed !== "object" || claimed === null || typeof claimed.id !== "string" || typeof claimed.type !== "string") {
    throw new AppError("BAD_REQUEST", "The body is not a Stripe event");
  }
  if (typeof claimed.account !== "string") throw new AppError("BAD_REQUEST", "The event does not come from a connected account");

  // The account id is only a hint until a signature made with that account's secret proves it.
  const candidates = await db.connection.findMany({
    where: { provider: "stripe", externalAccountId: claimed.account, status: { not: "revoked" } },
    select: { id: true, secrets: true },
  });
  if (candidates.length === 0) throw new AppError("NOT_FOUND", "No connection for this Stripe account");

  let verified: { connectionId: string; event: Stripe.Event } | null = null;
  let lastError = "no signing secret";
  for (const candidate of candidates) {
    let secret: string | undefined;
    try {
      secret = (JSON.parse(decryptSecret(keys, candidate.secrets)) as StoredSecrets).webhookSecret;
    } catch {
      continue;
    }
    if (!secret) continue;
    try {
      const event = Stripe.webhooks.constructEvent(input.rawBody, input.signature, secret, CONNECT_SIGNATURE_TOLERANCE_SECONDS);
      verified = { connectionId: candidate.id, event };
      break;
    } catch (error) {
      lastError = (error as Error).message;
    }
  }
  if (!verified) throw new AppError("BAD_REQUEST", `Invalid Stripe signature: ${lastError}`);
  const { connectionId, event } = verified;

  if (!(STRIPE_CONNECT_EVENT_TYPES as string[]).includes(event.type)) return { received: true, ignored: true, type: event.type };

  // Stored (or this throws and the route answers 5xx, so Stripe redelivers), then acknowledged even
  // if dispatching fails: the tick's sweep dispatches it later (see receiveConnectionEvent).
  const outcome = await receiveConnectionEvent(db, queue, { connectionId, provider: "stripe", eventId: event.id, type: event.type, payload: event });
  if (outcome.duplicate) return { received: true, duplicate: true, id: event.id };
  return outcome.dispatched ? { received: true, id: event.id, runs: outcome.runIds.length } : { received: true, id: event.id, runs: 0, pending: true };
}

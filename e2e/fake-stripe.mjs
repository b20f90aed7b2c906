// A local stand-in for the Stripe API on 127.0.0.1, for Cue's billing tests. The real `stripe`
// SDK talks to it (STRIPE_API_URL): customers, Checkout and billing portal sessions, subscriptions
// (retrieve, update), prices and invoices. It checks the secret key on every call and records
// every request. It also serves a hosted Checkout page whose "Pay" button creates the
// subscription, delivers correctly signed webhooks to the app, then returns to success_url.
//
// Stripe Connect too: the OAuth authorize page (approve or deny), /oauth/token and
// /oauth/deauthorize at the same origin (STRIPE_CONNECT_URL), connected accounts with webhook
// endpoints and charges reached with the Stripe-Account header, and signed deliveries of events
// from a connected account to its endpoints (`sendConnectEvent`, or POST /__connect/events).
//
// Used two ways: imported by the Vitest suite (tests/helpers/fake-stripe.ts) and run as a server
// by Playwright (`node e2e/fake-stripe.mjs`, configured through FAKE_STRIPE_* variables).
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import Stripe from "stripe";

const DAY = 24 * 60 * 60;
const newId = (prefix) => `${prefix}_${randomBytes(12).toString("hex")}`;
const now = () => Math.floor(Date.now() / 1000);

/** Stripe's form encoding (`a[b][0][c]=v`) back into nested objects and arrays. */
export function parseStripeForm(body) {
  const result = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.replace(/\]/g, "").split("[");
    let node = result;
    path.forEach((part, i) => {
      const last = i === path.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(path[i + 1]);
      if (last) node[part] = value;
      else node = node[part] ??= nextIsIndex ? [] : {};
    });
  }
  return result;
}

const bool = (value) => value === true || value === "true";

/**
 * @param {{
 *   port?: number,
 *   secretKey: string,
 *   prices: { id: string, unit_amount: number, currency: string, interval: "month" | "year", product?: string }[],
 *   webhook?: { url: string, secret: string },
 *   connectClientId?: string,
 * }} options
 */
export async function startFakeStripe(options) {
  /** @type {{ method: string, path: string, query: Record<string, unknown>, headers: import("node:http").IncomingHttpHeaders, body: Record<string, any> }[]} */
  const requests = [];
  const customers = new Map();
  const sessions = new Map();
  const portalSessions = new Map();
  const subscriptions = new Map();
  const invoices = new Map();
  const idempotent = new Map();
  /** Every webhook event this fake created, in order (delivered when `webhook` is set). */
  const events = [];
  const prices = new Map(
    options.prices.map((p) => [
      p.id,
      {
        id: p.id,
        object: "price",
        active: true,
        currency: p.currency,
        unit_amount: p.unit_amount,
        product: p.product ?? `prod_${p.id}`,
        recurring: { interval: p.interval, interval_count: 1 },
        type: "recurring",
      },
    ]),
  );
  let baseUrl = "";

  // --- Stripe Connect ---------------------------------------------------------------------
  const connectClientId = options.connectClientId ?? "ca_fake_connect";
  /** acct_… → the account, with `connected` false once the platform is deauthorized. */
  const accounts = new Map();
  /** Authorization codes: single use, bound to the client and redirect_uri they were issued for. */
  const authCodes = new Map();
  const webhookEndpoints = new Map();
  /** acct_… → its charges. */
  const charges = new Map();
  const connectRequests = [];

  function createAccount() {
    const n = accounts.size + 1;
    const account = {
      id: newId("acct"),
      object: "account",
      email: `owner${n}@business.example`,
      business_profile: { name: `Fake Business ${n}` },
      settings: { dashboard: { display_name: `Fake Business ${n}` } },
      connected: true,
    };
    accounts.set(account.id, account);
    // A few payments to show: the settings page lists the succeeded ones, newest first.
    charges.set(account.id, []);
    addCharge(account.id, { amount: 1250, currency: "usd", status: "succeeded", created: now() - 3 * 3600, description: "Order #1001" });
    addCharge(account.id, { amount: 4900, currency: "usd", status: "failed", created: now() - 2 * 3600, description: "Order #1002" });
    addCharge(account.id, { amount: 1200, currency: "jpy", status: "succeeded", created: now() - 3600, description: "Order #1003" });
    return account;
  }

  /** @param {string} accountId @param {{ amount: number, currency: string, status?: string, created?: number, description?: string | null }} charge */
  function addCharge(accountId, { amount, currency, status = "succeeded", created = now(), description = null }) {
    const charge = {
      id: newId("ch"),
      object: "charge",
      amount,
      currency,
      status,
      paid: status === "succeeded",
      created,
      description,
      customer: null,
      receipt_email: null,
      billing_details: { email: "buyer@example.com", name: null, phone: null, address: null },
      failure_code: status === "failed" ? "card_declined" : null,
      failure_message: status === "failed" ? "Your card was declined." : null,
    };
    charges.get(accountId)?.push(charge);
    return charge;
  }

  /** Sends `type` from a connected account to each of its endpoints that listens for it, signed with that endpoint's secret. */
  async function sendConnectEvent(accountId, type, object, options2 = {}) {
    const evt = {
      id: options2.id ?? newId("evt"),
      object: "event",
      account: accountId,
      api_version: Stripe.API_VERSION ?? null,
      created: now(),
      livemode: false,
      pending_webhooks: 1,
      type,
      data: { object: structuredClone(object ?? addCharge(accountId, { amount: 2000, currency: "usd", status: "failed", description: "Declined renewal" })) },
    };
    events.push(evt);
    const statuses = [];
    for (const endpoint of webhookEndpoints.values()) {
      if (endpoint.account !== accountId || !endpoint.enabled_events.includes(type)) continue;
      const payload = JSON.stringify(evt);
      const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: endpoint.secret });
      const res = await fetch(endpoint.url, { method: "POST", headers: { "content-type": "application/json", "stripe-signature": signature }, body: payload });
      statuses.push(res.status);
    }
    return { event: evt, statuses };
  }

  function platformAuthorized(req, body) {
    const basic = req.headers.authorization?.startsWith("Basic ") ? Buffer.from(req.headers.authorization.slice(6), "base64").toString("utf8") : null;
    const bearer = req.headers.authorization?.startsWith("Bearer ") ? req.headers.authorization.slice(7) : null;
    const secret = body.client_secret ?? (basic ? basic.split(":")[0] : bearer);
    return secret === options.secretKey;
  }

  function authorizePage(query) {
    const hidden = ["client_id", "redirect_uri", "state", "scope", "response_type"]
      .map((name) => `<input type="hidden" name="${name}" value="${String(query.get(name) ?? "").replace(/"/g, "&quot;")}">`)
      .join("");
    return `<!doctype html><html><head><title>Fake Stripe Connect</title></head><body style="font-family:sans-serif;max-width:420px;margin:60px auto">
<h1>Connect your Stripe account</h1><p>An application (<code>${String(query.get("client_id"))}</code>) asks for <code>${String(query.get("scope"))}</code> access.</p>
<form method="post" action="/oauth/authorize">${hidden}<button type="submit" name="decision" value="allow">Connect my Stripe account</button>
<button type="submit" name="decision" value="deny">Deny</button></form></body></html>`;
  }

  /** The authorize endpoint's answer: where the browser goes next. */
  function authorizeDecision(params) {
    const redirect = new URL(params.redirect_uri);
    if (params.decision !== "allow") {
      redirect.searchParams.set("error", "access_denied");
      redirect.searchParams.set("error_description", "The user denied your request");
    } else {
      const account = createAccount();
      const code = newId("ac");
      authCodes.set(code, { account: account.id, client_id: params.client_id, redirect_uri: params.redirect_uri, scope: params.scope, used: false });
      redirect.searchParams.set("code", code);
      redirect.searchParams.set("scope", params.scope ?? "read_write");
    }
    if (params.state) redirect.searchParams.set("state", params.state);
    return redirect.toString();
  }

  function subscriptionView(sub, expand = []) {
    const invoice = sub.latest_invoice ? invoices.get(sub.latest_invoice) : null;
    return { ...sub, latest_invoice: expand.includes("latest_invoice") && invoice ? { ...invoice } : sub.latest_invoice };
  }

  function createInvoice({ subscription, status = "paid", attempt_count = 1 }) {
    const sub = subscriptions.get(subscription);
    const invoice = {
      id: newId("in"),
      object: "invoice",
      customer: sub.customer,
      status,
      attempt_count,
      amount_due: sub.items.data[0].price.unit_amount,
      parent: { type: "subscription_details", subscription_details: { subscription: sub.id, metadata: sub.metadata } },
      created: now(),
    };
    invoices.set(invoice.id, invoice);
    sub.latest_invoice = invoice.id;
    return invoice;
  }

  function createSubscription({ customer, price, status = "active", metadata = {}, periodStart = now() }) {
    const p = prices.get(price);
    if (!p) throw new Error(`unknown price ${price}`);
    const periodEnd = periodStart + (p.recurring.interval === "year" ? 365 : 30) * DAY;
    const sub = {
      id: newId("sub"),
      object: "subscription",
      customer,
      status,
      cancel_at_period_end: false,
      cancel_at: null,
      canceled_at: null,
      ended_at: null,
      created: now(),
      metadata,
      latest_invoice: null,
      items: {
        object: "list",
        data: [{ id: newId("si"), object: "subscription_item", price: p, quantity: 1, current_period_start: periodStart, current_period_end: periodEnd }],
      },
    };
    subscriptions.set(sub.id, sub);
    createInvoice({ subscription: sub.id, status: status === "active" ? "paid" : "open" });
    return sub;
  }

  /** Applies a change as Stripe would; returns the subscription. */
  function updateSubscription(id, patch) {
    const sub = subscriptions.get(id);
    if (!sub) throw new Error(`unknown subscription ${id}`);
    if ("status" in patch) {
      sub.status = patch.status;
      if (patch.status === "canceled") {
        sub.canceled_at ??= now();
        sub.ended_at ??= now();
      }
    }
    if ("cancel_at_period_end" in patch) {
      sub.cancel_at_period_end = bool(patch.cancel_at_period_end);
      sub.cancel_at = sub.cancel_at_period_end ? sub.items.data[0].current_period_end : null;
      sub.canceled_at = sub.cancel_at_period_end ? now() : null;
    }
    if (patch.price) {
      const p = prices.get(patch.price);
      if (!p) throw new Error(`unknown price ${patch.price}`);
      sub.items.data[0].price = p;
    }
    if (patch.metadata) sub.metadata = { ...sub.metadata, ...patch.metadata };
    return sub;
  }

  function event(type, object) {
    const evt = { id: newId("evt"), object: "event", api_version: Stripe.API_VERSION ?? null, created: now(), livemode: false, type, data: { object: structuredClone(object) } };
    events.push(evt);
    return evt;
  }

  /** Signs and POSTs an event to the configured webhook URL; resolves with the app's status. */
  async function deliver(evt) {
    if (!options.webhook) return null;
    const payload = JSON.stringify(evt);
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: options.webhook.secret });
    const res = await fetch(options.webhook.url, { method: "POST", headers: { "content-type": "application/json", "stripe-signature": signature }, body: payload });
    return res.status;
  }

  /** What the hosted page's "Pay" does: the subscription exists, the session completes, webhooks go out. */
  async function completeCheckout(sessionId) {
    const session = sessions.get(sessionId);
    if (!session) throw new Error(`unknown session ${sessionId}`);
    if (session.status !== "open") return { session, subscription: subscriptions.get(session.subscription) };
    const sub = createSubscription({
      customer: session.customer,
      price: session.line_items[0].price,
      metadata: session.subscription_data?.metadata ?? {},
    });
    Object.assign(session, { status: "complete", payment_status: "paid", subscription: sub.id });
    for (const evt of [event("checkout.session.completed", session), event("customer.subscription.created", sub)]) await deliver(evt);
    return { session, subscription: sub };
  }

  function reply(res, status, body, headers = { "content-type": "application/json" }) {
    res.writeHead(status, headers);
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  }
  const missing = (res, what, id) =>
    reply(res, 404, { error: { type: "invalid_request_error", code: "resource_missing", message: `No such ${what}: '${id}'` } });

  function checkoutPage(session) {
    const price = prices.get(session.line_items[0].price);
    const amount = `${(price.unit_amount / 100).toFixed(2)} ${price.currency.toUpperCase()} / ${price.recurring.interval}`;
    return `<!doctype html><html><head><title>Fake Stripe Checkout</title></head><body style="font-family:sans-serif;max-width:420px;margin:60px auto">
<h1>Fake Stripe Checkout</h1><p data-testid="checkout-amount">${amount}</p>
<form method="post" action="/checkout/${session.id}/pay"><button type="submit">Pay</button></form>
<p><a href="${session.cancel_url}">Cancel and return</a></p></body></html>`;
  }

  async function handle(req, res, rawBody) {
    const url = new URL(req.url ?? "/", baseUrl);
    const parts = url.pathname.split("/").filter(Boolean);

    if (url.pathname === "/__requests") return reply(res, 200, requests);
    if (parts[0] === "checkout" && parts[1]) {
      const session = sessions.get(parts[1]);
      if (!session) return reply(res, 404, "No such checkout session", { "content-type": "text/plain" });
      if (req.method === "GET" && parts.length === 2) return reply(res, 200, checkoutPage(session), { "content-type": "text/html" });
      if (req.method === "POST" && parts[2] === "pay") {
        await completeCheckout(session.id);
        const target = session.success_url.replace("{CHECKOUT_SESSION_ID}", session.id);
        return reply(res, 303, "", { location: target });
      }
    }
    if (parts[0] === "portal" && parts[1] && portalSessions.has(parts[1])) {
      const portal = portalSessions.get(parts[1]);
      return reply(res, 200, `<!doctype html><h1>Fake billing portal</h1><a href="${portal.return_url}">Return to Cue</a>`, { "content-type": "text/html" });
    }
    if (parts[0] === "oauth" || parts[0] === "__connect") {
      const body = req.method === "POST" ? Object.fromEntries(new URLSearchParams(rawBody)) : {};
      // Kept apart from `requests` (the API calls, all made with the secret key): these come from browsers too.
      connectRequests.push({ method: req.method ?? "", path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body });
      if (url.pathname === "/__connect/requests") return reply(res, 200, connectRequests);
      const oauthError = (status, error, description) => reply(res, status, { error, error_description: description });
      if (url.pathname === "/oauth/authorize" && req.method === "GET") {
        if (url.searchParams.get("client_id") !== connectClientId) return reply(res, 400, "Unknown client_id", { "content-type": "text/plain" });
        if (url.searchParams.get("response_type") !== "code" || !url.searchParams.get("redirect_uri")) {
          return reply(res, 400, "response_type=code and redirect_uri are required", { "content-type": "text/plain" });
        }
        return reply(res, 200, authorizePage(url.searchParams), { "content-type": "text/html" });
      }
      if (url.pathname === "/oauth/authorize" && req.method === "POST") {
        if (body.client_id !== connectClientId) return reply(res, 400, "Unknown client_id", { "content-type": "text/plain" });
        return reply(res, 303, "", { location: authorizeDecision(body) });
      }
      if (url.pathname === "/oauth/token" && req.method === "POST") {
        if (!platformAuthorized(req, body)) return oauthError(401, "invalid_client", "Invalid API key provided");
        if (body.grant_type !== "authorization_code") return oauthError(400, "unsupported_grant_type", `Unsupported grant type ${body.grant_type}`);
        const grant = authCodes.get(body.code);
        if (!grant || grant.used) return oauthError(400, "invalid_grant", `Authorization code does not exist: ${body.code}`);
        if (body.redirect_uri && body.redirect_uri !== grant.redirect_uri) return oauthError(400, "invalid_grant", "redirect_uri does not match");
        grant.used = true;
        const account = accounts.get(grant.account);
        account.connected = true;
        return reply(res, 200, {
          access_token: `sk_test_connected_${randomBytes(8).toString("hex")}`,
          refresh_token: `rt_${randomBytes(8).toString("hex")}`,
          token_type: "bearer",
          scope: grant.scope ?? "read_write",
          livemode: false,
          stripe_user_id: account.id,
          stripe_publishable_key: `pk_test_${randomBytes(8).toString("hex")}`,
        });
      }
      if (url.pathname === "/oauth/deauthorize" && req.method === "POST") {
        if (!platformAuthorized(req, body)) return oauthError(401, "invalid_client", "Invalid API key provided");
        const account = accounts.get(body.stripe_user_id);
        if (body.client_id !== connectClientId || !account?.connected) {
          return oauthError(400, "invalid_client", `This application is not connected to stripe account ${body.stripe_user_id}, or that account does not exist.`);
        }
        account.connected = false;
        return reply(res, 200, { stripe_user_id: account.id });
      }
      if (url.pathname === "/__connect/state") {
        return reply(res, 200, { accounts: [...accounts.values()], webhookEndpoints: [...webhookEndpoints.values()].map(({ secret: _secret, ...endpoint }) => endpoint) });
      }
      if (url.pathname === "/__connect/events" && req.method === "POST") {
        const input = JSON.parse(rawBody || "{}");
        if (!accounts.has(input.account)) return reply(res, 404, { error: `No such account ${input.account}` });
        return reply(res, 200, await sendConnectEvent(input.account, input.type, input.object, { id: input.id }));
      }
    }
    if (parts[0] !== "v1") return reply(res, 404, { error: { type: "invalid_request_error", message: `No fake for ${url.pathname}` } });

    const body = req.method === "POST" ? parseStripeForm(rawBody) : {};
    const query = parseStripeForm(url.searchParams.toString());
    requests.push({ method: req.method ?? "", path: url.pathname, query, headers: req.headers, body });
    if (req.headers.authorization !== `Bearer ${options.secretKey}`) {
      return reply(res, 401, { error: { type: "invalid_request_error", message: "Invalid API Key provided" } });
    }
    const expand = [...(query.expand ?? []), ...(body.expand ?? [])];
    const route = `${req.method} /${parts.slice(1).join("/")}`;
    let m;

    if (route === "POST /customers") {
      const key = req.headers["idempotency-key"];
      if (key && idempotent.has(key)) return reply(res, 200, idempotent.get(key));
      const customer = { id: newId("cus"), object: "customer", email: body.email ?? null, name: body.name ?? null, metadata: body.metadata ?? {}, created: now() };
      customers.set(customer.id, customer);
      if (key) idempotent.set(key, customer);
      return reply(res, 200, customer);
    }
    if ((m = route.match(/^GET \/customers\/([^/]+)$/))) return customers.has(m[1]) ? reply(res, 200, customers.get(m[1])) : missing(res, "customer", m[1]);
    if ((m = route.match(/^GET \/prices\/([^/]+)$/))) return prices.has(m[1]) ? reply(res, 200, prices.get(m[1])) : missing(res, "price", m[1]);
    if ((m = route.match(/^GET \/invoices\/([^/]+)$/))) return invoices.has(m[1]) ? reply(res, 200, invoices.get(m[1])) : missing(res, "invoice", m[1]);

    if (route === "POST /checkout/sessions") {
      if (!customers.has(body.customer)) return missing(res, "customer", body.customer);
      const price = body.line_items?.[0]?.price;
      if (!prices.has(price)) return missing(res, "price", price);
      const id = newId("cs_test");
      const session = {
        id,
        object: "checkout.session",
        mode: body.mode,
        status: "open",
        payment_status: "unpaid",
        customer: body.customer,
        client_reference_id: body.client_reference_id ?? null,
        metadata: body.metadata ?? {},
        subscription: null,
        success_url: body.success_url,
        cancel_url: body.cancel_url,
        url: `${baseUrl}/checkout/${id}`,
        line_items: body.line_items.map((item) => ({ price: item.price, quantity: Number(item.quantity ?? 1) })),
        subscription_data: body.subscription_data ?? {},
      };
      sessions.set(id, session);
      return reply(res, 200, session);
    }
    if ((m = route.match(/^GET \/checkout\/sessions\/([^/]+)$/))) return sessions.has(m[1]) ? reply(res, 200, sessions.get(m[1])) : missing(res, "checkout.session", m[1]);

    if (route === "POST /billing_portal/sessions") {
      if (!customers.has(body.customer)) return missing(res, "customer", body.customer);
      const id = newId("bps");
      const portal = { id, object: "billing_portal.session", customer: body.customer, return_url: body.return_url, url: `${baseUrl}/portal/${id}` };
      portalSessions.set(id, portal);
      return reply(res, 200, portal);
    }

    if ((m = route.match(/^GET \/subscriptions\/([^/]+)$/))) {
      const sub = subscriptions.get(m[1]);
      return sub ? reply(res, 200, subscriptionView(sub, expand)) : missing(res, "subscription", m[1]);
    }
    if ((m = route.match(/^POST \/subscriptions\/([^/]+)$/))) {
      const sub = subscriptions.get(m[1]);
      if (!sub) return missing(res, "subscription", m[1]);
      if (sub.status === "canceled") {
        return reply(res, 400, { error: { type: "invalid_request_error", message: "A canceled subscription can only update its cancellation_details and metadata." } });
      }
      const item = body.items?.[0];
      if (item && item.id !== sub.items.data[0].id) return missing(res, "subscription_item", item.id);
      if (item && !prices.has(item.price)) return missing(res, "price", item.price);
      updateSubscription(sub.id, { ...body, ...(item ? { price: item.price } : {}) });
      await deliver(event("customer.subscription.updated", sub)).catch(() => null);
      return reply(res, 200, subscriptionView(sub, expand));
    }

    // Connect: calls on behalf of a connected account carry its id in Stripe-Account.
    const onBehalfOf = req.headers["stripe-account"];
    if ((m = route.match(/^GET \/accounts\/([^/]+)$/))) {
      const account = accounts.get(m[1]);
      return account ? reply(res, 200, { ...account, connected: undefined }) : missing(res, "account", m[1]);
    }
    if (route === "POST /webhook_endpoints" || /^(DELETE \/webhook_endpoints\/|GET \/charges$)/.test(route)) {
      const account = accounts.get(onBehalfOf);
      if (!account?.connected) {
        return reply(res, 403, { error: { type: "invalid_request_error", code: "account_invalid", message: `The provided key does not have access to account '${onBehalfOf}'` } });
      }
    }
    if (route === "POST /webhook_endpoints") {
      if (!body.url || !Array.isArray(body.enabled_events)) return reply(res, 400, { error: { type: "invalid_request_error", message: "url and enabled_events are required" } });
      const endpoint = {
        id: newId("we"),
        object: "webhook_endpoint",
        account: onBehalfOf,
        url: body.url,
        enabled_events: body.enabled_events,
        description: body.description ?? null,
        status: "enabled",
        created: now(),
        secret: `whsec_${randomBytes(16).toString("hex")}`,
      };
      webhookEndpoints.set(endpoint.id, endpoint);
      return reply(res, 200, endpoint);
    }
    if ((m = route.match(/^DELETE \/webhook_endpoints\/([^/]+)$/))) {
      const endpoint = webhookEndpoints.get(m[1]);
      if (!endpoint || endpoint.account !== onBehalfOf) return missing(res, "webhook_endpoint", m[1]);
      webhookEndpoints.delete(endpoint.id);
      return reply(res, 200, { id: endpoint.id, object: "webhook_endpoint", deleted: true });
    }
    if (route === "GET /charges") {
      const limit = Number(query.limit ?? 10);
      const data = [...charges.get(onBehalfOf)].sort((a, b) => b.created - a.created).slice(0, limit);
      return reply(res, 200, { object: "list", data, has_more: false, url: "/v1/charges" });
    }
    return reply(res, 404, { error: { type: "invalid_request_error", message: `No fake for ${route}` } });
  }

  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      handle(req, res, Buffer.concat(chunks).toString("utf8")).catch((error) => {
        reply(res, 500, { error: { type: "api_error", message: String(error?.message ?? error) } });
      });
    });
  });
  // Longer than clients keep idle sockets: otherwise a busy machine can see the server close a
  // socket just as a client reuses it (a spurious "fetch failed").
  server.keepAliveTimeout = 30_000;
  await new Promise((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${server.address().port}`;

  return {
    url: baseUrl,
    requests,
    customers,
    sessions,
    subscriptions,
    invoices,
    events,
    createSubscription,
    updateSubscription,
    createInvoice,
    completeCheckout,
    event,
    deliver,
    connectClientId,
    connectRequests,
    accounts,
    authCodes,
    webhookEndpoints,
    charges,
    addCharge,
    authorizeDecision,
    sendConnectEvent,
    close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}

// `node e2e/fake-stripe.mjs`: the Playwright suite's fake, configured from the environment.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const env = process.env;
  const fake = await startFakeStripe({
    port: Number(env.FAKE_STRIPE_PORT ?? 9120),
    secretKey: env.FAKE_STRIPE_SECRET_KEY ?? "sk_test_fake",
    prices: [
      { id: env.STRIPE_PRICE_PRO_MONTHLY ?? "price_pro_monthly", unit_amount: 1900, currency: "usd", interval: "month" },
      { id: env.STRIPE_PRICE_PRO_YEARLY ?? "price_pro_yearly", unit_amount: 19000, currency: "usd", interval: "year" },
      { id: env.STRIPE_PRICE_BUSINESS_MONTHLY ?? "price_business_monthly", unit_amount: 9900, currency: "usd", interval: "month" },
      { id: env.STRIPE_PRICE_BUSINESS_YEARLY ?? "price_business_yearly", unit_amount: 99000, currency: "usd", interval: "year" },
    ],
    webhook: env.FAKE_STRIPE_WEBHOOK_URL ? { url: env.FAKE_STRIPE_WEBHOOK_URL, secret: env.FAKE_STRIPE_WEBHOOK_SECRET ?? "" } : undefined,
    connectClientId: env.FAKE_STRIPE_CONNECT_CLIENT_ID,
  });
  console.log(`Fake Stripe listening at ${fake.url}`);
  const stop = () => fake.close().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

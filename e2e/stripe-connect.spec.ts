// Stripe Connect end to end: connect a Stripe account through the fake's OAuth authorize page,
// see it active with its recent payments, then have the fake send a correctly signed
// charge.failed from that account to /api/webhooks/stripe/connect and see the workflow's run.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { APP_URL, FAKE_PROVIDERS_URL, FAKE_STRIPE_URL, urlPattern } from "./ports";


/** Calls a tRPC mutation over HTTP as the signed-in user (superjson envelope). */
async function mutation<T>(request: APIRequestContext, path: string, input: unknown): Promise<T> {
  const response = await request.post(`/api/trpc/${path}`, { data: { json: input } });
  expect(response.status(), `${path}: ${await response.text()}`).toBe(200);
  return (await response.json()).result.data.json as T;
}

test("connect Stripe, receive a signed charge.failed from the account, and see the workflow run", async ({ page }) => {
  await page.goto("/integrations");
  const card = page.getByTestId("provider-stripe");
  await card.getByRole("button", { name: /^Connect (another )?Stripe( account)?$/ }).click();

  // The fake's authorize page, then back to the app.
  await expect(page).toHaveURL(new RegExp(urlPattern(`${FAKE_STRIPE_URL}/oauth/authorize?`)));
  await page.getByRole("button", { name: "Connect my Stripe account" }).click();
  await expect(page).toHaveURL(/\/integrations\?connected=stripe$/);
  await expect(page.getByTestId("oauth-result")).toHaveText("Stripe is connected.");

  const row = card.locator(".connection-row").last();
  await expect(row.locator(".status-pill")).toHaveText("Connected");
  await expect(row.getByText(/^Fake Business \d+$/)).toBeVisible();
  const account = (await row.getByText(/^acct_/).textContent())!.trim();

  // Recent payments from the connected account: succeeded only, newest first, by currency.
  const payments = row.getByTestId("recent-payments").locator("li");
  await expect(payments).toHaveCount(2);
  await expect(payments.nth(0)).toContainText("¥1,200");
  await expect(payments.nth(1)).toContainText("$12.50");

  // The webhook endpoint Cue created on the account.
  const state = await (await page.request.get(`${FAKE_STRIPE_URL}/__connect/state`)).json();
  const endpoint = state.webhookEndpoints.find((e: { account: string }) => e.account === account);
  expect(endpoint.url).toBe(`${APP_URL}/api/webhooks/stripe/connect`);
  expect(endpoint.enabled_events).toContain("charge.failed");

  // A workflow on failed charges, activated.
  const imported = await mutation<{ id: string }>(page.request, "workflows.import", {
    data: {
      name: "Failed Stripe charge → ping",
      graph: {
        nodes: [
          { id: "t1", type: "stripe.charge.failed", config: {}, position: { x: 0, y: 0 } },
          { id: "a1", type: "http.request", config: { method: "GET", url: `${FAKE_PROVIDERS_URL}/__requests`, query: { charge: "{{trigger.data.object.id}}" } }, position: { x: 0, y: 120 } },
        ],
        edges: [{ id: "e1", source: "t1", target: "a1" }],
      },
    },
  });
  await mutation(page.request, "workflows.activate", { id: imported.id });

  // The fake signs with the endpoint's secret and delivers to the app.
  const sent = await (await page.request.post(`${FAKE_STRIPE_URL}/__connect/events`, { data: { account, type: "charge.failed" } })).json();
  expect(sent.statuses).toEqual([200]);
  // A redelivery is acknowledged and starts nothing new.
  const again = await page.request.post(`${FAKE_STRIPE_URL}/__connect/events`, { data: { account, type: "charge.failed", id: sent.event.id, object: sent.event.data.object } });
  expect((await again.json()).statuses).toEqual([200]);

  await page.goto(`/workflows/${imported.id}/runs`);
  const runs = page.locator("[data-testid^='run-']");
  await expect(runs).toHaveCount(1);
  await expect(runs.first()).toHaveAttribute("data-status", "succeeded", { timeout: 20_000 });
  await expect(runs.first()).toContainText("Live");
});

test("a refused Stripe authorization comes back with a clear message and connects nothing", async ({ page }) => {
  await page.goto("/integrations");
  const card = page.getByTestId("provider-stripe");
  const connect = card.getByRole("button", { name: /^Connect (another )?Stripe( account)?$/ });
  // Count once the card has loaded: earlier tests in the run may have connected accounts.
  await expect(connect).toBeVisible();
  const before = await card.locator(".connection-row").count();
  await connect.click();
  await page.getByRole("button", { name: "Deny" }).click();
  await expect(page).toHaveURL(/\/integrations\?error=access_denied&provider=stripe$/);
  await expect(page.getByTestId("oauth-result")).toHaveText("You did not allow Cue to access Stripe, so nothing was connected.");
  await expect(card.locator(".connection-row")).toHaveCount(before);
});

// Billing end to end: a Free user upgrades to Pro through the fake Stripe's hosted Checkout page
// (whose "Pay" sends signed webhooks to the app), sees Pro and its limits, cancels and resumes.
import { expect, test } from "@playwright/test";
import { FAKE_STRIPE_URL, urlPattern } from "./ports";


interface Recorded {
  method: string;
  path: string;
  headers: Record<string, string>;
}

test("a Free user upgrades to Pro through Checkout, then cancels and resumes", async ({ page }) => {
  await page.goto("/billing");
  const current = page.getByTestId("current-plan");
  await expect(current.getByRole("heading")).toHaveText("Free");
  await expect(page.getByTestId("usage-active-workflows")).toContainText("of 3");
  await expect(page.getByTestId("usage-runs")).toContainText("of 100");

  // Leaving Checkout without paying changes nothing and says so.
  await page.getByTestId("plan-pro").getByRole("button", { name: "Upgrade to Pro" }).click();
  await expect(page).toHaveURL(new RegExp(urlPattern(`${FAKE_STRIPE_URL}/checkout/cs_test_`)));
  await page.getByRole("link", { name: "Cancel and return" }).click();
  await expect(page).toHaveURL(/\/billing\?checkout=cancelled/);
  await expect(page.getByRole("status")).toContainText("Checkout was cancelled");
  await expect(current.getByRole("heading")).toHaveText("Free");

  // Yearly prices come from Stripe; pay monthly.
  await page.getByRole("button", { name: "Yearly" }).click();
  await expect(page.getByTestId("plan-pro")).toContainText("$190.00 / year");
  await page.getByRole("button", { name: "Monthly" }).click();
  await expect(page.getByTestId("plan-pro")).toContainText("$19.00 / month");
  await page.getByTestId("plan-pro").getByRole("button", { name: "Upgrade to Pro" }).click();
  await expect(page.getByTestId("checkout-amount")).toHaveText("19.00 USD / month");
  await page.getByRole("button", { name: "Pay" }).click();

  await expect(page).toHaveURL(/\/billing\?checkout=success/);
  await expect(page.getByTestId("checkout-return")).toContainText("Welcome to Pro");
  await expect(current.getByRole("heading")).toContainText("Pro");
  await expect(page.getByTestId("renewal")).toContainText("Monthly · renews on");
  await expect(page.getByTestId("usage-active-workflows")).toContainText("of 25");
  await expect(page.getByTestId("usage-runs")).toContainText("of 10,000");
  await expect(page.getByTestId("plan-pro").getByRole("button")).toHaveText("Current plan");

  // The app verified the webhook and re-fetched the truth from Stripe, with its secret key.
  const requests: Recorded[] = await (await page.request.get(`${FAKE_STRIPE_URL}/__requests`)).json();
  expect(requests.some((r) => r.method === "GET" && r.path.startsWith("/v1/checkout/sessions/cs_test_"))).toBe(true);
  expect(requests.some((r) => r.method === "GET" && r.path.startsWith("/v1/subscriptions/sub_"))).toBe(true);
  expect(requests.every((r) => r.headers.authorization === "Bearer sk_test_cue_e2e_0123456789")).toBe(true);

  page.once("dialog", (dialog) => void dialog.accept());
  await current.getByRole("button", { name: "Cancel subscription" }).click();
  await expect(page.getByTestId("renewal")).toContainText(/ends on [A-Z][a-z]+ \d{1,2}, \d{4}/);
  await expect(current.getByRole("heading")).toContainText("Pro");

  await current.getByRole("button", { name: "Resume subscription" }).click();
  await expect(page.getByTestId("renewal")).toContainText("renews on");
  await expect(page.getByTestId("renewal")).not.toContainText("ends on");
  await expect(current.getByRole("button", { name: "Cancel subscription" })).toBeVisible();
});

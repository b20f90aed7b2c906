// Helpers shared by specs that need an account of their own (a new user, untouched by the specs
// that share the signed-in user) and by specs that drive tRPC directly.
import { expect, type APIRequestContext, type Page, type TestInfo } from "@playwright/test";
import { FAKE_STRIPE_URL, OIDC_URL, urlPattern } from "./ports";


/** Empty storage: the spec signs in itself, as its own user (see signInAsNewUser). */
export const noSession = { storageState: { cookies: [], origins: [] } };

/**
 * Signs in through the OIDC_URL provider as a user no other spec uses: e2e/oidc-server.mjs reads the
 * `e2e_oidc_user` cookie. Each attempt (a retry too) gets a new account.
 */
export async function signInAsNewUser(page: Page, testInfo: TestInfo, prefix: string, landing = "/integrations"): Promise<string> {
  const slug = `${prefix}-${testInfo.retry}-${Date.now().toString(36)}`;
  await page.context().addCookies([{ name: "e2e_oidc_user", value: slug, url: OIDC_URL }]);
  await page.goto(landing);
  await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
  await page.getByRole("button", { name: "Continue with Test SSO" }).click();
  await expect(page).toHaveURL(new RegExp(`${landing.replace(/[/?]/g, "\\$&")}$`));
  await expect(page.getByTestId("current-user")).toContainText(`${slug}@example.com`);
  return slug;
}

/** A Free user becomes Business through the fake Stripe's hosted Checkout (as e2e/billing.spec.ts). */
export async function upgradeFreeUserToBusiness(page: Page) {
  await page.goto("/billing");
  const current = page.getByTestId("current-plan");
  await expect(current.getByRole("heading")).toHaveText("Free");
  await page.getByTestId("plan-business").getByRole("button", { name: "Upgrade to Business" }).click();
  await expect(page).toHaveURL(new RegExp(urlPattern(`${FAKE_STRIPE_URL}/checkout/cs_test_`)));
  await expect(page.getByTestId("checkout-amount")).toHaveText("99.00 USD / month");
  await page.getByRole("button", { name: "Pay" }).click();
  await expect(page).toHaveURL(/\/billing\?checkout=success/);
  await expect(page.getByTestId("checkout-return")).toContainText("Welcome to Business");
  await expect(current.getByRole("heading")).toContainText("Business");
}

/** Calls a tRPC mutation over HTTP as the signed-in user (superjson envelope). */
export async function mutation<T>(request: APIRequestContext, path: string, input: unknown): Promise<T> {
  const response = await request.post(`/api/trpc/${path}`, { data: { json: input } });
  expect(response.status(), `${path}: ${await response.text()}`).toBe(200);
  return (await response.json()).result.data.json as T;
}

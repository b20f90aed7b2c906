import { expect, test } from "@playwright/test";

// Its own session, so signing out does not end the one the other specs share.
test.use({ storageState: { cookies: [], origins: [] } });

test("the session survives reloads; signing out sends protected pages to sign-in", async ({ page }) => {
  await page.goto("/signin");
  // There is no development sign-in in production.
  await expect(page.getByText("Development sign-in")).toHaveCount(0);
  await page.getByRole("button", { name: "Continue with Test SSO" }).click();
  await expect(page).toHaveURL(/\/workflows$/);
  await page.reload();
  await expect(page.getByTestId("current-user")).toContainText("ada@example.com");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);

  await page.goto("/profile");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fprofile/);
  await expect(page.getByRole("button", { name: "Continue with Test SSO" })).toBeVisible();
});

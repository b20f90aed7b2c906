// Signs in once through the real OIDC code flow and saves the session for the other specs.
import { expect, test as setup } from "@playwright/test";

setup("sign in through the OIDC provider", async ({ page }) => {
  await page.goto("/profile");
  // Signed out: a protected page sends us to sign-in, remembering where we were going.
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fprofile/);
  await page.getByRole("button", { name: "Continue with Test SSO" }).click();
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.getByTestId("current-user")).toContainText("Ada Lovelace");
  await page.context().storageState({ path: "e2e/.auth/user.json" });
});

import { expect, test } from "@playwright/test";

test("edit the profile, see field errors, and keep saved values across reloads", async ({ page }) => {
  await page.goto("/profile");
  await expect(page.getByRole("heading", { name: "Profile" })).toBeVisible();

  await page.getByLabel("First name").fill("Augusta Ada");
  await page.getByLabel("Last name").fill("King");
  await page.getByLabel("Company").fill("Analytical Engines Ltd");
  await page.getByLabel("Industry").fill("Computing");
  await page.getByLabel("Role").fill("Founder");
  await page.getByLabel("What will you automate with Cue?").fill("Open a ticket when a payment fails");

  // A bad avatar URL is refused beside the field, and nothing is saved.
  await page.getByLabel("Avatar URL").fill("javascript:alert(1)");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByText("Avatar URL must be an http:// or https:// address")).toBeVisible();
  await expect(page.getByLabel("Avatar URL")).toHaveAttribute("aria-invalid", "true");
  await page.reload();
  await expect(page.getByLabel("First name")).toHaveValue("");

  // The server refuses it too (the form's own check is bypassed here).
  const response = await page.request.post("/api/trpc/profile.update", {
    data: { json: { avatarUrl: "ftp://example.com/a.png" } },
  });
  expect(response.status()).toBe(400);
  const body = await response.json();
  expect(body.error.json.data.fieldErrors.avatarUrl[0]).toContain("http:// or https://");

  await page.getByLabel("First name").fill("Augusta Ada");
  await page.getByLabel("Last name").fill("King");
  await page.getByLabel("Company").fill("Analytical Engines Ltd");
  await page.getByLabel("Avatar URL").fill("https://images.example.com/ada.png");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByRole("status")).toHaveText("Profile saved.");
  await expect(page.getByTestId("current-user")).toContainText("Augusta Ada King");

  await page.reload();
  await expect(page.getByLabel("First name")).toHaveValue("Augusta Ada");
  await expect(page.getByLabel("Last name")).toHaveValue("King");
  await expect(page.getByLabel("Company")).toHaveValue("Analytical Engines Ltd");
  await expect(page.getByLabel("Avatar URL")).toHaveValue("https://images.example.com/ada.png");
});

test("the app shell links every section", async ({ page }) => {
  await page.goto("/workflows");
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const [label, path] of [
    ["Integrations", "/integrations"],
    ["Billing", "/billing"],
    ["Profile", "/profile"],
    ["Workflows", "/workflows"],
  ] as const) {
    await nav.getByRole("link", { name: label }).click();
    await expect(page).toHaveURL(new RegExp(`${path}$`));
    await expect(page.getByRole("heading", { level: 1, name: label })).toBeVisible();
  }
});

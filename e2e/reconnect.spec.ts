// An OAuth connection whose grant dies (the company uninstalled Cue in e2e/fake-pipedrive.mjs):
// "Test" gets a 401, the refresh is refused with invalid_grant, the card says the connection needs
// reconnecting and why, and Reconnect goes through the authorize page and heals the same row.
import { expect, test } from "@playwright/test";
import { noSession, signInAsNewUser } from "./support";
import { FAKE_PIPEDRIVE_URL, urlPattern } from "./ports";


interface Recorded {
  method: string;
  path: string;
  authorization: string | null;
  body: string;
  company: string | null;
  status: number;
}

test.use(noSession);

test("a Pipedrive connection whose refresh is refused needs reconnecting, and Reconnect makes it active again", async ({ page }, testInfo) => {
  await signInAsNewUser(page, testInfo, "reconnect");
  const requestsSoFar = async () => ((await (await page.request.get(`${FAKE_PIPEDRIVE_URL}/__requests`)).json()) as Recorded[]);

  const card = page.getByTestId("provider-pipedrive");
  await card.getByRole("button", { name: "Connect Pipedrive" }).click();
  await page.getByLabel("Company").selectOption({ label: "Globex GmbH" });
  await page.getByRole("button", { name: "Allow and install" }).click();
  await expect(page).toHaveURL(/\/integrations\?connected=pipedrive$/);
  const row = card.locator(".connection-row");
  await expect(row).toHaveCount(1);
  await expect(row.getByText("Globex GmbH", { exact: true })).toBeVisible();
  const rowId = (await row.getAttribute("data-testid"))!;
  const status = row.getByTestId(rowId.replace("connection-", "connection-status-"));
  /** Clicks "Test" and waits for the server's answer. */
  const runTest = async () => {
    const answered = page.waitForResponse((r) => r.url().includes("/api/trpc/integrations.test"));
    await row.getByRole("button", { name: "Test" }).click();
    expect((await answered).status()).toBe(200);
  };
  await expect(status).toHaveText("Connected");

  // Test makes a real call with the token.
  let seen = (await requestsSoFar()).length;
  await runTest();
  await expect(status).toHaveText("Connected");
  let calls = (await requestsSoFar()).slice(seen);
  expect(calls.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(["GET /api/v1/users/me 200"]);

  // Globex uninstalls Cue: its tokens stop working and cannot be refreshed.
  await page.request.post(`${FAKE_PIPEDRIVE_URL}/__companies/globex/revoke`);
  seen = (await requestsSoFar()).length;
  await runTest();
  await expect(status).toHaveText("Needs reconnecting");
  await expect(row.getByRole("alert")).toHaveText("Needs reconnecting: Pipedrive no longer accepts Cue's access (invalid_grant); connect it again");
  await expect(row.getByTestId("contact-sync-upsell")).toHaveCount(0);
  calls = (await requestsSoFar()).slice(seen);
  // A 401, then one refresh with the app's Basic credentials, refused.
  expect(calls.map((r) => `${r.method} ${r.path.replace(/\?.*/, "")} ${r.status}`)).toEqual(["GET /api/v1/users/me 401", "POST /oauth/token 400"]);
  expect(new URLSearchParams(calls[1]!.body).get("grant_type")).toBe("refresh_token");
  expect(calls[1]!.authorization).toMatch(/^Basic /);

  // Reload: the state is stored, not just shown.
  await page.reload();
  await expect(status).toHaveText("Needs reconnecting");

  await row.getByRole("button", { name: "Reconnect" }).click();
  await expect(page).toHaveURL(new RegExp(urlPattern(`${FAKE_PIPEDRIVE_URL}/oauth/authorize?`)));
  await page.getByLabel("Company").selectOption({ label: "Globex GmbH" });
  await page.getByRole("button", { name: "Allow and install" }).click();
  await expect(page).toHaveURL(/\/integrations\?connected=pipedrive$/);

  // The same connection, healthy again, with fresh webhooks; nothing was added.
  await expect(card.locator(".connection-row")).toHaveCount(1);
  await expect(card.getByTestId(rowId)).toBeVisible();
  await expect(status).toHaveText("Connected");
  await expect(row.getByRole("alert")).toHaveCount(0);
  await expect(row.getByRole("button", { name: "Reconnect" })).toHaveCount(0);
  const state = await (await page.request.get(`${FAKE_PIPEDRIVE_URL}/__state`)).json();
  expect(state.webhooks.filter((h: { company: string }) => h.company === "globex")).toHaveLength(2);
  seen = (await requestsSoFar()).length;
  await runTest();
  await expect(status).toHaveText("Connected");
  calls = (await requestsSoFar()).slice(seen);
  expect(calls.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(["GET /api/v1/users/me 200"]);

  // Disconnecting removes Cue's webhooks from the company first, then revokes the grant.
  seen = (await requestsSoFar()).length;
  page.once("dialog", (dialog) => void dialog.accept());
  await row.getByRole("button", { name: "Disconnect" }).click();
  await expect(card.locator(".connection-row")).toHaveCount(0);
  calls = (await requestsSoFar()).slice(seen);
  expect(calls.map((r) => `${r.method} ${r.path.replace(/\d+$/, "<id>")} ${r.status}`)).toEqual([
    "DELETE /api/v1/webhooks/<id> 200",
    "DELETE /api/v1/webhooks/<id> 200",
    "POST /oauth/revoke 200",
  ]);
  expect(new URLSearchParams(calls[2]!.body).get("token_type_hint")).toBe("refresh_token");
  expect(calls[2]!.authorization).toMatch(/^Basic /);
  const after = await (await page.request.get(`${FAKE_PIPEDRIVE_URL}/__state`)).json();
  expect(after.webhooks.filter((h: { company: string }) => h.company === "globex")).toHaveLength(0);
  expect(after.grants.filter((g: { company: string }) => g.company === "globex").every((g: { revoked: boolean }) => g.revoked)).toBe(true);
});

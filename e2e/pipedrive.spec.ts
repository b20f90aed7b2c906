// Pipedrive end to end, as a new user: connect a company through the fake's OAuth authorize page
// (e2e/fake-pipedrive.mjs checks the app's Basic client credentials and every Bearer token), see
// contact sync refused on Free with an upsell, upgrade to Business through Checkout, watch a full
// sync of two pages of people progress and finish, find them on the Contacts page, sync again
// (updated and unchanged, no duplicates), and have Pipedrive deliver a webhook that starts a run.
import { expect, test } from "@playwright/test";
import { mutation, noSession, signInAsNewUser, upgradeFreeUserToBusiness } from "./support";
import { APP_URL, FAKE_PIPEDRIVE_URL, urlPattern } from "./ports";

const CLIENT = { id: "pd-cue-e2e-client", secret: "pd-cue-e2e-secret+/=" };

interface Recorded {
  method: string;
  path: string;
  authorization: string | null;
  body: string;
  company: string | null;
  status: number;
}

test.use(noSession);

test("connect Pipedrive, upgrade for contact sync, import two pages of people twice, and start a workflow by webhook", async ({ page }, testInfo) => {
  test.setTimeout(60_000);
  await page.request.post(`${FAKE_PIPEDRIVE_URL}/__companies/acme/reset`);
  await signInAsNewUser(page, testInfo, "pipedrive");
  const requestsSoFar = async () => ((await (await page.request.get(`${FAKE_PIPEDRIVE_URL}/__requests`)).json()) as Recorded[]);
  const before = (await requestsSoFar()).length;

  // --- Connect through the authorize page --------------------------------------------------------
  const card = page.getByTestId("provider-pipedrive");
  await card.getByRole("button", { name: "Connect Pipedrive" }).click();
  await expect(page).toHaveURL(new RegExp(urlPattern(`${FAKE_PIPEDRIVE_URL}/oauth/authorize?`)));
  const authorize = new URL(page.url());
  expect(authorize.searchParams.get("client_id")).toBe(CLIENT.id);
  expect(authorize.searchParams.get("redirect_uri")).toBe(`${APP_URL}/api/oauth/pipedrive/callback`);
  expect(authorize.searchParams.get("response_type")).toBe("code");
  await page.getByLabel("Company").selectOption({ label: "Acme Ltd" });
  await page.getByRole("button", { name: "Allow and install" }).click();
  await expect(page).toHaveURL(/\/integrations\?connected=pipedrive$/);
  await expect(page.getByTestId("oauth-result")).toHaveText("Pipedrive is connected.");

  const row = card.locator(".connection-row");
  await expect(row).toHaveCount(1);
  await expect(row.getByText("Acme Ltd", { exact: true })).toBeVisible();
  await expect(row.locator(".status-pill").first()).toHaveText("Connected");
  await expect(row.getByText("12882925", { exact: true })).toBeVisible();

  // The code exchange used HTTP Basic client auth (form-url-encoded, RFC 6749 §2.3.1), nothing in
  // the form; every API call carried the company's Bearer token and was accepted.
  const connectCalls = (await requestsSoFar()).slice(before);
  const tokenCalls = connectCalls.filter((r) => r.path === "/oauth/token");
  expect(tokenCalls).toHaveLength(1);
  expect(tokenCalls[0]!.status).toBe(200);
  const [basicId, basicSecret] = Buffer.from(tokenCalls[0]!.authorization!.replace(/^Basic /, ""), "base64")
    .toString("utf8")
    .split(":")
    .map((part) => decodeURIComponent(part.replace(/\+/g, " ")));
  expect({ basicId, basicSecret }).toEqual({ basicId: CLIENT.id, basicSecret: CLIENT.secret });
  expect(new URLSearchParams(tokenCalls[0]!.body).get("client_secret")).toBeNull();
  const apiCalls = connectCalls.filter((r) => r.path.startsWith("/api/"));
  expect(apiCalls.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /api/v1/users/me", "POST /api/v1/webhooks", "POST /api/v1/webhooks"]);
  expect(apiCalls.every((r) => r.status < 300 && r.company === "acme" && /^Bearer pd-at-/.test(r.authorization ?? ""))).toBe(true);
  // Webhooks v2 for the triggers' events, pointing at this app behind Basic auth.
  const state = await (await page.request.get(`${FAKE_PIPEDRIVE_URL}/__state`)).json();
  const hooks = (state.webhooks as { company: string; event_action: string; event_object: string; subscription_url: string; http_auth_user: string }[]).filter(
    (h) => h.company === "acme",
  );
  expect(hooks.map((h) => `${h.event_action}.${h.event_object}`).sort()).toEqual(["change.deal", "create.person"]);
  expect(hooks.every((h) => new RegExp(`^${urlPattern(APP_URL)}\\/api\\/webhooks\\/pipedrive\\/[\\w-]{20,}$`).test(h.subscription_url) && h.http_auth_user === "cue")).toBe(true);

  // --- Free: contact sync is an upsell, and the server refuses it too ----------------------------
  const upsell = row.getByTestId("contact-sync-upsell");
  await expect(upsell).toContainText("It is included in the Business plan; you are on Free.");
  await expect(upsell.getByRole("button", { name: "Sync contacts" })).toBeDisabled();
  const connectionId = (await row.getAttribute("data-testid"))!.replace(/^connection-/, "");
  const refused = await page.request.post("/api/trpc/integrations.pipedriveSync", { data: { json: { connectionId } } });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.json.message).toBe("Contact sync is not included in the Free plan. Upgrade to Business to import your Pipedrive contacts.");

  await upgradeFreeUserToBusiness(page);

  // --- First sync: two pages, watched while the second page is held back ------------------------
  await page.goto("/integrations");
  const sync = row.getByTestId("contact-sync");
  await expect(sync).toContainText("0 people imported, never synced.");
  await page.request.post(`${FAKE_PIPEDRIVE_URL}/__gate`, { data: { company: "acme", start: 100 } });
  const beforeSync = (await requestsSoFar()).length;
  await sync.getByRole("button", { name: "Sync all contacts" }).click();
  const progress = sync.getByTestId("contact-sync-progress");
  await expect(progress).toContainText("Importing every person");
  await expect(progress).toContainText("100 · 100 new · 0 updated · 0 unchanged");
  await expect(progress.getByRole("progressbar", { name: "Contact sync progress" })).toHaveAttribute("aria-valuenow", "100");
  await expect(sync.getByRole("button", { name: "Syncing…" })).toBeDisabled();
  await page.request.post(`${FAKE_PIPEDRIVE_URL}/__gate/release`);
  await expect(progress).toHaveCount(0);
  const history = sync.getByTestId("contact-sync-history").locator("li").first();
  await expect(history).toContainText("succeeded");
  await expect(history).toContainText("everyone · 130 processed, 130 new, 0 updated, 0 unchanged");
  await expect(sync).toContainText(/130 people imported, last synced /);

  // Pages of at most 100, enrichment where the record lacked it, all with the company's token.
  const syncCalls = (await requestsSoFar()).slice(beforeSync).filter((r) => r.path.startsWith("/api/"));
  const lists = syncCalls.filter((r) => r.path.startsWith("/api/v1/persons?"));
  expect(lists.map((r) => new URL(r.path, FAKE_PIPEDRIVE_URL).searchParams.get("start"))).toEqual(["0", "100"]);
  expect(syncCalls.some((r) => r.path === "/api/v1/organizations/1")).toBe(true);
  expect(syncCalls.some((r) => /^\/api\/v1\/persons\/70\/deals\?/.test(r.path))).toBe(true);
  expect(syncCalls.every((r) => r.status === 200 && r.company === "acme")).toBe(true);

  // --- Contacts page ---------------------------------------------------------------------------
  await sync.getByRole("link", { name: "View contacts" }).click();
  await expect(page).toHaveURL(/\/contacts\?connection=/);
  const table = page.getByTestId("contacts-table");
  await expect(page.getByText("130 contacts")).toBeVisible();
  await expect(table.locator("tbody tr")).toHaveCount(50);
  const next = page.getByRole("button", { name: "Next" });
  await next.click();
  await expect(table.locator("tbody tr")).toHaveCount(50);
  await next.click();
  await expect(table.locator("tbody tr")).toHaveCount(30);
  await expect(next).toBeDisabled();
  await expect(table.locator("tbody tr").last()).toContainText("Mary Vaughan");
  const search = async (term: string) => {
    await page.getByLabel("Search contacts").fill(term);
    await page.getByRole("button", { name: "Search" }).click();
  };
  await search("hopper");
  await expect(table.locator("tbody tr")).toHaveCount(1);
  await expect(table.locator("tbody tr")).toHaveText(/Grace Hopper\s*grace\.hopper@navy\.example\s*\+12025550101\s*US Navy\s*2\s*1\s*Acme Ltd/);
  // Organization and deals fetched separately for this one.
  await search("Dorothy Allen");
  await expect(table.locator("tbody tr")).toHaveText(/Dorothy Allen\s*dorothy\.allen@acme\.example\s*—\s*US Navy\s*1\s*1\s*Acme Ltd/);
  await search("nobody-like-this");
  await expect(table.locator("tbody tr")).toHaveText("Nobody matches “nobody-like-this”.");

  // --- Second sync: one new, two changed, the rest unchanged; no duplicates ---------------------
  await page.request.patch(`${FAKE_PIPEDRIVE_URL}/__companies/acme/persons/2`, { data: { phone: [{ label: "mobile", value: "+44 20 7946 0000", primary: true }] } });
  await page.request.patch(`${FAKE_PIPEDRIVE_URL}/__companies/acme/deals/101`, { data: { status: "won" } });
  await page.request.post(`${FAKE_PIPEDRIVE_URL}/__companies/acme/persons`, {
    data: { id: 131, name: "Ada Newcomer", email: [{ value: "ada.newcomer@acme.example", primary: true }], open_deals_count: 0, won_deals_count: 0 },
  });
  await page.goto("/integrations");
  await sync.getByRole("button", { name: "Sync all contacts" }).click();
  await expect(history).toContainText("everyone · 131 processed, 1 new, 2 updated, 128 unchanged");
  await expect(sync.getByTestId("contact-sync-history").locator("li")).toHaveCount(2);
  await expect(sync).toContainText(/131 people imported/);

  await page.goto("/contacts");
  await expect(page.getByText("131 contacts")).toBeVisible();
  await search("turing");
  await expect(table.locator("tbody tr")).toHaveCount(13);
  await expect(table.locator("tbody tr", { hasText: "Alan Turing" })).toContainText("+442079460000");
  await expect(table.locator("tbody tr", { hasText: "Ivan Turing" })).toHaveText(/Ivan Turing.*US Navy\s*0\s*2\s*Acme Ltd/);
  await search("hopper");
  await expect(table.locator("tbody tr")).toHaveCount(1);
  await search("Ada Newcomer");
  await expect(table.locator("tbody tr")).toHaveCount(1);

  // --- A webhook from Pipedrive starts the user's workflow ---------------------------------------
  const imported = await mutation<{ id: string }>(page.request, "workflows.import", {
    data: {
      name: "New Pipedrive person → ping",
      graph: {
        nodes: [
          { id: "t1", type: "pipedrive.person.created", config: {}, position: { x: 0, y: 0 } },
          { id: "a1", type: "http.request", config: { method: "GET", url: `${FAKE_PIPEDRIVE_URL}/__echo`, query: { person: "{{trigger.data.name}}" } }, position: { x: 0, y: 120 } },
        ],
        edges: [{ id: "e1", source: "t1", target: "a1" }],
      },
    },
  });
  await mutation(page.request, "workflows.activate", { id: imported.id });
  const person = {
    id: 132,
    name: "Wanda Webhook",
    first_name: "Wanda",
    last_name: "Webhook",
    emails: [{ value: "wanda@acme.example", primary: true, label: "work" }],
    phones: [],
    org_id: null,
    owner_id: 18487521,
    add_time: new Date().toISOString(),
  };
  const delivered = await (await page.request.post(`${FAKE_PIPEDRIVE_URL}/__companies/acme/webhook-events`, { data: { action: "create", object: "person", data: person } })).json();
  expect(delivered.statuses).toEqual([202]);

  await page.goto(`/workflows/${imported.id}/runs`);
  const runs = page.locator("[data-testid^='run-']");
  await expect(runs).toHaveCount(1);
  await expect(runs.first()).toHaveAttribute("data-status", "succeeded", { timeout: 20_000 });
  const echoes = (await requestsSoFar()).filter((r) => r.path.startsWith("/__echo"));
  expect(echoes.map((r) => r.path)).toContain("/__echo?person=Wanda+Webhook");
});

// GitHub "Watch a repository" end to end: connect GitHub with a pasted token (checked against the
// fake's GET /user), watch acme/web (Cue creates the repository's issues webhook at the fake),
// deliver a signed issues/opened to the hook's URL as GitHub would and see the workflow's run,
// then unwatch (Cue deletes the webhook).
import { createHmac, randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import accounts from "./fake-accounts.json" with { type: "json" };
import { mutation, noSession, signInAsNewUser } from "./support";
import { APP_URL, FAKE_PROVIDERS_URL } from "./ports";


test.use(noSession);

interface Recorded {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

interface FakeHook {
  id: number;
  repository: string;
  events: string[];
  config: { url: string; content_type: string; secret: string };
  deleted: boolean;
}

async function fakeRequests(page: Page): Promise<Recorded[]> {
  return (await page.request.get(`${FAKE_PROVIDERS_URL}/__requests`)).json();
}

/** The webhook the fake GitHub holds for this connection (its URL ends in the connection id). */
async function fakeHookFor(page: Page, connectionId: string): Promise<FakeHook | undefined> {
  const hooks: FakeHook[] = await (await page.request.get(`${FAKE_PROVIDERS_URL}/__github/hooks`)).json();
  return hooks.find((hook) => hook.config.url.endsWith(`/api/webhooks/github/${connectionId}`));
}

const sign = (secret: string, body: string) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

test("watch a repository, receive a signed issues.opened through its webhook, see the run, unwatch", async ({ page }, testInfo) => {
  await signInAsNewUser(page, testInfo, "github-watch");
  const card = page.getByTestId("provider-github");

  // A token GitHub refuses connects nothing; the right one connects as its GitHub login.
  await card.getByRole("button", { name: "Connect GitHub" }).click();
  await card.getByLabel("Personal access token").fill("ghp_not-a-valid-token-000000");
  await card.getByRole("button", { name: "Save connection" }).click();
  await expect(card.getByRole("alert")).toContainText("GitHub did not accept these credentials");
  await card.getByLabel("Personal access token").fill(accounts.github.token);
  await card.getByRole("button", { name: "Save connection" }).click();
  const row = card.locator(".connection-row");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(accounts.github.login);
  await expect(row.locator(".status-pill")).toHaveText("Connected");
  const connectionId = (await row.getAttribute("data-testid"))!.slice("connection-".length);
  await expect(page.locator("body")).not.toContainText(accounts.github.token);

  // Watch acme/web.
  const watched = row.getByTestId("github-watched-repositories");
  await expect(watched).toContainText("None yet");
  await watched.getByLabel("Watch a repository").fill("acme/web");
  await watched.getByRole("button", { name: "Watch", exact: true }).click();
  const item = watched.getByTestId("github-watched-acme/web");
  await expect(item).toBeVisible();
  await expect(item).toContainText("acme/web");
  await expect(watched.getByLabel("Watch a repository")).toHaveValue("");

  // What the fake GitHub received: the issues webhook, pointing at this connection, with a secret.
  const hook = await fakeHookFor(page, connectionId);
  expect(hook, "a webhook created for this connection").toBeDefined();
  expect(hook).toMatchObject({ repository: "acme/web", events: ["issues"], deleted: false });
  const creates = (await fakeRequests(page)).filter(
    (r) => r.method === "POST" && r.path === "/repos/acme/web/hooks" && JSON.parse(r.body).config?.url === hook!.config.url,
  );
  expect(creates).toHaveLength(1);
  expect(creates[0]!.headers.authorization).toBe(`Bearer ${accounts.github.token}`);
  expect(JSON.parse(creates[0]!.body)).toMatchObject({ name: "web", active: true, events: ["issues"], config: { content_type: "json" } });
  const { url: deliveryUrl, secret } = hook!.config;
  expect(deliveryUrl).toBe(`${APP_URL}/api/webhooks/github/${connectionId}`);
  expect(secret).toMatch(/^\S{16,}$/);
  // The secret stays on the server.
  await expect(page.locator("body")).not.toContainText(secret);

  // An active workflow on new issues that passes the issue on to a local service.
  const workflow = await mutation<{ id: string }>(page.request, "workflows.import", {
    data: {
      name: "New GitHub issue → capture",
      graph: {
        nodes: [
          { id: "t1", type: "github.issue.opened", config: {}, position: { x: 0, y: 0 } },
          {
            id: "a1",
            type: "http.request",
            config: { method: "POST", url: `${FAKE_PROVIDERS_URL}/capture/github-${connectionId}`, body: { title: "{{trigger.issue.title}}", repository: "{{trigger.repository.full_name}}" } },
            position: { x: 0, y: 120 },
          },
        ],
        edges: [{ id: "e1", source: "t1", target: "a1" }],
      },
    },
  });
  await mutation(page.request, "workflows.activate", { id: workflow.id });

  // GitHub's delivery: the raw body signed with the hook's secret.
  const body = JSON.stringify({
    action: "opened",
    issue: {
      id: 2419073615,
      number: 1347,
      title: "Checkout button does nothing on Safari",
      body: "Steps to reproduce: open /pricing in Safari 17, click Subscribe",
      state: "open",
      html_url: "https://github.com/acme/web/issues/1347",
      user: { login: "octocat", id: 583231, html_url: "https://github.com/octocat" },
      labels: [{ name: "bug", color: "d73a4a" }],
      assignees: [],
      created_at: "2026-03-02T14:25:27Z",
    },
    repository: {
      id: 1296269,
      name: "web",
      full_name: "acme/web",
      private: false,
      html_url: "https://github.com/acme/web",
      owner: { login: "acme", id: 9919, html_url: "https://github.com/acme" },
    },
    sender: { login: "octocat", id: 583231, html_url: "https://github.com/octocat" },
  });
  const delivery = randomUUID();
  const deliver = (signature: string) =>
    page.request.post(deliveryUrl, {
      data: body,
      headers: { "content-type": "application/json", "x-github-event": "issues", "x-github-delivery": delivery, "x-hub-signature-256": signature },
    });

  const forged = await deliver(sign("not-the-secret", body));
  expect(forged.status()).toBe(401);
  const accepted = await deliver(sign(secret, body));
  expect(accepted.status(), await accepted.text()).toBe(202);
  expect(await accepted.json()).toEqual({ event: "issues.opened", duplicate: false, runs: 1 });
  // A redelivery of the same X-GitHub-Delivery is acknowledged and starts nothing.
  const again = await deliver(sign(secret, body));
  expect(again.status()).toBe(202);
  expect(await again.json()).toMatchObject({ duplicate: true, runs: 0 });

  // The run: live, succeeded, and its step sent the issue on.
  await page.goto(`/workflows/${workflow.id}/runs`);
  const runs = page.locator("[data-testid^='run-']");
  await expect(runs).toHaveCount(1);
  await expect(runs.first()).toHaveAttribute("data-status", "succeeded", { timeout: 20_000 });
  await expect(runs.first()).toContainText("Live");
  await expect(page.getByTestId("step-t1")).toHaveAttribute("data-status", "succeeded");
  await expect(page.getByTestId("step-a1")).toHaveAttribute("data-status", "succeeded");
  const captured = (await fakeRequests(page)).filter((r) => r.path === `/capture/github-${connectionId}`);
  expect(captured).toHaveLength(1);
  expect(JSON.parse(captured[0]!.body)).toEqual({ title: "Checkout button does nothing on Safari", repository: "acme/web" });

  // Unwatch: Cue deletes the webhook it created, and the list empties.
  await page.goto("/integrations");
  const list = page.getByTestId(`connection-${connectionId}`).getByTestId("github-watched-repositories");
  await list.getByTestId("github-watched-acme/web").getByRole("button", { name: "Unwatch" }).click();
  await expect(list.getByTestId("github-watched-acme/web")).toHaveCount(0);
  await expect(list).toContainText("None yet");
  const deletes = (await fakeRequests(page)).filter((r) => r.method === "DELETE" && r.path === `/repos/acme/web/hooks/${hook!.id}`);
  expect(deletes).toHaveLength(1);
  expect(deletes[0]!.headers.authorization).toBe(`Bearer ${accounts.github.token}`);
  expect((await fakeHookFor(page, connectionId))?.deleted).toBe(true);
});

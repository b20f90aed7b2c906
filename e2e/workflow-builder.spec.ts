// Builds "when a Stripe charge fails, create a Jira issue and send an SMS" by dragging and
// clicking, runs it against the local fake Jira and Twilio, and checks what they received.
import { expect, test, type Locator, type Page } from "@playwright/test";
import accounts from "./fake-accounts.json" with { type: "json" };
import { FAKE_PROVIDERS_URL } from "./ports";


test.use({ viewport: { width: 1600, height: 1000 } });

interface Recorded {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

async function fakeRequests(page: Page): Promise<Recorded[]> {
  return (await page.request.get(`${FAKE_PROVIDERS_URL}/__requests`)).json();
}

async function connectAccounts(page: Page) {
  await page.goto("/integrations");
  const jira = page.getByTestId("provider-jira");
  if ((await jira.locator(".connection-row").count()) === 0) {
    await jira.getByRole("button", { name: "Connect Jira" }).click();
    await jira.getByLabel("Site URL").fill(FAKE_PROVIDERS_URL);
    await jira.getByLabel("Account email").fill(accounts.jira.email);
    await jira.getByLabel("API token").fill("wrong-token-123");
    await jira.getByRole("button", { name: "Save connection" }).click();
    await expect(jira.getByRole("alert")).toContainText("Jira did not accept these credentials");
    await jira.getByLabel("API token").fill(accounts.jira.token);
    await jira.getByRole("button", { name: "Save connection" }).click();
    await expect(jira.locator(".connection-row")).toContainText("Ops Team");
  }
  const twilio = page.getByTestId("provider-twilio");
  if ((await twilio.locator(".connection-row").count()) === 0) {
    await twilio.getByRole("button", { name: "Connect Twilio" }).click();
    await twilio.getByLabel("Account SID").fill(accounts.twilio.sid);
    await twilio.getByLabel("Auth Token").fill(accounts.twilio.token);
    await twilio.getByRole("button", { name: "Save connection" }).click();
    await expect(twilio.locator(".connection-row")).toContainText("Connected");
  }
  // Secrets never come back to the browser.
  await expect(page.locator("body")).not.toContainText(accounts.twilio.token);
}

async function dropOnCanvas(page: Page, type: string, x: number, y: number) {
  const canvas = page.locator(".react-flow__pane");
  await page.getByTestId(`palette-item-${type}`).dragTo(canvas, { targetPosition: { x, y } });
  return page.locator(`[data-node-type="${type}"]`);
}

async function connect(page: Page, from: Locator, to: Locator) {
  const source = await from.locator(".react-flow__handle.source").first().boundingBox();
  const target = await to.locator(".react-flow__handle.target").first().boundingBox();
  if (!source || !target) throw new Error("handles not found");
  await page.mouse.move(source.x + source.width / 2, source.y + source.height / 2);
  await page.mouse.down();
  await page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 12 });
  await page.mouse.up();
}

test("build, activate and test-run a workflow; retries show attempts; replay after a fix succeeds", async ({ page }) => {
  await page.request.post(`${FAKE_PROVIDERS_URL}/__reset`);
  await connectAccounts(page);

  await page.goto("/workflows");
  await page.getByRole("button", { name: "New workflow" }).first().click();
  await expect(page.getByTestId("workflow-editor")).toBeVisible();
  await page.getByLabel("Workflow name").fill("Failed payment follow-up");

  const trigger = await dropOnCanvas(page, "stripe.charge.failed", 300, 60);
  const jira = await dropOnCanvas(page, "jira.issue.create", 300, 220);
  const sms = await dropOnCanvas(page, "twilio.sms.send", 300, 380);
  await expect(trigger).toHaveCount(1);
  await expect(jira).toHaveCount(1);
  await expect(sms).toHaveCount(1);
  await connect(page, trigger, jira);
  await connect(page, jira, sms);
  await expect(page.locator(".react-flow__edge")).toHaveCount(2);

  // Unconfigured steps cannot be activated, and the editor says why.
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByTestId("save-state")).toHaveText("Saved");
  await page.getByRole("button", { name: "Activate" }).click();
  await expect(page.getByTestId("editor-notice")).toContainText("cannot be activated");
  await expect(jira.locator(".wf-node-issues")).toBeVisible();

  // Configure Jira with a reference into the trigger's payload.
  await jira.locator(".wf-node-title").click();
  const panel = page.getByTestId("config-panel");
  await panel.getByRole("textbox", { name: "Project", exact: true }).fill("NOPE");
  await panel.getByRole("textbox", { name: "Summary", exact: true }).fill("Payment failed for {{trigger.data.object.customer}}");
  await page.getByRole("button", { name: "Close step settings" }).click();
  await page.getByRole("button", { name: "Fit to screen" }).click();
  await sms.locator(".wf-node-title").click();
  await panel.getByRole("textbox", { name: "To", exact: true }).fill("{{trigger.data.object.billing_details.phone}}");
  await panel.getByRole("textbox", { name: "From", exact: true }).fill("+15005550006");
  await panel.getByRole("textbox", { name: "Body", exact: true }).fill("We could not charge your card. Ticket {{steps." + (await jira.getAttribute("data-testid"))!.slice(5) + ".key}}");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByTestId("save-state")).toHaveText("Saved");
  await page.getByRole("button", { name: "Activate" }).click();
  await expect(page.getByRole("button", { name: "Pause" })).toBeVisible();

  // Twilio is briefly unavailable: the SMS step is retried; Jira rejects the project key.
  await page.request.post(`${FAKE_PROVIDERS_URL}/__fail`, { data: { pathIncludes: "/Messages.json", status: 503, times: 1 } });
  await page.getByRole("button", { name: "Test run" }).click();
  await page.getByRole("button", { name: "Start test run" }).click();
  await expect(page.getByTestId("test-run-status")).toHaveAttribute("data-status", "failed", { timeout: 20_000 });
  await expect(jira).toHaveAttribute("data-step-status", "failed");
  const afterFailure = await fakeRequests(page);
  expect(afterFailure.filter((r) => r.path === "/rest/api/3/issue")).toHaveLength(1);
  expect(afterFailure.filter((r) => r.path.endsWith("/Messages.json"))).toHaveLength(0);

  // Fix the project key, save, and replay the failed run from the runs page.
  await jira.locator(".wf-node-title").click();
  await panel.getByRole("textbox", { name: "Project", exact: true }).fill("OPS");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByTestId("save-state")).toHaveText("Saved");
  const smsNodeId = (await sms.getAttribute("data-testid"))!.slice("node-".length);
  await page.getByRole("link", { name: "Open in runs" }).click();
  await page.getByRole("button", { name: /Replay/ }).click();
  const smsStep = page.getByTestId(`step-${smsNodeId}`);
  await expect(smsStep).toHaveAttribute("data-status", "succeeded", { timeout: 20_000 });
  await expect(smsStep).toContainText("2 attempts");

  const delivered = await fakeRequests(page);
  const issues = delivered.filter((r) => r.path === "/rest/api/3/issue");
  expect(issues).toHaveLength(2);
  expect(JSON.parse(issues[1]!.body).fields).toMatchObject({ project: { key: "OPS" }, summary: "Payment failed for cus_RfT6kP9gQmZ1xA" });
  const messages = delivered.filter((r) => r.path.endsWith("/Messages.json"));
  expect(messages).toHaveLength(2); // one 503, one accepted retry
  const form = new URLSearchParams(messages[1]!.body);
  expect(form.get("To")).toBe("+14155550123");
  expect(form.get("Body")).toBe("We could not charge your card. Ticket OPS-1");
});

// The "Transform data" step end to end: build manual trigger → transform → HTTP request by
// clicking, name the transform's fields in its JSON setting, pick them in the next step with
// "Insert reference", see a reference to a field it does not define flagged, then test-run and
// check the transformed values in the run timeline and in what the local fake received.
import { expect, test, type Locator, type Page } from "@playwright/test";
import { FAKE_PROVIDERS_URL } from "./ports";


test.use({ viewport: { width: 1600, height: 1000 } });

interface Recorded {
  method: string;
  path: string;
  body: string;
}

async function fakeRequests(page: Page): Promise<Recorded[]> {
  return (await page.request.get(`${FAKE_PROVIDERS_URL}/__requests`)).json();
}

/** One of a timeline step's collapsible JSON blocks ("Input", "Output"). */
const jsonBlock = (step: Locator, label: string) => step.locator("details.wf-json").filter({ has: step.page().locator("summary", { hasText: new RegExp(`^${label}$`) }) });

test("a transform's fields are offered to later steps, checked, and passed on at run time", async ({ page }, testInfo) => {
  const capture = `/capture/transform-${testInfo.retry}-${Date.now().toString(36)}`;
  await page.goto("/workflows");
  await page.getByRole("button", { name: "New workflow" }).first().click();
  await expect(page.getByTestId("workflow-editor")).toBeVisible();
  await page.getByLabel("Workflow name").fill("Transform a manual run");
  const panel = page.getByTestId("config-panel");

  // Manual trigger, then Transform data after it (click-to-add links it to the selected step).
  await page.getByTestId("palette-item-manual.run").click();
  const trigger = page.locator('[data-node-type="manual.run"]');
  await expect(trigger).toHaveCount(1);
  await page.getByTestId("palette-item-core.transform").click();
  const transform = page.locator('[data-node-type="core.transform"]');
  await expect(transform).toHaveCount(1);
  await expect(page.locator(".react-flow__edge")).toHaveCount(1);
  const transformId = (await transform.getAttribute("data-testid"))!.slice("node-".length);
  await expect(panel.getByRole("heading", { name: "Transform data" })).toBeVisible();

  // Its fields, from the manual trigger's sample data ({ data: { email, name } }).
  const fields = panel.getByRole("textbox", { name: "Fields", exact: true });
  await fields.fill('{"who": "{{trigger.data.name | upper}}", "note": "Order for {{trigger.data.email}}"}');
  await expect(transform.locator(".wf-node-summary")).toHaveText("Sets who, note");
  await expect(transform.locator(".wf-node-issues")).toHaveCount(0);

  // An HTTP request after the transform, posting to the local fake.
  await page.getByTestId("palette-item-http.request").click();
  const http = page.locator('[data-node-type="http.request"]');
  await expect(http).toHaveCount(1);
  await expect(page.locator(".react-flow__edge")).toHaveCount(2);
  const httpId = (await http.getAttribute("data-testid"))!.slice("node-".length);
  await expect(panel.getByRole("heading", { name: "HTTP request" })).toBeVisible();
  await panel.getByLabel("Method").selectOption("POST");
  await panel.getByRole("textbox", { name: "Url", exact: true }).fill(`${FAKE_PROVIDERS_URL}${capture}`);
  const body = panel.getByRole("textbox", { name: "Body", exact: true });

  // A field the transform does not define is an issue on the step, naming the field.
  await body.fill('{"greeting": "{{steps.' + transformId + '.missing}}"}');
  const missing = `{{steps.${transformId}.missing}} does not exist: steps.${transformId} has no "missing"`;
  await expect(panel.locator(`#cfg-${httpId}-body-error`)).toContainText(missing);
  await expect(http.locator(".wf-node-issues")).toHaveAttribute("title", new RegExp(`has no "missing"`));

  // "Insert reference" lists the transform's fields under the transform step; pick them into the body.
  const picker = panel.getByLabel("Insert reference");
  await expect(picker.locator(`optgroup[label="${transformId}: Transform data"] > option`)).toHaveText(["who", "note"]);
  await body.fill("");
  await body.pressSequentially('{"greeting": "Hello ');
  await picker.selectOption(`{{steps.${transformId}.who}}`);
  await expect(body).toBeFocused();
  await page.keyboard.type('", "note": "');
  await picker.selectOption(`{{steps.${transformId}.note}}`);
  await expect(body).toBeFocused();
  await page.keyboard.type('"}');
  await expect(body).toHaveValue(`{"greeting": "Hello {{steps.${transformId}.who}}", "note": "{{steps.${transformId}.note}}"}`);
  await expect(panel.locator(`#cfg-${httpId}-body-error`)).toHaveCount(0);
  await expect(http.locator(".wf-node-issues")).toHaveCount(0);

  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByTestId("save-state")).toHaveText("Saved");

  // Test run with the trigger's sample data.
  await page.getByRole("button", { name: "Test run" }).click();
  await page.getByRole("button", { name: "Start test run" }).click();
  await expect(page.getByTestId("test-run-status")).toHaveAttribute("data-status", "succeeded", { timeout: 20_000 });
  await expect(transform).toHaveAttribute("data-step-status", "succeeded");
  await expect(http).toHaveAttribute("data-step-status", "succeeded");

  // The run's timeline: the transform's output is the upper-cased name and the note; the request got them.
  await page.getByRole("link", { name: "Open in runs" }).click();
  const transformStep = page.getByTestId(`step-${transformId}`);
  await expect(transformStep).toHaveAttribute("data-status", "succeeded");
  const output = jsonBlock(transformStep, "Output");
  await output.locator("summary").click();
  await expect(output.locator("pre")).toContainText('"who": "JENNY ROSEN"');
  await expect(output.locator("pre")).toContainText('"note": "Order for jenny.rosen@example.com"');
  const httpStep = page.getByTestId(`step-${httpId}`);
  await expect(httpStep).toHaveAttribute("data-status", "succeeded");
  const input = jsonBlock(httpStep, "Input");
  await input.locator("summary").click();
  await expect(input.locator("pre")).toContainText('"greeting": "Hello JENNY ROSEN"');

  const received = (await fakeRequests(page)).filter((r) => r.path === capture);
  expect(received).toHaveLength(1);
  expect(received[0]!.method).toBe("POST");
  expect(JSON.parse(received[0]!.body)).toEqual({ greeting: "Hello JENNY ROSEN", note: "Order for jenny.rosen@example.com" });
});

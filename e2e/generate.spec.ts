// Describe a workflow in a sentence, preview what Cue drew (with the language it read and the words
// it could not map), try again with an edited description, and open the chosen one in the editor.
import { expect, test } from "@playwright/test";

test.use({ viewport: { width: 1600, height: 1000 } });

test("describe → preview → try again → use this → the editor shows the generated steps", async ({ page }) => {
  await page.goto("/workflows");
  await page.getByRole("button", { name: "Describe it" }).click();
  const panel = page.getByRole("region", { name: "Describe a workflow" });
  const description = page.getByLabel("Describe the workflow");

  // Nonsense is refused with what Cue understands, and nothing is drawn.
  await description.fill("make me a sandwich");
  await panel.getByRole("button", { name: "Generate" }).click();
  await expect(panel.getByRole("alert")).toContainText("Cue could not find a trigger or an action");
  await expect(panel.getByRole("alert")).toContainText("Jira: Create a Jira issue");
  await expect(page.getByTestId("generate-preview")).toHaveCount(0);

  await description.fill("When a payment fails, create a Jira ticket");
  await panel.getByRole("button", { name: "Generate" }).click();
  const preview = page.getByTestId("generate-preview");
  await expect(preview.getByTestId("generate-explanation")).toContainText("Charge failed");
  await expect(preview.locator('[data-node-type="stripe.charge.failed"]')).toHaveCount(1);
  await expect(preview.locator('[data-node-type="jira.issue.create"]')).toHaveCount(1);
  await expect(preview.locator('[data-node-type="twilio.sms.send"]')).toHaveCount(0);

  // Edit and regenerate: the preview follows the new description.
  await description.fill("When a payment fails, create a Jira ticket and text the customer; also update the wiki");
  await panel.getByRole("button", { name: "Try again" }).click();
  await expect(preview.locator('[data-node-type="twilio.sms.send"]')).toHaveCount(1);
  await expect(preview.getByTestId("generate-unmapped")).toContainText("update the wiki");
  await expect(preview.getByTestId("generate-coverage")).toContainText("Words Cue did not map: update, wiki");
  await expect(preview.getByTestId("generate-language")).toHaveText("Read as English");
  await expect(preview.getByRole("list", { name: "Generated steps" }).getByRole("listitem")).toHaveCount(3);

  // Another language, with later actions naming Pipedrive and GitHub: read as actions, in order.
  await description.fill("Quand une affaire est gagnée, publier dans #ventes, ajouter le client dans Pipedrive puis créer une issue GitHub dans acme/onboarding");
  await panel.getByRole("button", { name: "Try again" }).click();
  await expect(preview.getByTestId("generate-language")).toHaveText("Read as French");
  await expect(preview.getByTestId("generate-coverage")).toContainText("Every word was mapped");
  const steps = preview.getByRole("list", { name: "Generated steps" }).getByRole("listitem");
  await expect(steps).toHaveCount(4);
  await expect(steps.nth(0)).toContainText("Pipedrive deal won");
  await expect(steps.nth(2)).toContainText("Create a Pipedrive person");
  await expect(steps.nth(3)).toContainText("Create a GitHub issue");

  await description.fill("When a payment fails, create a Jira ticket and text the customer; also update the wiki");
  await panel.getByRole("button", { name: "Try again" }).click();
  await expect(preview.getByTestId("generate-language")).toHaveText("Read as English");

  await preview.getByRole("button", { name: "Use this" }).click();
  await expect(page).toHaveURL(/\/workflows\/[^/]+$/);
  const editor = page.getByTestId("workflow-editor");
  await expect(editor).toBeVisible();
  await expect(page.getByLabel("Workflow name")).toHaveValue(/When a payment fails, create a Jira ticket and text the customer/);
  for (const type of ["stripe.charge.failed", "jira.issue.create", "twilio.sms.send"]) {
    await expect(editor.locator(`[data-node-type="${type}"]`)).toHaveCount(1);
  }
  await expect(editor.locator(".react-flow__edge")).toHaveCount(2);
});

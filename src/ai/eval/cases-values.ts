// Evaluation cases on values carried into settings, on nonsense (refused) and on half-nonsense
// (build what Cue can and report the rest, or refuse when the trigger or every action is unknown).
// Part of the main set `npm run eval:ai` scores (see ./index.ts).
import { CRON, EMAIL, GITHUB_ISSUE, HTTP, JIRA, SLACK, SMS, type EvalCase } from "./types";

export const valueCases: EvalCase[] = [
  // --- Values carried into the settings --------------------------------------------------------------
  { category: "values", description: "Whenever a payment succeeds, send a Slack message to #revenue", expected: { trigger: "stripe.charge.succeeded", steps: [SLACK], config: { [SLACK]: { channel: "#revenue" } } } },
  {
    category: "values",
    description: "When a subscription is updated, POST the event to https://hooks.acme.io/stripe",
    expected: { trigger: "stripe.customer.subscription.updated", steps: [HTTP], config: { [HTTP]: { url: "https://hooks.acme.io/stripe", method: "POST" } } },
  },
  {
    category: "values",
    description: "failed invoice payment -> slack #finance, then jira ticket in project FIN",
    expected: { trigger: "stripe.invoice.payment_failed", steps: [SLACK, JIRA], config: { [SLACK]: { channel: "#finance" }, [JIRA]: { project: "FIN" } } },
  },
  {
    category: "values",
    description: "When a Stripe checkout session is completed, call https://fulfil.acme.io/orders with a POST",
    expected: { trigger: "stripe.checkout.session.completed", steps: [HTTP], config: { [HTTP]: { url: "https://fulfil.acme.io/orders" } } },
  },
  { category: "values", description: "Text me at +44 7700 900123 when a deal is won", expected: { trigger: "pipedrive.deal.won", steps: [SMS], config: { [SMS]: { to: "+447700900123" } } } },
  {
    category: "values",
    description: "When a webhook comes in, create a GitHub issue in acme/web",
    expected: { trigger: "webhook.received", steps: [GITHUB_ISSUE], config: { [GITHUB_ISSUE]: { owner: "acme", repo: "web" } } },
  },
  { category: "values", description: "When I click run, send a test SMS to +15551234567", expected: { trigger: "manual.run", steps: [SMS], config: { [SMS]: { to: "+15551234567" } } } },
  {
    category: "values",
    description: "Manually triggered: post 'deploy finished' to #deploys",
    expected: { trigger: "manual.run", steps: [SLACK], config: { [SLACK]: { channel: "#deploys", text: "deploy finished" } } },
  },
  {
    category: "values",
    description: "When a payment fails, post 'Card declined for a customer' in #billing",
    expected: { trigger: "stripe.charge.failed", steps: [SLACK], config: { [SLACK]: { channel: "#billing", text: "Card declined for a customer" } } },
  },
  {
    category: "values",
    description: "When a deal is won, create a Jira ticket in project CS with the summary 'Onboard new customer'",
    expected: { trigger: "pipedrive.deal.won", steps: [JIRA], config: { [JIRA]: { project: "CS", summary: "Onboard new customer" } } },
  },
  { category: "values", description: "When a GitHub issue is opened, text +1 (415) 555-0111", expected: { trigger: "github.issue.opened", steps: [SMS], config: { [SMS]: { to: "+14155550111" } } } },
  {
    category: "values",
    description: "When an invoice is paid, send an email to accounting@acme.io with the subject 'Invoice paid'",
    expected: { trigger: "stripe.invoice.paid", steps: [EMAIL], config: { [EMAIL]: { to: "accounting@acme.io", subject: "Invoice paid" } } },
  },
  {
    category: "values",
    description: "When a webhook arrives, send a PUT request to https://api.acme.io/records",
    expected: { trigger: "webhook.received", steps: [HTTP], config: { [HTTP]: { url: "https://api.acme.io/records", method: "PUT" } } },
  },
  {
    category: "values",
    description: "When someone subscribes, create a GitHub issue in acme-inc/onboarding titled 'Set up account'",
    expected: { trigger: "stripe.customer.subscription.created", steps: [GITHUB_ISSUE], config: { [GITHUB_ISSUE]: { owner: "acme-inc", repo: "onboarding", title: "Set up account" } } },
  },
  { category: "values", description: "Manually, call https://api.acme.io/reindex", expected: { trigger: "manual.run", steps: [HTTP], config: { [HTTP]: { url: "https://api.acme.io/reindex" } } } },
  {
    category: "values",
    description: "When a charge succeeds, post to #sales-wins and email sales@acme.io",
    expected: { trigger: "stripe.charge.succeeded", steps: [SLACK, EMAIL], config: { [SLACK]: { channel: "#sales-wins" }, [EMAIL]: { to: "sales@acme.io" } } },
  },
  {
    category: "values",
    description: "Every Monday at 9am, text 'Weekly review at 10' to +14155550112",
    expected: { trigger: CRON, cron: "0 9 * * 1", steps: [SMS], config: { [SMS]: { to: "+14155550112", body: "Weekly review at 10" } } },
  },
  { category: "values", description: "When a payment fails, create a Jira ticket in the PAY project", expected: { trigger: "stripe.charge.failed", steps: [JIRA], config: { [JIRA]: { project: "PAY" } } } },
  { category: "values", description: "When a deal is won, text the sales lead at +33 6 12 34 56 78", expected: { trigger: "pipedrive.deal.won", steps: [SMS], config: { [SMS]: { to: "+33612345678" } } } },
  {
    category: "values",
    description: "When a new person is added in Pipedrive, post 'New contact!' to #crm",
    expected: { trigger: "pipedrive.person.created", steps: [SLACK], config: { [SLACK]: { channel: "#crm", text: "New contact!" } } },
  },
  {
    category: "values",
    description: "when checkout completes, send a DELETE request to https://api.acme.io/carts",
    expected: { trigger: "stripe.checkout.session.completed", steps: [HTTP], config: { [HTTP]: { url: "https://api.acme.io/carts", method: "DELETE" } } },
  },
  {
    category: "values",
    description: "On demand: post 'Release is live' to #announcements",
    expected: { trigger: "manual.run", steps: [SLACK], config: { [SLACK]: { channel: "#announcements", text: "Release is live" } } },
  },

  // --- Nonsense: refused --------------------------------------------------------------------------------
  { category: "nonsense", description: "asdf qwerty zxcv" },
  { category: "nonsense", description: "make me a sandwich" },
  { category: "nonsense", description: "hello there, how are you?" },
  { category: "nonsense", description: "   " },
  { category: "nonsense", description: "banana phone" },
  { category: "nonsense", description: "I like turtles" },
  { category: "nonsense", description: "!!!???" },
  { category: "nonsense", description: "when when when" },
  { category: "nonsense", description: "Quand le chat dort" },
  { category: "nonsense", description: "hola amigo, ¿qué tal?" },
  { category: "nonsense", description: "Guten Morgen, wie geht's?" },
  { category: "nonsense", description: "12345 67890" },

  // --- Half-nonsense: build what Cue can, report the rest; refuse when the trigger or every action is unknown
  // Cue has no "add a label" action: refusing beats drawing a workflow that does something else.
  { category: "half-nonsense", description: "if someone opens an issue on github label it" },
  { category: "half-nonsense", description: "When a deal is won, post to #wins and dance", expected: { trigger: "pipedrive.deal.won", steps: [SLACK], unmapped: ["dance"] } },
  {
    category: "half-nonsense",
    description: "When a payment fails, email the customer and print the invoice",
    expected: { trigger: "stripe.charge.failed", steps: [EMAIL], unmapped: ["print the invoice"] },
  },
  {
    category: "half-nonsense",
    description: "When a charge succeeds, post to #revenue and update the dashboard",
    expected: { trigger: "stripe.charge.succeeded", steps: [SLACK], unmapped: ["update the dashboard"] },
  },
  { category: "half-nonsense", description: "When the weather is nice, post to #random" },
  { category: "half-nonsense", description: "When my boss is angry, text me" },
  {
    category: "half-nonsense",
    description: "Every Monday at 9am, email team@acme.io and water the office plants",
    expected: { trigger: CRON, cron: "0 9 * * 1", steps: [EMAIL], unmapped: ["water the office plants"] },
  },
  { category: "half-nonsense", description: "When a GitHub issue is opened, assign it to Alice" },
  {
    category: "half-nonsense",
    description: "When a GitHub issue is opened, assign it to Alice and post to #eng",
    expected: { trigger: "github.issue.opened", steps: [SLACK], unmapped: ["assign it to Alice"] },
  },
  {
    category: "half-nonsense",
    description: "When a subscription is canceled, cry a little, then email the customer",
    expected: { trigger: "stripe.customer.subscription.deleted", steps: [EMAIL], unmapped: ["cry a little"] },
  },
  { category: "half-nonsense", description: "When a webhook is received, make coffee" },
  {
    category: "half-nonsense",
    description: "When a deal is won, ring the bell in the office and post to #sales",
    expected: { trigger: "pipedrive.deal.won", steps: [SLACK], unmapped: ["ring the bell"] },
  },
  {
    category: "half-nonsense",
    description: "When a new person is added in Pipedrive, send them flowers and an email",
    expected: { trigger: "pipedrive.person.created", steps: [EMAIL], unmapped: ["send them flowers"] },
  },
  { category: "half-nonsense", description: "When the server is on fire, create a Jira ticket" },
  {
    category: "half-nonsense",
    description: "When a charge fails, create a Jira ticket and call my mom",
    expected: { trigger: "stripe.charge.failed", steps: [JIRA], unmapped: ["call my mom"] },
  },
  { category: "half-nonsense", description: "When a deal is won, buy a boat" },
  { category: "half-nonsense", description: "Post to #general when pigs fly" },
  {
    category: "half-nonsense",
    description: "When a payment succeeds, high-five the team, then post in #wins",
    expected: { trigger: "stripe.charge.succeeded", steps: [SLACK], unmapped: ["high-five the team"] },
  },
  {
    category: "half-nonsense",
    description: "When someone subscribes, email them, and also teleport them to Mars",
    expected: { trigger: "stripe.customer.subscription.created", steps: [EMAIL], unmapped: ["teleport them to Mars"] },
  },
  {
    category: "half-nonsense",
    description: "When a deal is won, post to #wins and update the commission spreadsheet",
    expected: { trigger: "pipedrive.deal.won", steps: [SLACK], unmapped: ["update the commission spreadsheet"] },
  },
];

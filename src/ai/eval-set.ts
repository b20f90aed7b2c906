// The offline planner's evaluation set: descriptions written the way different people ask for
// automations (terse, chatty, typos, reversed order, a few non-English), each with the workflow a
// careful human would draw. `npm run eval:ai` scores the planner against it; src/ai/eval.test.ts
// keeps the score from regressing. Conditions name the trigger field without the "trigger." prefix.

export type DelayUnit = "seconds" | "minutes" | "hours" | "days";
export type ConditionOperator = "equals" | "not_equals" | "gt" | "lt" | "contains" | "exists";

/** An action type, a delay, or a condition with its branches. */
export type ExpectedStep =
  | string
  | { delay: [number, DelayUnit] }
  | { if: [string, ConditionOperator, string | number | boolean]; then: ExpectedStep[]; else?: ExpectedStep[] };

export interface EvalCase {
  description: string;
  /** Omitted for descriptions Cue must refuse (nonsense). */
  expected?: {
    trigger: string;
    cron?: string;
    steps: ExpectedStep[];
    /** Per action type: config values the description spelled out (channels, numbers, addresses …). */
    config?: Record<string, Record<string, unknown>>;
  };
}

const JIRA = "jira.issue.create";
const SLACK = "slack.message.post";
const SMS = "twilio.sms.send";
const EMAIL = "sendgrid.email.send";
const HTTP = "http.request";
const PERSON = "pipedrive.person.create";
const ACTIVITY = "pipedrive.activity.create";
const GITHUB_ISSUE = "github.issue.create";
const CRON = "schedule.cron";

export const evalSet: EvalCase[] = [
  // --- Stripe events, plain and varied ---------------------------------------------------------
  { description: "When a payment fails, create a Jira ticket and text the customer", expected: { trigger: "stripe.charge.failed", steps: [JIRA, SMS] } },
  { description: "when a stripe charge fails open a jira issue", expected: { trigger: "stripe.charge.failed", steps: [JIRA] } },
  { description: "If a customer's card is declined, send them an SMS", expected: { trigger: "stripe.charge.failed", steps: [SMS] } },
  {
    description: "On charge.failed post to #billing-alerts in Slack",
    expected: { trigger: "stripe.charge.failed", steps: [SLACK], config: { [SLACK]: { channel: "#billing-alerts" } } },
  },
  { description: "Whenever a payment succeeds, send a Slack message to #revenue", expected: { trigger: "stripe.charge.succeeded", steps: [SLACK], config: { [SLACK]: { channel: "#revenue" } } } },
  { description: "paymnet failed -> creat jira tiket", expected: { trigger: "stripe.charge.failed", steps: [JIRA] } },
  { description: "when a charge fails text the customer then open a ticket in jira", expected: { trigger: "stripe.charge.failed", steps: [SMS, JIRA] } },
  { description: "Create a Jira issue whenever a Stripe payment fails", expected: { trigger: "stripe.charge.failed", steps: [JIRA] } },
  { description: "Send an SMS to the customer when their card gets declined", expected: { trigger: "stripe.charge.failed", steps: [SMS] } },
  { description: "Slack #alerts when a payment fails", expected: { trigger: "stripe.charge.failed", steps: [SLACK], config: { [SLACK]: { channel: "#alerts" } } } },
  { description: "when the payment goes through, text the customer a receipt", expected: { trigger: "stripe.payment_intent.succeeded", steps: [SMS] } },
  {
    description: "When a subscription is updated, POST the event to https://hooks.acme.io/stripe",
    expected: { trigger: "stripe.customer.subscription.updated", steps: [HTTP], config: { [HTTP]: { url: "https://hooks.acme.io/stripe", method: "POST" } } },
  },
  { description: "When a customer upgrades their plan, post to #expansion", expected: { trigger: "stripe.customer.subscription.updated", steps: [SLACK] } },
  { description: "When a customer cancels their subscription, post in #churn and create a Jira task", expected: { trigger: "stripe.customer.subscription.deleted", steps: [SLACK, JIRA] } },
  {
    description: "customer churns -> create github issue in acme/retention",
    expected: { trigger: "stripe.customer.subscription.deleted", steps: [GITHUB_ISSUE], config: { [GITHUB_ISSUE]: { owner: "acme", repo: "retention" } } },
  },
  { description: "invoice payment failed: email billing@acme.com", expected: { trigger: "stripe.invoice.payment_failed", steps: [EMAIL], config: { [EMAIL]: { to: "billing@acme.com" } } } },
  { description: "When an invoice is paid, add the customer to Pipedrive", expected: { trigger: "stripe.invoice.paid", steps: [PERSON] } },
  {
    description: "failed invoice payment -> slack #finance, then jira ticket in project FIN",
    expected: { trigger: "stripe.invoice.payment_failed", steps: [SLACK, JIRA], config: { [SLACK]: { channel: "#finance" }, [JIRA]: { project: "FIN" } } },
  },
  { description: "when stripe sends invoice.payment_failed, create a ticket in Jira and notify #billing", expected: { trigger: "stripe.invoice.payment_failed", steps: [JIRA, SLACK] } },
  { description: "When checkout completes, send a thank-you email and add the buyer as a contact in Pipedrive", expected: { trigger: "stripe.checkout.session.completed", steps: [EMAIL, PERSON] } },
  { description: "when someone buys something, post to slack", expected: { trigger: "stripe.checkout.session.completed", steps: [SLACK] } },
  {
    description: "When a Stripe checkout session is completed, call https://fulfil.acme.io/orders with a POST",
    expected: { trigger: "stripe.checkout.session.completed", steps: [HTTP], config: { [HTTP]: { url: "https://fulfil.acme.io/orders" } } },
  },
  { description: "when a new subscriber signs up notify #growth on slack and send them a welcome email", expected: { trigger: "stripe.customer.subscription.created", steps: [SLACK, EMAIL] } },

  // --- Pipedrive, GitHub, webhooks, manual ---------------------------------------------------
  { description: "new deal won in pipedrive -> post in #wins", expected: { trigger: "pipedrive.deal.won", steps: [SLACK], config: { [SLACK]: { channel: "#wins" } } } },
  { description: "When a deal is won, post to Slack #sales and create a follow-up activity in Pipedrive", expected: { trigger: "pipedrive.deal.won", steps: [SLACK, ACTIVITY] } },
  { description: "when a new person is added in pipedrive, send them an email", expected: { trigger: "pipedrive.person.created", steps: [EMAIL] } },
  { description: "Text me at +44 7700 900123 when a deal is won", expected: { trigger: "pipedrive.deal.won", steps: [SMS], config: { [SMS]: { to: "+447700900123" } } } },
  {
    description: "whenever a deal closes in the crm, send an email to ceo@acme.io and a slack message to #wins",
    expected: { trigger: "pipedrive.deal.won", steps: [EMAIL, SLACK], config: { [EMAIL]: { to: "ceo@acme.io" }, [SLACK]: { channel: "#wins" } } },
  },
  { description: "When a GitHub issue is opened, create a Jira ticket", expected: { trigger: "github.issue.opened", steps: [JIRA] } },
  { description: "new github issue → notify slack channel #eng", expected: { trigger: "github.issue.opened", steps: [SLACK], config: { [SLACK]: { channel: "#eng" } } } },
  { description: "A new GitHub issue should create a matching Jira bug", expected: { trigger: "github.issue.opened", steps: [JIRA] } },
  {
    description: "When a webhook comes in, create a GitHub issue in acme/web",
    expected: { trigger: "webhook.received", steps: [GITHUB_ISSUE], config: { [GITHUB_ISSUE]: { owner: "acme", repo: "web" } } },
  },
  {
    description: "When someone fills in our form (webhook), add them to Pipedrive as a person and schedule a call for sales",
    expected: { trigger: "webhook.received", steps: [PERSON, ACTIVITY] },
  },
  { description: "When I click run, send a test SMS to +15551234567", expected: { trigger: "manual.run", steps: [SMS], config: { [SMS]: { to: "+15551234567" } } } },
  {
    description: "Manually triggered: post 'deploy finished' to #deploys",
    expected: { trigger: "manual.run", steps: [SLACK], config: { [SLACK]: { channel: "#deploys", text: "deploy finished" } } },
  },
  { description: "When a new lead contact is created in Pipedrive, wait 30 minutes and then create a follow-up activity", expected: { trigger: "pipedrive.person.created", steps: [{ delay: [30, "minutes"] }, ACTIVITY] } },

  // --- Schedules -------------------------------------------------------------------------------
  { description: "Every Monday at 9am, post a reminder in #sales", expected: { trigger: CRON, cron: "0 9 * * 1", steps: [SLACK], config: { [SLACK]: { channel: "#sales" } } } },
  { description: "every weekday at 17:30 send a slack message to #standup", expected: { trigger: CRON, cron: "30 17 * * 1-5", steps: [SLACK] } },
  { description: "Each day at 8:00 email reports@acme.io", expected: { trigger: CRON, cron: "0 8 * * *", steps: [EMAIL], config: { [EMAIL]: { to: "reports@acme.io" } } } },
  { description: "every hour call https://api.acme.io/sync", expected: { trigger: CRON, cron: "0 * * * *", steps: [HTTP], config: { [HTTP]: { url: "https://api.acme.io/sync" } } } },
  { description: "On the first day of every month at midnight, create a Jira ticket to rotate the API keys", expected: { trigger: CRON, cron: "0 0 1 * *", steps: [JIRA] } },
  { description: "every day at 6pm post the daily summary to #ops", expected: { trigger: CRON, cron: "0 18 * * *", steps: [SLACK] } },
  { description: "every friday at 4:30 pm remind the team in slack to submit timesheets", expected: { trigger: CRON, cron: "30 16 * * 5", steps: [SLACK] } },
  { description: "hourly: hit https://status.acme.io/ping", expected: { trigger: CRON, cron: "0 * * * *", steps: [HTTP] } },
  { description: "Run every 15 minutes and call https://api.acme.io/poll", expected: { trigger: CRON, cron: "*/15 * * * *", steps: [HTTP] } },
  { description: "At noon every day send an email to team@acme.io", expected: { trigger: CRON, cron: "0 12 * * *", steps: [EMAIL] } },
  { description: "On the 15th of each month at 10am, create a Jira ticket to review invoices", expected: { trigger: CRON, cron: "0 10 15 * *", steps: [JIRA] } },
  { description: "Every morning at 7 send a slack message to #daily", expected: { trigger: CRON, cron: "0 7 * * *", steps: [SLACK] } },
  { description: "every weekday at 9:15 call https://api.acme.io/reports/daily", expected: { trigger: CRON, cron: "15 9 * * 1-5", steps: [HTTP] } },
  { description: "Every Sunday at 23:00 send an email summary to founders@acme.io", expected: { trigger: CRON, cron: "0 23 * * 0", steps: [EMAIL] } },

  // --- Conditions --------------------------------------------------------------------------------
  {
    description: "When a payment fails, if the amount is over $500 create a Jira ticket, otherwise post to #billing on Slack",
    expected: { trigger: "stripe.charge.failed", steps: [{ if: ["data.object.amount", "gt", 50000], then: [JIRA], else: [SLACK] }] },
  },
  {
    description: "When a webhook is received where status is urgent, text +1 415 555 0100",
    expected: { trigger: "webhook.received", steps: [{ if: ["body.status", "equals", "urgent"], then: [SMS] }], config: { [SMS]: { to: "+14155550100" } } },
  },
  {
    description: "When a charge fails and the amount is more than $1,000, text +14155550199",
    expected: { trigger: "stripe.charge.failed", steps: [{ if: ["data.object.amount", "gt", 100000], then: [SMS] }] },
  },
  {
    description: "When a payment succeeds, if the amount is above $250 post in #big-deals",
    expected: { trigger: "stripe.charge.succeeded", steps: [{ if: ["data.object.amount", "gt", 25000], then: [SLACK] }] },
  },
  {
    description: "When a deal is won and the deal value is over 10000, post to #sales and create a Jira ticket",
    expected: { trigger: "pipedrive.deal.won", steps: [{ if: ["data.value", "gt", 10000], then: [SLACK, JIRA] }] },
  },
  {
    description: "When a github issue is opened where the title contains 'crash', text +14155550100",
    expected: { trigger: "github.issue.opened", steps: [{ if: ["issue.title", "contains", "crash"], then: [SMS] }] },
  },
  {
    description: "When an issue is opened on GitHub, post it to #triage and if the title contains 'urgent' also text the on-call at +14155550123",
    expected: { trigger: "github.issue.opened", steps: [SLACK, { if: ["issue.title", "contains", "urgent"], then: [SMS] }] },
  },
  {
    description: "When a payment fails and the amount is over $500 create a jira ticket in OPS, otherwise email the customer",
    expected: { trigger: "stripe.charge.failed", steps: [{ if: ["data.object.amount", "gt", 50000], then: [JIRA], else: [EMAIL] }], config: { [JIRA]: { project: "OPS" } } },
  },
  {
    description: "when a webhook is received, if the plan is enterprise post to #enterprise-leads, else add them to pipedrive",
    expected: { trigger: "webhook.received", steps: [{ if: ["body.plan", "equals", "enterprise"], then: [SLACK], else: [PERSON] }] },
  },
  {
    description: "Post to #sales when a deal is won, but only if the value is greater than 5000",
    expected: { trigger: "pipedrive.deal.won", steps: [{ if: ["data.value", "gt", 5000], then: [SLACK] }] },
  },

  // --- Delays ------------------------------------------------------------------------------------
  {
    description: "When someone subscribes, send them a welcome email, wait 3 days and then send a follow-up email",
    expected: { trigger: "stripe.customer.subscription.created", steps: [EMAIL, { delay: [3, "days"] }, EMAIL] },
  },
  { description: "when a payment intent fails, wait 1 hour, then send the customer an SMS", expected: { trigger: "stripe.payment_intent.payment_failed", steps: [{ delay: [1, "hours"] }, SMS] } },
  {
    description: "When a renewal fails, email the customer, and 2 days later open a Jira ticket for the account team",
    expected: { trigger: "stripe.invoice.payment_failed", steps: [EMAIL, { delay: [2, "days"] }, JIRA] },
  },
  { description: "Subscription cancelled → wait 7 days → email the customer asking for feedback", expected: { trigger: "stripe.customer.subscription.deleted", steps: [{ delay: [7, "days"] }, EMAIL] } },
  {
    description: "on failed payment: wait 2 days, then email the customer, then wait another 3 days and create a Jira issue",
    expected: { trigger: "stripe.charge.failed", steps: [{ delay: [2, "days"] }, EMAIL, { delay: [3, "days"] }, JIRA] },
  },
  {
    description: "New Pipedrive contact? Send them a welcome email and a week later schedule a follow-up call",
    expected: { trigger: "pipedrive.person.created", steps: [EMAIL, { delay: [7, "days"] }, ACTIVITY] },
  },

  // --- Not English ---------------------------------------------------------------------------------
  { description: "quand un paiement échoue, créer un ticket jira", expected: { trigger: "stripe.charge.failed", steps: [JIRA] } },
  { description: "cuando falla un pago, enviar un sms al cliente", expected: { trigger: "stripe.charge.failed", steps: [SMS] } },
  {
    description: "Wenn eine Zahlung fehlschlägt, eine Slack-Nachricht an #billing senden",
    expected: { trigger: "stripe.charge.failed", steps: [SLACK], config: { [SLACK]: { channel: "#billing" } } },
  },
  { description: "tous les lundis à 9h, envoyer un message slack dans #equipe", expected: { trigger: CRON, cron: "0 9 * * 1", steps: [SLACK] } },
  { description: "todos los días a las 8:00 enviar un email a ops@acme.io", expected: { trigger: CRON, cron: "0 8 * * *", steps: [EMAIL] } },

  // --- Written after the first tuning pass and deliberately not tuned against: a check that the
  // planner generalises rather than memorises the cases above.
  { description: "when an invoice fails to be paid, ping #collections on slack", expected: { trigger: "stripe.invoice.payment_failed", steps: [SLACK], config: { [SLACK]: { channel: "#collections" } } } },
  { description: "once a customer completes checkout, wait two hours, then send them a survey email", expected: { trigger: "stripe.checkout.session.completed", steps: [{ delay: [2, "hours"] }, EMAIL] } },
  { description: "whenever somebody posts to my webhook, forward it to https://example.org/in", expected: { trigger: "webhook.received", steps: [HTTP], config: { [HTTP]: { url: "https://example.org/in" } } } },
  { description: "every tuesday and thursday at 10:30 email standup@acme.io", expected: { trigger: CRON, cron: "30 10 * * 2,4", steps: [EMAIL], config: { [EMAIL]: { to: "standup@acme.io" } } } },
  {
    description: "When a subscription is canceled and the customer is cus_123, text +14155550111",
    expected: { trigger: "stripe.customer.subscription.deleted", steps: [{ if: ["data.object.customer", "equals", "cus_123"], then: [SMS] }] },
  },
  { description: "new contact in pipedrive -> text them", expected: { trigger: "pipedrive.person.created", steps: [SMS] } },
  { description: "when a charge succeeds with amount under 10 dollars, post to #small", expected: { trigger: "stripe.charge.succeeded", steps: [{ if: ["data.object.amount", "lt", 1000], then: [SLACK] }] } },
  {
    description: "each weekday morning at 8 send a slack message to #sales with 'good morning'",
    expected: { trigger: CRON, cron: "0 8 * * 1-5", steps: [SLACK], config: { [SLACK]: { channel: "#sales", text: "good morning" } } },
  },
  { description: "Lorsqu'un paiement échoue, envoyer un email à support@acme.fr", expected: { trigger: "stripe.charge.failed", steps: [EMAIL], config: { [EMAIL]: { to: "support@acme.fr" } } } },
  // Cue has no "add a label" action: refusing beats drawing a workflow that does something else.
  { description: "if someone opens an issue on github label it" },

  // --- Refused: nothing Cue can build ------------------------------------------------------------
  { description: "asdf qwerty zxcv" },
  { description: "make me a sandwich" },
  { description: "hello there, how are you?" },
  { description: "   " },
];

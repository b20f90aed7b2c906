// Evaluation cases on structure: chains of 2–4 actions across providers, conditions with
// else-branches, schedules in words, waits, and values carried into settings. Part of the main set
// `npm run eval:ai` scores (see ./index.ts).
import { ACTIVITY, CRON, EMAIL, GITHUB_ISSUE, HTTP, JIRA, PERSON, SLACK, SMS, type EvalCase } from "./types";

export const structureCases: EvalCase[] = [
  // --- Chains of actions across providers (later ones naming Pipedrive, GitHub, Jira) ---------------
  { category: "multi-action", description: "When a payment fails, create a Jira ticket and text the customer", expected: { trigger: "stripe.charge.failed", steps: [JIRA, SMS] } },
  { category: "multi-action", description: "when a charge fails text the customer then open a ticket in jira", expected: { trigger: "stripe.charge.failed", steps: [SMS, JIRA] } },
  {
    category: "multi-action",
    description: "When a customer cancels their subscription, post in #churn and create a Jira task",
    expected: { trigger: "stripe.customer.subscription.deleted", steps: [SLACK, JIRA] },
  },
  {
    category: "multi-action",
    description: "When checkout completes, send a thank-you email and add the buyer as a contact in Pipedrive",
    expected: { trigger: "stripe.checkout.session.completed", steps: [EMAIL, PERSON] },
  },
  {
    category: "multi-action",
    description: "when a new subscriber signs up notify #growth on slack and send them a welcome email",
    expected: { trigger: "stripe.customer.subscription.created", steps: [SLACK, EMAIL] },
  },
  { category: "multi-action", description: "When a deal is won, post to Slack #sales and create a follow-up activity in Pipedrive", expected: { trigger: "pipedrive.deal.won", steps: [SLACK, ACTIVITY] } },
  {
    category: "multi-action",
    description: "whenever a deal closes in the crm, send an email to ceo@acme.io and a slack message to #wins",
    expected: { trigger: "pipedrive.deal.won", steps: [EMAIL, SLACK], config: { [EMAIL]: { to: "ceo@acme.io" }, [SLACK]: { channel: "#wins" } } },
  },
  {
    category: "multi-action",
    description: "When someone fills in our form (webhook), add them to Pipedrive as a person and schedule a call for sales",
    expected: { trigger: "webhook.received", steps: [PERSON, ACTIVITY] },
  },
  { category: "multi-action", description: "When a charge fails, post to #billing, then add a task in Pipedrive to call the customer", expected: { trigger: "stripe.charge.failed", steps: [SLACK, ACTIVITY] } },
  {
    category: "multi-action",
    description: "When a deal is won, email the customer, add a person in Pipedrive, and create a Jira ticket for onboarding",
    expected: { trigger: "pipedrive.deal.won", steps: [EMAIL, PERSON, JIRA] },
  },
  {
    category: "multi-action",
    description: "When a webhook is received, create a GitHub issue in acme/inbox and then post to #triage",
    expected: { trigger: "webhook.received", steps: [GITHUB_ISSUE, SLACK], config: { [GITHUB_ISSUE]: { owner: "acme", repo: "inbox" } } },
  },
  {
    category: "multi-action",
    description: "When someone subscribes, add them to Pipedrive, create a follow-up activity and email them",
    expected: { trigger: "stripe.customer.subscription.created", steps: [PERSON, ACTIVITY, EMAIL] },
  },
  {
    category: "multi-action",
    description: "When a GitHub issue is opened, add a Jira bug, post to #eng, text +14155550105 and call https://hooks.acme.io/gh",
    expected: { trigger: "github.issue.opened", steps: [JIRA, SLACK, SMS, HTTP], config: { [HTTP]: { url: "https://hooks.acme.io/gh" } } },
  },
  { category: "multi-action", description: "when an invoice payment fails email the customer and open an issue in jira", expected: { trigger: "stripe.invoice.payment_failed", steps: [EMAIL, JIRA] } },
  {
    category: "multi-action",
    description: "When checkout completes, add the buyer to Pipedrive, then create a GitHub issue in acme/orders to ship it",
    expected: { trigger: "stripe.checkout.session.completed", steps: [PERSON, GITHUB_ISSUE], config: { [GITHUB_ISSUE]: { owner: "acme", repo: "orders" } } },
  },
  { category: "multi-action", description: "When a payment succeeds, text the customer and add them as a contact in Pipedrive", expected: { trigger: "stripe.charge.succeeded", steps: [SMS, PERSON] } },
  {
    category: "multi-action",
    description: "When a subscription is canceled, create a Jira ticket, then create a GitHub issue in acme/offboarding",
    expected: { trigger: "stripe.customer.subscription.deleted", steps: [JIRA, GITHUB_ISSUE] },
  },
  {
    category: "multi-action",
    description: "When a deal is won: Slack #wins, email finance@acme.io, Jira ticket in project ONB",
    expected: { trigger: "pipedrive.deal.won", steps: [SLACK, EMAIL, JIRA], config: { [JIRA]: { project: "ONB" } } },
  },
  {
    category: "multi-action",
    description: "When a new person is added in Pipedrive, post to #leads and add a follow-up call in Pipedrive",
    expected: { trigger: "pipedrive.person.created", steps: [SLACK, ACTIVITY] },
  },
  {
    category: "multi-action",
    description: "If a payment intent fails, email the customer, then text them, then open a Jira issue",
    expected: { trigger: "stripe.payment_intent.payment_failed", steps: [EMAIL, SMS, JIRA] },
  },
  {
    category: "multi-action",
    description: "When a GitHub issue is opened, create a Jira ticket and add a Pipedrive activity to follow up with the reporter",
    expected: { trigger: "github.issue.opened", steps: [JIRA, ACTIVITY] },
  },
  {
    category: "multi-action",
    description: "When an invoice is paid, post to #finance and also open a GitHub issue in acme/accounting",
    expected: { trigger: "stripe.invoice.paid", steps: [SLACK, GITHUB_ISSUE] },
  },
  { category: "multi-action", description: "When a webhook comes in, add the lead to Pipedrive, then add a call in Pipedrive", expected: { trigger: "webhook.received", steps: [PERSON, ACTIVITY] } },
  { category: "multi-action", description: "When a charge succeeds, call https://api.acme.io/fulfil and post to #orders", expected: { trigger: "stripe.charge.succeeded", steps: [HTTP, SLACK] } },
  {
    category: "multi-action",
    description: "When a subscription is updated, email the account owner at owner@acme.io and create a jira task",
    expected: { trigger: "stripe.customer.subscription.updated", steps: [EMAIL, JIRA], config: { [EMAIL]: { to: "owner@acme.io" } } },
  },
  {
    category: "multi-action",
    description: "When a deal is won, create a GitHub issue in acme/deals, add a Jira ticket and post to #wins",
    expected: { trigger: "pipedrive.deal.won", steps: [GITHUB_ISSUE, JIRA, SLACK] },
  },
  { category: "multi-action", description: "when a card is declined text the customer and email them too", expected: { trigger: "stripe.charge.failed", steps: [SMS, EMAIL] } },
  {
    category: "multi-action",
    description: "When someone buys, send them an email, add them to Pipedrive, create a Jira ticket and post in #sales",
    expected: { trigger: "stripe.checkout.session.completed", steps: [EMAIL, PERSON, JIRA, SLACK] },
  },
  {
    category: "multi-action",
    description: "When a new subscriber signs up, open a GitHub issue in acme/accounts and create a person in Pipedrive",
    expected: { trigger: "stripe.customer.subscription.created", steps: [GITHUB_ISSUE, PERSON] },
  },
  {
    category: "multi-action",
    description: "When a payment fails, create a person in Pipedrive and then create a GitHub issue in acme/billing",
    expected: { trigger: "stripe.charge.failed", steps: [PERSON, GITHUB_ISSUE] },
  },

  // --- Conditions, with and without else-branches ----------------------------------------------------
  {
    category: "conditions",
    description: "When a payment fails, if the amount is over $500 create a Jira ticket, otherwise post to #billing on Slack",
    expected: { trigger: "stripe.charge.failed", steps: [{ if: ["data.object.amount", "gt", 50000], then: [JIRA], else: [SLACK] }] },
  },
  {
    category: "conditions",
    description: "When a webhook is received where status is urgent, text +1 415 555 0100",
    expected: { trigger: "webhook.received", steps: [{ if: ["body.status", "equals", "urgent"], then: [SMS] }], config: { [SMS]: { to: "+14155550100" } } },
  },
  {
    category: "conditions",
    description: "When a charge fails and the amount is more than $1,000, text +14155550199",
    expected: { trigger: "stripe.charge.failed", steps: [{ if: ["data.object.amount", "gt", 100000], then: [SMS] }] },
  },
  {
    category: "conditions",
    description: "When a payment succeeds, if the amount is above $250 post in #big-deals",
    expected: { trigger: "stripe.charge.succeeded", steps: [{ if: ["data.object.amount", "gt", 25000], then: [SLACK] }] },
  },
  {
    category: "conditions",
    description: "When a deal is won and the deal value is over 10000, post to #sales and create a Jira ticket",
    expected: { trigger: "pipedrive.deal.won", steps: [{ if: ["data.value", "gt", 10000], then: [SLACK, JIRA] }] },
  },
  {
    category: "conditions",
    description: "When a github issue is opened where the title contains 'crash', text +14155550100",
    expected: { trigger: "github.issue.opened", steps: [{ if: ["issue.title", "contains", "crash"], then: [SMS] }] },
  },
  {
    category: "conditions",
    description: "When an issue is opened on GitHub, post it to #triage and if the title contains 'urgent' also text the on-call at +14155550123",
    expected: { trigger: "github.issue.opened", steps: [SLACK, { if: ["issue.title", "contains", "urgent"], then: [SMS] }] },
  },
  {
    category: "conditions",
    description: "When a payment fails and the amount is over $500 create a jira ticket in OPS, otherwise email the customer",
    expected: { trigger: "stripe.charge.failed", steps: [{ if: ["data.object.amount", "gt", 50000], then: [JIRA], else: [EMAIL] }], config: { [JIRA]: { project: "OPS" } } },
  },
  {
    category: "conditions",
    description: "when a webhook is received, if the plan is enterprise post to #enterprise-leads, else add them to pipedrive",
    expected: { trigger: "webhook.received", steps: [{ if: ["body.plan", "equals", "enterprise"], then: [SLACK], else: [PERSON] }] },
  },
  {
    category: "conditions",
    description: "Post to #sales when a deal is won, but only if the value is greater than 5000",
    expected: { trigger: "pipedrive.deal.won", steps: [{ if: ["data.value", "gt", 5000], then: [SLACK] }] },
  },
  {
    category: "conditions",
    description: "When a subscription is canceled and the customer is cus_123, text +14155550111",
    expected: { trigger: "stripe.customer.subscription.deleted", steps: [{ if: ["data.object.customer", "equals", "cus_123"], then: [SMS] }] },
  },
  {
    category: "conditions",
    description: "when a charge succeeds with amount under 10 dollars, post to #small",
    expected: { trigger: "stripe.charge.succeeded", steps: [{ if: ["data.object.amount", "lt", 1000], then: [SLACK] }] },
  },
  {
    category: "conditions",
    description: "When a charge fails, if the amount is greater than $100 text +14155550106, else email the customer",
    expected: { trigger: "stripe.charge.failed", steps: [{ if: ["data.object.amount", "gt", 10000], then: [SMS], else: [EMAIL] }] },
  },
  {
    category: "conditions",
    description: "When a deal is won and the value is at least 25000, post to #big-wins",
    expected: { trigger: "pipedrive.deal.won", steps: [{ if: ["data.value", "gt", 25000], then: [SLACK] }] },
  },
  {
    category: "conditions",
    description: "When a webhook comes in, if the email contains 'gmail' post to #consumer, otherwise add a person in Pipedrive",
    expected: { trigger: "webhook.received", steps: [{ if: ["body.email", "contains", "gmail"], then: [SLACK], else: [PERSON] }] },
  },
  {
    category: "conditions",
    description: "When a GitHub issue is opened, if the title contains 'bug' create a Jira bug, otherwise post it to #ideas",
    expected: { trigger: "github.issue.opened", steps: [{ if: ["issue.title", "contains", "bug"], then: [JIRA], else: [SLACK] }] },
  },
  {
    category: "conditions",
    description: "When an invoice payment fails, if the amount due is over $1,000 create a Jira ticket",
    expected: { trigger: "stripe.invoice.payment_failed", steps: [{ if: ["data.object.amount_due", "gt", 100000], then: [JIRA] }] },
  },
  {
    category: "conditions",
    description: "When a checkout completes and the amount total is above $300, text +14155550107",
    expected: { trigger: "stripe.checkout.session.completed", steps: [{ if: ["data.object.amount_total", "gt", 30000], then: [SMS] }] },
  },
  {
    category: "conditions",
    description: "When a subscription is updated and the status is past_due, email the customer",
    expected: { trigger: "stripe.customer.subscription.updated", steps: [{ if: ["data.object.status", "equals", "past_due"], then: [EMAIL] }] },
  },
  {
    category: "conditions",
    description: "When a payment succeeds, if the currency is usd post in #us, else post in #intl",
    expected: { trigger: "stripe.charge.succeeded", steps: [{ if: ["data.object.currency", "equals", "usd"], then: [SLACK], else: [SLACK] }] },
  },
  {
    category: "conditions",
    description: "If the amount is over $2,000, create a Jira ticket when a charge fails",
    expected: { trigger: "stripe.charge.failed", steps: [{ if: ["data.object.amount", "gt", 200000], then: [JIRA] }] },
  },
  {
    category: "conditions",
    description: "When a new Pipedrive person is added and the name contains 'VIP', text +14155550108",
    expected: { trigger: "pipedrive.person.created", steps: [{ if: ["data.name", "contains", "VIP"], then: [SMS] }] },
  },
  {
    category: "conditions",
    description: "When a webhook is received where the plan is 'enterprise', create a Jira ticket and email sales@acme.io",
    expected: { trigger: "webhook.received", steps: [{ if: ["body.plan", "equals", "enterprise"], then: [JIRA, EMAIL] }] },
  },
  {
    category: "conditions",
    description: "When a charge succeeds, if the amount is less than $5 email the customer, otherwise do nothing",
    expected: { trigger: "stripe.charge.succeeded", steps: [{ if: ["data.object.amount", "lt", 500], then: [EMAIL] }] },
  },
  {
    category: "conditions",
    description: "When a deal is won, if the value is over 100000 text the CEO at +14155550109 and post to #big-wins, otherwise post to #wins",
    expected: { trigger: "pipedrive.deal.won", steps: [{ if: ["data.value", "gt", 100000], then: [SMS, SLACK], else: [SLACK] }] },
  },
  {
    category: "conditions",
    description: "When a GitHub issue is opened, post to #triage, and if the body contains 'production' also create a Jira ticket",
    expected: { trigger: "github.issue.opened", steps: [SLACK, { if: ["issue.body", "contains", "production"], then: [JIRA] }] },
  },
  {
    category: "conditions",
    description: "When a payment fails and the failure code is card_declined, email the customer",
    expected: { trigger: "stripe.charge.failed", steps: [{ if: ["data.object.failure_code", "equals", "card_declined"], then: [EMAIL] }] },
  },
  {
    category: "conditions",
    description: "When a webhook is received, if the name is set add a person in Pipedrive",
    expected: { trigger: "webhook.received", steps: [{ if: ["body.name", "exists", ""], then: [PERSON] }] },
  },

  // --- Schedules in words -----------------------------------------------------------------------------
  { category: "schedules", description: "Every Monday at 9am, post a reminder in #sales", expected: { trigger: CRON, cron: "0 9 * * 1", steps: [SLACK], config: { [SLACK]: { channel: "#sales" } } } },
  { category: "schedules", description: "every weekday at 17:30 send a slack message to #standup", expected: { trigger: CRON, cron: "30 17 * * 1-5", steps: [SLACK] } },
  { category: "schedules", description: "Each day at 8:00 email reports@acme.io", expected: { trigger: CRON, cron: "0 8 * * *", steps: [EMAIL], config: { [EMAIL]: { to: "reports@acme.io" } } } },
  { category: "schedules", description: "every hour call https://api.acme.io/sync", expected: { trigger: CRON, cron: "0 * * * *", steps: [HTTP], config: { [HTTP]: { url: "https://api.acme.io/sync" } } } },
  { category: "schedules", description: "On the first day of every month at midnight, create a Jira ticket to rotate the API keys", expected: { trigger: CRON, cron: "0 0 1 * *", steps: [JIRA] } },
  { category: "schedules", description: "every day at 6pm post the daily summary to #ops", expected: { trigger: CRON, cron: "0 18 * * *", steps: [SLACK] } },
  { category: "schedules", description: "every friday at 4:30 pm remind the team in slack to submit timesheets", expected: { trigger: CRON, cron: "30 16 * * 5", steps: [SLACK] } },
  { category: "schedules", description: "hourly: hit https://status.acme.io/ping", expected: { trigger: CRON, cron: "0 * * * *", steps: [HTTP] } },
  { category: "schedules", description: "Run every 15 minutes and call https://api.acme.io/poll", expected: { trigger: CRON, cron: "*/15 * * * *", steps: [HTTP] } },
  { category: "schedules", description: "At noon every day send an email to team@acme.io", expected: { trigger: CRON, cron: "0 12 * * *", steps: [EMAIL] } },
  { category: "schedules", description: "On the 15th of each month at 10am, create a Jira ticket to review invoices", expected: { trigger: CRON, cron: "0 10 15 * *", steps: [JIRA] } },
  { category: "schedules", description: "Every morning at 7 send a slack message to #daily", expected: { trigger: CRON, cron: "0 7 * * *", steps: [SLACK] } },
  { category: "schedules", description: "every weekday at 9:15 call https://api.acme.io/reports/daily", expected: { trigger: CRON, cron: "15 9 * * 1-5", steps: [HTTP] } },
  { category: "schedules", description: "Every Sunday at 23:00 send an email summary to founders@acme.io", expected: { trigger: CRON, cron: "0 23 * * 0", steps: [EMAIL] } },
  { category: "schedules", description: "every tuesday and thursday at 10:30 email standup@acme.io", expected: { trigger: CRON, cron: "30 10 * * 2,4", steps: [EMAIL], config: { [EMAIL]: { to: "standup@acme.io" } } } },
  {
    category: "schedules",
    description: "each weekday morning at 8 send a slack message to #sales with 'good morning'",
    expected: { trigger: CRON, cron: "0 8 * * 1-5", steps: [SLACK], config: { [SLACK]: { channel: "#sales", text: "good morning" } } },
  },
  { category: "schedules", description: "Every Wednesday at 3pm, create a Jira ticket for the sprint review", expected: { trigger: CRON, cron: "0 15 * * 3", steps: [JIRA] } },
  { category: "schedules", description: "Every day at 5:45 pm, post to #eod", expected: { trigger: CRON, cron: "45 17 * * *", steps: [SLACK] } },
  { category: "schedules", description: "Weekly on Monday at 10am, email stats@acme.io", expected: { trigger: CRON, cron: "0 10 * * 1", steps: [EMAIL] } },
  { category: "schedules", description: "Each weekday at noon, text +14155550110", expected: { trigger: CRON, cron: "0 12 * * 1-5", steps: [SMS] } },
  { category: "schedules", description: "Every 5 minutes call https://api.acme.io/heartbeat", expected: { trigger: CRON, cron: "*/5 * * * *", steps: [HTTP] } },
  { category: "schedules", description: "Every 6 hours, post to #metrics", expected: { trigger: CRON, cron: "0 */6 * * *", steps: [SLACK] } },
  { category: "schedules", description: "On the 15th of every month at 8am, email invoices@acme.io", expected: { trigger: CRON, cron: "0 8 15 * *", steps: [EMAIL] } },
  { category: "schedules", description: "every weekend at 10am post to #weekend", expected: { trigger: CRON, cron: "0 10 * * 0,6", steps: [SLACK] } },
  { category: "schedules", description: "Every Thursday, post the release notes to #releases", expected: { trigger: CRON, cron: "0 9 * * 4", steps: [SLACK] } },
  { category: "schedules", description: "At 9:00 every morning, create a follow-up activity in Pipedrive", expected: { trigger: CRON, cron: "0 9 * * *", steps: [ACTIVITY] } },
  { category: "schedules", description: "Every Monday, Wednesday and Friday at 7:30, post to #gym", expected: { trigger: CRON, cron: "30 7 * * 1,3,5", steps: [SLACK] } },

  // --- Waits ------------------------------------------------------------------------------------------
  {
    category: "delays",
    description: "When a new lead contact is created in Pipedrive, wait 30 minutes and then create a follow-up activity",
    expected: { trigger: "pipedrive.person.created", steps: [{ delay: [30, "minutes"] }, ACTIVITY] },
  },
  {
    category: "delays",
    description: "When someone subscribes, send them a welcome email, wait 3 days and then send a follow-up email",
    expected: { trigger: "stripe.customer.subscription.created", steps: [EMAIL, { delay: [3, "days"] }, EMAIL] },
  },
  { category: "delays", description: "when a payment intent fails, wait 1 hour, then send the customer an SMS", expected: { trigger: "stripe.payment_intent.payment_failed", steps: [{ delay: [1, "hours"] }, SMS] } },
  {
    category: "delays",
    description: "When a renewal fails, email the customer, and 2 days later open a Jira ticket for the account team",
    expected: { trigger: "stripe.invoice.payment_failed", steps: [EMAIL, { delay: [2, "days"] }, JIRA] },
  },
  { category: "delays", description: "Subscription cancelled → wait 7 days → email the customer asking for feedback", expected: { trigger: "stripe.customer.subscription.deleted", steps: [{ delay: [7, "days"] }, EMAIL] } },
  {
    category: "delays",
    description: "on failed payment: wait 2 days, then email the customer, then wait another 3 days and create a Jira issue",
    expected: { trigger: "stripe.charge.failed", steps: [{ delay: [2, "days"] }, EMAIL, { delay: [3, "days"] }, JIRA] },
  },
  {
    category: "delays",
    description: "New Pipedrive contact? Send them a welcome email and a week later schedule a follow-up call",
    expected: { trigger: "pipedrive.person.created", steps: [EMAIL, { delay: [7, "days"] }, ACTIVITY] },
  },
  {
    category: "delays",
    description: "once a customer completes checkout, wait two hours, then send them a survey email",
    expected: { trigger: "stripe.checkout.session.completed", steps: [{ delay: [2, "hours"] }, EMAIL] },
  },
  { category: "delays", description: "When a deal is won, wait 2 hours, then email the customer", expected: { trigger: "pipedrive.deal.won", steps: [{ delay: [2, "hours"] }, EMAIL] } },
  {
    category: "delays",
    description: "When someone completes checkout, email them, wait 5 days, then email them again",
    expected: { trigger: "stripe.checkout.session.completed", steps: [EMAIL, { delay: [5, "days"] }, EMAIL] },
  },
  {
    category: "delays",
    description: "When a payment fails, text the customer, and after 24 hours create a Jira ticket",
    expected: { trigger: "stripe.charge.failed", steps: [SMS, { delay: [24, "hours"] }, JIRA] },
  },
  {
    category: "delays",
    description: "When a new person is added in Pipedrive, wait 1 day and create a follow-up activity, then wait 3 days and email them",
    expected: { trigger: "pipedrive.person.created", steps: [{ delay: [1, "days"] }, ACTIVITY, { delay: [3, "days"] }, EMAIL] },
  },
  { category: "delays", description: "When a subscription is canceled, wait 30 days, then email a win-back offer", expected: { trigger: "stripe.customer.subscription.deleted", steps: [{ delay: [30, "days"] }, EMAIL] } },
  { category: "delays", description: "When a GitHub issue is opened, wait 45 minutes and then post to #triage", expected: { trigger: "github.issue.opened", steps: [{ delay: [45, "minutes"] }, SLACK] } },
  { category: "delays", description: "When an invoice is paid, post to #finance, and the next day email the customer", expected: { trigger: "stripe.invoice.paid", steps: [SLACK, { delay: [1, "days"] }, EMAIL] } },
  { category: "delays", description: "When a charge fails, wait two weeks, then open a Jira ticket", expected: { trigger: "stripe.charge.failed", steps: [{ delay: [14, "days"] }, JIRA] } },
  { category: "delays", description: "when a webhook arrives wait 10 seconds then call https://api.acme.io/after", expected: { trigger: "webhook.received", steps: [{ delay: [10, "seconds"] }, HTTP] } },
  {
    category: "delays",
    description: "When a subscription is created, email the customer, then 3 days later add a follow-up call in Pipedrive",
    expected: { trigger: "stripe.customer.subscription.created", steps: [EMAIL, { delay: [3, "days"] }, ACTIVITY] },
  },
];

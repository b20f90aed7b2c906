// What English words mean to the planner. Every table is keyed by a part of the registry's own type
// keys ("stripe.charge.failed" → object "charge", outcome "failed"; "jira.issue.create" → object
// "issue", verb "create"), so the registry stays the list of what exists and this file only says
// how people name it. A trigger or action with no entry here is still found by its `phrases`.
// Descriptions in other languages are translated into these words first (see ./languages.ts).

/** Nouns naming what an event happens to, by the object part of trigger types. */
export const TRIGGER_OBJECTS: Record<string, string[]> = {
  charge: ["charge", "payment", "card", "card payment", "transaction", "credit card"],
  payment_intent: ["payment intent", "paymentintent", "payment attempt"],
  invoice: ["invoice", "bill", "renewal", "invoice payment", "subscription payment", "renewal payment", "recurring payment", "dunning"],
  "customer.subscription": ["subscription", "subscriber", "plan", "membership"],
  "checkout.session": ["checkout", "checkout session", "purchase", "order"],
  person: ["person", "contact", "lead", "prospect", "client", "people"],
  deal: ["deal", "sale", "opportunity"],
  issue: ["issue", "bug", "bug report"],
  webhook: ["webhook", "hook", "form", "webhook request", "webhook url"],
};

/** Nouns naming what an action makes, by the object part of action types. */
export const ACTION_OBJECTS: Record<string, string[]> = {
  issue: ["issue", "ticket", "bug", "story", "incident", "bug report"],
  message: ["message", "note", "post", "notification", "alert", "announcement", "line", "reminder", "heads up", "ping", "shout", "channel"],
  sms: ["sms", "text", "text message", "sms message"],
  email: ["email", "mail", "e mail", "newsletter"],
  person: ["person", "contact", "lead", "prospect", "client", "customer", "buyer", "user", "subscriber", "people"],
  activity: ["activity", "task", "call", "meeting", "follow up", "appointment", "to do", "todo", "callback", "phone call"],
  http: ["request", "http request", "api", "endpoint", "url", "api call", "webhook", "http call"],
};

/**
 * Words naming what happened, by the outcome part of trigger types, in every form written (not
 * stemmed: "charged" is an outcome, "charge" an object). Succeeding and being paid share words.
 */
const SUCCEEDED = ["succeed", "succeeds", "succeeded", "success", "successful", "successfully", "go through", "goes through", "went through", "gone through", "received", "charged", "captured", "cleared", "processed", "complete", "completes", "completed", "pay", "pays", "paid", "comes through"];
export const OUTCOMES: Record<string, string[]> = {
  failed: ["fail", "fails", "failed", "failing", "failure", "declined", "decline", "declines", "rejected", "reject", "rejects", "bounce", "bounces", "bounced", "unsuccessful", "unpaid", "overdue", "past due", "dunning", "error", "errors"],
  succeeded: SUCCEEDED,
  paid: [...SUCCEEDED, "settled"],
  created: ["created", "create", "creates", "new", "added", "add", "adds", "start", "starts", "started", "sign up", "signs up", "signed up", "subscribe", "subscribes", "subscribed", "comes in", "come in", "shows up", "show up", "lands", "appears", "registered", "joins", "joined"],
  updated: ["updated", "update", "updates", "changed", "change", "changes", "modified", "upgraded", "upgrade", "upgrades", "downgraded", "downgrade", "downgrades", "renews", "renewed", "renew", "edited"],
  deleted: ["deleted", "delete", "deletes", "canceled", "cancelled", "cancel", "cancels", "cancellation", "ends", "ended", "end", "removed", "churns", "churn", "churned", "terminated", "stops", "stopped", "leaves", "quits"],
  completed: ["completed", "complete", "completes", "completion", "finished", "finishes", "done", "buy", "buys", "bought", "purchases", "purchased", "placed", "comes in", "new"],
  won: ["won", "win", "wins", "closed", "closes", "close", "closed won", "signed"],
  opened: ["opened", "open", "opens", "created", "creates", "create", "new", "filed", "reported", "raised", "submitted", "logged"],
  received: ["received", "receive", "receives", "arrives", "arrive", "arrived", "comes in", "come in", "hit", "hits", "called", "posts", "posted", "gets", "fires", "sends"],
};

/** Outcomes Cue has no trigger for: their words block every trigger instead of falling back to one. */
export const UNSUPPORTED_OUTCOMES: string[] = [
  "lost", "lose", "loses", "refunded", "refund", "refunds", "disputed", "dispute", "disputes", "merged", "merge", "commented", "reopened",
  "assigned", "labeled", "labelled", "archived", "expired", "expires", "paused", "resumed", "moved", "starred", "forked", "pushed",
  "viewed", "unassigned", "reassigned", "mentioned", "approved",
];

/** Words that turn a good outcome into a failure ("is not paid", "doesn't go through"). */
export const NEGATORS = new Set(["not", "never", "no", "without", "cannot"]);
/** Outcomes a negator turns into "failed". */
export const POSITIVE_OUTCOMES = new Set(["succeeded", "paid", "completed", "received"]);

/** Verbs that ask for an action, by the verb part of action types. */
export const ACTION_VERBS: Record<string, string[]> = {
  create: ["create", "open", "add", "file", "log", "raise", "make", "book", "schedule", "set up", "register", "record", "enter", "put", "insert", "generate", "start", "save"],
  post: ["post", "send", "notify", "ping", "alert", "tell", "message", "share", "announce", "drop", "let know", "remind", "publish", "write", "shout", "slack", "inform", "warn", "broadcast"],
  send: ["send", "text", "sms", "email", "mail", "e mail", "notify", "message", "shoot", "ping", "tell", "alert", "remind", "reach out", "inform", "warn", "write", "drop"],
  request: ["call", "hit", "post", "forward", "send", "ping", "request", "fetch", "get", "put", "delete", "patch", "trigger", "invoke", "notify", "sync", "push"],
};

/** Verbs that name one kind of action by themselves ("text the customer"), by action object. */
export const OBJECT_VERBS: Record<string, string[]> = {
  sms: ["text", "sms"],
  email: ["email", "mail", "e mail"],
  message: ["slack"],
};

/** Other names for an integration, by integration key. */
export const PROVIDER_ALIASES: Record<string, string[]> = {
  pipedrive: ["crm"],
  github: ["repo", "repository", "git hub"],
  sendgrid: ["send grid"],
};

/** Words that open a trigger clause ("when a payment fails"), longest first where they overlap. */
export const TRIGGER_CUES = [
  "whenever", "when", "if", "once", "upon", "on", "after", "each time", "every time", "any time", "anytime", "as soon as", "for each", "for every",
  "in case", "the moment",
];

/** Common imperative verbs: a clause opening with one asks for something, it does not name an event. */
export const IMPERATIVE_VERBS = new Set([
  ...Object.values(ACTION_VERBS).flat(),
  "add", "alert", "announce", "append", "ask", "assign", "bake", "buy", "call", "change", "check", "clean", "copy", "cry", "dance", "delete", "do", "email",
  "escalate", "fax", "fetch", "file", "forward", "give", "go", "hug", "invite", "label", "let", "log", "make", "mark", "move", "open", "order", "page",
  "print", "push", "remove", "reply", "report", "ring", "run", "ship", "sing", "tag", "teleport", "thank", "tweet", "update", "upload", "wait", "water",
  "pause", "delay", "high", "kick", "feed", "walk", "wash", "cook", "play", "celebrate", "congratulate", "archive", "close", "merge", "refund",
]);

/** Words that say how rather than what: never reported as unmapped. */
export const FILLER = new Set([
  "only", "then", "nothing", "stop", "there", "here", "ok", "okay", "afterward", "afterwards", "otherwise", "else", "plus", "but", "run", "triggered",
  "automatically", "everything", "always", "do", "please", "just", "also", "too", "as", "well", "someone", "somebody", "anyone", "us", "we", "our",
  "should", "must", "need", "needs", "want", "like", "again", "immediately", "right", "away", "quickly", "new", "time", "each", "every", "any",
  "customer", "customers", "team", "everyone", "thing", "something", "event",
]);

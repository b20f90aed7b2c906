// The workflows API and the run queue end to end on a real database: drafts, activation,
// versions, import/export, tenant isolation, and runs executed by the in-process queue against
// local fake Jira and Twilio servers (retries, replay, cancel, crash recovery, schedules).
import { TRPCError } from "@trpc/server";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { coreNodes } from "@/engine/core-nodes";
import type { WorkflowGraph } from "@/engine/types";
import { createIntegrationRegistry } from "@/integrations/registry";
import { startFakeServer, type FakeResponse, type FakeServer, type RecordedRequest } from "@/integrations/testing/fake-server";
import { InProcessRunQueue } from "@/queue/in-process";
import { encryptSecret } from "@/server/crypto/secrets";
import type { Db } from "@/server/db";
import { credentialsReader } from "@/server/services/credentials";
import { dispatchEvent, fireDueSchedules, receiveWorkflowWebhook, signWebhookBody } from "@/server/services/dispatch";
import { callerFor, createUser, RecordingQueue, testKeys } from "./helpers/caller";
import { createTestDatabase, type TestDatabase } from "./helpers/db";

let database: TestDatabase;
let db: Db;
let fake: FakeServer;
let respond: (request: RecordedRequest) => FakeResponse;
let alice: { id: string };
let bob: { id: string };

const JIRA_PATH = "/rest/api/3/issue";
const TWILIO_PATH = "/2010-04-01/Accounts/AC123/Messages.json";

function defaultResponse(request: RecordedRequest): FakeResponse {
  if (request.path === JIRA_PATH) return { status: 201, body: { id: "10001", key: "OPS-1", self: `${fake.url}/rest/api/3/issue/10001` } };
  if (request.path === TWILIO_PATH) return { status: 201, body: { sid: "SM1", status: "queued", to: "+14155550123" } };
  return { status: 404, body: { message: "unexpected path" } };
}

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.prisma;
  fake = await startFakeServer((request) => respond(request));
});
afterAll(async () => {
  await fake?.close();
  await database?.close();
});

let queue: InProcessRunQueue;

beforeEach(async () => {
  respond = defaultResponse;
  fake.requests.length = 0;
  await db.user.deleteMany();
  alice = await createUser(db, "alice@example.com");
  bob = await createUser(db, "bob@example.com");
  const registry = createIntegrationRegistry({ baseUrls: { twilio: fake.url }, allowPrivateNetwork: true, extraNodes: coreNodes });
  queue = new InProcessRunQueue(
    {
      db,
      catalog: registry.catalog,
      getCredentials: credentialsReader(db, testKeys),
      retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
      stepTimeoutMs: 2_000,
    },
    { concurrency: 2, pollIntervalMs: 50, leaseMs: 500 },
  );
  for (const user of [alice, bob]) {
    await db.connection.createMany({
      data: [
        {
          userId: user.id,
          provider: "jira",
          label: "Ops Jira",
          secrets: encryptSecret(testKeys, JSON.stringify({ username: "ops@example.com", password: "jira-token" })),
          settings: { baseUrl: fake.url },
        },
        {
          userId: user.id,
          provider: "twilio",
          label: "Twilio",
          secrets: encryptSecret(testKeys, JSON.stringify({ username: "AC123", password: "twilio-token" })),
        },
      ],
    });
  }
});
afterEach(async () => {
  await queue.stop();
});

const chargeFailedGraph = (overrides: { project?: string; summary?: string } = {}): WorkflowGraph => ({
  nodes: [
    { id: "t1", type: "stripe.charge.failed", config: {}, position: { x: 0, y: 0 } },
    {
      id: "a1",
      type: "jira.issue.create",
      config: { project: overrides.project ?? "OPS", summary: overrides.summary ?? "Payment failed for {{trigger.data.object.customer}}" },
      position: { x: 0, y: 120 },
    },
    {
      id: "a2",
      type: "twilio.sms.send",
      config: { to: "{{trigger.data.object.billing_details.phone}}", from: "+15005550006", body: "Your payment failed ({{steps.a1.key}})" },
      position: { x: 0, y: 240 },
    },
  ],
  edges: [
    { id: "e1", source: "t1", target: "a1" },
    { id: "e2", source: "a1", target: "a2" },
  ],
});

async function settle(runId: string, statuses = ["succeeded", "failed", "cancelled", "waiting"]) {
  for (let i = 0; i < 400; i++) {
    const run = await db.workflowRun.findUniqueOrThrow({ where: { id: runId }, include: { steps: true } });
    if (statuses.includes(run.status)) return run;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`run ${runId} did not settle`);
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return (error as TRPCError).code;
}

describe("workflows API", () => {
  it("creates, lists with search, filter and cursor pagination, renames, duplicates and deletes", async () => {
    const api = callerFor(db, alice.id);
    for (let i = 0; i < 7; i++) await api.workflows.create({ name: `Flow ${i}${i % 2 ? " invoices" : ""}` });
    const first = await api.workflows.list({ limit: 3 });
    expect(first.items).toHaveLength(3);
    const second = await api.workflows.list({ limit: 3, cursor: first.nextCursor });
    const third = await api.workflows.list({ limit: 3, cursor: second.nextCursor });
    expect(third.nextCursor).toBeNull();
    const ids = [...first.items, ...second.items, ...third.items].map((w) => w.id);
    expect(new Set(ids).size).toBe(7);
    expect((await api.workflows.list({ search: "INVOICES", limit: 100 })).items).toHaveLength(3);
    expect((await api.workflows.list({ status: "active", limit: 100 })).items).toHaveLength(0);
    expect(await codeOf(api.workflows.list({ limit: 101 }))).toBe("BAD_REQUEST");

    const { id } = await api.workflows.create({ name: "Original" });
    await api.workflows.rename({ id, name: "Renamed" });
    expect((await api.workflows.get({ id })).name).toBe("Renamed");
    const copy = await api.workflows.duplicate({ id });
    expect((await api.workflows.get({ id: copy.id })).name).toBe("Renamed (copy)");
    await api.workflows.delete({ id });
    expect(await codeOf(api.workflows.get({ id }))).toBe("NOT_FOUND");
    expect(await codeOf(api.workflows.rename({ id: copy.id, name: "" }))).toBe("BAD_REQUEST");
  });

  it("saves an invalid draft with per-node issues and refuses to activate it, saying why", async () => {
    const api = callerFor(db, alice.id);
    const { id } = await api.workflows.create({ name: "Broken" });
    // A bad project key, a path into a number, and a reference to a step that runs later.
    const graph = chargeFailedGraph({ project: "not a key", summary: "{{trigger.data.object.amount.cents}} {{steps.a2.sid}}" });
    const saved = await api.workflows.update({ id, graph });
    const a1Issues = saved.issues.filter((i) => i.nodeId === "a1");
    expect(a1Issues.some((i) => i.field === "project")).toBe(true);
    expect(a1Issues.some((i) => i.message.includes("trigger.data.object.amount.cents"))).toBe(true);
    expect(a1Issues.some((i) => i.message.includes("steps.a2.sid"))).toBe(true);
    const error = await api.workflows.activate({ id }).catch((e: unknown) => e as TRPCError);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
    expect((error as TRPCError).message).toMatch(/cannot be activated/);
    expect((await db.workflow.findUniqueOrThrow({ where: { id } })).status).toBe("draft");
    expect(await db.workflowVersion.count({ where: { workflowId: id } })).toBe(0);
    // A malformed graph is refused outright and changes nothing.
    expect(await codeOf(api.workflows.update({ id, graph: { nodes: "x" } }))).toBe("BAD_REQUEST");
    expect((await api.workflows.get({ id })).graph.nodes).toHaveLength(3);
  });

  it("activates into numbered versions; pause stops it; runs record the version they ran", async () => {
    const api = callerFor(db, alice.id, { queue: new RecordingQueue() });
    const { id } = await api.workflows.create({ name: "Charge failed", graph: chargeFailedGraph() });
    expect(await api.workflows.activate({ id })).toEqual({ status: "active", version: 1 });
    await api.workflows.update({ id, graph: chargeFailedGraph({ summary: "Second version" }) });
    expect((await api.workflows.activate({ id })).version).toBe(2);
    expect((await api.workflows.versions({ id })).map((v) => v.version)).toEqual([2, 1]);
    const workflow = await api.workflows.get({ id });
    expect(workflow).toMatchObject({ status: "active", activeVersion: 2, issues: [] });
    expect(workflow.webhookUrl).toMatch(/\/api\/webhooks\/workflows\/[\w-]{32}$/);

    const { runId } = await api.workflows.runNow({ id, payload: { id: "evt_1" } });
    const run = await db.workflowRun.findUniqueOrThrow({ where: { id: runId }, include: { version: true } });
    expect(run.version?.version).toBe(2);

    await api.workflows.pause({ id });
    expect((await api.workflows.get({ id })).status).toBe("paused");
    expect(await codeOf(api.workflows.runNow({ id }))).toBe("BAD_REQUEST");
  });

  it("exports and imports, reporting unknown node types instead of dropping them", async () => {
    const api = callerFor(db, alice.id);
    const { id } = await api.workflows.create({ name: "Exported", graph: chargeFailedGraph() });
    const exported = await api.workflows.export({ id });
    expect(exported.format).toBe("cue.workflow/v1");
    const imported = await api.workflows.import({ data: exported });
    expect(imported.unknownTypes).toEqual([]);
    expect((await api.workflows.get({ id: imported.id })).graph).toEqual(exported.graph);

    const strange = structuredClone(exported);
    strange.graph.nodes.push({ id: "x1", type: "acme.rocket.launch", config: {}, position: { x: 0, y: 360 } });
    const result = await api.workflows.import({ data: strange });
    expect(result.unknownTypes).toEqual(["acme.rocket.launch"]);
    expect(result.issues.some((i) => i.nodeId === "x1" && i.message.includes("acme.rocket.launch"))).toBe(true);
    expect((await api.workflows.get({ id: result.id })).graph.nodes.map((n) => n.id)).toContain("x1");
    expect(await codeOf(api.workflows.import({ data: { format: "zapier/v9", graph: {} } }))).toBe("BAD_REQUEST");
  });

  it("answers NOT_FOUND for another user's workflow and run on every procedure", async () => {
    const owner = callerFor(db, alice.id, { queue: new RecordingQueue() });
    const { id } = await owner.workflows.create({ name: "Alice's", graph: chargeFailedGraph() });
    await owner.workflows.activate({ id });
    const { runId } = await owner.workflows.runNow({ id });
    const intruder = callerFor(db, bob.id);
    // Thunks, called one by one: a rejected promise left unawaited would be reported as unhandled.
    const attempts: (() => Promise<unknown>)[] = [
      () => intruder.workflows.get({ id }),
      () => intruder.workflows.update({ id, name: "Mine now" }),
      () => intruder.workflows.rename({ id, name: "Mine" }),
      () => intruder.workflows.duplicate({ id }),
      () => intruder.workflows.delete({ id }),
      () => intruder.workflows.activate({ id }),
      () => intruder.workflows.pause({ id }),
      () => intruder.workflows.versions({ id }),
      () => intruder.workflows.export({ id }),
      () => intruder.workflows.testRun({ id }),
      () => intruder.workflows.runNow({ id }),
      () => intruder.workflows.setWebhookSecret({ id, secret: "0123456789abcdef0" }),
      () => intruder.runs.list({ workflowId: id }),
      () => intruder.runs.get({ id: runId }),
      () => intruder.runs.replay({ id: runId }),
      () => intruder.runs.cancel({ id: runId }),
    ];
    for (const attempt of attempts) expect(await codeOf(attempt())).toBe("NOT_FOUND");
    expect((await intruder.workflows.list({ limit: 100 })).items).toHaveLength(0);
    const unchanged = await db.workflow.findUniqueOrThrow({ where: { id } });
    expect(unchanged).toMatchObject({ name: "Alice's", status: "active", webhookSecret: null });
    expect(await codeOf(callerFor(db, null).workflows.list({ limit: 10 }))).toBe("UNAUTHORIZED");
  });
});

describe("runs", () => {
  it("a test run executes every step against the providers and records inputs, outputs and timings", async () => {
    queue.start();
    const api = callerFor(db, alice.id, { queue });
    const { id } = await api.workflows.create({ name: "Charge failed", graph: chargeFailedGraph() });
    const { runId } = await api.workflows.testRun({ id });
    const run = await settle(runId);
    expect(run.status).toBe("succeeded");

    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`POST ${JIRA_PATH}`, `POST ${TWILIO_PATH}`]);
    const [jira, twilio] = fake.requests;
    expect(jira!.headers.authorization).toBe(`Basic ${Buffer.from("ops@example.com:jira-token").toString("base64")}`);
    expect(JSON.parse(jira!.body).fields).toMatchObject({ project: { key: "OPS" }, summary: "Payment failed for cus_RfT6kP9gQmZ1xA" });
    expect(new URLSearchParams(twilio!.body).get("Body")).toBe("Your payment failed (OPS-1)");
    expect(twilio!.headers["i-twilio-idempotency-token"]).toBe(`${runId}:a2`);

    const detail = await api.runs.get({ id: runId });
    expect(detail.steps.map((s) => [s.nodeId, s.status])).toEqual([
      ["t1", "succeeded"],
      ["a1", "succeeded"],
      ["a2", "succeeded"],
    ]);
    const a1 = detail.steps.find((s) => s.nodeId === "a1")!;
    expect(a1.output).toMatchObject({ key: "OPS-1" });
    expect(a1.input).toMatchObject({ summary: "Payment failed for cus_RfT6kP9gQmZ1xA" });
    expect(a1.attempts).toBe(1);
    expect(a1.startedAt).toBeInstanceOf(Date);
    expect(a1.finishedAt).toBeInstanceOf(Date);
    expect((await api.runs.list({ workflowId: id })).items.map((r) => r.id)).toEqual([runId]);
  });

  it("a dry run renders the requests it would send and sends nothing", async () => {
    queue.start();
    const api = callerFor(db, alice.id, { queue });
    const { id } = await api.workflows.create({ name: "Dry", graph: chargeFailedGraph() });
    const { runId } = await api.workflows.testRun({ id, dryRun: true });
    const settled = await settle(runId);
    expect(settled.error).toBeNull();
    expect(settled.status).toBe("succeeded");
    expect(fake.requests).toHaveLength(0);
    const detail = await api.runs.get({ id: runId });
    const a1 = detail.steps.find((s) => s.nodeId === "a1")!;
    const preview = a1.preview as { method: string; url: string; headers: Record<string, string> };
    expect(preview.method).toBe("POST");
    expect(preview.url).toBe(`${fake.url}${JIRA_PATH}`);
    expect(JSON.stringify(preview)).not.toContain("jira-token");
    // Later steps see the action's sample output, so their requests render too.
    const a2 = detail.steps.find((s) => s.nodeId === "a2")!;
    expect(JSON.stringify(a2.preview)).toContain("Your payment failed (");
  });

  it("retries a failing provider with backoff, then fails; replay after fixing it resumes from the failed step", async () => {
    queue.start();
    let twilioCalls = 0;
    respond = (request) => {
      if (request.path === TWILIO_PATH) {
        twilioCalls++;
        return { status: 503, body: { message: "Service unavailable" } };
      }
      return defaultResponse(request);
    };
    const api = callerFor(db, alice.id, { queue });
    const { id } = await api.workflows.create({ name: "Flaky", graph: chargeFailedGraph() });
    const { runId } = await api.workflows.testRun({ id });
    const failed = await settle(runId);
    expect(failed.status).toBe("failed");
    expect(twilioCalls).toBe(3);
    const step = failed.steps.find((s) => s.nodeId === "a2")!;
    expect(step).toMatchObject({ status: "failed", attempts: 3 });
    expect(step.error).toMatchObject({ code: "server", retryable: true });

    respond = defaultResponse;
    const jiraCallsBefore = fake.requests.filter((r) => r.path === JIRA_PATH).length;
    await api.runs.replay({ id: runId });
    const replayed = await settle(runId, ["succeeded", "failed"]);
    expect(replayed.status).toBe("succeeded");
    // The Jira issue was not created twice.
    expect(fake.requests.filter((r) => r.path === JIRA_PATH)).toHaveLength(jiraCallsBefore);
    expect(await codeOf(api.runs.replay({ id: runId }))).toBe("BAD_REQUEST");
  });

  it("does not retry a permanent error; replay runs the fixed configuration", async () => {
    queue.start();
    respond = (request) =>
      request.path === JIRA_PATH && JSON.parse(request.body).fields.project.key !== "OPS"
        ? { status: 400, body: { errorMessages: ["Project GONE does not exist"] } }
        : defaultResponse(request);
    const api = callerFor(db, alice.id, { queue });
    const { id } = await api.workflows.create({ name: "Bad project", graph: chargeFailedGraph({ project: "GONE" }) });
    const { runId } = await api.workflows.testRun({ id });
    const run = await settle(runId);
    expect(run.status).toBe("failed");
    const step = run.steps.find((s) => s.nodeId === "a1")!;
    expect(step.attempts).toBe(1);
    expect((step.error as { message: string }).message).toContain("Project GONE does not exist");
    expect(run.steps.find((s) => s.nodeId === "a2")).toBeUndefined();

    await api.workflows.update({ id, graph: chargeFailedGraph({ project: "OPS" }) });
    await api.runs.replay({ id: runId });
    const replayed = await settle(runId, ["succeeded", "failed"]);
    expect(replayed.status).toBe("succeeded");
    expect(fake.requests.filter((r) => r.path === JIRA_PATH)).toHaveLength(2);
  });

  it("cancels a delayed run", async () => {
    queue.start();
    const api = callerFor(db, alice.id, { queue });
    const graph = chargeFailedGraph();
    graph.nodes.push({ id: "d1", type: "core.delay", config: { amount: 2, unit: "days" }, position: { x: 0, y: 60 } });
    graph.edges = [
      { id: "e0", source: "t1", target: "d1" },
      { id: "e1", source: "d1", target: "a1" },
      { id: "e2", source: "a1", target: "a2" },
    ];
    const { id } = await api.workflows.create({ name: "Later", graph });
    await api.workflows.activate({ id });
    const { runId } = await api.workflows.runNow({ id, payload: (await api.workflows.catalog()).find((c) => c.type === "stripe.charge.failed")!.sample });
    const waiting = await settle(runId);
    expect(waiting.status).toBe("waiting");
    expect(waiting.resumeAt!.getTime()).toBeGreaterThan(Date.now() + 47 * 3600_000);
    await api.runs.cancel({ id: runId });
    expect((await db.workflowRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe("cancelled");
    expect(fake.requests).toHaveLength(0);
    expect(await codeOf(api.runs.cancel({ id: runId }))).toBe("BAD_REQUEST");
  });

  it("resumes a run whose worker died, without repeating the steps that had succeeded", async () => {
    const api = callerFor(db, alice.id, { queue: new RecordingQueue() });
    const { id } = await api.workflows.create({ name: "Crash", graph: chargeFailedGraph() });
    await api.workflows.activate({ id });
    const { runId } = await api.workflows.runNow({ id, payload: (await api.workflows.catalog()).find((c) => c.type === "stripe.charge.failed")!.sample });
    // A worker claimed it, finished the trigger and the Jira step, then died (its lease lapsed).
    await db.workflowRun.update({ where: { id: runId }, data: { status: "running", lockedBy: "dead-worker", lockedUntil: new Date(Date.now() - 1000) } });
    await db.runStep.createMany({
      data: [
        { runId, nodeId: "t1", status: "succeeded", attempts: 1, output: {} },
        { runId, nodeId: "a1", status: "succeeded", attempts: 1, output: { id: "10001", key: "OPS-7", url: "https://ops.example/browse/OPS-7" } },
      ],
    });
    queue.start();
    const run = await settle(runId);
    expect(run.status).toBe("succeeded");
    expect(fake.requests.map((r) => r.path)).toEqual([TWILIO_PATH]);
    expect(new URLSearchParams(fake.requests[0]!.body).get("Body")).toBe("Your payment failed (OPS-7)");
  });
});

describe("restart of the embedded server", () => {
  it("takes back runs the previous process left running at once, not after their lease", async () => {
    const api = callerFor(db, alice.id, { queue: new RecordingQueue() });
    const { id } = await api.workflows.create({ name: "Restart", graph: chargeFailedGraph() });
    await api.workflows.activate({ id });
    const sample = (await api.workflows.catalog()).find((c) => c.type === "stripe.charge.failed")!.sample;
    const { runId } = await api.workflows.runNow({ id, payload: sample });
    // The old process held a lease for another ten minutes when it stopped.
    await db.workflowRun.update({ where: { id: runId }, data: { status: "running", lockedBy: "previous-process", lockedUntil: new Date(Date.now() + 600_000) } });
    const registry = createIntegrationRegistry({ baseUrls: { twilio: fake.url }, allowPrivateNetwork: true, extraNodes: coreNodes });
    const restarted = new InProcessRunQueue(
      { db, catalog: registry.catalog, getCredentials: credentialsReader(db, testKeys) },
      { concurrency: 2, pollIntervalMs: 50, reclaimOrphansOnStart: true },
    );
    restarted.start();
    try {
      expect((await settle(runId)).status).toBe("succeeded");
    } finally {
      await restarted.stop();
    }
  });
});

describe("events, webhooks and schedules", () => {
  it("dispatches a provider event to each matching active workflow once, however often it is delivered", async () => {
    const recording = new RecordingQueue();
    const api = callerFor(db, alice.id, { queue: recording });
    const { id } = await api.workflows.create({ name: "On failure", graph: chargeFailedGraph() });
    await api.workflows.activate({ id });
    const draft = await api.workflows.create({ name: "Draft", graph: chargeFailedGraph() });
    const event = { ...(await api.workflows.catalog()).find((c) => c.type === "stripe.charge.failed")!.sample as object, id: "evt_dup" };

    const results = await Promise.all(
      Array.from({ length: 20 }, () => dispatchEvent(db, recording, "stripe", "charge.failed", event, { userId: alice.id })),
    );
    expect(results.flatMap((r) => r.runIds)).toHaveLength(1);
    expect(await db.workflowRun.count({ where: { workflowId: id } })).toBe(1);
    expect(await db.workflowRun.count({ where: { workflowId: draft.id } })).toBe(0);
    // Another user's account does not start Alice's workflow; other event types match nothing.
    expect((await dispatchEvent(db, recording, "stripe", "charge.failed", { ...event, id: "evt_2" }, { userId: bob.id })).runIds).toEqual([]);
    expect((await dispatchEvent(db, recording, "stripe", "charge.succeeded", { ...event, id: "evt_3", type: "charge.succeeded" }, { userId: alice.id })).runIds).toEqual([]);
  });

  it("accepts inbound webhooks, checks the HMAC signature when a secret is set, and deduplicates by Idempotency-Key", async () => {
    const recording = new RecordingQueue();
    const api = callerFor(db, alice.id, { queue: recording });
    const graph: WorkflowGraph = {
      nodes: [
        { id: "t1", type: "webhook.received", config: {}, position: { x: 0, y: 0 } },
        { id: "a1", type: "jira.issue.create", config: { project: "OPS", summary: "Signup {{trigger.body.email}}" }, position: { x: 0, y: 100 } },
      ],
      edges: [{ id: "e1", source: "t1", target: "a1" }],
    };
    const { id } = await api.workflows.create({ name: "Hook", graph });
    const token = (await db.workflow.findUniqueOrThrow({ where: { id } })).webhookToken;
    const hook = (body: string, headers: Record<string, string> = {}) => ({
      token,
      method: "POST",
      headers: new Headers({ "content-type": "application/json", ...headers }),
      query: new URLSearchParams("source=form"),
      rawBody: body,
    });
    await expect(receiveWorkflowWebhook(db, recording, testKeys, hook("{}"))).rejects.toMatchObject({ code: "NOT_FOUND" });
    await api.workflows.activate({ id });

    const ok = await receiveWorkflowWebhook(db, recording, testKeys, hook('{"email":"a@b.co"}', { authorization: "Bearer secret" }));
    const run = await db.workflowRun.findUniqueOrThrow({ where: { id: ok.runId! } });
    expect(run.trigger).toMatchObject({ method: "POST", query: { source: "form" }, body: { email: "a@b.co" } });
    expect(JSON.stringify(run.trigger)).not.toContain("Bearer secret");

    await expect(receiveWorkflowWebhook(db, recording, testKeys, hook("{not json"))).rejects.toMatchObject({ code: "BAD_REQUEST" });

    await api.workflows.setWebhookSecret({ id, secret: "a-long-shared-secret" });
    expect((await db.workflow.findUniqueOrThrow({ where: { id } })).webhookSecret).not.toContain("a-long-shared-secret");
    const body = '{"email":"c@d.co"}';
    await expect(receiveWorkflowWebhook(db, recording, testKeys, hook(body))).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(
      receiveWorkflowWebhook(db, recording, testKeys, hook(body, { "x-cue-signature": signWebhookBody("wrong-secret-value", body) })),
    ).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const signed = { "x-cue-signature": signWebhookBody("a-long-shared-secret", body), "idempotency-key": "delivery-1" };
    const first = await receiveWorkflowWebhook(db, recording, testKeys, hook(body, signed));
    const again = await receiveWorkflowWebhook(db, recording, testKeys, hook(body, signed));
    expect(first.runId).toBeTruthy();
    expect(again).toEqual({ runId: null, duplicate: true });
  });

  it("fires each cron occurrence once, however many schedulers tick, and catches up missed ones after a restart", async () => {
    const recording = new RecordingQueue();
    const api = callerFor(db, alice.id, { queue: recording });
    const graph: WorkflowGraph = {
      nodes: [
        { id: "t1", type: "schedule.cron", config: { cron: "0 9 * * *", timezone: "Europe/Paris" }, position: { x: 0, y: 0 } },
        { id: "a1", type: "jira.issue.create", config: { project: "OPS", summary: "Daily check {{trigger.firedAt}}" }, position: { x: 0, y: 100 } },
      ],
      edges: [{ id: "e1", source: "t1", target: "a1" }],
    };
    const { id } = await api.workflows.create({ name: "Daily", graph });
    await api.workflows.activate({ id });
    const next = (await db.workflow.findUniqueOrThrow({ where: { id } })).nextFireAt!;
    // 09:00 in Paris is 07:00 or 08:00 UTC depending on daylight saving.
    expect([7, 8]).toContain(next.getUTCHours());

    // Three days pass with the server down; then three schedulers tick at once.
    const later = new Date(next.getTime() + 2 * 86_400_000 + 60_000);
    const fired = await Promise.all([1, 2, 3].map(() => fireDueSchedules(db, recording, later)));
    expect(fired.reduce((a, b) => a + b, 0)).toBe(3);
    const runs = await db.workflowRun.findMany({ where: { workflowId: id }, orderBy: { createdAt: "asc" } });
    expect(runs.map((r) => (r.trigger as { firedAt: string }).firedAt).sort()).toEqual(
      [0, 1, 2].map((d) => new Date(next.getTime() + d * 86_400_000).toISOString()),
    );
    expect(await fireDueSchedules(db, recording, later)).toBe(0);
    expect((await db.workflow.findUniqueOrThrow({ where: { id } })).nextFireAt!.getTime()).toBe(next.getTime() + 3 * 86_400_000);
  });
});

describe("live validation", () => {
  it("validates an unsaved graph without writing anything", async () => {
    const api = callerFor(db, alice.id);
    const { issues } = await api.workflows.validate({ graph: chargeFailedGraph({ project: "bad key" }) });
    expect(issues).toEqual([expect.objectContaining({ nodeId: "a1", field: "project" })]);
    expect((await api.workflows.validate({ graph: chargeFailedGraph() })).issues).toEqual([]);
    expect(await db.workflow.count()).toBe(0);
    expect(await codeOf(callerFor(db, null).workflows.validate({ graph: {} }))).toBe("UNAUTHORIZED");
  });
});

// GitHub repository webhooks into a GitHub connection: signed with the secret saved on the
// connection, stored once by delivery id, and starting only the owner's matching workflows.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { WorkflowGraph } from "@/engine/types";
import { startFakeServer, type FakeServer } from "@/integrations/testing/fake-server";
import type { Db } from "@/server/db";
import { sweepPendingEvents } from "@/server/services/connection-events";
import { githubSignature, receiveGithubWebhook } from "@/server/services/github-webhooks";
import { callerFor, createUser, RecordingQueue, testKeys } from "./helpers/caller";
import { createTestDatabase, type TestDatabase } from "./helpers/db";

let database: TestDatabase;
let db: Db;
let github: FakeServer;
let alice: { id: string };
let bob: { id: string };

const TOKEN = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
const SECRET = "repo-webhook-secret-0123456789";

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.prisma;
  github = await startFakeServer((request) =>
    request.path === "/user" && request.headers.authorization === `Bearer ${TOKEN}`
      ? { status: 200, body: { id: 583231, login: "octocat" } }
      : { status: 401, body: { message: "Bad credentials" } },
  );
});
afterAll(async () => {
  await github?.close();
  await database?.close();
});

const issueOpened: WorkflowGraph = {
  nodes: [
    { id: "t1", type: "github.issue.opened", config: {}, position: { x: 0, y: 0 } },
    { id: "a1", type: "slack.message.post", config: { channel: "#bugs", text: "New issue: {{trigger.issue.title}}" }, position: { x: 0, y: 100 } },
  ],
  edges: [{ id: "e1", source: "t1", target: "a1" }],
};

let queue: RecordingQueue;
let connectionId: string;

beforeEach(async () => {
  await db.user.deleteMany();
  alice = await createUser(db, "alice@example.com");
  bob = await createUser(db, "bob@example.com");
  queue = new RecordingQueue();
  const providers = { baseUrl: () => github.url, allowPrivateNetwork: true };
  const api = callerFor(db, alice.id, { providers, queue });
  const connection = await api.integrations.connectWithToken({ provider: "github", fields: { token: TOKEN, webhookSecret: SECRET } });
  connectionId = connection.id;
  for (const user of [alice, bob]) {
    const owner = callerFor(db, user.id, { queue });
    const { id } = await owner.workflows.create({ name: "Triage", graph: issueOpened });
    await owner.workflows.activate({ id });
  }
});

const sample = {
  action: "opened",
  issue: { id: 1, number: 7, title: "Checkout broken", body: null, state: "open", html_url: "https://github.com/acme/web/issues/7", user: { login: "octocat", id: 1, html_url: "https://github.com/octocat" }, labels: [], assignees: [], created_at: "2026-03-02T14:25:27Z" },
  repository: { id: 2, name: "web", full_name: "acme/web", private: false, html_url: "https://github.com/acme/web", owner: { login: "acme", id: 3, html_url: "https://github.com/acme" } },
  sender: { login: "octocat", id: 1, html_url: "https://github.com/octocat" },
};

function delivery(body: unknown, headers: Record<string, string> = {}, secret = SECRET) {
  const rawBody = typeof body === "string" ? body : JSON.stringify(body);
  return {
    connectionId,
    rawBody,
    headers: new Headers({
      "x-github-event": "issues",
      "x-github-delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
      "x-hub-signature-256": githubSignature(secret, rawBody),
      ...headers,
    }),
  };
}

describe("GitHub webhooks", () => {
  it("starts the connection owner's matching workflows once per delivery", async () => {
    const first = await receiveGithubWebhook(db, queue, testKeys, delivery(sample));
    expect(first).toMatchObject({ event: "issues.opened" });
    expect(first.runIds).toHaveLength(1);
    const run = await db.workflowRun.findUniqueOrThrow({ where: { id: first.runIds[0]! } });
    expect(run.userId).toBe(alice.id);
    expect(run.triggerType).toBe("github.issue.opened");
    // GitHub redelivers with the same delivery id: nothing new.
    expect((await receiveGithubWebhook(db, queue, testKeys, delivery(sample))).runIds).toEqual([]);
    expect(await db.workflowRun.count()).toBe(1);
    // Other actions on issues start nothing; a ping is acknowledged.
    const closed = delivery({ ...sample, action: "closed" }, { "x-github-delivery": "d-2" });
    expect((await receiveGithubWebhook(db, queue, testKeys, closed)).runIds).toEqual([]);
    expect((await receiveGithubWebhook(db, queue, testKeys, delivery({ zen: "Keep it simple" }, { "x-github-event": "ping", "x-github-delivery": "d-3" }))).runIds).toEqual([]);
  });

  it("acknowledges a stored delivery whose dispatch failed, and the tick's sweep starts the workflow once", async () => {
    // The database fails while the workflows are looked up: after the delivery was stored.
    const hiccup = new Proxy(db, {
      get(target, prop, receiver) {
        if (prop === "workflow") return { findMany: () => Promise.reject(new Error("database hiccup")) };
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    expect(await receiveGithubWebhook(hiccup, queue, testKeys, delivery(sample))).toEqual({ event: "issues.opened", duplicate: false, runIds: [] });
    expect(await db.workflowRun.count()).toBe(0);
    expect(await db.connectionEvent.findMany()).toEqual([expect.objectContaining({ provider: "github", eventId: "72d3162e-cc78-11e3-81ab-4c9367dc0958", dispatchedAt: null })]);
    await sweepPendingEvents(db, queue, new Date(Date.now() + 60_000));
    const runs = await db.workflowRun.findMany({ select: { userId: true, dedupKey: true } });
    expect(runs).toEqual([{ userId: alice.id, dedupKey: "github:72d3162e-cc78-11e3-81ab-4c9367dc0958" }]);
    // GitHub's "Redeliver" button now changes nothing.
    expect(await receiveGithubWebhook(db, queue, testKeys, delivery(sample))).toEqual({ event: "issues.opened", duplicate: true, runIds: [] });
    expect(await db.workflowRun.count()).toBe(1);
  });

  it("refuses forged, unsigned, malformed and misaddressed deliveries, storing nothing", async () => {
    await expect(receiveGithubWebhook(db, queue, testKeys, delivery(sample, {}, "not-the-secret-at-all"))).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const unsigned = delivery(sample);
    unsigned.headers.delete("x-hub-signature-256");
    await expect(receiveGithubWebhook(db, queue, testKeys, unsigned)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const tampered = delivery(sample);
    tampered.rawBody = tampered.rawBody.replace("Checkout broken", "Give me admin");
    await expect(receiveGithubWebhook(db, queue, testKeys, tampered)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(receiveGithubWebhook(db, queue, testKeys, delivery("{not json"))).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const noEvent = delivery(sample);
    noEvent.headers.delete("x-github-event");
    await expect(receiveGithubWebhook(db, queue, testKeys, noEvent)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(receiveGithubWebhook(db, queue, testKeys, { ...delivery(sample), connectionId: "missing" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db.workflowRun.count()).toBe(0);
  });

  it("needs a secret on the connection, and never returns it", async () => {
    const api = callerFor(db, bob.id, { providers: { baseUrl: () => github.url, allowPrivateNetwork: true } });
    const withoutSecret = await api.integrations.connectWithToken({ provider: "github", fields: { token: TOKEN } });
    await expect(receiveGithubWebhook(db, queue, testKeys, { ...delivery(sample), connectionId: withoutSecret.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const listed = JSON.stringify(await callerFor(db, alice.id).integrations.providers());
    expect(listed).not.toContain(SECRET);
    expect(listed).not.toContain(TOKEN);
  });
});

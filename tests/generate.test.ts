// workflows.generate through the tRPC caller: a valid graph with an explanation, the language read
// and the words not mapped, refusals as BAD_REQUEST naming what Cue understands, signed-in only, and
// the result saved as a draft by workflows.create exactly as the "Use this" button does.
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/server/db";
import { callerFor, createUser } from "./helpers/caller";
import { createTestDatabase, type TestDatabase } from "./helpers/db";

let database: TestDatabase;
let db: Db;
let userId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.prisma;
  userId = (await createUser(db, "gen@example.com")).id;
});
afterAll(async () => {
  await database?.close();
});

async function rejection(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
  return error;
}

describe("workflows.generate", () => {
  it("returns a valid graph, an explanation and what it could not map, and saves as a clean draft", async () => {
    const caller = callerFor(db, userId);
    const result = await caller.workflows.generate({
      description: "When a payment fails, if the amount is over $500 create a Jira ticket, otherwise text the customer, and update the CRM spreadsheet",
    });
    expect(result.source).toBe("offline");
    expect(result.graph.nodes.map((node) => node.type)).toEqual(["stripe.charge.failed", "core.condition", "jira.issue.create", "twilio.sms.send"]);
    expect(result.explanation).toMatch(/offline planner/);
    expect(result.unmapped).toEqual(["update the CRM spreadsheet"]);
    expect(result.language).toEqual({ code: "en", name: "English" });
    expect(result.coverage.unmappedWords).toEqual(["update", "CRM", "spreadsheet"]);
    expect(result.disagreements).toEqual([]);
    expect((await caller.workflows.validate({ graph: result.graph })).issues).toEqual([]);

    const created = await caller.workflows.create({ name: "Failed payments", graph: result.graph });
    expect(created.issues).toEqual([]);
    const saved = await caller.workflows.get({ id: created.id });
    expect(saved.status).toBe("draft");
    expect(saved.graph).toEqual(result.graph);
  });

  it("reads French, keeps later actions naming Pipedrive and GitHub as actions, and says what it read", async () => {
    const result = await callerFor(db, userId).workflows.generate({
      description: "Quand une affaire est gagnée, publier dans #ventes, ajouter le client dans Pipedrive puis créer une issue GitHub dans acme/onboarding",
    });
    expect(result.graph.nodes.map((node) => node.type)).toEqual(["pipedrive.deal.won", "slack.message.post", "pipedrive.person.create", "github.issue.create"]);
    expect(result.graph.nodes.find((node) => node.type === "github.issue.create")?.config).toMatchObject({ owner: "acme", repo: "onboarding" });
    expect(result.language.name).toBe("French");
    expect(result.explanation).toContain("Read as French.");
    expect(result.unmapped).toEqual([]);
  });

  it("refuses nonsense and empty descriptions with what Cue understands", async () => {
    const caller = callerFor(db, userId);
    for (const description of ["", "make me a sandwich"]) {
      const error = await rejection(caller.workflows.generate({ description }));
      expect(error.code).toBe("BAD_REQUEST");
      expect(error.message).toContain("Stripe: Charge failed");
      expect(error.message).toContain("Twilio: Send an SMS");
    }
  });

  it("refuses over-long descriptions as a field error", async () => {
    const error = await rejection(callerFor(db, userId).workflows.generate({ description: "x".repeat(2001) }));
    expect(error.code).toBe("BAD_REQUEST");
  });

  it("is for signed-in users only", async () => {
    const error = await rejection(callerFor(db, null).workflows.generate({ description: "when a payment fails, post to #ops" }));
    expect(error.code).toBe("UNAUTHORIZED");
  });
});

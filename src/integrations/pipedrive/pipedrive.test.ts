import { afterEach, describe, expect, it } from "vitest";
import { createIntegrationRegistry, triggersForEvent } from "../registry";
import { type FakeServer, startFakeServer } from "../testing/fake-server";
import { actionRunner } from "../testing/run-action";
import { pipedrive } from "./index";
import { dealWon } from "./triggers";

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("pipedrive.person.create", () => {
  it("posts to the company's api_domain with the OAuth token", async () => {
    server = await startFakeServer(() => ({
      status: 201,
      body: { success: true, data: { id: 1234, name: "Jenny Rosen", company_id: 12882925, owner_id: { id: 18487521 }, email: [{ value: "jenny.rosen@example.com", primary: true }] } },
    }));
    const action = actionRunner("pipedrive.person.create", { baseUrls: { pipedrive: "http://127.0.0.1:1" } });

    const output = await action.run(
      { name: "Jenny Rosen", email: "jenny.rosen@example.com", phone: ["+14155550123", "+14155550100"], orgId: "42" },
      { pipedrive: { accessToken: "pd-oauth-token", extra: { apiDomain: server.url } } },
    );

    expect(output).toEqual({ id: 1234, name: "Jenny Rosen" });
    const [request] = server.requests;
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/api/v1/persons");
    expect(request?.headers.authorization).toBe("Bearer pd-oauth-token");
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(request?.body ?? "")).toEqual({
      name: "Jenny Rosen",
      email: [{ value: "jenny.rosen@example.com", primary: true, label: "work" }],
      phone: [
        { value: "+14155550123", primary: true, label: "work" },
        { value: "+14155550100", primary: false, label: "work" },
      ],
      org_id: 42,
    });
  });
});

describe("pipedrive.activity.create", () => {
  it("falls back to the configured base URL and sends the activity", async () => {
    server = await startFakeServer(() => ({ status: 201, body: { success: true, data: { id: 5678, subject: "Call about failed payment", type: "call", done: false } } }));
    const action = actionRunner("pipedrive.activity.create", { baseUrls: { pipedrive: server.url } });

    const output = await action.run(
      { subject: "Call about failed payment", type: "call", dueDate: "2026-03-03", dueTime: "09:30", personId: 1234, dealId: "881", note: "Card declined" },
      { pipedrive: { accessToken: "pd-oauth-token" } },
    );

    expect(output).toEqual({ id: 5678 });
    const [request] = server.requests;
    expect(request?.path).toBe("/api/v1/activities");
    expect(request?.headers.authorization).toBe("Bearer pd-oauth-token");
    expect(JSON.parse(request?.body ?? "")).toEqual({
      subject: "Call about failed payment",
      type: "call",
      due_date: "2026-03-03",
      due_time: "09:30",
      person_id: 1234,
      deal_id: 881,
      note: "Card declined",
    });
  });
});

describe("pipedrive triggers", () => {
  it("dispatches change.deal to pipedrive.deal.won only when the status just became won", () => {
    const won = dealWon.sample;
    expect(triggersForEvent("pipedrive", "change.deal", won)).toEqual(["pipedrive.deal.won"]);
    const renamed = { ...won, previous: { title: "old title" } };
    expect(triggersForEvent("pipedrive", "change.deal", renamed)).toEqual([]);
    expect(triggersForEvent("pipedrive", "create.person", createIntegrationRegistry().trigger("pipedrive.person.created")?.sample)).toEqual([
      "pipedrive.person.created",
    ]);
  });
});

describe("pipedrive OAuth verify", () => {
  it("asks the company's api_domain who the token belongs to (what Test on the Integrations page calls)", () => {
    const request = pipedrive.connection.oauth!.verify!.request({ accessToken: "pd-oauth-token", extra: { apiDomain: "https://acme.pipedrive.com" } }, "https://api.pipedrive.com");
    expect(request).toMatchObject({ method: "GET", url: "https://acme.pipedrive.com/api/v1/users/me", headers: { authorization: "Bearer pd-oauth-token" } });
    expect(pipedrive.connection.oauth!.verify!.request({ accessToken: "t" }, "https://api.pipedrive.com").url).toBe("https://api.pipedrive.com/api/v1/users/me");
  });
});

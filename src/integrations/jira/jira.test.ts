import { afterEach, describe, expect, it } from "vitest";
import { type FakeServer, rejectionOf, startFakeServer } from "../testing/fake-server";
import { actionRunner } from "../testing/run-action";
import { plainTextToAdf } from "./adf";

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const created = (base: string) => ({ status: 201, body: { id: "10042", key: "OPS-123", self: `${base}/rest/api/3/issue/10042` } });

describe("jira.issue.create", () => {
  it("creates the issue through api.atlassian.com with the OAuth token and cloudId", async () => {
    server = await startFakeServer((request) => created(`http://127.0.0.1${request.path}`));
    const action = actionRunner("jira.issue.create", { baseUrls: { jira: server.url } });

    const output = await action.run(
      { project: "OPS", summary: "Payment failed for cus_123", description: "Amount: $49\nCard declined", labels: ["billing"], priority: "High" },
      { jira: { accessToken: "jira-oauth-token", extra: { cloudId: "11223344-a1b2-3b33-c444-def123456789", siteUrl: "https://acme.atlassian.net" } } },
    );

    expect(output).toEqual({ id: "10042", key: "OPS-123", url: "https://acme.atlassian.net/browse/OPS-123" });
    const [request] = server.requests;
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/ex/jira/11223344-a1b2-3b33-c444-def123456789/rest/api/3/issue");
    expect(request?.headers.authorization).toBe("Bearer jira-oauth-token");
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(request?.body ?? "")).toEqual({
      fields: {
        project: { key: "OPS" },
        summary: "Payment failed for cus_123",
        issuetype: { name: "Task" },
        description: {
          type: "doc",
          version: 1,
          content: [{ type: "paragraph", content: [{ type: "text", text: "Amount: $49" }, { type: "hardBreak" }, { type: "text", text: "Card declined" }] }],
        },
        labels: ["billing"],
        priority: { name: "High" },
      },
    });
  });

  it("talks to the site directly with Basic email:token when connected with an API token", async () => {
    server = await startFakeServer(() => created("https://acme.atlassian.net"));
    const action = actionRunner("jira.issue.create");

    const output = await action.run(
      { project: "OPS", summary: "Line one\nline two", issueType: "Bug" },
      { jira: { username: "ops@acme.test", password: "atlassian-api-token", extra: { baseUrl: server.url } } },
    );

    expect(output).toEqual({ id: "10042", key: "OPS-123", url: `${server.url}/browse/OPS-123` });
    const [request] = server.requests;
    expect(request?.path).toBe("/rest/api/3/issue");
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from("ops@acme.test:atlassian-api-token").toString("base64")}`);
    expect(JSON.parse(request?.body ?? "")).toEqual({ fields: { project: { key: "OPS" }, summary: "Line one line two", issuetype: { name: "Bug" } } });
  });

  it("surfaces Jira's field errors", async () => {
    server = await startFakeServer(() => ({ status: 400, body: { errorMessages: [], errors: { issuetype: "Specify a valid issue type" } } }));
    const action = actionRunner("jira.issue.create", { baseUrls: { jira: server.url } });
    const error = await rejectionOf(
      action.run({ project: "OPS", summary: "s", issueType: "Incident" }, { jira: { accessToken: "t", extra: { cloudId: "c1" } } }),
    );
    expect(error).toMatchObject({ code: "client", status: 400 });
    expect(error.message).toContain("issuetype: Specify a valid issue type");
  });

  it("needs a cloudId or a site URL", async () => {
    server = await startFakeServer(() => created(""));
    const action = actionRunner("jira.issue.create", { baseUrls: { jira: server.url } });
    const error = await rejectionOf(action.run({ project: "OPS", summary: "s" }, { jira: { accessToken: "t" } }));
    expect(error.code).toBe("config");
    expect(server.requests).toHaveLength(0);
  });
});

describe("plainTextToAdf", () => {
  it("makes paragraphs from blank lines and hard breaks from single newlines", () => {
    expect(plainTextToAdf("First\r\nsecond\n\n\nThird")).toEqual({
      type: "doc",
      version: 1,
      content: [
        { type: "paragraph", content: [{ type: "text", text: "First" }, { type: "hardBreak" }, { type: "text", text: "second" }] },
        { type: "paragraph", content: [{ type: "text", text: "Third" }] },
      ],
    });
  });
});

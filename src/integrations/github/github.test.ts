import { afterEach, describe, expect, it } from "vitest";
import { type FakeServer, rejectionOf, startFakeServer } from "../testing/fake-server";
import { actionRunner } from "../testing/run-action";

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const github = { github: { accessToken: "gho_secret_token_123" } };

describe("github.issue.create", () => {
  it("creates the issue with the REST API headers", async () => {
    server = await startFakeServer(() => ({
      status: 201,
      body: { id: 2419073615, number: 1347, title: "Checkout broken", state: "open", html_url: "https://github.com/acme/web/issues/1347", url: "https://api.github.com/repos/acme/web/issues/1347" },
    }));
    const action = actionRunner("github.issue.create", { baseUrls: { github: server.url } });

    const output = await action.run({ owner: "acme", repo: "web", title: "Checkout broken", body: "Safari 17", labels: ["bug"] }, github);

    expect(output).toEqual({ number: 1347, url: "https://github.com/acme/web/issues/1347" });
    const [request] = server.requests;
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/repos/acme/web/issues");
    expect(request?.headers.authorization).toBe("Bearer gho_secret_token_123");
    expect(request?.headers.accept).toBe("application/vnd.github+json");
    expect(request?.headers["x-github-api-version"]).toBe("2022-11-28");
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(request?.body ?? "")).toEqual({ title: "Checkout broken", body: "Safari 17", labels: ["bug"] });
  });

  it("maps GitHub's validation failure to a client error with its message", async () => {
    server = await startFakeServer(() => ({
      status: 422,
      body: { message: "Validation Failed", errors: [{ value: "nope", resource: "Issue", field: "assignees", code: "invalid" }], documentation_url: "https://docs.github.com/rest/issues/issues#create-an-issue" },
    }));
    const action = actionRunner("github.issue.create", { baseUrls: { github: server.url } });
    const error = await rejectionOf(action.run({ owner: "acme", repo: "web", title: "t", assignees: ["nope"] }, github));
    expect(error).toMatchObject({ code: "client", status: 422 });
    expect(error.message).toContain("Validation Failed; assignees: invalid");
  });

  it("an answer without the issue fields is a permanent error, not a retry", async () => {
    server = await startFakeServer(() => ({ status: 201, body: { unexpected: true } }));
    const action = actionRunner("github.issue.create", { baseUrls: { github: server.url } });
    const error = await rejectionOf(action.run({ owner: "acme", repo: "web", title: "t" }, github));
    expect(error).toMatchObject({ code: "client", retryable: false });
    expect(error.message).toContain("unexpected response");
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { type FakeServer, rejectionOf, startFakeServer } from "../testing/fake-server";
import { actionRunner } from "../testing/run-action";
import { createRepositoryHookRequest, deleteRepositoryHookRequest, githubRepositoryName, hookFailure } from "./repository-hooks";

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

describe("repository webhooks", () => {
  const answer = (status: number, body: unknown = { message: "x" }, headers: Record<string, string> = {}) => ({ status, body, headers });

  it("builds the create and delete requests GitHub documents", () => {
    const create = createRepositoryHookRequest("https://api.github.com/", "gho_t", { repository: "acme/web", url: "https://cue.example/api/webhooks/github/c1", secret: "s3cret" });
    expect(create).toMatchObject({ method: "POST", url: "https://api.github.com/repos/acme/web/hooks", headers: { authorization: "Bearer gho_t", "x-github-api-version": "2022-11-28" } });
    expect(create.json).toEqual({
      name: "web",
      active: true,
      events: ["issues"],
      config: { url: "https://cue.example/api/webhooks/github/c1", content_type: "json", secret: "s3cret", insecure_ssl: "0" },
    });
    expect(deleteRepositoryHookRequest("https://api.github.com", "gho_t", { repository: "acme/web", hookId: 12 })).toMatchObject({
      method: "DELETE",
      url: "https://api.github.com/repos/acme/web/hooks/12",
    });
  });

  it("accepts owner/repo names only", () => {
    for (const ok of ["octocat/hello-world", " acme/web.js ", "a/b", "my_org-1/repo_.name"]) expect(githubRepositoryName.safeParse(ok).success).toBe(true);
    for (const bad of ["acme", "acme/", "/web", "acme/web/x", "-acme/web", "acme/..", "acme/we b", "https://github.com/acme/web"]) {
      expect(githubRepositoryName.safeParse(bad).success).toBe(false);
    }
  });

  it("says what each refusal means", () => {
    expect(hookFailure(answer(201), "acme/web")).toBeNull();
    expect(hookFailure(answer(404), "acme/web")).toMatchObject({ kind: "not_found", message: expect.stringContaining("Cue cannot see that repository (acme/web)") });
    // OAuth and classic tokens: GitHub names the granted scopes.
    expect(hookFailure(answer(404, { message: "Not Found" }, { "x-oauth-scopes": "repo" }), "acme/web")).toMatchObject({ kind: "missing_scope", message: expect.stringContaining("admin:repo_hook") });
    expect(hookFailure(answer(422, { message: "Validation Failed" }, { "x-oauth-scopes": "public_repo" }), "acme/web")?.kind).toBe("missing_scope");
    // Fine-grained tokens and GitHub Apps: no scope header, a 403.
    expect(hookFailure(answer(403, { message: "Resource not accessible by integration" }), "acme/web")).toMatchObject({ kind: "missing_scope", message: expect.stringContaining("Webhooks: read and write") });
    expect(hookFailure(answer(403, {}, { "x-ratelimit-remaining": "0" }), "acme/web")?.kind).toBe("rate_limited");
    expect(hookFailure(answer(401), "acme/web")?.kind).toBe("unauthorized");
    expect(hookFailure(answer(422, { message: "Validation Failed", errors: [{ message: "Hook already exists on this repository" }] }, { "x-oauth-scopes": "repo, admin:repo_hook" }), "acme/web")?.kind).toBe("exists");
    expect(hookFailure(answer(422, { message: "Validation Failed", errors: [{ message: "url is not supported because it isn't reachable over the public Internet (localhost)" }] }), "acme/web")).toMatchObject({
      kind: "invalid",
      message: expect.stringContaining("isn't reachable over the public Internet"),
    });
    expect(hookFailure(answer(502), "acme/web")?.kind).toBe("unavailable");
  });
});

// An action that gets 401 asks once for refreshed credentials and retries once; it never loops,
// and never retries when no new token comes back (a pasted token, a 403).
import { afterEach, describe, expect, it } from "vitest";
import type { GetCredentials } from "@/engine/types";
import { type FakeServer, rejectionOf, startFakeServer } from "../testing/fake-server";
import { actionRunner } from "../testing/run-action";

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function credentials(tokens: string[]) {
  const calls: { forceRefresh: boolean }[] = [];
  const getCredentials: GetCredentials = async (_userId, _provider, options) => {
    calls.push({ forceRefresh: options?.forceRefresh === true });
    return { accessToken: tokens[Math.min(calls.length - 1, tokens.length - 1)], extra: { cloudId: "cloud-1" } };
  };
  return { calls, getCredentials };
}

const created = { status: 201, body: { id: "1", key: "OPS-1", self: "https://api.atlassian.com/ex/jira/cloud-1/rest/api/3/issue/1" } };
const input = { project: "OPS", summary: "x" };

describe("actions and expired credentials", () => {
  it("retries once with the refreshed token after a 401", async () => {
    server = await startFakeServer((request) => (request.headers.authorization === "Bearer fresh" ? created : { status: 401, body: { message: "expired" } }));
    const { calls, getCredentials } = credentials(["stale", "fresh"]);
    const output = await actionRunner("jira.issue.create", { baseUrls: { jira: server.url } }).run(input, {}, { getCredentials });
    expect(output).toMatchObject({ key: "OPS-1" });
    expect(calls).toEqual([{ forceRefresh: false }, { forceRefresh: true }]);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(["Bearer stale", "Bearer fresh"]);
  });

  it("gives up after the retry's 401, and does not retry when the token did not change", async () => {
    server = await startFakeServer(() => ({ status: 401, body: { message: "nope" } }));
    const twice = credentials(["stale", "fresh", "fresher"]);
    expect(await rejectionOf(actionRunner("jira.issue.create", { baseUrls: { jira: server.url } }).run(input, {}, { getCredentials: twice.getCredentials }))).toMatchObject({ code: "auth" });
    expect(server.requests).toHaveLength(2);
    expect(twice.calls).toHaveLength(2);

    const same = credentials(["pasted"]);
    await rejectionOf(actionRunner("jira.issue.create", { baseUrls: { jira: server.url } }).run(input, {}, { getCredentials: same.getCredentials }));
    expect(server.requests).toHaveLength(3);
  });

  it("does not refresh on a 403 (a permission, not an expired token)", async () => {
    server = await startFakeServer(() => ({ status: 403, body: { message: "forbidden" } }));
    const { calls, getCredentials } = credentials(["stale", "fresh"]);
    expect(await rejectionOf(actionRunner("jira.issue.create", { baseUrls: { jira: server.url } }).run(input, {}, { getCredentials }))).toMatchObject({ code: "auth", status: 403 });
    expect(calls).toHaveLength(1);
  });
});

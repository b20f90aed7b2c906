import { afterEach, describe, expect, it } from "vitest";
import { type FakeServer, rejectionOf, startFakeServer } from "../testing/fake-server";
import { actionRunner } from "../testing/run-action";

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("http.request", () => {
  it("sends method, headers, query and JSON body with an Idempotency-Key", async () => {
    server = await startFakeServer(() => ({ status: 201, headers: { "x-request-id": "r1" }, body: { id: "ord_8231" } }));
    const action = actionRunner("http.request", { allowPrivateNetwork: true });

    const output = await action.run({
      method: "POST",
      url: `${server.url}/orders?src=cue`,
      headers: { "X-Api-Key": "k-123" },
      query: { dry: "false" },
      body: { amount: 4900 },
    });

    expect(output).toMatchObject({ status: 201, body: { id: "ord_8231" }, headers: { "x-request-id": "r1" } });
    const [request] = server.requests;
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/orders?src=cue&dry=false");
    expect(request?.headers["x-api-key"]).toBe("k-123");
    expect(request?.headers["idempotency-key"]).toBe("run_1:a1");
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.body).toBe('{"amount":4900}');
  });

  it("fails on 4xx by default and passes the response on when failOnHttpError is false", async () => {
    server = await startFakeServer(() => ({ status: 404, body: { message: "No such order" } }));
    const action = actionRunner("http.request", { allowPrivateNetwork: true });
    const error = await rejectionOf(action.run({ url: `${server.url}/orders/9` }));
    expect(error).toMatchObject({ code: "client", status: 404 });
    expect(error.message).toContain("No such order");

    const output = await action.run({ url: `${server.url}/orders/9`, failOnHttpError: false });
    expect(output).toMatchObject({ status: 404, body: { message: "No such order" } });
  });

  it.each(["http://127.0.0.1:9/", "http://10.0.0.8/admin", "http://[::1]/", "http://169.254.169.254/latest/meta-data/"])(
    "refuses %s by default without sending anything",
    async (url) => {
      const action = actionRunner("http.request");
      const error = await rejectionOf(action.run({ url }));
      expect(error).toMatchObject({ code: "config", retryable: false });
    },
  );

  it("reaches 127.0.0.1 when the registry allows private networks", async () => {
    server = await startFakeServer(() => ({ body: "pong" }));
    const output = await actionRunner("http.request", { allowPrivateNetwork: true }).run({ url: `${server.url}/ping` });
    expect(output).toMatchObject({ status: 200, body: "pong" });
  });

  it("checks every redirect hop against the guard", async () => {
    server = await startFakeServer(() => ({ status: 302, headers: { location: "http://127.0.0.1:9/secret" } }));
    const publicHost = new URL(server.url);
    // Pretend the fake server is a public host, so only the redirect target is private.
    const action = actionRunner("http.request", {
      lookup: async () => [{ address: "93.184.215.14", family: 4 }],
      fetch: (input, init) => {
        const url = new URL(input instanceof Request ? input.url : input);
        if (url.hostname === "public.example") url.host = publicHost.host;
        return fetch(url, init);
      },
    });
    const error = await rejectionOf(action.run({ url: "http://public.example/start" }));
    expect(error.code).toBe("config");
    expect(error.message).toContain("127.0.0.1");
    expect(server.requests).toHaveLength(1);
  });

  it("rejects a body on GET", async () => {
    const error = await rejectionOf(actionRunner("http.request").run({ method: "GET", url: "https://api.example.com/", body: { a: 1 } }));
    expect(error.code).toBe("validation");
  });
});

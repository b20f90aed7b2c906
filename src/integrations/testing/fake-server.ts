// A local stand-in for a provider's API in tests: records every request it receives and answers
// with whatever the test scripts, so the real client code runs end to end without the internet.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { StepError } from "@/engine/errors";
import type { Credentials, StepContext } from "@/engine/types";

export interface RecordedRequest {
  method: string;
  /** Path plus query string. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeResponse {
  status?: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings as they are. */
  body?: unknown;
  /** Wait this long before answering (for timeout tests). */
  delayMs?: number;
}

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startFakeServer(respond: (request: RecordedRequest) => FakeResponse): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request: RecordedRequest = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(request);
      const reply = respond(request);
      const send = () => {
        const isText = typeof reply.body === "string" || reply.body === undefined;
        res.writeHead(reply.status ?? 200, { ...(isText ? {} : { "content-type": "application/json" }), ...reply.headers });
        res.end(reply.body === undefined ? undefined : isText ? String(reply.body) : JSON.stringify(reply.body));
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs).unref();
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A step context whose connections are the given credentials, keyed by provider. */
export function stepContext(connections: Record<string, Credentials> = {}, overrides: Partial<StepContext> = {}): StepContext {
  return {
    runId: "run_1",
    nodeId: "a1",
    userId: "user_1",
    idempotencyKey: "run_1:a1",
    attempt: 1,
    signal: new AbortController().signal,
    getCredentials: async (_userId, provider) => {
      const credentials = connections[provider];
      if (!credentials) throw new Error(`No ${provider} connection`);
      return credentials;
    },
    ...overrides,
  };
}

/** The StepError a promise rejects with; fails the test if it resolves or throws anything else. */
export async function rejectionOf(promise: Promise<unknown>): Promise<StepError> {
  const outcome = await promise.then(
    (value: unknown) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!("error" in outcome)) throw new Error(`Expected a StepError, but it resolved with ${JSON.stringify(outcome.value)}`);
  if (!(outcome.error instanceof StepError)) throw new Error(`Expected a StepError, got ${String(outcome.error)}`);
  return outcome.error;
}

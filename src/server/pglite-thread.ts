// The embedded database on its own thread. PGlite is Postgres compiled to WebAssembly, and every
// statement it executes runs synchronously on the thread that owns it; in the web process that was
// the thread that also parses webhooks, renders pages and runs workflows, and about a third of its
// time went to PGlite. Here a worker thread owns the PGlite instance and executes protocol messages;
// the process talks to it through ThreadedPGlite, which is PGlite's own client half (BasePGlite:
// query, exec, transaction, serializers and parsers, unchanged) with execProtocol answered by the
// thread. While a statement executes there, this thread goes on accepting requests, which also makes
// the write path's group commits larger.
//
// One client per thread, so the client's locks (one query, one transaction at a time) are the
// database's locks, exactly as with an in-process PGlite.
import { createRequire } from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { messages, Mutex, type PGlite } from "@electric-sql/pglite";
import { PGliteWorker } from "@electric-sql/pglite/worker";

type BackendMessage = Awaited<ReturnType<PGlite["execProtocolStream"]>>[number];
type ProtocolOptions = { syncToFs?: boolean; throwOnError?: boolean };

/** What the thread sends back for a failed request: a DatabaseError's fields, or an Error's. */
interface ThreadError {
  message: string;
  stack?: string;
  databaseError?: Record<string, unknown>;
}

// Runs inside the worker thread (CommonJS, evaluated from this string, so it needs no file of its
// own in the build). Requests are executed strictly in arrival order.
const THREAD_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { PGlite, messages } = require(workerData.pglitePath);
const db = workerData.dataDir ? new PGlite(workerData.dataDir) : new PGlite();
const toError = (error) => {
  const out = { message: String(error && error.message || error), stack: error && error.stack };
  if (error instanceof messages.DatabaseError) out.databaseError = { ...error, message: error.message };
  return out;
};
db.waitReady.then(
  () => parentPort.postMessage({ ready: true }),
  (error) => parentPort.postMessage({ ready: false, error: toError(error) }),
);
let chain = db.waitReady.catch(() => undefined);
parentPort.on("message", (request) => {
  chain = chain.then(async () => {
    try {
      let result = null;
      if (request.op === "execProtocolStream") result = await db.execProtocolStream(request.message, request.options);
      else if (request.op === "execProtocol") result = (await db.execProtocol(request.message, request.options)).messages;
      else if (request.op === "syncToFs") await db.syncToFs();
      else if (request.op === "close") await db.close();
      else throw new Error("Unknown request " + request.op);
      parentPort.postMessage({ id: request.id, result });
    } catch (error) {
      parentPort.postMessage({ id: request.id, error: toError(error) });
    }
  });
});
`;

/** PGlite's client half, as PGliteWorker (its browser-worker client) extends it. */
interface BasePGliteClass {
  new (): PGlite;
  prototype: PGlite & { _initArrayTypes(): Promise<void> };
}
const BasePGlite = Object.getPrototypeOf(PGliteWorker) as BasePGliteClass;

function toError(error: ThreadError): Error {
  if (error.databaseError) {
    const { message, length, name, ...fields } = error.databaseError as { message: string; length: number; name: string };
    // The class the Prisma adapter checks for, so database errors reach Prisma as Postgres errors with their codes.
    return Object.assign(new messages.DatabaseError(message, length ?? 0, (name ?? "error") as "error"), fields);
  }
  return Object.assign(new Error(error.message), { stack: error.stack });
}

export class ThreadedPGlite extends BasePGlite {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (value: never) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private readonly queryMutex = new Mutex();
  private readonly transactionMutex = new Mutex();
  private readonly whenReady: Promise<void>;
  private isClosed = false;
  private initializing = false;
  private failure: Error | undefined;

  /** `dataDir` undefined: an in-memory database. */
  constructor(dataDir?: string) {
    super();
    // The package as this project resolves it (the web server, the CLI and the tests all run from the project root).
    const pglitePath = createRequire(path.join(process.cwd(), "package.json")).resolve("@electric-sql/pglite");
    this.worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { dataDir, pglitePath } });
    const started = new Promise<void>((resolve, reject) => {
      this.worker.once("message", (message: { ready: boolean; error?: ThreadError }) =>
        message.ready ? resolve() : reject(toError(message.error!)),
      );
      this.worker.once("error", reject);
    });
    this.worker.on("message", (message: { id?: number; result?: unknown; error?: ThreadError }) => {
      if (message.id === undefined) return;
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) waiter?.reject(toError(message.error));
      else waiter?.resolve(message.result as never);
    });
    this.worker.on("exit", (code) => {
      this.failure = new Error(this.isClosed ? "The embedded database is closed" : `The embedded database thread exited (code ${code})`);
      for (const waiter of this.pending.values()) waiter.reject(this.failure);
      this.pending.clear();
    });
    // As PGlite does once it is up: parsers and serializers for every array type. Only that
    // lookup's own query passes _checkReady early (it calls it synchronously, before any await).
    this.whenReady = started.then(() => {
      this.initializing = true;
      try {
        return BasePGlite.prototype._initArrayTypes.call(this);
      } finally {
        this.initializing = false;
      }
    });
    this.whenReady.catch(() => undefined);
  }

  private request<T>(op: string, message?: Uint8Array, options?: ProtocolOptions): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, message, options: options && { syncToFs: options.syncToFs, throwOnError: options.throwOnError } });
    });
  }

  get closed(): boolean {
    return this.isClosed;
  }

  async _checkReady(): Promise<void> {
    // The array-type lookup below queries through this client before `whenReady` resolves.
    if (!this.initializing) await this.whenReady;
  }

  async _runExclusiveQuery<T>(fn: () => Promise<T>): Promise<T> {
    return this.queryMutex.runExclusive(fn);
  }

  async _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.transactionMutex.runExclusive(fn);
  }

  async execProtocolStream(message: Uint8Array, options: ProtocolOptions = {}): Promise<BackendMessage[]> {
    return this.request("execProtocolStream", message, options);
  }

  async execProtocol(message: Uint8Array, options: ProtocolOptions = {}): Promise<{ messages: BackendMessage[]; data: Uint8Array }> {
    const result = await this.request<BackendMessage[]>("execProtocol", message, options);
    return { messages: result, data: new Uint8Array(0) };
  }

  async syncToFs(): Promise<void> {
    await this.request("syncToFs");
  }

  // COPY … TO/FROM '/dev/blob' is not used by Cue.
  async _handleBlob(): Promise<void> {}
  async _getWrittenBlob(): Promise<undefined> {
    return undefined;
  }
  async _cleanupBlob(): Promise<void> {}

  async close(): Promise<void> {
    if (this.isClosed) return;
    // Queued statements finish first: the thread answers requests in order.
    await this.request("close").catch(() => undefined);
    this.isClosed = true;
    await this.worker.terminate();
  }
}

// The load side of the end-to-end benchmark, in its own process (forked by bench-e2e.ts) so the
// client and the sink do not share the server's JavaScript thread: it sends signed Stripe-style
// `charge.failed` events to the workflow's webhook URL and runs the HTTP sink the workflow's
// http.request step delivers to. Both ends of every latency are measured here, on one clock.
// Not run by itself: bench-e2e.ts drives it over the IPC channel.
import { createHmac } from "node:crypto";
import { Agent, createServer, request, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";

export interface LoadPlan {
  hookUrl: string;
  secret: string;
  ratePerSecond: number;
  rateSeconds: number;
  events: number;
  concurrency: number;
  duplicates: number;
  deliveryTimeoutMs: number;
  warmup: number;
}

export interface LoadReport {
  /** CPU time of this process (client and sink) per event, after the warm-up. */
  loadCpuMsPerEvent: number;
  rate: { events: number; acks: number[]; failed: number; seconds: number };
  saturation: { events: number; acks: number[]; failed: number; intakeSeconds: number; executionSeconds: number; latencies: number[] };
  duplicatesSent: number;
  lost: number;
  duplicated: number;
  deliveries: number;
}

const delivered = new Map<string, number>();
let deliveries = 0;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

const sink = createServer(async (req, res) => {
  const body = JSON.parse(await readBody(req)) as { eventId: string };
  deliveries++;
  if (!delivered.has(body.eventId)) delivered.set(body.eventId, performance.now());
  res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
});
sink.keepAliveTimeout = 60_000;

/** A Stripe `charge.failed` event as Stripe would send it (trimmed to the usual fields). */
function chargeFailed(eventId: string): string {
  const created = Math.floor(Date.now() / 1000);
  return JSON.stringify({
    id: eventId,
    object: "event",
    api_version: "2024-06-20",
    created,
    type: "charge.failed",
    livemode: false,
    data: {
      object: {
        id: `ch_${eventId}`,
        object: "charge",
        amount: 12_500,
        currency: "usd",
        customer: "cus_bench",
        status: "failed",
        failure_code: "card_declined",
        failure_message: "Your card was declined.",
        billing_details: { email: "jenny@example.com", name: "Jenny Rosen", phone: "+14155550123" },
        created,
      },
    },
  });
}

const sent = new Map<string, number>();

// node:http with keep-alive: a lean client, so the load side takes as little of the machine's
// two cores from the server as it can (fetch costs several times more CPU per request).
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

function post(url: URL, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", agent, headers: { ...headers, "content-length": String(Buffer.byteLength(body)) } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function send(plan: LoadPlan, eventId: string): Promise<number> {
  const body = chargeFailed(eventId);
  const started = performance.now();
  if (!sent.has(eventId)) sent.set(eventId, started);
  const status = await post(
    new URL(plan.hookUrl),
    {
      "content-type": "application/json",
      "x-cue-signature": `sha256=${createHmac("sha256", plan.secret).update(body).digest("hex")}`,
      "idempotency-key": eventId,
    },
    body,
  );
  if (status !== 202) throw new Error(`intake answered ${status}`);
  return performance.now() - started;
}

async function waitForDeliveries(ids: string[], timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline && ids.some((id) => !delivered.has(id))) await new Promise((r) => setTimeout(r, 10));
  return Math.max(0, ...ids.map((id) => delivered.get(id) ?? 0));
}

async function run(plan: LoadPlan): Promise<LoadReport> {
  // Warm-up (JIT, connections, caches), not measured.
  const warmIds = Array.from({ length: plan.warmup }, (_, i) => `evt_warm_${i}`);
  for (let i = 0; i < warmIds.length; i += 8) await Promise.all(warmIds.slice(i, i + 8).map((id) => send(plan, id)));
  await waitForDeliveries(warmIds, plan.deliveryTimeoutMs);
  await new Promise<void>((resolve) => process.send!({ type: "warmed" }, () => resolve()));
  const cpuBefore = process.cpuUsage();

  // A fixed offered rate (open loop: requests go out on schedule whatever the answers do).
  const rateIds = Array.from({ length: plan.ratePerSecond * plan.rateSeconds }, (_, i) => `evt_rate_${i}`);
  const rateAcks: number[] = [];
  let rateFailed = 0;
  const rateStart = performance.now();
  const inFlight: Promise<void>[] = [];
  for (const [i, eventId] of rateIds.entries()) {
    const wait = rateStart + (i * 1000) / plan.ratePerSecond - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(send(plan, eventId).then((ms) => void rateAcks.push(ms), () => void rateFailed++));
  }
  await Promise.all(inFlight);
  const rateSeconds = (performance.now() - rateStart) / 1000;
  await new Promise<void>((resolve) => process.send!({ type: "rated" }, () => resolve()));
  await waitForDeliveries(rateIds, plan.deliveryTimeoutMs);

  // Saturation (closed loop: `concurrency` clients, each sending its next event on the answer).
  const ids = Array.from({ length: plan.events }, (_, i) => `evt_sat_${i}`);
  const acks: number[] = [];
  let failed = 0;
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: plan.concurrency }, async () => {
      while (next < ids.length) {
        const eventId = ids[next++]!;
        try {
          acks.push(await send(plan, eventId));
        } catch {
          failed++;
        }
      }
    }),
  );
  const intakeDone = performance.now();
  const lastDelivery = await waitForDeliveries(ids, plan.deliveryTimeoutMs);

  // Every saturation event delivered again: each must be acknowledged as a duplicate and start nothing.
  const duplicateIds = ids.slice(0, plan.duplicates);
  for (const eventId of duplicateIds) await send(plan, eventId).catch(() => undefined);
  await new Promise((r) => setTimeout(r, 1_000));

  const cpu = process.cpuUsage(cpuBefore);
  const all = [...warmIds, ...rateIds, ...ids];
  return {
    loadCpuMsPerEvent: Math.round(((cpu.user + cpu.system) / 1000 / (rateIds.length + ids.length)) * 100) / 100,
    rate: { events: rateIds.length, acks: rateAcks, failed: rateFailed, seconds: rateSeconds },
    saturation: {
      events: ids.length,
      acks,
      failed,
      intakeSeconds: (intakeDone - start) / 1000,
      executionSeconds: (lastDelivery - start) / 1000,
      latencies: ids.filter((id) => delivered.has(id)).map((id) => delivered.get(id)! - sent.get(id)!),
    },
    duplicatesSent: duplicateIds.length,
    lost: all.filter((id) => !delivered.has(id)).length,
    duplicated: deliveries - delivered.size,
    deliveries,
  };
}

sink.listen(0, "127.0.0.1", () => {
  process.send!({ type: "sink", url: `http://127.0.0.1:${(sink.address() as AddressInfo).port}` });
});
process.on("message", (message: { type: string; plan: LoadPlan }) => {
  if (message.type !== "run") return;
  run(message.plan).then(
    (report) => {
      process.send!({ type: "report", report }, () => {
        sink.close();
        process.exit(0);
      });
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});

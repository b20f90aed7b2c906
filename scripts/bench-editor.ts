// Editor load: how long a 200-node workflow takes to become interactive in headless Chromium,
// against the production build (run `npm run build` first). Starts the local OIDC provider and
// `next start` on a throwaway embedded database, signs in through the real flow, imports the
// workflow through the API, then times navigation → all nodes drawn → a click opens the step panel.
//
//   npx tsx scripts/bench-editor.ts [nodes] [repeats]
import { chromium } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

const NODES = Number(process.argv[2] ?? 200);
const REPEATS = Number(process.argv[3] ?? 5);
const APP_PORT = 3210;
const OIDC_PORT = 9199;
const baseURL = `http://localhost:${APP_PORT}`;

function start(command: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] });
}

async function waitFor(url: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up`);
}

/** A 200-node workflow: a trigger, then a chain of conditions and actions with references. */
function bigGraph(count: number) {
  const nodes = [{ id: "t1", type: "stripe.charge.failed", config: {}, position: { x: 0, y: 0 } }];
  const edges: { id: string; source: string; target: string; sourceHandle?: "true" }[] = [];
  for (let i = 1; i < count; i++) {
    const id = `n${i}`;
    const previous = nodes[i - 1]!.id;
    const isCondition = i % 5 === 0;
    nodes.push(
      isCondition
        ? { id, type: "core.condition", config: { mode: "all", rules: [{ left: "{{trigger.data.object.amount}}", operator: "gt", right: 100 }] } as never, position: { x: 0, y: i * 130 } }
        : { id, type: "slack.message.post", config: { channel: "#ops", text: `Step ${i}: {{trigger.data.object.customer}}` } as never, position: { x: 0, y: i * 130 } },
    );
    edges.push({ id: `e${i}`, source: previous, target: id, ...(nodes[i - 1]!.type === "core.condition" ? { sourceHandle: "true" as const } : {}) });
  }
  return { nodes, edges };
}

async function main() {
  if (!existsSync(".next/BUILD_ID")) throw new Error("Build the app first: npm run build");
  const dataDir = mkdtempSync(path.join(tmpdir(), "cue-bench-editor-"));
  const oidc = start("node", ["e2e/oidc-server.mjs"], { OIDC_PORT: String(OIDC_PORT) });
  const app = start("node", ["node_modules/next/dist/bin/next", "start", "-p", String(APP_PORT)], {
    DATABASE_URL: `pglite:${dataDir}`,
    AUTH_URL: baseURL,
    AUTH_SECRET: "bench-secret-0123456789abcdef0123456789",
    ENCRYPTION_KEYS: `bench:${Buffer.alloc(32, 5).toString("base64")}`,
    AUTH_OIDC_ISSUER: `http://127.0.0.1:${OIDC_PORT}`,
    AUTH_OIDC_ID: "cue-bench",
    AUTH_OIDC_SECRET: "cue-bench-secret",
    AUTH_OIDC_NAME: "Bench SSO",
    NEXT_TELEMETRY_DISABLED: "1",
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  try {
    await waitFor(`http://127.0.0.1:${OIDC_PORT}/.well-known/openid-configuration`);
    await waitFor(`${baseURL}/signin`, 120_000);
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(`${baseURL}/signin`);
    await page.getByRole("button", { name: "Continue with Bench SSO" }).click();
    await page.waitForURL(/\/workflows$/);

    const imported = await page.request.post(`${baseURL}/api/trpc/workflows.import`, { data: { json: { data: { name: "Big", graph: bigGraph(NODES) } } } });
    const id = (await imported.json()).result.data.json.id as string;

    const timings: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const started = performance.now();
      await page.goto(`${baseURL}/workflows/${id}`);
      await page.locator(".react-flow__node").first().waitFor();
      // Interactive: clicking a node opens its settings.
      const visibleId = await page.evaluate(() => {
        const pane = document.querySelector(".react-flow__renderer")!.getBoundingClientRect();
        const inside = [...document.querySelectorAll<HTMLElement>(".react-flow__node")].find((node) => {
          const r = node.getBoundingClientRect();
          return r.top > pane.top + 20 && r.bottom < pane.bottom - 160 && r.left > pane.left && r.right < pane.right - 220;
        });
        return inside?.dataset.id ?? null;
      });
      if (!visibleId) throw new Error("no node is fully visible");
      await page.locator(`.react-flow__node[data-id="${visibleId}"] .wf-node-title`).click();
      await page.getByTestId("config-panel").waitFor();
      timings.push(performance.now() - started);
    }
    const rendered = await page.locator(".react-flow__node").count();
    timings.sort((a, b) => a - b);
    const report = {
      benchmark: "editor",
      nodes: NODES,
      renderedNodes: rendered,
      repeats: REPEATS,
      interactiveMedianMs: Math.round(timings[Math.floor(timings.length / 2)]!),
      interactiveMinMs: Math.round(timings[0]!),
      interactiveMaxMs: Math.round(timings.at(-1)!),
    };
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await browser.close();
    app.kill("SIGTERM");
    oidc.kill("SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

// `npx cue generate` as a user runs it: the real bin script, through tsx, in a child process.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, it } from "vitest";

const bin = path.resolve(import.meta.dirname, "../../bin/cue.mjs");

function cue(...args: string[]) {
  const env = { ...process.env };
  // The offline planner, whatever the developer's shell has configured.
  for (const name of ["AI_BASE_URL", "AI_API_KEY", "AI_MODEL"]) delete env[name];
  return spawnSync(process.execPath, [bin, ...args], { cwd: path.dirname(bin), env, encoding: "utf8", timeout: 60_000 });
}

it("prints the generated graph as JSON and exits 0", () => {
  const run = cue("generate", "when a payment fails, create a Jira ticket and text the customer");
  expect(run.status, run.stderr).toBe(0);
  const graph = JSON.parse(run.stdout) as { nodes: { type: string }[]; edges: unknown[] };
  expect(Object.keys(graph)).toEqual(["nodes", "edges"]);
  expect(graph.nodes.map((node) => node.type)).toEqual(["stripe.charge.failed", "jira.issue.create", "twilio.sms.send"]);
  expect(graph.edges).toHaveLength(2);
  expect(run.stderr).toContain("offline planner");
}, 60_000);

it("prints the reason on stderr and exits non-zero when nothing can be built", () => {
  const run = cue("generate", "make me a sandwich");
  expect(run.status).toBe(1);
  expect(run.stdout).toBe("");
  expect(run.stderr).toContain("Cue could not find a trigger or an action");
  expect(run.stderr).toContain("Slack: Post a Slack message");
}, 60_000);

it("explains its usage when the description is missing", () => {
  const run = cue("generate");
  expect(run.status).toBe(2);
  expect(run.stderr).toContain('cue generate "<description>"');
}, 60_000);

#!/usr/bin/env node
// Cue's command line (`npx cue …`). The commands are TypeScript in src/cli.ts; this launcher
// runs them through the project's own tsx so a fresh clone works after `npm ci`, with no build step.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);

let loader;
try {
  loader = pathToFileURL(require.resolve("tsx")).href;
} catch {
  process.stderr.write("cue: tsx is not installed; run `npm ci` in the Cue checkout first.\n");
  process.exit(1);
}

const result = spawnSync(process.execPath, ["--import", loader, path.join(root, "src/cli.ts"), ...process.argv.slice(2)], {
  stdio: "inherit",
  // tsx reads the "@/…" import paths from the project's tsconfig, wherever `cue` is run from.
  env: { ...process.env, TSX_TSCONFIG_PATH: path.join(root, "tsconfig.json") },
});
if (result.error) {
  process.stderr.write(`cue: ${result.error.message}\n`);
  process.exit(1);
}
process.exit(result.status ?? 1);

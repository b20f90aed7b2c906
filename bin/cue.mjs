#!/usr/bin/env node
// Cue's command line (`npx cue …`). The commands are TypeScript in src/cli.ts; this launcher
// loads them through the project's own tsx so a fresh clone works after `npm ci`, with no build
// step. It runs them in this same process, so signals (SIGTERM to a worker) and exit codes are the
// command's own.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

let register;
try {
  ({ register } = await import("tsx/esm/api"));
} catch {
  process.stderr.write("cue: tsx is not installed; run `npm ci` in the Cue checkout first.\n");
  process.exit(1);
}
// tsx reads the "@/…" import paths from the project's tsconfig, wherever `cue` is run from.
register({ tsconfig: path.join(root, "tsconfig.json") });
await import(pathToFileURL(path.join(root, "src/cli.ts")).href);

// Cue's command line (`npx cue <command>`), run by bin/cue.mjs through tsx. Each command lives
// beside the code it drives and is loaded only when asked for.
import { GENERATE_USAGE } from "@/ai/cli";
import { WORKER_USAGE } from "@/worker/main";

const USAGE = `Usage:
${GENERATE_USAGE}  cue rotate-keys
      Re-encrypts every stored secret under the first key of ENCRYPTION_KEYS (put the new key first,
      keep the old ones listed until this has run). Uses DATABASE_URL like the app.
${WORKER_USAGE}`;

async function rotateKeys(): Promise<number> {
  const { getDatabase } = await import("@/server/db");
  const { getKeyRing } = await import("@/server/runtime");
  const { reencryptAll } = await import("@/server/crypto/rotate");
  const database = getDatabase();
  try {
    await database.prepare();
    const report = await reencryptAll(database.prisma, getKeyRing());
    process.stdout.write(
      `Re-encrypted under key "${getKeyRing().current.id}": ${report.connections} connections, ${report.workflows} webhook secrets, ${report.oauthStates} pending OAuth states.\n`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "generate":
      return (await import("@/ai/cli")).generateCommand(rest);
    case "rotate-keys":
      return rotateKeys();
    case "worker":
      return (await import("@/worker/main")).workerCommand(rest);
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`${command ? `cue: unknown command "${command}"\n\n` : ""}${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`cue: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);

// Key rotation: `npx cue rotate-keys` re-encrypts every secret at rest under the new first key,
// after which the old key can be dropped from ENCRYPTION_KEYS.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reencryptAll } from "@/server/crypto/rotate";
import { decryptSecret, encryptSecret, parseKeyRing, secretKeyId } from "@/server/crypto/secrets";
import { openDatabase, type Db } from "@/server/db";
import { createUser } from "./helpers/caller";
import { createTestDatabase, type TestDatabase } from "./helpers/db";

const oldKey = `old:${randomBytes(32).toString("base64")}`;
const newKey = `new:${randomBytes(32).toString("base64")}`;
const before = parseKeyRing(oldKey);
const during = parseKeyRing(`${newKey},${oldKey}`);
const after = parseKeyRing(newKey);

async function seed(db: Db) {
  const user = await createUser(db, `rotate-${randomBytes(4).toString("hex")}@example.com`);
  const connection = await db.connection.create({
    data: { userId: user.id, provider: "twilio", label: "Twilio", secrets: encryptSecret(before, '{"username":"AC1","password":"tok"}') },
  });
  const workflow = await db.workflow.create({
    data: { userId: user.id, name: "Hook", graph: { nodes: [], edges: [] }, webhookToken: randomBytes(12).toString("hex"), webhookSecret: encryptSecret(before, "hook-secret-0123456789") },
  });
  return { connectionId: connection.id, workflowId: workflow.id };
}

async function expectRotated(db: Db, ids: { connectionId: string; workflowId: string }) {
  const connection = await db.connection.findUniqueOrThrow({ where: { id: ids.connectionId } });
  const workflow = await db.workflow.findUniqueOrThrow({ where: { id: ids.workflowId } });
  expect(secretKeyId(connection.secrets)).toBe("new");
  expect(secretKeyId(workflow.webhookSecret!)).toBe("new");
  // Readable with the new key alone.
  expect(JSON.parse(decryptSecret(after, connection.secrets))).toEqual({ username: "AC1", password: "tok" });
  expect(decryptSecret(after, workflow.webhookSecret!)).toBe("hook-secret-0123456789");
}

describe("reencryptAll", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.close());

  it("moves every secret to the current key, and a second run changes nothing", async () => {
    const ids = await seed(database.prisma);
    expect(await reencryptAll(database.prisma, during)).toEqual({ connections: 1, workflows: 1, oauthStates: 0 });
    await expectRotated(database.prisma, ids);
    expect(await reencryptAll(database.prisma, during)).toEqual({ connections: 0, workflows: 0, oauthStates: 0 });
  });
});

describe("npx cue rotate-keys", () => {
  it("re-encrypts an embedded database in place", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cue-rotate-"));
    try {
      const first = openDatabase(`pglite:${dir}`);
      await first.prepare();
      const ids = await seed(first.prisma);
      await first.close();

      const bin = path.resolve(import.meta.dirname, "../bin/cue.mjs");
      const run = spawnSync(process.execPath, [bin, "rotate-keys"], {
        env: { ...process.env, DATABASE_URL: `pglite:${dir}`, ENCRYPTION_KEYS: `${newKey},${oldKey}` },
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toContain('Re-encrypted under key "new": 1 connections, 1 webhook secrets');

      const second = openDatabase(`pglite:${dir}`);
      await second.prepare();
      await expectRotated(second.prisma, ids);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createAuditLog } from "../../src/audit/index.ts";
import { ALWAYS_WRITER, CHECKPOINT_LOCK_CLASS, writerLeaseFor } from "../../src/audit/checkpoint-election.ts";
import {
  chainHead,
  CHECKPOINT_FILE,
  startCheckpointWriter,
  type Checkpoint,
  type CheckpointWriter,
} from "../../src/audit/checkpoints.ts";
import { startListeners, type Listeners } from "../../src/cli/serve-command.ts";
import type { Db } from "../../src/store/index.ts";
import { startTestApp, type TestApp } from "../utils/test-app.ts";
import { connectAgain, createTestDb, dialectUnderTest } from "../utils/test-db.ts";
import { entry, HMAC_KEY, steppingClock } from "./audit-fixtures.ts";

/**
 * Issue 13: with several replicas there is one chain and one elected checkpoint writer (a
 * session advisory lock on PostgreSQL; on PGlite the single process always writes), and a writer
 * that cannot write its checkpoint says so on /ready. Every step is an explicit tick().
 */
describe(`checkpoint writer election (${dialectUnderTest()})`, () => {
  const dbs: Db[] = [];
  const dirs: string[] = [];
  const writers: CheckpointWriter[] = [];
  afterEach(async () => {
    vi.useRealTimers();
    await Promise.all(writers.splice(0).map((w) => w.stop()));
    for (const db of dbs.splice(0).reverse()) await db.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "poortwachter-election-"));
    dirs.push(dir);
    return dir;
  };
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");

  /** A replica: its own pool to the same database, its own checkpoint directory. */
  async function replica(db: Db) {
    const dir = tempDir();
    const started = await startCheckpointWriter({
      db,
      privateKey,
      publicKey,
      dir,
      intervalMs: 3_600_000,
      clock: steppingClock(Date.parse("2026-03-01T10:00:00.000Z")),
      lease: writerLeaseFor(db),
    });
    if (!started.ok) throw new Error(started.error);
    writers.push(started.value);
    const lines = (): Checkpoint[] =>
      readFileSync(join(dir, CHECKPOINT_FILE), "utf8")
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as Checkpoint);
    return { writer: started.value, dir, lines };
  }

  async function chain() {
    const db = await createTestDb();
    dbs.push(db);
    const log = createAuditLog({ db, hmacKey: HMAC_KEY, clock: steppingClock() });
    const append = async (n: number) => {
      const appended = await log.append(Array.from({ length: n }, () => entry()));
      if (!appended.ok) throw new Error(appended.error.reason);
    };
    const again = async () => {
      const other = await connectAgain(db);
      dbs.push(other);
      return other;
    };
    return { db, append, again };
  }

  /** The backend that holds this schema's checkpoint lock (PostgreSQL). */
  const lockHolder = async (db: Db): Promise<number[]> =>
    (
      await db.query<{ pid: number }>(
        `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2
           AND classid = $1 AND objid = (hashtext(current_schema()))::oid`,
        [CHECKPOINT_LOCK_CLASS],
      )
    ).map((r) => Number(r.pid));

  it("elects exactly one writer; when it stops or its session dies, a standby takes over", async () => {
    const { db, append, again } = await chain();
    await append(2);
    if (db.dialect === "pglite") {
      // One process owns DATA_DIR: it is always the writer, and writes the final one at stop().
      expect(writerLeaseFor(db)).toBe(ALWAYS_WRITER);
      const only = await replica(db);
      expect(await only.writer.tick()).toMatchObject({ role: "writer" });
      await append(1);
      await only.writer.stop();
      const head = await chainHead(db);
      expect(only.lines().map((c) => c.seq)).toStrictEqual([head.seq - 1, head.seq]);
      expect(only.writer.status()).toMatchObject({ role: "writer", lastWrittenSeq: head.seq });
      return;
    }
    const a = await replica(db);
    const b = await replica(await again());
    expect(await a.writer.tick()).toMatchObject({ role: "writer", lastWrittenSeq: expect.any(Number) });
    expect(await b.writer.tick()).toStrictEqual({
      role: "standby",
      lastWrittenSeq: null,
      lastWrittenAt: null,
    });
    await append(1);
    await b.writer.tick();
    await a.writer.tick();
    expect(a.lines()).toHaveLength(2);
    expect(b.lines()).toHaveLength(0);
    expect((await b.writer.write()).ok).toBe(false);

    // A clean shutdown: the writer writes the last head and frees the lock; the standby takes over.
    await append(1);
    await a.writer.stop();
    expect(a.lines()).toHaveLength(3);
    expect(b.lines()).toHaveLength(0);
    expect(await b.writer.tick()).toMatchObject({
      role: "writer",
      lastWrittenSeq: (await chainHead(db)).seq,
    });
    expect(b.lines()).toHaveLength(1);

    // The writer dies (its backend is killed): the lock frees with its session.
    const c = await replica(await again());
    expect((await c.writer.tick()).role).toBe("standby");
    const holders = await lockHolder(db);
    expect(holders).toHaveLength(1);
    // With a timeout it returns once the backend has ended (and its locks with it).
    await db.query("SELECT pg_terminate_backend($1, 10000)", [holders[0]]);
    expect((await c.writer.tick()).role).toBe("writer");
    expect(c.lines()).toHaveLength(1);
    // The old writer notices at its next tick that its session is gone, and stands by.
    expect(await b.writer.tick()).toMatchObject({ role: "standby" });
    expect(b.writer.status().error).toBeUndefined();
    expect(b.lines()).toHaveLength(1);
    // A standby's stop writes nothing.
    await b.writer.stop();
    expect(b.lines()).toHaveLength(1);
  });

  it("ticks at every interval (fake timers) and reports a failing sink until it works again", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const { db, append } = await chain();
    const r = await replica(db);
    await append(1);
    await vi.advanceTimersByTimeAsync(3_600_000);
    await r.writer.tick();
    expect(r.lines()).toHaveLength(2);

    // The file's place taken by a directory: every open for appending fails.
    const file = join(r.dir, CHECKPOINT_FILE);
    rmSync(file);
    mkdirSync(file);
    const failed = await r.writer.tick();
    expect(failed).toMatchObject({ role: "writer", error: "audit checkpoint not written: EISDIR" });
    expect(r.writer.lastError()).toBe("audit checkpoint not written: EISDIR");
    const before = failed.lastWrittenSeq;
    expect(before).toBe((await chainHead(db)).seq);

    rmSync(file, { recursive: true });
    await append(1);
    const mended = await r.writer.tick();
    expect(mended.error).toBeUndefined();
    expect(mended.lastWrittenSeq).toBe((await chainHead(db)).seq);
    expect(r.lines()).toHaveLength(1);
  });
});

describe("/ready and the checkpoint writer", () => {
  let t: TestApp | undefined;
  let listeners: Listeners | undefined;
  let cpDir: string | undefined;
  afterEach(async () => {
    await listeners?.close();
    await t?.close();
    if (cpDir) rmSync(cpDir, { recursive: true, force: true });
  });

  it("answers 503 checkpoint_failed while the writer fails, names the error to the operator, and recovers", async () => {
    cpDir = mkdtempSync(join(tmpdir(), "poortwachter-ready-cp-"));
    t = await startTestApp({ env: { AUDIT_CHECKPOINT_DIR: cpDir, AUDIT_CHECKPOINT_INTERVAL_S: "3600" } });
    const started = await startListeners(t.app, {
      ...t.app.config,
      port: 0,
      ops: { port: 0, host: "127.0.0.1" },
    });
    if (!started.ok) throw new Error(started.error);
    listeners = started.value;
    const pub = new URL("/ready", listeners.url);
    const ops = `${listeners.opsUrl ?? ""}/ready`;
    const get = async (url: URL | string) => {
      const res = await fetch(url);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };

    // The start-up checkpoint came before the demo cases were seeded: one of the head now.
    await t.app.checkpoints.tick();
    const head = await chainHead(t.app.db);
    expect(await get(pub)).toStrictEqual({ status: 200, body: { status: "ready" } });
    const ready = await get(ops);
    expect(ready.status).toBe(200);
    expect(ready.body.checkpoints).toStrictEqual({
      role: "writer",
      lastWrittenSeq: head.seq,
      lastWrittenAt: expect.any(String),
    });

    const file = join(cpDir, CHECKPOINT_FILE);
    rmSync(file);
    mkdirSync(file);
    await t.app.checkpoints.tick();
    expect(await get(pub)).toStrictEqual({ status: 503, body: { status: "checkpoint_failed" } });
    const failing = await get(ops);
    expect(failing.status).toBe(503);
    expect(failing.body).toMatchObject({
      status: "checkpoint_failed",
      checkpoints: {
        role: "writer",
        lastWrittenSeq: head.seq,
        error: "audit checkpoint not written: EISDIR",
      },
    });

    rmSync(file, { recursive: true });
    await t.app.checkpoints.tick();
    expect(existsSync(file)).toBe(true);
    expect(await get(pub)).toStrictEqual({ status: 200, body: { status: "ready" } });
    const back = await get(ops);
    expect(back.status).toBe(200);
    expect(back.body.checkpoints).not.toHaveProperty("error");
  });

  it("says role off without a checkpoint sink, and stays ready", async () => {
    t = await startTestApp();
    expect(await t.app.checkpoints.tick()).toStrictEqual({
      role: "off",
      lastWrittenSeq: null,
      lastWrittenAt: null,
    });
  });
});

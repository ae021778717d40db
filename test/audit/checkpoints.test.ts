import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createAuditLog, verifyChain, type AuditLog, type AuditRecord } from "../../src/audit/index.ts";
import { parseCheckpointPublicKey } from "../../src/audit/checkpoint-keys.ts";
import {
  chainHead,
  checkpointSignatureValid,
  CHECKPOINT_FILE,
  DEMO_CHECKPOINT_KEY_FILE,
  readCheckpoints,
  startCheckpointWriter,
  verifyCheckpoints,
  type Checkpoint,
  type CheckpointWriter,
} from "../../src/audit/checkpoints.ts";
import { contentHashOf, contentOf, linkHash } from "../../src/audit/hash-chain.ts";
import { runAuditCommand } from "../../src/cli/audit-command.ts";
import { loadConfig } from "../../src/config/index.ts";
import { migrate, openDb, type Db } from "../../src/store/index.ts";
import { startTestApp } from "../utils/test-app.ts";
import { createTestDb, dialectUnderTest } from "../utils/test-db.ts";
import { entry, HMAC_KEY, steppingClock } from "./audit-fixtures.ts";

/** Issue 13: the chain's head anchored outside the database, and verify against those anchors. */
describe(`audit checkpoints (${dialectUnderTest()})`, () => {
  const dbs: Db[] = [];
  const dirs: string[] = [];
  const writers: CheckpointWriter[] = [];
  afterEach(async () => {
    await Promise.all(writers.splice(0).map((w) => w.stop()));
    await Promise.all(dbs.splice(0).map((db) => db.close()));
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "poortwachter-checkpoints-"));
    dirs.push(dir);
    return dir;
  };
  const keys = () => generateKeyPairSync("ed25519");

  async function setup() {
    const db = await createTestDb();
    dbs.push(db);
    const log = createAuditLog({ db, hmacKey: HMAC_KEY, clock: steppingClock() });
    const dir = tempDir();
    const { privateKey, publicKey } = keys();
    const started = await startCheckpointWriter({
      db,
      privateKey,
      publicKey,
      dir,
      intervalMs: 3_600_000,
      clock: steppingClock(Date.parse("2025-03-01T10:00:00.000Z")),
    });
    if (!started.ok) throw new Error(started.error);
    writers.push(started.value);
    const append = async (n: number): Promise<readonly AuditRecord[]> => {
      const result = await log.append(Array.from({ length: n }, (_, i) => entry({ actor: `a${i}` })));
      if (!result.ok) throw new Error(result.error.reason);
      return result.value;
    };
    const checkpoint = async (): Promise<Checkpoint> => {
      const written = await started.value.write();
      if (!written.ok) throw new Error(written.error);
      return written.value;
    };
    const verify = async (publicKeyUsed: KeyObject = publicKey) => {
      const read = await readCheckpoints(dir);
      if (!read.ok) throw new Error(read.error);
      expect(read.value.problems).toStrictEqual([]);
      return verifyCheckpoints(db, read.value.checkpoints, publicKeyUsed);
    };
    return { db, log, dir, privateKey, publicKey, append, checkpoint, verify, writer: started.value };
  }

  /** As a superuser would: behind the append-only triggers' back. */
  const asSuperuser = async (db: Db, sql: string, params: unknown[] = []) => {
    await db.query("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only_rows");
    try {
      await db.query(sql, params);
    } finally {
      await db.query("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only_rows");
    }
  };

  /** Recomputes prev_hash and hash from `fromSeq` on, so the chain itself verifies again. */
  const rechain = async (db: Db, log: AuditLog) => {
    const records = await log.list({ limit: 10_000 });
    let prev = "0".repeat(64);
    for (const r of records) {
      const contentHash = contentHashOf(contentOf(r));
      const hash = linkHash(prev, contentHash);
      if (r.prevHash !== prev || r.contentHash !== contentHash || r.hash !== hash)
        await asSuperuser(
          db,
          "UPDATE audit_log SET prev_hash = $1, content_hash = $2, hash = $3 WHERE seq = $4",
          [prev, contentHash, hash, r.seq],
        );
      prev = hash;
    }
    expect((await verifyChain(db)).ok).toBe(true);
  };

  it("appends signed JSON lines of the head to the file, and an intact chain passes", async () => {
    const t = await setup();
    await t.append(3);
    const first = await t.checkpoint();
    const records = await t.append(2);
    const second = await t.checkpoint();
    expect(second).toMatchObject({ seq: records[1]?.seq, headHash: records[1]?.hash, alg: "Ed25519" });
    expect(first.seq).toBe(records[0] ? records[0].seq - 1 : -1);
    const lines = readFileSync(join(t.dir, CHECKPOINT_FILE), "utf8").trim().split("\n");
    expect(lines.map((l) => JSON.parse(l) as unknown)).toStrictEqual([first, second]);
    await t.append(4);
    expect(await t.verify()).toStrictEqual({
      ok: true,
      checkpoints: 2,
      newestSeq: second.seq,
      unanchored: 4,
    });
  });

  it("detects truncated newest records, naming the first missing seq, though the chain verifies", async () => {
    const t = await setup();
    await t.append(3);
    await t.checkpoint();
    const tail = await t.append(3);
    await t.checkpoint();
    await asSuperuser(t.db, "DELETE FROM audit_log WHERE seq >= $1", [tail[1]?.seq]);
    expect(await verifyChain(t.db)).toStrictEqual({ ok: true, records: 4 });
    expect(await t.verify()).toMatchObject({
      ok: false,
      kind: "missing",
      firstSeq: tail[1]?.seq,
      reason: expect.stringContaining(`cut tail: the chain ends at seq ${tail[0]?.seq}`),
    });
  });

  it("detects a rewritten last record, even with its hashes recomputed", async () => {
    const t = await setup();
    const records = await t.append(4);
    await t.checkpoint();
    const last = records[3];
    await asSuperuser(t.db, "UPDATE audit_log SET reason = 'nothing to see' WHERE seq = $1", [last?.seq]);
    expect(await verifyChain(t.db)).toMatchObject({ ok: false, firstBrokenSeq: last?.seq });
    await rechain(t.db, t.log);
    expect(await t.verify()).toMatchObject({ ok: false, kind: "differs", firstSeq: last?.seq });
  });

  it("detects re-chaining after a deletion that the chain alone no longer shows", async () => {
    const t = await setup();
    const early = await t.append(2);
    const good = await t.checkpoint();
    const later = await t.append(3);
    const bad = await t.checkpoint();
    await asSuperuser(t.db, "DELETE FROM audit_log WHERE seq = $1", [later[0]?.seq]);
    await rechain(t.db, t.log);
    const result = await t.verify();
    expect(result).toMatchObject({ ok: false, kind: "differs", firstSeq: bad.seq });
    expect(result.ok ? "" : result.reason).toContain(`rewritten after seq ${early[1]?.seq ?? -1}`);
    expect(good.seq).toBe(early[1]?.seq);
  });

  it("refuses a checkpoint with a bad signature, or one signed by another key", async () => {
    const t = await setup();
    await t.append(2);
    const cp = await t.checkpoint();
    expect((await t.verify()).ok).toBe(true);
    expect(await t.verify(keys().publicKey)).toMatchObject({ ok: false, kind: "signature" });
    // A forger moves the head back after truncating, keeping the old signature.
    const file = join(t.dir, CHECKPOINT_FILE);
    writeFileSync(file, `${JSON.stringify({ ...cp, seq: cp.seq - 1 })}\n`);
    const refused = await t.verify();
    expect(refused).toMatchObject({ ok: false, kind: "signature", firstSeq: cp.seq - 1 });
    expect(refused.ok ? "" : refused.reason).toMatch(/audit-checkpoints\.jsonl:1 .*bad signature/);
    appendFileSync(file, "not json\n");
    const read = await readCheckpoints(t.dir);
    expect(read.ok && read.value.problems).toStrictEqual([`${CHECKPOINT_FILE}:2: not a JSON line`]);
  });

  it("writes a final checkpoint at stop()", async () => {
    const t = await setup();
    const records = await t.append(2);
    writers.splice(0);
    await t.writer.stop();
    const read = await readCheckpoints(t.dir);
    expect(read.ok && read.value.checkpoints.map((c) => c.checkpoint.seq)).toStrictEqual([records[1]?.seq]);
  });
});

describe("configuration of the checkpoints", () => {
  const pem = generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  const base = { DEMO_MODE: "true" };
  it("accepts a PEM or base64 PKCS#8 key and refuses others, naming the setting", () => {
    expect(loadConfig({ ...base, AUDIT_CHECKPOINT_KEY: pem }).ok).toBe(true);
    const b64 = pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
    expect(loadConfig({ ...base, AUDIT_CHECKPOINT_KEY: b64 }).ok).toBe(true);
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 })
      .privateKey.export({ format: "pem", type: "pkcs8" })
      .toString();
    for (const key of ["nonsense", rsa]) {
      const config = loadConfig({ ...base, AUDIT_CHECKPOINT_KEY: key });
      expect(config.ok ? [] : config.error.problems).toStrictEqual([
        expect.stringMatching(/^AUDIT_CHECKPOINT_KEY: /),
      ]);
    }
  });
  it("requires a key with a sink outside demo mode", () => {
    const config = loadConfig({ AUDIT_CHECKPOINT_DIR: "/tmp/x" });
    expect(config.ok ? [] : config.error.problems).toContain(
      "AUDIT_CHECKPOINT_KEY: required with AUDIT_CHECKPOINT_DIR or AUDIT_CHECKPOINT_STDOUT",
    );
  });
});

describe("npm run audit -- verify --checkpoints", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  async function run(argv: string[], env: Record<string, string>) {
    let out = "";
    let errOut = "";
    const code = await runAuditCommand(argv, {
      env,
      stdout: (s) => (out += s),
      stderr: (s) => (errOut += s),
    });
    return { code, out, err: errOut };
  }

  it("passes an anchored chain and names the first missing seq of a cut tail (exit 1)", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "poortwachter-audit-cp-cli-"));
    dirs.push(dataDir);
    const cpDir = join(dataDir, "checkpoints");
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const keyFile = join(dataDir, "checkpoint.pub");
    writeFileSync(keyFile, publicKey.export({ format: "pem", type: "spki" }));
    const db = await openDb({ dataDir: join(dataDir, "pglite") });
    expect((await migrate(db)).ok).toBe(true);
    const log = createAuditLog({ db, hmacKey: HMAC_KEY });
    const appended = await log.append([entry(), entry(), entry()]);
    const writer = await startCheckpointWriter({
      db,
      privateKey,
      publicKey,
      dir: cpDir,
      intervalMs: 3_600_000,
    });
    if (!writer.ok) throw new Error(writer.error);
    await writer.value.stop();
    await db.close();
    const seqs = appended.ok ? appended.value.map((r) => r.seq) : [];

    const intact = await run(["verify", "--checkpoints", cpDir, "--public-key", keyFile], {
      DATA_DIR: dataDir,
    });
    expect(intact.code).toBe(0);
    expect(intact.out).toBe(
      `audit log intact: 3 records, hash chain verified\ncheckpoints verified: 1 signed checkpoints, the newest at seq ${seqs[2]}; 0 records after it not anchored yet\n`,
    );

    const again = await openDb({ dataDir: join(dataDir, "pglite") });
    await again.query("ALTER TABLE audit_log DISABLE TRIGGER ALL");
    await again.query("DELETE FROM audit_log WHERE seq >= $1", [seqs[1]]);
    await again.close();

    const cut = await run(["verify", "--checkpoints", cpDir, "--public-key", keyFile], { DATA_DIR: dataDir });
    expect(cut.code).toBe(1);
    expect(cut.out).toContain("audit log intact: 1 records");
    expect(cut.out).toContain(
      `audit log BROKEN against its checkpoints: first missing seq ${seqs[1]}: cut tail`,
    );

    const wrongKey = join(dataDir, "other.pub");
    writeFileSync(wrongKey, generateKeyPairSync("ed25519").publicKey.export({ format: "pem", type: "spki" }));
    const refused = await run(["verify", "--checkpoints", cpDir, "--public-key", wrongKey], {
      DATA_DIR: dataDir,
    });
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/bad signature for this public key/);

    expect((await run(["verify", "--public-key", keyFile], { DATA_DIR: dataDir })).code).toBe(2);
  });
});

describe("the gateway's checkpoints", () => {
  it("writes one at start-up and a final one of the last head at close(), with the demo key from DATA_DIR", async () => {
    const cpDir = mkdtempSync(join(tmpdir(), "poortwachter-gateway-cp-"));
    try {
      const t = await startTestApp({
        env: { AUDIT_CHECKPOINT_DIR: cpDir, AUDIT_CHECKPOINT_INTERVAL_S: "3600" },
      });
      const key = parseCheckpointPublicKey(
        readFileSync(join(t.app.config.dataDir, DEMO_CHECKPOINT_KEY_FILE), "utf8"),
      );
      if (!key.ok) throw new Error(key.error);
      const file = join(cpDir, CHECKPOINT_FILE);
      expect(readFileSync(file, "utf8").trim().split("\n")).toHaveLength(1);
      const head = await chainHead(t.app.db);
      await t.close();
      const lines = readFileSync(file, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Checkpoint);
      expect(lines).toHaveLength(2);
      expect(lines[1]).toMatchObject({ seq: head.seq, headHash: head.hash });
      expect(lines.every((cp) => checkpointSignatureValid(cp, key.value))).toBe(true);
    } finally {
      rmSync(cpDir, { recursive: true, force: true });
    }
  });
});

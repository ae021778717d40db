import { createHash, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import { mkdir, open, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import { err, ok, systemClock, type Clock, type Result } from "../shared/index.ts";
import type { Db, Queryable } from "../store/index.ts";
import { canonicalJson, GENESIS_HASH } from "./hash-chain.ts";
import { parseCheckpointPrivateKey } from "./checkpoint-keys.ts";
import { ALWAYS_WRITER, writerLeaseFor, type WriterLease } from "./checkpoint-election.ts";

/**
 * Signed checkpoints of the audit chain's head (issue 13; Delft art. 6a-b, Maastricht art. 9:
 * the log is the proof, so it must be provable that nothing was cut off its end). The hash chain
 * shows a changed or removed record in the middle, but a superuser who deletes the newest records
 * leaves a shorter chain that still verifies. A checkpoint - `{ seq, headHash, at }` of the newest
 * record, signed with Ed25519 - written outside the database remembers the head: `npm run audit
 * -- verify --checkpoints <dir>` checks that the chain still has every checkpointed seq with
 * exactly that hash.
 */

/** What is signed: the canonical JSON of these three members. */
export interface CheckpointBody {
  /** seq of the newest record (0 for an empty chain). */
  readonly seq: number;
  /** Its hash (GENESIS_HASH for an empty chain). */
  readonly headHash: string;
  /** ISO time of the checkpoint. */
  readonly at: string;
}

export interface Checkpoint extends CheckpointBody {
  readonly alg: "Ed25519";
  /** First 16 hex digits of sha256 over the public key's SPKI DER: which key signed it. */
  readonly keyId: string;
  /** base64 Ed25519 signature over canonicalJson(body). */
  readonly sig: string;
}

/** File in AUDIT_CHECKPOINT_DIR the gateway appends to, one JSON line per checkpoint. */
export const CHECKPOINT_FILE = "audit-checkpoints.jsonl";
/** The demo key, kept in DATA_DIR like the demo HMAC key. */
export const DEMO_CHECKPOINT_KEY_FILE = "audit-checkpoint.key";
/** Message of the operational log line that carries a checkpoint (AUDIT_CHECKPOINT_STDOUT). */
export const CHECKPOINT_LOG_MESSAGE = "audit checkpoint";

const message = (body: CheckpointBody): Buffer =>
  Buffer.from(canonicalJson({ seq: body.seq, headHash: body.headHash, at: body.at }), "utf8");

export const keyIdOf = (publicKey: KeyObject): string =>
  createHash("sha256")
    .update(publicKey.export({ format: "der", type: "spki" }))
    .digest("hex")
    .slice(0, 16);

export function signCheckpoint(
  body: CheckpointBody,
  privateKey: KeyObject,
  publicKey: KeyObject,
): Checkpoint {
  return {
    seq: body.seq,
    headHash: body.headHash,
    at: body.at,
    alg: "Ed25519",
    keyId: keyIdOf(publicKey),
    sig: sign(null, message(body), privateKey).toString("base64"),
  };
}

export function checkpointSignatureValid(checkpoint: Checkpoint, publicKey: KeyObject): boolean {
  try {
    return verify(null, message(checkpoint), publicKey, Buffer.from(checkpoint.sig, "base64"));
  } catch {
    return false;
  }
}

/** seq and hash of the chain's newest record. */
export async function chainHead(db: Queryable): Promise<{ seq: number; hash: string }> {
  const [row] = await db.query<{ seq: number | string; hash: string }>(
    "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
  );
  return row ? { seq: Number(row.seq), hash: row.hash } : { seq: 0, hash: GENESIS_HASH };
}

/**
 * The demo checkpoint key: generated once into DATA_DIR (PEM, mode 0600), like the demo HMAC
 * key, so the checkpoints of earlier runs still verify.
 */
export async function demoCheckpointKey(dataDir: string): Promise<string> {
  const file = join(dataDir, DEMO_CHECKPOINT_KEY_FILE);
  try {
    return (await readFile(file, "utf8")).trim();
  } catch {
    const { privateKey } = generateKeyPairSync("ed25519");
    const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, pem, { mode: 0o600 });
    return pem.trim();
  }
}

export interface CheckpointWriterOptions {
  readonly db: Queryable;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** Directory of the append-only checkpoint file; unset: none. */
  readonly dir?: string | undefined;
  /** Logs every checkpoint at info level (for the log shipper). */
  readonly logger?: Logger | undefined;
  readonly stdout?: boolean | undefined;
  readonly intervalMs: number;
  readonly clock?: Clock | undefined;
  /** Who writes among the replicas (src/audit/checkpoint-election.ts); default: this process. */
  readonly lease?: WriterLease | undefined;
}

/**
 * What `/ready` says of the checkpoints: this replica's role, its last checkpoint, and the
 * reason its last attempt failed (absent after a success, or while standing by).
 */
export interface CheckpointStatus {
  /** writer: it writes them; standby: another replica does; off: no sink is configured. */
  readonly role: "writer" | "standby" | "off";
  readonly lastWrittenSeq: number | null;
  readonly lastWrittenAt: string | null;
  readonly error?: string;
}

export const CHECKPOINTS_OFF: CheckpointStatus = Object.freeze({
  role: "off",
  lastWrittenSeq: null,
  lastWrittenAt: null,
});

export interface CheckpointWriter {
  /**
   * One interval's work: take or confirm the writer's lock, and as the writer write a
   * checkpoint of the current head. The interval calls it; tests call it instead of waiting.
   */
  tick(): Promise<CheckpointStatus>;
  /** As tick(), with the checkpoint written, or why none was (a failure, or standing by). */
  write(): Promise<Result<Checkpoint, string>>;
  /** The last failure to write, or undefined after a success (for /ready). */
  lastError(): string | undefined;
  status(): CheckpointStatus;
  /** Stops the interval; the writer writes a final checkpoint and gives up the lock (close()). */
  stop(): Promise<void>;
}

const codeOf = (e: unknown): string =>
  (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));

/**
 * Appends one line to the checkpoint file and syncs it. The file is opened for each checkpoint
 * with `a` (O_APPEND: every write goes to its end, none rewrites an earlier line): a handle kept
 * open would go on writing into a file that was removed or moved, so checkpoints would vanish
 * unnoticed, and would not recover once the operator mends the directory. The datasync makes a
 * full or failing disk show here, as an error, rather than later in the kernel's write-back.
 */
async function appendLine(file: string, line: string): Promise<void> {
  const handle = await open(file, "a", 0o640);
  try {
    await handle.appendFile(line, "utf8");
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes a checkpoint every `intervalMs` and at `stop()`, when this process is the elected
 * writer; a standby only tries to take the lock. Ticks never overlap. A failed write is logged
 * and kept (`status().error`) until a write succeeds; the next interval tries again. The
 * gateway's `/ready` turns 503 while it lasts (src/server/http-server.ts).
 */
export async function startCheckpointWriter(
  options: CheckpointWriterOptions,
): Promise<Result<CheckpointWriter, string>> {
  const clock = options.clock ?? systemClock;
  const lease = options.lease ?? ALWAYS_WRITER;
  let file: string | undefined;
  if (options.dir) {
    // A standby checks its sink too: it must be able to take over.
    try {
      await mkdir(options.dir, { recursive: true });
      file = join(options.dir, CHECKPOINT_FILE);
      await (await open(file, "a", 0o640)).close();
    } catch (e) {
      return err(
        `AUDIT_CHECKPOINT_DIR ${options.dir}: cannot open ${CHECKPOINT_FILE} for appending (${codeOf(e)})`,
      );
    }
  }
  // Unknown until the first claim: a writer stopped before its first tick still writes at stop().
  let role: "writer" | "standby" | undefined;
  let failure: string | undefined;
  let last: Checkpoint | undefined;
  const status = (): CheckpointStatus => ({
    role: role ?? "standby",
    lastWrittenSeq: last?.seq ?? null,
    lastWrittenAt: last?.at ?? null,
    ...(failure === undefined ? {} : { error: failure }),
  });
  const fail = (reason: string): Result<Checkpoint, string> => {
    failure = reason;
    options.logger?.error({ reason }, "audit checkpoint failed");
    return err(reason);
  };

  const writeNow = async (): Promise<Result<Checkpoint, string>> => {
    try {
      const head = await chainHead(options.db);
      const checkpoint = signCheckpoint(
        { seq: head.seq, headHash: head.hash, at: clock.now().toISOString() },
        options.privateKey,
        options.publicKey,
      );
      if (file) await appendLine(file, `${JSON.stringify(checkpoint)}\n`);
      if (options.stdout) options.logger?.info({ checkpoint }, CHECKPOINT_LOG_MESSAGE);
      failure = undefined;
      last = checkpoint;
      return ok(checkpoint);
    } catch (e) {
      return fail(`audit checkpoint not written: ${codeOf(e)}`);
    }
  };

  const tickNow = async (): Promise<Result<Checkpoint, string>> => {
    let writer: boolean;
    try {
      writer = await lease.claim();
    } catch (e) {
      role = "standby";
      return fail(`audit checkpoint writer election failed: ${codeOf(e)}`);
    }
    if (!writer) {
      if (role === "writer") options.logger?.warn("audit checkpoint writer: lock lost, standing by");
      role = "standby";
      failure = undefined;
      return err("standby: another replica writes the audit checkpoints");
    }
    if (role !== "writer") options.logger?.info("audit checkpoint writer: elected");
    role = "writer";
    return writeNow();
  };

  let queue: Promise<unknown> = Promise.resolve();
  const enqueue = <T>(job: () => Promise<T>): Promise<T> => {
    const next = queue.then(job);
    queue = next.catch(() => undefined);
    return next;
  };
  let stopped = false;
  const write = (): Promise<Result<Checkpoint, string>> =>
    enqueue(() => (stopped ? Promise.resolve(err("the checkpoint writer has stopped")) : tickNow()));
  const timer = setInterval(() => void write(), options.intervalMs);
  timer.unref();
  return ok({
    write,
    tick: async () => {
      await write();
      return status();
    },
    lastError: () => failure,
    status,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      // Only the writer writes the final checkpoint; a standby's would be a second copy.
      await enqueue(async () => {
        if (role !== "standby") await tickNow();
        await lease.release();
      });
    },
  });
}

/** The checkpoint settings of the Config (src/config/config.ts). */
export interface CheckpointSettings {
  readonly key: string | undefined;
  readonly dir: string | undefined;
  readonly stdout: boolean;
  readonly intervalS: number;
}

/**
 * The gateway's writer from its settings: none when neither AUDIT_CHECKPOINT_DIR nor
 * AUDIT_CHECKPOINT_STDOUT is set; elected among the replicas on PostgreSQL; the key from
 * AUDIT_CHECKPOINT_KEY, or in demo mode generated into DATA_DIR. The configuration has already refused a sink without a key outside demo mode.
 */
export async function checkpointWriterFor(
  settings: CheckpointSettings,
  context: { db: Db; demoMode: boolean; dataDir: string; logger: Logger; clock?: Clock | undefined },
): Promise<Result<CheckpointWriter | undefined, string>> {
  if (!settings.dir && !settings.stdout) return ok(undefined);
  const text = settings.key ?? (context.demoMode ? await demoCheckpointKey(context.dataDir) : undefined);
  if (!text)
    return err("AUDIT_CHECKPOINT_KEY: required when AUDIT_CHECKPOINT_DIR or AUDIT_CHECKPOINT_STDOUT is set");
  const key = parseCheckpointPrivateKey(text);
  if (!key.ok) return err(`AUDIT_CHECKPOINT_KEY: ${key.error}`);
  const writer = await startCheckpointWriter({
    db: context.db,
    privateKey: key.value,
    publicKey: createPublicKey(key.value),
    dir: settings.dir,
    stdout: settings.stdout,
    logger: context.logger,
    intervalMs: settings.intervalS * 1000,
    clock: context.clock,
    lease: writerLeaseFor(context.db),
  });
  // The first at start-up (the election too), so the head is anchored before the first
  // interval has passed; a failure here is reported on /ready like any later one.
  if (writer.ok) await writer.value.tick();
  return writer;
}

/** One checkpoint read back, with where it came from. */
export interface StoredCheckpoint {
  readonly checkpoint: Checkpoint;
  /** `file:line`. */
  readonly where: string;
}

const isCheckpoint = (value: unknown): value is Checkpoint => {
  const v = value as Record<string, unknown> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    Number.isSafeInteger(v.seq) &&
    (v.seq as number) >= 0 &&
    typeof v.headHash === "string" &&
    /^[0-9a-f]{64}$/.test(v.headHash) &&
    typeof v.at === "string" &&
    v.alg === "Ed25519" &&
    typeof v.sig === "string"
  );
};

/**
 * Every checkpoint in the `*.jsonl` and `*.log` files of `dir`: lines that are a checkpoint, or an
 * operational log line carrying one as `checkpoint` (AUDIT_CHECKPOINT_STDOUT, collected by the
 * log shipper). Other log lines are skipped; a line that claims to be a checkpoint but is not
 * well-formed is a problem.
 */
export async function readCheckpoints(
  dir: string,
): Promise<Result<{ checkpoints: StoredCheckpoint[]; problems: string[] }, string>> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(".jsonl") || n.endsWith(".log")).sort();
  } catch (e) {
    return err(
      `${dir}: cannot read the checkpoint directory (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
    );
  }
  const checkpoints: StoredCheckpoint[] = [];
  const problems: string[] = [];
  for (const name of names) {
    const lines = (await readFile(join(dir, name), "utf8")).split("\n");
    lines.forEach((line, index) => {
      if (line.trim() === "") return;
      const where = `${name}:${index + 1}`;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        if (name.endsWith(".jsonl")) problems.push(`${where}: not a JSON line`);
        return;
      }
      const candidate =
        typeof parsed === "object" && parsed !== null && "checkpoint" in parsed
          ? (parsed as { checkpoint: unknown }).checkpoint
          : parsed;
      if (isCheckpoint(candidate)) checkpoints.push({ checkpoint: candidate, where });
      else if (name === CHECKPOINT_FILE || candidate !== parsed)
        problems.push(`${where}: not a well-formed checkpoint`);
    });
  }
  return ok({ checkpoints, problems });
}

export type CheckpointVerification =
  | {
      readonly ok: true;
      readonly checkpoints: number;
      /** seq of the newest checkpoint (0 without any). */
      readonly newestSeq: number;
      /** Records after the newest checkpoint: not anchored yet. */
      readonly unanchored: number;
    }
  | {
      readonly ok: false;
      readonly kind: "signature" | "missing" | "differs";
      /** The first missing or differing sequence (for "signature": the checkpoint's seq). */
      readonly firstSeq: number;
      readonly reason: string;
    };

const CHUNK = 1000;

/**
 * Checks every checkpoint's signature (one bad signature refuses the whole set: a forged
 * checkpoint proves nothing), then that the chain holds each checkpointed seq with exactly that
 * hash, lowest seq first. A seq beyond the chain's head is a cut tail (the first missing seq is
 * the one after the head); a seq that is gone below the head was removed; a different hash means
 * the chain was rewritten (re-chained) after the last checkpoint that still matches.
 */
export async function verifyCheckpoints(
  db: Queryable,
  stored: readonly StoredCheckpoint[],
  publicKey: KeyObject,
): Promise<CheckpointVerification> {
  for (const { checkpoint, where } of stored)
    if (!checkpointSignatureValid(checkpoint, publicKey))
      return {
        ok: false,
        kind: "signature",
        firstSeq: checkpoint.seq,
        reason: `checkpoint ${where} (seq ${checkpoint.seq}) has a bad signature for this public key (key id ${keyIdOf(publicKey)}, signed by ${checkpoint.keyId}): refused`,
      };
  const bySeq = new Map<number, StoredCheckpoint>();
  for (const s of stored) {
    const seen = bySeq.get(s.checkpoint.seq);
    if (seen && seen.checkpoint.headHash !== s.checkpoint.headHash)
      return {
        ok: false,
        kind: "differs",
        firstSeq: s.checkpoint.seq,
        reason: `checkpoints ${seen.where} and ${s.where} sign different hashes for seq ${s.checkpoint.seq}`,
      };
    if (!seen) bySeq.set(s.checkpoint.seq, s);
  }
  const seqs = [...bySeq.keys()].filter((seq) => seq > 0).sort((a, b) => a - b);
  const head = await chainHead(db);
  let lastGood = 0;
  for (let i = 0; i < seqs.length; i += CHUNK) {
    const chunk = seqs.slice(i, i + CHUNK);
    const rows = await db.query<{ seq: number | string; hash: string }>(
      "SELECT seq, hash FROM audit_log WHERE seq = ANY($1::bigint[])",
      [chunk],
    );
    const hashes = new Map(rows.map((row) => [Number(row.seq), row.hash]));
    for (const seq of chunk) {
      const { checkpoint, where } = bySeq.get(seq) as StoredCheckpoint;
      const hash = hashes.get(seq);
      if (hash === undefined && seq > head.seq) {
        const firstSeq = Math.max(head.seq, lastGood) + 1;
        return {
          ok: false,
          kind: "missing",
          firstSeq,
          reason: `cut tail: the chain ends at seq ${head.seq}, but checkpoint ${where} of ${checkpoint.at} anchors seq ${seq}; records ${firstSeq}..${seq} are missing`,
        };
      }
      if (hash === undefined)
        return {
          ok: false,
          kind: "missing",
          firstSeq: seq,
          reason: `record ${seq}, anchored by checkpoint ${where} of ${checkpoint.at}, is missing (removed)`,
        };
      if (hash !== checkpoint.headHash)
        return {
          ok: false,
          kind: "differs",
          firstSeq: seq,
          reason: `record ${seq} has another hash than checkpoint ${where} of ${checkpoint.at} signed: the chain was rewritten after seq ${lastGood}`,
        };
      lastGood = seq;
    }
  }
  const newestSeq = seqs.at(-1) ?? 0;
  const [row] = await db.query<{ n: number | string }>("SELECT count(*) AS n FROM audit_log WHERE seq > $1", [
    newestSeq,
  ]);
  return { ok: true, checkpoints: stored.length, newestSeq, unanchored: Number(row?.n ?? 0) };
}

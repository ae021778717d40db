import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { err, ok, systemClock, type Clock, type Result } from "../shared/index.ts";
import type { Db, Queryable } from "../store/index.ts";
import { APPEND_SQL, appendParam, recordFromRow, type AuditRow } from "./audit-row.ts";
import { contentHashOf, linkHash, type AuditContent } from "./hash-chain.ts";
import { ldvFieldsOf, type UpstreamUrls } from "./ldv-span.ts";
import { pseudonymiseSubject, SUBJECT_TYPES, type SubjectType } from "./pseudonym.ts";
import type { AuditEntry, AuditError, AuditFilter, AuditRecord, ChainVerification } from "./types.ts";
import { verifyChain } from "./verify-chain.ts";

/** Transaction-level advisory lock that keeps the chain linear across connections and replicas. */
export const AUDIT_CHAIN_LOCK_KEY = 7_071_300_002;

export const DEFAULT_LIST_LIMIT = 1000;

/** Rows per INSERT statement (29 parameters each, well below PostgreSQL's 65535). */
const INSERT_CHUNK = 500;

/** Most records one group commit writes: one INSERT statement. A larger single append is still one transaction. */
const GROUP_MAX_RECORDS = INSERT_CHUNK;

export interface AuditLogOptions {
  readonly db: Db;
  /** Key of the subject pseudonyms. Changing it breaks "who looked up X" for older records. */
  readonly hmacKey: string | Uint8Array;
  readonly clock?: Clock | undefined;
  readonly newId?: (() => string) | undefined;
  /** Base URLs per source, to tell which upstream calls of a request a record's source made (LDV). */
  readonly upstreamUrls?: UpstreamUrls | undefined;
}

/** The processing log (design.md "Audit"): append-only, hash-chained, subjects pseudonymised. */
export interface AuditLog {
  /**
   * Writes `entries` in one transaction and returns them as stored. Never throws: any failure is
   * `audit_write_failed`, and ok is returned only for records that are committed, or, when `tx`
   * is given, written in `tx`. With `tx` the caller commits them together with its own change;
   * on failure `tx` is left aborted, so its commit rejects and the caller's change is rolled back
   * too (fail closed), even if the caller ignores the error value.
   */
  append(entries: readonly AuditEntry[], tx?: Queryable): Promise<Result<readonly AuditRecord[], AuditError>>;
  /** Records matching every given criterion, in seq order. `from` inclusive, `to` exclusive. */
  list(filter?: AuditFilter): Promise<readonly AuditRecord[]>;
  /** Walks the whole chain in seq order and reports the first broken record. */
  verify(): Promise<ChainVerification>;
  /** The pseudonym stored for a subject, e.g. to correlate with an export. */
  pseudonymise(subject: string, subjectType?: SubjectType): string;
}

/** An append waiting for the next group commit. */
interface Waiting {
  readonly contents: readonly AuditContent[];
  readonly settle: (result: Result<readonly AuditRecord[], AuditError>) => void;
}

/** Resolves after the promise jobs of the current tick, as DataLoader schedules its batches. */
const afterPromiseJobs = () =>
  new Promise<void>((resolve) => {
    void Promise.resolve().then(() => process.nextTick(resolve));
  });

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Fails the caller's transaction so that it cannot commit an unaudited change. */
async function abortTransaction(tx: Queryable): Promise<void> {
  await tx
    .query("DO $$ BEGIN RAISE EXCEPTION 'audit write failed: transaction must not commit'; END $$")
    .catch(() => undefined);
}

export function createAuditLog(options: AuditLogOptions): AuditLog {
  const { db, hmacKey } = options;
  const clock = options.clock ?? systemClock;
  const newId = options.newId ?? randomUUID;
  if (hmacKey.length === 0) throw new Error("The audit HMAC key must not be empty.");
  const pseudonymise = (subject: string, subjectType?: SubjectType) =>
    pseudonymiseSubject(hmacKey, subject, subjectType);

  /** Exactly the fields that are stored, so the hash covers what a reader gets back. */
  const contentOf = (entry: AuditEntry): AuditContent => {
    const optional = <K extends keyof AuditContent>(key: K, value: AuditContent[K] | undefined) =>
      value === undefined ? {} : { [key]: value };
    const ldv = ldvFieldsOf(entry, options.upstreamUrls);
    return {
      id: newId(),
      at: clock.now(),
      kind: entry.kind,
      actor: entry.actor,
      roles: [...entry.roles],
      ...optional("clientId", entry.clientId),
      ...optional("caseId", entry.caseId),
      ...optional("phase", entry.phase),
      processingActivity: entry.processingActivity,
      operation: entry.operation,
      ...optional("source", entry.source),
      ...optional(
        "subjectPseudonym",
        entry.subject === undefined ? undefined : pseudonymise(entry.subject, entry.subjectType),
      ),
      ...optional("subjectType", entry.subjectType),
      ...optional("probes", entry.probes && [...entry.probes]),
      ...optional("fields", entry.fields && [...entry.fields]),
      ...optional("mode", entry.mode),
      decision: entry.decision,
      reason: entry.reason,
      policyHash: entry.policyHash,
      traceId: entry.traceId,
      spanId: ldv.spanId,
      ...optional("parentSpanId", ldv.parentSpanId),
      ...optional("startedAt", entry.startedAt),
      status: ldv.status,
      ...optional("foreignOperations", ldv.foreignOperations),
      // As jsonb will return it: plain JSON values only.
      ...optional(
        "detail",
        entry.detail && (JSON.parse(JSON.stringify(entry.detail)) as Record<string, unknown>),
      ),
    } as AuditContent;
  };

  /**
   * Links and inserts `contents` in chain order: one `audit_append` statement per INSERT_CHUNK
   * records, which takes the chain lock, reads the head and links each record in the database
   * (migration 021). Outside a transaction that one statement is its own commit.
   */
  async function write(q: Queryable, contents: readonly AuditContent[]): Promise<AuditRecord[]> {
    const records: AuditRecord[] = [];
    for (let start = 0; start < contents.length; start += INSERT_CHUNK) {
      const chunk = contents.slice(start, start + INSERT_CHUNK).map((content) => ({
        ...content,
        contentHash: contentHashOf(content),
      }));
      const rows = await q.query<{
        record_id: string;
        record_seq: number | string;
        record_prev_hash: string;
        record_hash: string;
      }>(APPEND_SQL, [appendParam(chunk)]);
      if (rows.length !== chunk.length) throw new Error("audit_append did not write every record");
      chunk.forEach((record, i) => {
        const row = rows[i]!;
        const seq = Number(row.record_seq);
        const previous = records.at(-1);
        // The chain order is the seq order, and the database's link is the one verify recomputes:
        // refuse (and roll back) anything else.
        if (
          row.record_id !== record.id ||
          seq <= (previous?.seq ?? 0) ||
          (previous !== undefined && row.record_prev_hash !== previous.hash) ||
          row.record_hash !== linkHash(row.record_prev_hash, record.contentHash)
        )
          throw new Error("audit_log seq or link does not follow the chain order");
        records.push({
          ...record,
          seq,
          prevHash: row.record_prev_hash,
          hash: row.record_hash,
          tombstone: false,
        });
      });
    }
    return records;
  }

  /** One statement (its own commit) when it fits, else one transaction of several. */
  const writeOwn = (contents: readonly AuditContent[]) =>
    contents.length <= INSERT_CHUNK ? write(db, contents) : db.transaction((own) => write(own, contents));

  /**
   * Group commit (issue 15, P4). Appends without a caller's transaction queue here while a flush
   * is in flight; the next flush writes every waiting caller's records in one transaction (one
   * chain lock, one head read, one INSERT for up to GROUP_MAX_RECORDS records) and each caller
   * settles only after that COMMIT, with its own records. A caller's entries are never split
   * across transactions. When a flush of several callers fails, each of them is written again
   * alone, so one caller's bad record cannot fail the others; a caller gets ok only for records
   * that are committed (fail closed).
   */
  const waiting: Waiting[] = [];
  const inCreatorContext = AsyncLocalStorage.snapshot();
  let flushing = false;

  const failure = (error: unknown) =>
    err<AuditError>({ kind: "audit_write_failed", reason: messageOf(error) });

  async function writeGroup(group: readonly Waiting[]): Promise<void> {
    try {
      const records = await writeOwn(group.flatMap((w) => w.contents));
      let at = 0;
      for (const w of group) {
        w.settle(ok(records.slice(at, at + w.contents.length)));
        at += w.contents.length;
      }
    } catch (error) {
      if (group.length === 1) {
        group[0]?.settle(failure(error));
        return;
      }
      for (const w of group) await writeGroup([w]);
    }
  }

  function takeGroup(): Waiting[] {
    let records = 0;
    let taken = 0;
    while (taken < waiting.length) {
      const size = waiting[taken]?.contents.length ?? 0;
      if (taken > 0 && records + size > GROUP_MAX_RECORDS) break;
      records += size;
      taken += 1;
    }
    return waiting.splice(0, taken);
  }

  async function drain(): Promise<void> {
    flushing = true;
    try {
      // Waiting for the promise jobs of this tick lets every caller that resumes from the last
      // commit (and appends again at once) join this group instead of the one after.
      for (await afterPromiseJobs(); waiting.length > 0; await afterPromiseJobs())
        await writeGroup(takeGroup());
    } finally {
      flushing = false;
    }
  }

  const enqueue = (contents: readonly AuditContent[]) =>
    new Promise<Result<readonly AuditRecord[], AuditError>>((settle) => {
      waiting.push({ contents, settle });
      // writeGroup settles every waiter and never throws; the catch is for the impossible case.
      // The flush runs in the context the log was made in, not in the first caller's: it writes
      // for every waiting request, so no one request's trace or transaction scope applies to it.
      if (!flushing)
        inCreatorContext(() =>
          drain().catch((error: unknown) => {
            for (const w of waiting.splice(0)) w.settle(failure(error));
          }),
        );
    });

  return Object.freeze({
    async append(entries: readonly AuditEntry[], tx?: Queryable) {
      if (entries.length === 0) return ok([]);
      let contents: AuditContent[];
      try {
        contents = entries.map(contentOf);
      } catch (error) {
        if (tx) await abortTransaction(tx);
        return failure(error);
      }
      if (!tx) return enqueue(contents);
      try {
        return ok(await write(tx, contents));
      } catch (error) {
        await abortTransaction(tx);
        return failure(error);
      }
    },

    async list(filter: AuditFilter = {}) {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (clause: (placeholder: string) => string, value: unknown) => {
        params.push(value);
        where.push(clause(`$${params.length}`));
      };
      if (filter.caseId !== undefined) add((p) => `case_id = ${p}`, filter.caseId);
      if (filter.actor !== undefined) add((p) => `actor = ${p}`, filter.actor);
      if (filter.subject !== undefined) {
        const subject = filter.subject;
        const types = filter.subjectType ? [filter.subjectType] : [...SUBJECT_TYPES, undefined];
        add(
          (p) => `subject_pseudonym = ANY(${p}::text[])`,
          types.map((type) => pseudonymise(subject, type)),
        );
      }
      if (filter.kind !== undefined) add((p) => `kind = ${p}`, filter.kind);
      if (filter.decision !== undefined) add((p) => `decision = ${p}`, filter.decision);
      if (filter.source !== undefined) add((p) => `source = ${p}`, filter.source);
      if (filter.operation !== undefined) add((p) => `operation = ${p}`, filter.operation);
      if (filter.from !== undefined) add((p) => `at >= ${p}::timestamptz`, filter.from.toISOString());
      if (filter.to !== undefined) add((p) => `at < ${p}::timestamptz`, filter.to.toISOString());
      if (filter.afterSeq !== undefined) add((p) => `seq > ${p}`, filter.afterSeq);
      const limit = Math.max(0, Math.floor(filter.limit ?? DEFAULT_LIST_LIMIT));
      params.push(limit);
      const sql =
        `SELECT * FROM audit_log ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""} ` +
        `ORDER BY seq LIMIT $${params.length}`;
      return (await db.query<AuditRow>(sql, params)).map(recordFromRow);
    },

    verify: () => verifyChain(db),
    pseudonymise,
  });
}

import type { Clock } from "../shared/index.ts";
import { asDate, asJson, type Db, type Queryable } from "../store/index.ts";
import { recordFromRow, type AuditRow } from "./audit-row.ts";
import {
  detectPatterns,
  type OpenPattern,
  type PatternKind,
  type PatternRecord,
  type PatternSettings,
  type PatternWrite,
} from "./flag-patterns.ts";
import type { FlagReview } from "./flagged-records.ts";
import type { AuditRecord } from "./types.ts";

/** Transaction-level advisory lock of a scan: one at a time across connections and replicas. */
export const PATTERN_SCAN_LOCK_KEY = 7_071_300_019;

/** New audit records read per scan transaction. */
export const SCAN_BATCH = 5000;

/** Transactions one scan runs at most; what is left is the next scan's (a read never waits long). */
export const MAX_SCAN_BATCHES = 20;

/** Seqs kept per event (the count goes on: `recordsTotal`). */
export const MAX_LINKED_RECORDS = 1000;

/** A detected pattern as stored (019_flagged_patterns.sql), with its latest review. */
export interface PatternEventRow {
  readonly id: string;
  readonly pattern: PatternKind;
  readonly actor: string;
  readonly windowStart: Date;
  readonly windowEnd: Date;
  readonly firstAt: Date;
  readonly lastAt: Date;
  readonly measure: number;
  readonly threshold: number;
  readonly recordSeqs: readonly number[];
  readonly recordsTotal: number;
  readonly caseIds: readonly string[];
  readonly operations: readonly string[];
  /** verifyVariants: the subject's pseudonym, from the window's first record while it is not destroyed. */
  readonly subjectPseudonym: string | null;
  readonly subjectType: string | null;
  readonly review?: FlagReview | undefined;
}

export interface ScanReport {
  readonly scanned: number;
  readonly created: number;
  readonly updated: number;
}

const CANDIDATE = {
  denials: "decision = 'deny'",
  verifyVariants:
    "operation = 'brp.verify' AND subject_pseudonym IS NOT NULL AND detail ->> 'valueSet' IS NOT NULL",
  probeSpread: "probes IS NOT NULL AND operation LIKE '%.hits' AND subject_pseudonym IS NOT NULL",
  // Only new records: an off-hours day needs no window before it.
  offHours: "seq > $3 AND decision = 'allow' AND case_id IS NOT NULL AND kind IN ('disclosure', 'access')",
} as const satisfies Record<PatternKind, string>;

interface CandidateRow {
  seq: number | string;
  at: unknown;
  actor: string;
  case_id: string | null;
  operation: string | null;
  subject_pseudonym: string | null;
  value_set: string | null;
  c_denials: boolean;
  c_verify: boolean;
  c_probe: boolean;
  c_off: boolean;
}

async function candidates(
  tx: Queryable,
  from: Date,
  afterSeq: number,
  head: number,
): Promise<PatternRecord[]> {
  const rows = await tx.query<CandidateRow>(
    `SELECT seq, at, actor, case_id, operation, subject_pseudonym, detail ->> 'valueSet' AS value_set,
            (${CANDIDATE.denials}) AS c_denials, (${CANDIDATE.verifyVariants}) AS c_verify,
            (${CANDIDATE.probeSpread}) AS c_probe, (${CANDIDATE.offHours}) AS c_off
       FROM audit_log
      WHERE seq <= $2 AND at >= $1::timestamptz AND NOT tombstone AND actor IS NOT NULL
        AND ((${CANDIDATE.denials}) OR (${CANDIDATE.verifyVariants}) OR (${CANDIDATE.probeSpread})
             OR (${CANDIDATE.offHours}))
      ORDER BY seq`,
    [from.toISOString(), head, afterSeq],
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    at: asDate(r.at),
    actor: r.actor,
    caseId: r.case_id,
    operation: r.operation ?? "",
    subject: r.subject_pseudonym,
    valueSet: r.value_set,
    counts: [
      ...(r.c_denials ? (["denials"] as const) : []),
      ...(r.c_verify ? (["verifyVariants"] as const) : []),
      ...(r.c_probe ? (["probeSpread"] as const) : []),
      ...(r.c_off ? (["offHours"] as const) : []),
    ],
  }));
}

/** The anchor record of a verifyVariants event (its `scope` is that record's seq). */
const ANCHOR_JOIN = `LEFT JOIN audit_log s ON p.pattern = 'verifyVariants'
      AND s.seq = CAST(NULLIF(p.scope, '') AS bigint) AND NOT s.tombstone`;

interface StoredRow {
  id: string;
  pattern: PatternKind;
  actor: string;
  scope: string;
  window_start: unknown;
  window_end: unknown;
  first_at: unknown;
  last_at: unknown;
  measure: number;
  threshold: number;
  record_seqs: unknown;
  records_total: number;
  case_ids: unknown;
  operations: unknown;
  subject_pseudonym: string | null;
  subject_type: string | null;
}

async function openEvents(tx: Queryable, from: Date): Promise<OpenPattern[]> {
  const rows = await tx.query<StoredRow>(
    `SELECT p.*, s.subject_pseudonym, s.subject_type FROM flagged_patterns p ${ANCHOR_JOIN}
      WHERE p.window_end > $1::timestamptz`,
    [from.toISOString()],
  );
  return rows.map((r) => ({
    id: r.id,
    pattern: r.pattern,
    actor: r.actor,
    scope: r.scope,
    subject: r.subject_pseudonym,
    windowStart: asDate(r.window_start),
    windowEnd: asDate(r.window_end),
    seqs: asJson<unknown[]>(r.record_seqs).map(Number),
    recordsTotal: Number(r.records_total),
    measure: Number(r.measure),
  }));
}

const distinct = (values: readonly (string | null)[]) =>
  [...new Set(values.filter((v): v is string => v !== null && v !== ""))].sort();

async function upsert(tx: Queryable, w: PatternWrite, id: string, now: Date): Promise<void> {
  const at = w.records.map((r) => r.at.getTime());
  // Two jsonb arrays of text as one, without duplicates, sorted.
  const merged = (col: string) =>
    `(SELECT coalesce(jsonb_agg(DISTINCT x.v ORDER BY x.v), '[]'::jsonb)
        FROM jsonb_array_elements_text(flagged_patterns.${col} || EXCLUDED.${col}) AS x(v))`;
  await tx.query(
    `INSERT INTO flagged_patterns (id, pattern, actor, scope, window_start, window_end, first_at, last_at,
       measure, threshold, record_seqs, records_total, case_ids, operations, detected_at, updated_at)
     VALUES ($1, $2, $3, $4, $5::timestamptz, $6::timestamptz, $7::timestamptz, $8::timestamptz, $9, $10,
       $11::jsonb, $12, $13::jsonb, $14::jsonb, $15::timestamptz, $15::timestamptz)
     ON CONFLICT (pattern, actor, window_start, scope) DO UPDATE SET
       first_at = LEAST(flagged_patterns.first_at, EXCLUDED.first_at),
       last_at = GREATEST(flagged_patterns.last_at, EXCLUDED.last_at),
       measure = GREATEST(flagged_patterns.measure, EXCLUDED.measure),
       threshold = EXCLUDED.threshold,
       record_seqs = EXCLUDED.record_seqs,
       records_total = GREATEST(flagged_patterns.records_total, EXCLUDED.records_total),
       case_ids = ${merged("case_ids")},
       operations = ${merged("operations")},
       updated_at = EXCLUDED.updated_at`,
    [
      id,
      w.pattern,
      w.actor,
      w.scope,
      w.windowStart.toISOString(),
      w.windowEnd.toISOString(),
      new Date(Math.min(...at)).toISOString(),
      new Date(Math.max(...at)).toISOString(),
      w.measure,
      w.threshold,
      JSON.stringify(w.seqs.slice(0, MAX_LINKED_RECORDS)),
      w.recordsTotal,
      JSON.stringify(distinct(w.records.map((r) => r.caseId))),
      JSON.stringify(distinct(w.records.map((r) => r.operation))),
      now.toISOString(),
    ],
  );
}

/** One scan transaction: at most SCAN_BATCH new records; `more` when the log has further ones. */
async function scanBatch(
  db: Db,
  settings: PatternSettings,
  clock: Clock,
  newId: () => string,
): Promise<ScanReport & { more: boolean }> {
  return db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${PATTERN_SCAN_LOCK_KEY})`);
    const cursor = Number(
      (
        await tx.query<{ last_seq: number | string }>(
          "SELECT last_seq FROM flagged_pattern_scan WHERE id = 1",
        )
      )[0]?.last_seq ?? 0,
    );
    const next = await tx.query<{ head: number | string | null; first_at: unknown; n: number | string }>(
      `SELECT max(seq) AS head, min(at) AS first_at, count(*) AS n FROM (
         SELECT seq, at FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT ${SCAN_BATCH}) x`,
      [cursor],
    );
    const row = next[0];
    if (!row || row.head === null) return { scanned: 0, created: 0, updated: 0, more: false };
    const head = Number(row.head);
    const from = new Date(asDate(row.first_at).getTime() - settings.windowMs);
    const records = await candidates(tx, from, cursor, head);
    const writes = detectPatterns(records, await openEvents(tx, from), settings, cursor);
    const now = clock.now();
    for (const w of writes) await upsert(tx, w, w.id ?? newId(), now);
    await tx.query("UPDATE flagged_pattern_scan SET last_seq = $1 WHERE id = 1", [head]);
    const created = writes.filter((w) => w.id === undefined).length;
    return {
      scanned: Number(row.n),
      created,
      updated: writes.length - created,
      more: Number(row.n) >= SCAN_BATCH,
    };
  });
}

/**
 * Reads the audit log from where the last scan stopped and writes the patterns it shows
 * (src/audit/flag-patterns.ts). Incremental: only records new since the last scan, plus the window
 * before them, at most MAX_SCAN_BATCHES × SCAN_BATCH of them; serialised by an advisory lock, so two replicas never write the same event twice.
 * Throws when the database fails (the caller logs it; nothing of a request depends on it).
 */
export async function scanPatterns(
  db: Db,
  settings: PatternSettings,
  clock: Clock,
  newId: () => string,
): Promise<ScanReport> {
  let total = { scanned: 0, created: 0, updated: 0 };
  for (let i = 0; i < MAX_SCAN_BATCHES; i++) {
    const { more, ...batch } = await scanBatch(db, settings, clock, newId);
    total = {
      scanned: total.scanned + batch.scanned,
      created: total.created + batch.created,
      updated: total.updated + batch.updated,
    };
    if (!more) break;
  }
  return total;
}

export interface PatternFilter {
  readonly pattern?: PatternKind | undefined;
  readonly caseId?: string | undefined;
  /** Events whose last record is at or after this moment. */
  readonly since?: Date | undefined;
  readonly includeReviewed?: boolean | undefined;
  readonly limit: number;
}

type ListedRow = StoredRow & {
  review_id: string | null;
  review_actor: string | null;
  review_at: unknown;
  review_note: string | null;
};

const REVIEW_JOIN = `LEFT JOIN LATERAL (
    SELECT r.id, r.actor, r.at, r.detail ->> 'note' AS note FROM audit_log r
     WHERE r.kind = 'review' AND r.decision = 'allow' AND r.detail ->> 'reviews' = p.id AND NOT r.tombstone
     ORDER BY r.seq DESC LIMIT 1) rv ON true`;

const SELECT_LISTED = `SELECT p.*, s.subject_pseudonym, s.subject_type, rv.id AS review_id,
       rv.actor AS review_actor, rv.at AS review_at, rv.note AS review_note
  FROM flagged_patterns p ${ANCHOR_JOIN} ${REVIEW_JOIN}`;

const eventFromRow = (r: ListedRow): PatternEventRow => ({
  id: r.id,
  pattern: r.pattern,
  actor: r.actor,
  windowStart: asDate(r.window_start),
  windowEnd: asDate(r.window_end),
  firstAt: asDate(r.first_at),
  lastAt: asDate(r.last_at),
  measure: Number(r.measure),
  threshold: Number(r.threshold),
  recordSeqs: asJson<unknown[]>(r.record_seqs).map(Number),
  recordsTotal: Number(r.records_total),
  caseIds: asJson<unknown[]>(r.case_ids).map(String),
  operations: asJson<unknown[]>(r.operations).map(String),
  subjectPseudonym: r.subject_pseudonym,
  subjectType: r.subject_type,
  ...(r.review_id === null
    ? {}
    : {
        review: {
          id: r.review_id,
          actor: r.review_actor ?? "",
          at: asDate(r.review_at),
          note: r.review_note ?? "",
        },
      }),
});

/** The detected patterns, newest first, at most `limit`; by default only those not yet reviewed. */
export async function listPatterns(db: Queryable, filter: PatternFilter): Promise<PatternEventRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: (p: string) => string, value: unknown) => {
    params.push(value);
    where.push(clause(`$${params.length}`));
  };
  if (filter.pattern !== undefined) add((p) => `p.pattern = ${p}`, filter.pattern);
  if (filter.caseId !== undefined) add((p) => `p.case_ids @> jsonb_build_array(${p}::text)`, filter.caseId);
  if (filter.since !== undefined) add((p) => `p.last_at >= ${p}::timestamptz`, filter.since.toISOString());
  if (!filter.includeReviewed) where.push("rv.id IS NULL");
  params.push(Math.max(0, Math.floor(filter.limit)));
  const sql = `${SELECT_LISTED} ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
     ORDER BY p.first_at DESC, p.id LIMIT $${params.length}`;
  return (await db.query<ListedRow>(sql, params)).map(eventFromRow);
}

/** One detected pattern by its id; undefined if there is none. */
export async function patternEventOf(db: Queryable, id: string): Promise<PatternEventRow | undefined> {
  const rows = await db.query<ListedRow>(`${SELECT_LISTED} WHERE p.id = $1`, [id]);
  return rows[0] && eventFromRow(rows[0]);
}

/** The audit records an event links to, in seq order; destroyed ones (tombstones) are left out. */
export async function patternAuditRecords(db: Queryable, seqs: readonly number[]): Promise<AuditRecord[]> {
  if (seqs.length === 0) return [];
  const rows = await db.query<AuditRow>(
    "SELECT * FROM audit_log WHERE seq = ANY($1::bigint[]) AND NOT tombstone ORDER BY seq",
    [[...seqs]],
  );
  return rows.map(recordFromRow);
}

/**
 * Retention (Delft art. 7d; Maastricht art. 10): a destroyed case takes its audit records with it,
 * and so the patterns' links to them. Inside the purge's transaction for `caseId` (a case data
 * destroyer, src/retention/case-destroyers.ts): the case's records leave every event's
 * `record_seqs` and the case its `case_ids`; an event with no live record left goes entirely,
 * actor and all (also one whose records were all destroyed by age before). Its order among the
 * destroyers does not matter: the case's records count as destroyed whether or not they are
 * tombstones yet. Idempotent.
 */
export async function destroyFlaggedPatterns(tx: Queryable, caseId: string): Promise<Record<string, number>> {
  const live = `SELECT 1 FROM audit_log a WHERE a.seq = (x.s #>> '{}')::bigint
      AND NOT a.tombstone AND a.case_id IS DISTINCT FROM $1`;
  const updated = await tx.query<{ id: string }>(
    `UPDATE flagged_patterns p SET
        record_seqs = (SELECT coalesce(jsonb_agg(x.s ORDER BY (x.s #>> '{}')::bigint), '[]'::jsonb)
                         FROM jsonb_array_elements(p.record_seqs) AS x(s) WHERE EXISTS (${live})),
        case_ids = p.case_ids - $1::text
      WHERE p.case_ids @> jsonb_build_array($1::text) RETURNING id`,
    [caseId],
  );
  const deleted = await tx.query<{ id: string }>(
    `DELETE FROM flagged_patterns p WHERE NOT EXISTS (
        SELECT 1 FROM jsonb_array_elements(p.record_seqs) AS x(s) WHERE EXISTS (${live})) RETURNING id`,
    [caseId],
  );
  return { flagged_patterns: new Set([...updated, ...deleted].map((r) => r.id)).size };
}

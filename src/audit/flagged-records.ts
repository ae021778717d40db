import { asDate, type Queryable } from "../store/index.ts";
import { recordFromRow, type AuditRow } from "./audit-row.ts";
import type { AuditRecord } from "./types.ts";

/** Operation of the audit record that marks a flagged refusal as reviewed (kind `review`). */
export const FLAG_REVIEW_OPERATION = "flagged.review";

/**
 * One flagged event: the refusals by one enumeration rule (`detail.flag`) in one operation (trace),
 * by one actor, in one case, about one subject, from one source: a verify call with 40 dates is one
 * event of 38 attempts, not 38 events. `record` is the group's first refusal; its id is the event's.
 */
export interface FlaggedGroup {
  readonly record: AuditRecord;
  readonly attempts: number;
  readonly lastAt: Date;
  /** The latest review of the event (an audit record of kind `review`), if any. */
  readonly review?: FlagReview | undefined;
}

export interface FlagReview {
  readonly id: string;
  readonly actor: string;
  readonly at: Date;
  readonly note: string;
}

export interface FlaggedFilter {
  readonly flag?: string | undefined;
  readonly caseId?: string | undefined;
  /** Refusals at or after this moment. */
  readonly since?: Date | undefined;
  /** With false (default) only events without a review: the queue empties as it is worked. */
  readonly includeReviewed?: boolean | undefined;
  readonly limit: number;
}

/** What makes refusals one event (see {@link FlaggedGroup}); NULLs group together. */
const GROUP_KEY = "trace_id, case_id, actor, detail ->> 'flag', subject_pseudonym, source, operation";

/** The latest review of each record `a`; uses audit_log_review_idx (016_flagged_events.sql). */
const REVIEW_JOIN = `LEFT JOIN LATERAL (
    SELECT r.id, r.actor, r.at, r.detail ->> 'note' AS note FROM audit_log r
     WHERE r.kind = 'review' AND r.decision = 'allow' AND r.detail ->> 'reviews' = a.id
       AND NOT r.tombstone
     ORDER BY r.seq DESC LIMIT 1) rv ON true`;

type GroupRow = AuditRow & {
  attempts: number;
  last_at: unknown;
  review_id: string | null;
  review_actor: string | null;
  review_at: unknown;
  review_note: string | null;
};

const groupFromRow = (row: GroupRow): FlaggedGroup => ({
  record: recordFromRow(row),
  attempts: Number(row.attempts),
  lastAt: asDate(row.last_at),
  ...(row.review_id === null
    ? {}
    : {
        review: {
          id: row.review_id,
          actor: row.review_actor ?? "",
          at: asDate(row.review_at),
          note: row.review_note ?? "",
        },
      }),
});

const SELECT_GROUP = `SELECT a.*, g.attempts, g.last_at,
       rv.id AS review_id, rv.actor AS review_actor, rv.at AS review_at, rv.note AS review_note`;

/**
 * The flagged events, newest first, at most `limit`, in one statement: the flagged denials (a short
 * scan of audit_log_flagged_idx) grouped into events, each with its first record and latest review.
 * Tombstones are left out: retention destroyed what they were about.
 */
export async function listFlagged(db: Queryable, filter: FlaggedFilter): Promise<FlaggedGroup[]> {
  const where = ["detail ->> 'flag' IS NOT NULL", "kind = 'denial'", "NOT tombstone"];
  const params: unknown[] = [];
  const add = (clause: (p: string) => string, value: unknown) => {
    params.push(value);
    where.push(clause(`$${params.length}`));
  };
  if (filter.flag !== undefined) add((p) => `detail ->> 'flag' = ${p}`, filter.flag);
  if (filter.caseId !== undefined) add((p) => `case_id = ${p}`, filter.caseId);
  if (filter.since !== undefined) add((p) => `at >= ${p}::timestamptz`, filter.since.toISOString());
  params.push(Math.max(0, Math.floor(filter.limit)));
  const sql = `WITH g AS (
      SELECT min(seq) AS seq, count(*)::int AS attempts, max(at) AS last_at FROM audit_log
       WHERE ${where.join(" AND ")} GROUP BY ${GROUP_KEY})
    ${SELECT_GROUP}
      FROM g JOIN audit_log a ON a.seq = g.seq ${REVIEW_JOIN}
     ${filter.includeReviewed ? "" : "WHERE rv.id IS NULL"}
     ORDER BY a.seq DESC LIMIT $${params.length}`;
  return (await db.query<GroupRow>(sql, params)).map(groupFromRow);
}

/**
 * The flagged event a record belongs to, found by the id of any of its refusals (the event's id is
 * its first one's); undefined if the id is no flagged refusal, or retention destroyed it.
 */
export async function flaggedEventOf(db: Queryable, id: string): Promise<FlaggedGroup | undefined> {
  const flagged = "detail ->> 'flag' IS NOT NULL AND kind = 'denial' AND NOT tombstone";
  const same = ["trace_id", "case_id", "actor", "subject_pseudonym", "source", "operation"]
    .map((c) => `x.${c} IS NOT DISTINCT FROM o.${c}`)
    .join(" AND ");
  const sql = `WITH o AS (SELECT * FROM audit_log WHERE id = $1 AND ${flagged}),
    g AS (
      SELECT min(x.seq) AS seq, count(*)::int AS attempts, max(x.at) AS last_at
        FROM audit_log x JOIN o ON ${same} AND x.detail ->> 'flag' = o.detail ->> 'flag'
       WHERE x.detail ->> 'flag' IS NOT NULL AND x.kind = 'denial' AND NOT x.tombstone)
    ${SELECT_GROUP}
      FROM g JOIN audit_log a ON a.seq = g.seq ${REVIEW_JOIN}`;
  const rows = await db.query<GroupRow>(sql, [id]);
  return rows[0] && groupFromRow(rows[0]);
}

import type { Queryable } from "../store/index.ts";

/**
 * What retention destroys in an audit record (design.md "Audit": a tombstone keeps the chain
 * verifiable). Nulled: who acted (actor, roles, client), who it was about (the subject's
 * pseudonym), what was released about them (probes, fields), the free-text reason and detail
 * (which may name a case reference, a probe result or a message), and the trace and span ids
 * (which could link the record to request logs upstream that hold the subject), and for the same
 * reason the parent span and the registry calls (`foreign_operations`, issue 13). Kept, because
 * they identify nobody and the FG's statistics need them: seq, id, time, kind, case id, phase,
 * processing activity, operation, source, subject type, mode, decision, policy hash and the three
 * hashes. The audit log's trigger (001_audit.sql) allows exactly this kind of update, once.
 */
export const TOMBSTONE_ASSIGNMENTS =
  "tombstone = true, actor = NULL, roles = NULL, client_id = NULL, subject_pseudonym = NULL, " +
  "probes = NULL, fields = NULL, reason = NULL, trace_id = NULL, span_id = NULL, parent_span_id = NULL, " +
  "foreign_operations = NULL, detail = NULL";

/** Turns every record of a case into a tombstone (Delft art. 7d: never longer than the case). */
export async function tombstoneCaseRecords(tx: Queryable, caseId: string): Promise<number> {
  const rows = await tx.query<{ seq: number }>(
    `UPDATE audit_log SET ${TOMBSTONE_ASSIGNMENTS} WHERE case_id = $1 AND NOT tombstone RETURNING seq`,
    [caseId],
  );
  return rows.length;
}

/** Turns every record written before `cutoff` into a tombstone (Delft art. 7d: at most 5 years). */
export async function tombstoneRecordsBefore(tx: Queryable, cutoff: Date): Promise<number> {
  const rows = await tx.query<{ seq: number }>(
    `UPDATE audit_log SET ${TOMBSTONE_ASSIGNMENTS} WHERE at < $1::timestamptz AND NOT tombstone RETURNING seq`,
    [cutoff.toISOString()],
  );
  return rows.length;
}

/** How many records {@link tombstoneRecordsBefore} would turn into tombstones now. */
export async function countRecordsBefore(db: Queryable, cutoff: Date): Promise<number> {
  const rows = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM audit_log WHERE at < $1::timestamptz AND NOT tombstone",
    [cutoff.toISOString()],
  );
  return rows[0]?.n ?? 0;
}

import type { Queryable } from "../store/index.ts";

/** Per table: the columns destruction blanks (subject keys and free text), as 008_subject_rights.sql allows. */
const BLANKED = {
  subject_informing: ["subject_key", "note"],
  subject_informing_deferrals: ["subject_key", "motivation", "advice"],
  subject_requests: ["subject_key", "motivation", "decision_motivation", "lift_motivation"],
  subject_access_withholdings: ["subject_key"],
} as const;

/**
 * The rights part of destroying a case (Maastricht art. 10.2-10.3; Delft art. 7), for the retention
 * purge's list of destroyers: in `tx`, every rights row of the case loses its subject key and its
 * free text and is marked destroyed; what stays (kinds, dates, grounds, decisions, who recorded)
 * identifies nobody (Maastricht art. 10.4). Idempotent: rows already destroyed are not counted
 * again. Must run inside the purge's transaction (`poortwachter.retention_run` set); the tables'
 * triggers refuse it anywhere else. Returns the rows destroyed per table.
 */
export async function destroySubjectRights(tx: Queryable, caseId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [table, columns] of Object.entries(BLANKED)) {
    const rows = await tx.query(
      `UPDATE ${table} SET destroyed = true, ${columns.map((c) => `${c} = NULL`).join(", ")}
        WHERE case_id = $1 AND NOT destroyed RETURNING case_id`,
      [caseId],
    );
    counts[table] = rows.length;
  }
  return counts;
}

import { tombstoneCaseRecords } from "../audit/index.ts";
import type { Queryable } from "../store/index.ts";

/**
 * Destroys one module's personal data of one case, inside the purge's transaction for that case,
 * and returns the rows it touched per table (`{ "case_events": 3 }`). It must be idempotent (a
 * second call touches nothing, or rewrites the same blanks) and must not commit or swallow errors:
 * throwing rolls the whole case back, so a case is destroyed entirely or not at all. Modules with
 * their own case tables add one to the list the app passes to `purge`.
 */
export type CaseDataDestroyer = (tx: Queryable, caseId: string) => Promise<Record<string, number>>;

/** What a destroyed text or staff id reads afterwards; the history triggers accept only this. */
export const DESTROYED = "[destroyed]";

/** The reference a destroyed case keeps: unique (the column is) and naming only the case id. */
export const destroyedReference = (caseId: string): string => `destroyed:${caseId}`;

const count = async (tx: Queryable, sql: string, params: readonly unknown[]) =>
  (await tx.query(sql, params)).length;

/**
 * The case and its history keep their skeleton: id, theme, protocol, phase, status, outcome,
 * opened and closed dates, and every event's kind, phases, outcome and time (Maastricht art.
 * 10.4, 21.3). Destroyed: the reference (free text chosen by the analyst, which may name a person
 * or link to the signal in another system), the owner and substitute, and every event's
 * motivation (the first is the signal text), actor and, for a reassignment, the staff before and
 * after (011_case_assignment.sql).
 */
export const destroyCaseData: CaseDataDestroyer = async (tx, caseId) => ({
  cases: await count(
    tx,
    `UPDATE cases SET reference = $2, owner = $3, substitute = NULL, version = version + 1
      WHERE id = $1 RETURNING id`,
    [caseId, destroyedReference(caseId), DESTROYED],
  ),
  case_events: await count(
    tx,
    `UPDATE case_events SET motivation = $2, actor = $2,
        from_owner = CASE WHEN from_owner IS NULL THEN NULL ELSE $2 END,
        to_owner = CASE WHEN to_owner IS NULL THEN NULL ELSE $2 END,
        from_substitute = CASE WHEN from_substitute IS NULL THEN NULL ELSE $2 END,
        to_substitute = CASE WHEN to_substitute IS NULL THEN NULL ELSE $2 END
      WHERE case_id = $1 AND (motivation <> $2 OR actor <> $2
        OR from_owner <> $2 OR to_owner <> $2 OR from_substitute <> $2 OR to_substitute <> $2)
      RETURNING seq`,
    [caseId, DESTROYED],
  ),
});

/**
 * Privacy checks keep what the FG's statistics count: kind, source, status, requested and
 * approved fields and probes (names from the policy and catalogue, not registry values),
 * recipients (departments), theme dataset, dates, and every step's kind, advice and deviation.
 * Destroyed: the subjects (`persoon:<bsn>`, …), the motivations and the staff ids.
 */
export const destroyCheckData: CaseDataDestroyer = async (tx, caseId) => ({
  privacy_checks: await count(
    tx,
    `UPDATE privacy_checks SET subjects = '[]', motivation = $2, requested_by = $2, version = version + 1
      WHERE case_id = $1 RETURNING id`,
    [caseId, DESTROYED],
  ),
  privacy_check_steps: await count(
    tx,
    `UPDATE privacy_check_steps SET motivation = $2, actor = $2
      WHERE check_id IN (SELECT id FROM privacy_checks WHERE case_id = $1)
        AND (motivation <> $2 OR actor <> $2) RETURNING seq`,
    [caseId, DESTROYED],
  ),
});

/** Delft art. 7d: the case's audit records are kept no longer than the case; they become tombstones. */
export const destroyAuditData: CaseDataDestroyer = async (tx, caseId) => ({
  audit_log: await tombstoneCaseRecords(tx, caseId),
});

/**
 * The values the case verified against the BRP (keyed hashes with the subject's pseudonym,
 * 010_verify_values.sql) serve only to refuse a search by verification while the case lives:
 * they go entirely. The table's trigger allows DELETE only inside a purge transaction.
 */
export const destroyVerifyValues: CaseDataDestroyer = async (tx, caseId) => ({
  verify_values: await count(tx, "DELETE FROM verify_values WHERE case_id = $1 RETURNING element", [caseId]),
});

/**
 * Where the case's signal went when it closed (012_case_exits.sql): the kind of receiver stays
 * for the FG's statistics; the receiver and what was handed over (free text) go.
 */
export const destroyExitData: CaseDataDestroyer = async (tx, caseId) => ({
  case_exits: await count(
    tx,
    `UPDATE case_exits SET receiver = $2, handed_over = '{}'
      WHERE case_id = $1 AND (receiver <> $2 OR cardinality(handed_over) > 0) RETURNING case_id`,
    [caseId, DESTROYED],
  ),
});

/** The reporter's name and contact (013_signal_reporters.sql), if receipt was not acknowledged before. */
export const destroyReporterData: CaseDataDestroyer = async (tx, caseId) => ({
  signal_reporters: await count(
    tx,
    `UPDATE signal_reporters SET name = NULL, contact = NULL, destroyed_at = now(), destroyed_reason = 'retention'
      WHERE case_id = $1 AND destroyed_at IS NULL RETURNING case_id`,
    [caseId],
  ),
});

/**
 * The answers of the weighing checklist (015_weighing_answers.sql): which step got which answer,
 * and when, stays for the statistics (Maastricht art. 10.4); the notes (free text) and who
 * answered go.
 */
export const destroyWeighingData: CaseDataDestroyer = async (tx, caseId) => ({
  weighing_answers: await count(
    tx,
    `UPDATE weighing_answers SET note = NULL, actor = $2
      WHERE case_id = $1 AND (note IS NOT NULL OR actor <> $2) RETURNING seq`,
    [caseId, DESTROYED],
  ),
});

/**
 * Whom the case was about (014_case_subjects.sql): subject keys, motivations and staff ids, all
 * personal data of the case, go entirely; the signal's date and channel stay for the statistics.
 * The table's trigger allows DELETE only inside a purge transaction.
 */
export const destroyCaseSubjects: CaseDataDestroyer = async (tx, caseId) => ({
  case_subjects: await count(tx, "DELETE FROM case_subjects WHERE case_id = $1 RETURNING subject_key", [
    caseId,
  ]),
});

/** The destroyers of this gateway's own tables. */
export const DEFAULT_CASE_DESTROYERS: readonly CaseDataDestroyer[] = Object.freeze([
  destroyCaseData,
  destroyCheckData,
  destroyVerifyValues,
  destroyCaseSubjects,
  destroyExitData,
  destroyReporterData,
  destroyWeighingData,
  destroyAuditData,
]);

/** What the rows of each table held, for the destruction record's `categories`. */
const CATEGORY_OF: Readonly<Record<string, string>> = {
  cases: "case reference and assigned staff",
  case_events: "signal text and case motivations",
  privacy_checks: "check subjects and motivations",
  privacy_check_steps: "check step motivations",
  verify_values: "verified signal values (keyed hashes)",
  case_exits: "receiver of a handed-over signal and what was handed over",
  signal_reporters: "the reporter's name and contact",
  weighing_answers: "weighing checklist notes and who answered",
  case_subjects: "the case's subjects (BSNs, KvK numbers, addresses) and why they were added",
  audit_log: "audit subject references, staff ids and details",
};

/** The categories destroyed, from the counts: every table with a row touched (unknown tables by name). */
export const categoriesOf = (counts: Readonly<Record<string, number>>): string[] => [
  ...new Set(
    Object.entries(counts)
      .filter(([, n]) => n > 0)
      .map(([table]) => CATEGORY_OF[table] ?? table),
  ),
];

/** How (Maastricht art. 10.3), as the destruction record states it. */
export const DESTRUCTION_METHOD =
  "overwritten in place in one transaction: texts and staff ids set to '[destroyed]', subject lists " +
  "emptied, the case reference replaced by its id, verified signal values deleted, audit records " +
  "turned into tombstones that keep their hashes";

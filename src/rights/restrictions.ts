import type { Queryable } from "../store/index.ts";

/**
 * A restriction of processing in force for one subject of one case (GDPR art. 18): recorded, not
 * refused, not lifted, not destroyed. Kept free of the cases module, because the case access
 * (src/cases/case-access.ts) reads it to build every subject's ability.
 */
export interface RestrictionInForce {
  readonly requestId: string;
  readonly subjectKey: string;
  readonly receivedAt: Date;
}

/** SQL condition of a restriction in force, on `subject_requests`; the same as `restrictionInForce`. */
export const RESTRICTION_IN_FORCE_SQL =
  "kind = 'restriction' AND NOT destroyed AND lifted_at IS NULL AND (decision IS NULL OR decision <> 'refused')";

/** The restrictions in force in a case, by subject key (the oldest request per subject). */
export async function restrictionsInForce(
  db: Queryable,
  caseId: string,
): Promise<ReadonlyMap<string, RestrictionInForce>> {
  const rows = await db.query<RestrictionRow>(
    `SELECT id, subject_key, received_at FROM subject_requests
      WHERE case_id = $1 AND ${RESTRICTION_IN_FORCE_SQL} ORDER BY received_at, id`,
    [caseId],
  );
  return restrictionsOf(rows);
}

/** A row of `subject_requests` as the restrictions are read: `received_at` a Date, or its text in JSON. */
export interface RestrictionRow {
  readonly id: string;
  readonly subject_key: string;
  readonly received_at: unknown;
}

/**
 * The restrictions by subject key, from rows in (received_at, id) order: the oldest request per
 * subject. Shared by {@link restrictionsInForce} and the one-statement case view
 * (src/cases/case-repository.ts `view`), so both give the same map.
 */
export function restrictionsOf(rows: readonly RestrictionRow[]): ReadonlyMap<string, RestrictionInForce> {
  const out = new Map<string, RestrictionInForce>();
  for (const r of rows) {
    if (out.has(r.subject_key)) continue;
    const receivedAt = r.received_at instanceof Date ? r.received_at : new Date(String(r.received_at));
    out.set(r.subject_key, { requestId: r.id, subjectKey: r.subject_key, receivedAt });
  }
  return out;
}

/** The reason every refused disclosure about a restricted subject is audited with. */
export const restrictionReason = (r: RestrictionInForce): string =>
  `processing of this subject is restricted (GDPR art. 18) by request ${r.requestId} received ${r.receivedAt
    .toISOString()
    .slice(0, 10)}; nothing about the subject may be processed in this case until the restriction is lifted`;

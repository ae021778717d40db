// Directly, not through src/rights/index.ts: that module builds on this one (a leaf, no cycle).
import {
  RESTRICTION_IN_FORCE_SQL,
  restrictionsOf,
  type RestrictionInForce,
  type RestrictionRow,
} from "../rights/restrictions.ts";
import {
  asDate,
  asDateOrNull,
  asJson,
  asStrings,
  asStrOrNull,
  type Queryable,
  type Row,
} from "../store/index.ts";
import type {
  CaseEvent,
  CaseRecord,
  CheckKind,
  CheckStatus,
  PrivacyCheckRecord,
  PrivacyCheckStep,
  Advice,
} from "./case-record.ts";

const str = (v: unknown): string => String(v);

function toCase(r: Row): CaseRecord {
  return {
    id: str(r.id),
    reference: str(r.reference),
    theme: asStrOrNull(r.theme),
    protocolId: str(r.protocol_id),
    phase: str(r.phase),
    status: r.status === "closed" ? "closed" : "open",
    outcome: asStrOrNull(r.outcome),
    owner: str(r.owner),
    substitute: asStrOrNull(r.substitute),
    openedAt: asDate(r.opened_at),
    closedAt: asDateOrNull(r.closed_at),
    version: Number(r.version),
  };
}

function toEvent(r: Row): CaseEvent {
  return {
    seq: Number(r.seq),
    caseId: str(r.case_id),
    kind: str(r.kind) as CaseEvent["kind"],
    fromPhase: asStrOrNull(r.from_phase),
    toPhase: asStrOrNull(r.to_phase),
    outcome: asStrOrNull(r.outcome),
    actor: str(r.actor),
    at: asDate(r.at),
    motivation: str(r.motivation),
    staff:
      r.kind === "assigned"
        ? {
            fromOwner: str(r.from_owner),
            toOwner: str(r.to_owner),
            fromSubstitute: asStrOrNull(r.from_substitute),
            toSubstitute: asStrOrNull(r.to_substitute),
          }
        : undefined,
  };
}

function toCheck(r: Row): PrivacyCheckRecord {
  return {
    id: str(r.id),
    caseId: str(r.case_id),
    kind: str(r.kind) as CheckKind,
    source: str(r.source),
    requestedFields: asStrings(r.requested_fields),
    requestedProbes: asStrings(r.requested_probes),
    motivation: str(r.motivation),
    requestedBy: str(r.requested_by),
    requestedAt: asDate(r.requested_at),
    status: str(r.status) as CheckStatus,
    approvedFields: asStrings(r.approved_fields),
    approvedProbes: asStrings(r.approved_probes),
    subjects: asStrings(r.subjects),
    recipients: asStrings(r.recipients),
    themeDataset: asStrOrNull(r.theme_dataset),
    version: Number(r.version),
  };
}

function toStep(r: Row): PrivacyCheckStep {
  return {
    seq: Number(r.seq),
    checkId: str(r.check_id),
    kind: str(r.kind) as PrivacyCheckStep["kind"],
    actor: str(r.actor),
    at: asDate(r.at),
    advice: asStrOrNull(r.advice) as Advice | null,
    fields: asStrings(r.fields),
    probes: asStrings(r.probes),
    motivation: str(r.motivation),
    deviation: r.deviation === true,
  };
}

/**
 * A case with everything its abilities are built from (src/cases/case-access.ts `abilityFor`),
 * read in one statement by {@link caseRepository.view} (issue 15: one round trip for the case view).
 */
export interface CaseView {
  /** Undefined when there is no such case; then the rest is empty. */
  readonly record: CaseRecord | undefined;
  /** Its privacy checks in (requested_at, id) order, as `checksForCase` gives them. */
  readonly checks: readonly PrivacyCheckRecord[];
  /** The restrictions of processing in force (GDPR art. 18), as `restrictionsInForce` gives them. */
  readonly restrictions: ReadonlyMap<string, RestrictionInForce>;
  /** Whom the case is about, as `caseSubjectRepository.keys` gives them. */
  readonly subjectKeys: ReadonlySet<string>;
}

/**
 * The case view's statement. Always one row: the asked id left-joined to its case, so a case that
 * does not exist costs the same statement as one that does (issue 10). The checks, restrictions
 * and subject keys come as JSON arrays of the same columns their own reads select; inside JSON a
 * timestamp is its ISO text and a jsonb column a nested array, which the row readers accept.
 */
const VIEW_SQL = `SELECT k.id AS view_id, c.*,
  (SELECT coalesce(json_agg(p ORDER BY p.requested_at, p.id), '[]'::json)
     FROM privacy_checks p WHERE p.case_id = k.id) AS view_checks,
  (SELECT coalesce(json_agg(json_build_object('id', r.id, 'subject_key', r.subject_key,
            'received_at', r.received_at) ORDER BY r.received_at, r.id), '[]'::json)
     FROM subject_requests r WHERE r.case_id = k.id AND ${RESTRICTION_IN_FORCE_SQL}) AS view_restrictions,
  (SELECT coalesce(json_agg(s.subject_key), '[]'::json)
     FROM case_subjects s WHERE s.case_id = k.id) AS view_subjects
FROM unnest($1::text[]) AS k(id) LEFT JOIN cases c ON c.id = k.id`;

function viewOf(row: Row | undefined): CaseView {
  const exists = row !== undefined && row.id !== null && row.id !== undefined;
  return {
    record: exists ? toCase(row) : undefined,
    checks: asJson<Row[] | null>(row?.view_checks ?? [])?.map(toCheck) ?? [],
    restrictions: restrictionsOf(asJson<RestrictionRow[] | null>(row?.view_restrictions ?? []) ?? []),
    subjectKeys: new Set(asStrings(row?.view_subjects ?? [])),
  };
}

/** SQL for cases and privacy checks. Callers pass a transaction when changes must be atomic. */
export const caseRepository = {
  async get(db: Queryable, id: string): Promise<CaseRecord | undefined> {
    const rows = await db.query<Row>("SELECT * FROM cases WHERE id = $1", [id]);
    return rows[0] ? toCase(rows[0]) : undefined;
  },

  /** The case, its checks, restrictions and subjects in one statement (see {@link CaseView}). */
  async view(db: Queryable, id: string): Promise<CaseView> {
    return (await caseRepository.views(db, [id])).get(id) ?? viewOf(undefined);
  },

  /**
   * The views of several ids in the same one statement, one row per distinct id whether or not
   * its case exists (requests that arrive together share it: src/cases/case-view.ts).
   */
  async views(db: Queryable, ids: readonly string[]): Promise<Map<string, CaseView>> {
    const distinct = [...new Set(ids)];
    const rows = await db.query<Row>(VIEW_SQL, [distinct]);
    const out = new Map<string, CaseView>();
    for (const row of rows) out.set(str(row.view_id), viewOf(row));
    for (const id of distinct) if (!out.has(id)) out.set(id, viewOf(undefined));
    return out;
  },

  async getMany(db: Queryable, ids: readonly string[]): Promise<CaseRecord[]> {
    if (ids.length === 0) return [];
    const rows = await db.query<Row>("SELECT * FROM cases WHERE id = ANY($1::text[])", [ids]);
    return rows.map(toCase);
  },

  async list(
    db: Queryable,
    filter: {
      assignedTo?: string | undefined;
      status?: "open" | "closed" | undefined;
      /** Only cases with an approved check that names this department as a recipient. */
      sharedWith?: string | undefined;
    },
  ): Promise<CaseRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.assignedTo !== undefined) {
      params.push(filter.assignedTo);
      where.push(`(owner = $${params.length} OR substitute = $${params.length})`);
    }
    if (filter.sharedWith !== undefined) {
      params.push(JSON.stringify([filter.sharedWith]));
      where.push(
        `EXISTS (SELECT 1 FROM privacy_checks c WHERE c.case_id = cases.id
           AND c.status IN ('approved', 'partially_approved') AND c.recipients @> $${params.length}::jsonb)`,
      );
    }
    if (filter.status !== undefined) {
      params.push(filter.status);
      where.push(`status = $${params.length}`);
    }
    const sql = `SELECT * FROM cases ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY opened_at, id`;
    return (await db.query<Row>(sql, params)).map(toCase);
  },

  /** Whether `owner` already owns a case with this reference (unique per owner, 009_case_reference_per_owner.sql). */
  async ownerHasReference(db: Queryable, owner: string, reference: string): Promise<boolean> {
    const rows = await db.query<Row>("SELECT 1 FROM cases WHERE owner = $1 AND reference = $2", [
      owner,
      reference,
    ]);
    return rows.length > 0;
  },

  async insert(db: Queryable, c: CaseRecord): Promise<void> {
    await db.query(
      `INSERT INTO cases (id, reference, theme, protocol_id, phase, status, outcome, owner, substitute, opened_at, closed_at, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        c.id,
        c.reference,
        c.theme,
        c.protocolId,
        c.phase,
        c.status,
        c.outcome,
        c.owner,
        c.substitute,
        c.openedAt,
        c.closedAt,
        c.version,
      ],
    );
  },

  /** Compare-and-set on (phase, version): returns the updated case, or undefined if it changed meanwhile. */
  async update(
    db: Queryable,
    expected: CaseRecord,
    change: { phase: string; status: "open" | "closed"; outcome: string | null; closedAt: Date | null },
  ): Promise<CaseRecord | undefined> {
    const rows = await db.query<Row>(
      `UPDATE cases SET phase = $3, status = $4, outcome = $5, closed_at = $6, version = version + 1
       WHERE id = $1 AND version = $2 RETURNING *`,
      [expected.id, expected.version, change.phase, change.status, change.outcome, change.closedAt],
    );
    return rows[0] ? toCase(rows[0]) : undefined;
  },

  /** Compare-and-set of the staff on (version): the updated case, or undefined if it changed meanwhile. */
  async updateStaff(
    db: Queryable,
    expected: CaseRecord,
    staff: { owner: string; substitute: string | null },
  ): Promise<CaseRecord | undefined> {
    const rows = await db.query<Row>(
      `UPDATE cases SET owner = $3, substitute = $4, version = version + 1
       WHERE id = $1 AND version = $2 AND status = 'open' RETURNING *`,
      [expected.id, expected.version, staff.owner, staff.substitute],
    );
    return rows[0] ? toCase(rows[0]) : undefined;
  },

  async appendEvent(db: Queryable, e: Omit<CaseEvent, "seq">): Promise<void> {
    await db.query(
      `INSERT INTO case_events (case_id, kind, from_phase, to_phase, outcome, actor, at, motivation,
         from_owner, to_owner, from_substitute, to_substitute)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        e.caseId,
        e.kind,
        e.fromPhase,
        e.toPhase,
        e.outcome,
        e.actor,
        e.at,
        e.motivation,
        e.staff?.fromOwner ?? null,
        e.staff?.toOwner ?? null,
        e.staff?.fromSubstitute ?? null,
        e.staff?.toSubstitute ?? null,
      ],
    );
  },

  async events(db: Queryable, caseId: string): Promise<CaseEvent[]> {
    const rows = await db.query<Row>("SELECT * FROM case_events WHERE case_id = $1 ORDER BY seq", [caseId]);
    return rows.map(toEvent);
  },

  async insertCheck(db: Queryable, c: PrivacyCheckRecord): Promise<void> {
    await db.query(
      `INSERT INTO privacy_checks (id, case_id, kind, source, requested_fields, requested_probes, motivation,
         requested_by, requested_at, status, approved_fields, approved_probes, version, subjects, recipients,
         theme_dataset)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [
        c.id,
        c.caseId,
        c.kind,
        c.source,
        JSON.stringify(c.requestedFields),
        JSON.stringify(c.requestedProbes),
        c.motivation,
        c.requestedBy,
        c.requestedAt,
        c.status,
        JSON.stringify(c.approvedFields),
        JSON.stringify(c.approvedProbes),
        c.version,
        JSON.stringify(c.subjects),
        JSON.stringify(c.recipients),
        c.themeDataset,
      ],
    );
  },

  async getCheck(db: Queryable, id: string): Promise<PrivacyCheckRecord | undefined> {
    const rows = await db.query<Row>("SELECT * FROM privacy_checks WHERE id = $1", [id]);
    return rows[0] ? toCheck(rows[0]) : undefined;
  },

  async checksForCase(db: Queryable, caseId: string): Promise<PrivacyCheckRecord[]> {
    const rows = await db.query<Row>(
      "SELECT * FROM privacy_checks WHERE case_id = $1 ORDER BY requested_at, id",
      [caseId],
    );
    return rows.map(toCheck);
  },

  async checksWithStatus(db: Queryable, status: CheckStatus): Promise<PrivacyCheckRecord[]> {
    const rows = await db.query<Row>(
      "SELECT * FROM privacy_checks WHERE status = $1 ORDER BY requested_at, id",
      [status],
    );
    return rows.map(toCheck);
  },

  /** Checks with a second opinion asked and not yet given (the FG's queue). */
  async checksAwaitingOpinion(db: Queryable): Promise<PrivacyCheckRecord[]> {
    const rows = await db.query<Row>(
      `SELECT c.* FROM privacy_checks c
        WHERE (SELECT kind FROM privacy_check_steps s
                WHERE s.check_id = c.id AND s.kind IN ('opinion_requested', 'opinion_given')
                ORDER BY s.seq DESC LIMIT 1) = 'opinion_requested'
        ORDER BY c.requested_at, c.id`,
    );
    return rows.map(toCheck);
  },

  async updateCheck(
    db: Queryable,
    expected: PrivacyCheckRecord,
    change: { status: CheckStatus; approvedFields: readonly string[]; approvedProbes: readonly string[] },
  ): Promise<PrivacyCheckRecord | undefined> {
    const rows = await db.query<Row>(
      `UPDATE privacy_checks SET status = $3, approved_fields = $4, approved_probes = $5, version = version + 1
       WHERE id = $1 AND version = $2 RETURNING *`,
      [
        expected.id,
        expected.version,
        change.status,
        JSON.stringify(change.approvedFields),
        JSON.stringify(change.approvedProbes),
      ],
    );
    return rows[0] ? toCheck(rows[0]) : undefined;
  },

  async appendStep(db: Queryable, s: Omit<PrivacyCheckStep, "seq">): Promise<void> {
    await db.query(
      `INSERT INTO privacy_check_steps (check_id, kind, actor, at, advice, fields, probes, motivation, deviation)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        s.checkId,
        s.kind,
        s.actor,
        s.at,
        s.advice,
        JSON.stringify(s.fields),
        JSON.stringify(s.probes),
        s.motivation,
        s.deviation,
      ],
    );
  },

  async steps(db: Queryable, checkId: string): Promise<PrivacyCheckStep[]> {
    const rows = await db.query<Row>("SELECT * FROM privacy_check_steps WHERE check_id = $1 ORDER BY seq", [
      checkId,
    ]);
    return rows.map(toStep);
  },
};

import { asDate, asDateOrNull, asStrOrNull, type Queryable, type Row } from "../store/index.ts";
import { RESTRICTION_IN_FORCE_SQL } from "./restrictions.ts";
import type {
  DeferralGround,
  DeferralRecord,
  InformingMethod,
  InformingRecord,
  RequestDecision,
  RequestKind,
  SubjectRequestRecord,
  WithholdingRecord,
} from "./rights-record.ts";

const toInforming = (r: Row): InformingRecord => ({
  id: String(r.id),
  caseId: String(r.case_id),
  subjectKey: asStrOrNull(r.subject_key),
  informedAt: asDate(r.informed_at),
  method: String(r.method) as InformingMethod,
  note: asStrOrNull(r.note),
  recordedBy: String(r.recorded_by),
  recordedAt: asDate(r.recorded_at),
  destroyed: r.destroyed === true,
});

const toDeferral = (r: Row): DeferralRecord => ({
  id: String(r.id),
  caseId: String(r.case_id),
  subjectKey: asStrOrNull(r.subject_key),
  ground: String(r.ground) as DeferralGround,
  motivation: asStrOrNull(r.motivation),
  decidedBy: String(r.decided_by),
  adviceBy: String(r.advice_by),
  advice: asStrOrNull(r.advice),
  reviewAt: asDate(r.review_at),
  recordedBy: String(r.recorded_by),
  recordedAt: asDate(r.recorded_at),
  endedAt: asDateOrNull(r.ended_at),
  endedBy: asStrOrNull(r.ended_by),
  endReason: asStrOrNull(r.end_reason) as DeferralRecord["endReason"],
  destroyed: r.destroyed === true,
});

const toRequest = (r: Row): SubjectRequestRecord => ({
  id: String(r.id),
  caseId: String(r.case_id),
  subjectKey: asStrOrNull(r.subject_key),
  kind: String(r.kind) as RequestKind,
  receivedAt: asDate(r.received_at),
  motivation: asStrOrNull(r.motivation),
  recordedBy: String(r.recorded_by),
  recordedAt: asDate(r.recorded_at),
  decision: asStrOrNull(r.decision) as RequestDecision | null,
  decisionMotivation: asStrOrNull(r.decision_motivation),
  decidedBy: asStrOrNull(r.decided_by),
  decidedAt: asDateOrNull(r.decided_at),
  liftedAt: asDateOrNull(r.lifted_at),
  liftedBy: asStrOrNull(r.lifted_by),
  liftMotivation: asStrOrNull(r.lift_motivation),
  destroyed: r.destroyed === true,
});

const toWithholding = (r: Row): WithholdingRecord => ({
  reportId: String(r.report_id),
  caseId: String(r.case_id),
  deferralId: String(r.deferral_id),
  subjectKey: asStrOrNull(r.subject_key),
  ground: String(r.ground) as DeferralGround,
  at: asDate(r.at),
  destroyed: r.destroyed === true,
});

/** Which rows of a case (optionally only one subject's) a read returns. */
interface Scope {
  readonly caseIds: readonly string[];
  readonly subjectKey?: string | undefined;
}

async function select(db: Queryable, table: string, order: string, scope: Scope): Promise<Row[]> {
  if (scope.caseIds.length === 0) return [];
  const bySubject = scope.subjectKey === undefined ? "" : " AND subject_key = $2";
  return db.query<Row>(
    `SELECT * FROM ${table} WHERE case_id = ANY($1::text[])${bySubject} ORDER BY ${order}`,
    scope.subjectKey === undefined ? [scope.caseIds] : [scope.caseIds, scope.subjectKey],
  );
}

/** SQL for the rights tables (migration 008). Callers pass a transaction when writes must be atomic. */
export const rightsRepository = {
  async insertInforming(db: Queryable, r: InformingRecord): Promise<void> {
    await db.query(
      `INSERT INTO subject_informing (id, case_id, subject_key, informed_at, method, note, recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [r.id, r.caseId, r.subjectKey, r.informedAt, r.method, r.note, r.recordedBy, r.recordedAt],
    );
  },

  async informing(db: Queryable, scope: Scope): Promise<InformingRecord[]> {
    return (await select(db, "subject_informing", "informed_at, id", scope)).map(toInforming);
  },

  async insertDeferral(db: Queryable, d: DeferralRecord): Promise<void> {
    await db.query(
      `INSERT INTO subject_informing_deferrals (id, case_id, subject_key, ground, motivation, decided_by,
         advice_by, advice, review_at, recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        d.id,
        d.caseId,
        d.subjectKey,
        d.ground,
        d.motivation,
        d.decidedBy,
        d.adviceBy,
        d.advice,
        d.reviewAt,
        d.recordedBy,
        d.recordedAt,
      ],
    );
  },

  async deferrals(db: Queryable, scope: Scope): Promise<DeferralRecord[]> {
    return (await select(db, "subject_informing_deferrals", "recorded_at, id", scope)).map(toDeferral);
  },

  /** Ends the deferral in force for this case and subject, if any; returns it as ended. */
  async endActiveDeferral(
    db: Queryable,
    caseId: string,
    subjectKey: string,
    end: { at: Date; by: string; reason: "informed" | "superseded" },
  ): Promise<DeferralRecord | undefined> {
    const rows = await db.query<Row>(
      `UPDATE subject_informing_deferrals SET ended_at = $3, ended_by = $4, end_reason = $5
        WHERE case_id = $1 AND subject_key = $2 AND ended_at IS NULL AND NOT destroyed RETURNING *`,
      [caseId, subjectKey, end.at, end.by, end.reason],
    );
    return rows[0] ? toDeferral(rows[0]) : undefined;
  },

  async insertRequest(db: Queryable, r: SubjectRequestRecord): Promise<void> {
    await db.query(
      `INSERT INTO subject_requests (id, case_id, subject_key, kind, received_at, motivation, recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [r.id, r.caseId, r.subjectKey, r.kind, r.receivedAt, r.motivation, r.recordedBy, r.recordedAt],
    );
  },

  async getRequest(db: Queryable, id: string): Promise<SubjectRequestRecord | undefined> {
    const rows = await db.query<Row>("SELECT * FROM subject_requests WHERE id = $1", [id]);
    return rows[0] ? toRequest(rows[0]) : undefined;
  },

  async requests(db: Queryable, scope: Scope): Promise<SubjectRequestRecord[]> {
    return (await select(db, "subject_requests", "received_at, id", scope)).map(toRequest);
  },

  /** Sets the decision once; undefined if it was decided (or destroyed) meanwhile. */
  async decideRequest(
    db: Queryable,
    id: string,
    d: { decision: RequestDecision; motivation: string; by: string; at: Date },
  ): Promise<SubjectRequestRecord | undefined> {
    const rows = await db.query<Row>(
      `UPDATE subject_requests SET decision = $2, decision_motivation = $3, decided_by = $4, decided_at = $5
        WHERE id = $1 AND decision IS NULL AND NOT destroyed RETURNING *`,
      [id, d.decision, d.motivation, d.by, d.at],
    );
    return rows[0] ? toRequest(rows[0]) : undefined;
  },

  /** Lifts a restriction once; undefined if it was lifted, refused or destroyed meanwhile. */
  async liftRestriction(
    db: Queryable,
    id: string,
    l: { motivation: string; by: string; at: Date },
  ): Promise<SubjectRequestRecord | undefined> {
    const rows = await db.query<Row>(
      `UPDATE subject_requests SET lifted_at = $2, lifted_by = $3, lift_motivation = $4
        WHERE id = $1 AND ${RESTRICTION_IN_FORCE_SQL} RETURNING *`,
      [id, l.at, l.by, l.motivation],
    );
    return rows[0] ? toRequest(rows[0]) : undefined;
  },

  async insertAccessReport(
    db: Queryable,
    r: { id: string; requestedBy: string; generatedAt: Date; cases: number },
  ): Promise<void> {
    await db.query(
      "INSERT INTO subject_access_reports (id, requested_by, generated_at, cases) VALUES ($1, $2, $3, $4)",
      [r.id, r.requestedBy, r.generatedAt, r.cases],
    );
  },

  async insertWithholding(db: Queryable, w: WithholdingRecord): Promise<void> {
    await db.query(
      `INSERT INTO subject_access_withholdings (report_id, case_id, deferral_id, subject_key, ground, at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [w.reportId, w.caseId, w.deferralId, w.subjectKey, w.ground, w.at],
    );
  },

  async withholdings(db: Queryable, reportId: string): Promise<WithholdingRecord[]> {
    const rows = await db.query<Row>(
      "SELECT * FROM subject_access_withholdings WHERE report_id = $1 ORDER BY at, case_id",
      [reportId],
    );
    return rows.map(toWithholding);
  },

  async accessReportExists(db: Queryable, reportId: string): Promise<boolean> {
    return (await db.query("SELECT 1 FROM subject_access_reports WHERE id = $1", [reportId])).length > 0;
  },
};

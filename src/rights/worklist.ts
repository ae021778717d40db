import { caseRepository, type CaseRecord } from "../cases/index.ts";
import type { OperationContext } from "../context/index.ts";
import type { Protocol } from "../policy/index.ts";
import { err, ok, type Result } from "../shared/index.ts";
import type { Queryable } from "../store/index.ts";
import { addDuration } from "../retention/index.ts";
import { retentionEnd, retentionEndText } from "./retention-end.ts";
import { actorMay, logAlone, rightsAudit } from "./rights-access.ts";
import { bsnOfKey, type DeferralGround, type DeferralRecord, type RightsError } from "./rights-record.ts";
import { rightsRepository } from "./rights-repository.ts";

/** One person in one case, as the worklist shows them. */
export interface WorklistItem {
  readonly caseId: string;
  readonly reference: string;
  readonly bsn: string;
  readonly caseStatus: "open" | "closed";
  readonly phase: string;
  readonly retentionEnd: string;
  /** Why informing is due now (the articles). */
  readonly due: string;
  /** A deferral in force: its id, ground and review date. */
  readonly deferral: {
    readonly id: string;
    readonly ground: DeferralGround;
    readonly reviewAt: string;
  } | null;
}

/** What Juridische Zaken must still do about informing (Maastricht art. 12; Delft art. 10). */
export interface InformingWorklist {
  readonly generatedAt: string;
  /** Not informed and no deferral in force. */
  readonly toInform: readonly WorklistItem[];
  /** Deferrals in force whose review date has come (Maastricht art. 12.7; Delft art. 10e). */
  readonly reviewsDue: readonly WorklistItem[];
  /**
   * Not informed, deferred or not, and the case's retention ends within 3 months or has ended
   * (Delft art. 10f: informing happens at least 3 months before the retention period ends).
   */
  readonly retentionEnding: readonly WorklistItem[];
}

/** Delft art. 10f. */
export const INFORM_BEFORE_RETENTION_END = "P3M";

/**
 * The persons of every case, and where they come from: the subjects (`persoon:<bsn>`) named by
 * privacy checks that were approved at some time (approved, partially approved, later revoked or
 * lapsed: the person's data were consulted or shared under them), and anyone with a rights record
 * on the case. Not the audit log: it holds only keyed pseudonyms, by design, so it cannot say
 * whom to inform; the checks are the written weighing that names them (Maastricht art. 18.1, 20).
 */
async function subjectsByCase(db: Queryable): Promise<{ caseId: string; key: string }[]> {
  const rows = await db.query<{ case_id: string; subject_key: string }>(
    `SELECT p.case_id, s.key AS subject_key
       FROM privacy_checks p CROSS JOIN LATERAL jsonb_array_elements_text(p.subjects) AS s(key)
      WHERE p.status IN ('approved', 'partially_approved', 'revoked', 'lapsed') AND s.key LIKE 'persoon:%'
     UNION SELECT case_id, subject_key FROM subject_requests WHERE NOT destroyed
     UNION SELECT case_id, subject_key FROM subject_informing_deferrals WHERE NOT destroyed
     ORDER BY 1, 2`,
  );
  return rows.map((r) => ({ caseId: r.case_id, key: r.subject_key }));
}

function dueText(record: CaseRecord): string {
  return record.status === "closed"
    ? "the case is closed (Maastricht art. 12.1; Delft art. 10b-c)"
    : "the person was processed in source research or later (Delft art. 10b-c; Maastricht art. 12.3: inform as soon as possible)";
}

/** The worklist at `now`; read-only. */
export async function buildInformingWorklist(
  db: Queryable,
  input: { readonly protocol: Protocol; readonly now: Date },
): Promise<InformingWorklist> {
  const pairs = await subjectsByCase(db);
  const caseIds = [...new Set(pairs.map((p) => p.caseId))];
  const records = new Map((await caseRepository.getMany(db, caseIds)).map((c) => [c.id, c]));
  const informed = new Set(
    (await rightsRepository.informing(db, { caseIds }))
      .filter((i) => !i.destroyed)
      .map((i) => `${i.caseId}|${i.subjectKey}`),
  );
  const active = new Map<string, DeferralRecord>(
    (await rightsRepository.deferrals(db, { caseIds }))
      .filter((d) => d.endedAt === null && !d.destroyed)
      .map((d) => [`${d.caseId}|${d.subjectKey}`, d]),
  );
  const horizon = addDuration(input.now, INFORM_BEFORE_RETENTION_END);
  const out = {
    toInform: [] as WorklistItem[],
    reviewsDue: [] as WorklistItem[],
    ending: [] as WorklistItem[],
  };
  for (const { caseId, key } of pairs) {
    const record = records.get(caseId);
    const bsn = bsnOfKey(key);
    if (!record || bsn === null || informed.has(`${caseId}|${key}`)) continue;
    const deferral = active.get(`${caseId}|${key}`);
    const end = retentionEnd(input.protocol, record);
    const item: WorklistItem = {
      caseId,
      reference: record.reference,
      bsn,
      caseStatus: record.status,
      phase: record.phase,
      retentionEnd: retentionEndText(end),
      due: dueText(record),
      deferral: deferral
        ? { id: deferral.id, ground: deferral.ground, reviewAt: deferral.reviewAt.toISOString() }
        : null,
    };
    if (!deferral) out.toInform.push(item);
    if (deferral && deferral.reviewAt <= input.now) out.reviewsDue.push(item);
    if (end instanceof Date && end <= horizon) out.ending.push(item);
  }
  return {
    generatedAt: input.now.toISOString(),
    toInform: out.toInform,
    reviewsDue: out.reviewsDue,
    retentionEnding: out.ending,
  };
}

/** The worklist, for a role granted `subject.record`; the reading is audited (it lists BSNs). */
export async function informingWorklistFor(
  ctx: OperationContext,
): Promise<Result<InformingWorklist, RightsError>> {
  const operation = "rights.worklist";
  const may = await actorMay(ctx, "subject.record", operation);
  if (!may.ok) return may;
  const list = await buildInformingWorklist(ctx.db, { protocol: ctx.policy.protocol, now: ctx.clock.now() });
  const failed = await logAlone(
    ctx,
    rightsAudit(ctx, {
      operation,
      decision: may.value,
      detail: {
        toInform: list.toInform.length,
        reviewsDue: list.reviewsDue.length,
        retentionEnding: list.retentionEnding.length,
      },
    }),
  );
  return failed ? err(failed) : ok(list);
}

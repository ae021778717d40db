import type { OperationContext } from "../context/index.ts";
import { auditedTransaction } from "../context/index.ts";
import { err, ok, type Result } from "../shared/index.ts";
import type { Queryable } from "../store/index.ts";
import {
  AUDIT_FAILED,
  badInput,
  subjectOnCase,
  dateInput,
  noBsn,
  rightsAudit,
  textInput,
  userIdInput,
} from "./rights-access.ts";
import {
  DEFERRAL_GROUNDS,
  INFORMING_METHODS,
  type DeferralGround,
  type DeferralRecord,
  type InformingMethod,
  type InformingRecord,
  type RightsError,
} from "./rights-record.ts";
import { rightsRepository } from "./rights-repository.ts";

/**
 * Whether the person was processed in the case: named in one of its privacy checks, or the
 * subject of a disclosure or refusal in its audit log. Informing and deferring are about processing
 * that happened, so they cannot be recorded for anyone else.
 */
async function processedInCase(
  ctx: OperationContext,
  db: Queryable,
  caseId: string,
  bsn: string,
): Promise<boolean> {
  const rows = await db.query(
    `SELECT 1 FROM privacy_checks WHERE case_id = $1 AND subjects @> $2::jsonb
     UNION ALL
     SELECT 1 FROM audit_log WHERE case_id = $1 AND subject_pseudonym = $3 AND kind IN ('disclosure', 'denial')
     LIMIT 1`,
    [caseId, JSON.stringify([`persoon:${bsn}`]), ctx.audit.pseudonymise(bsn, "bsn")],
  );
  return rows.length > 0;
}

const notProcessed = () =>
  badInput("bsn: this person is not named in the case's privacy checks nor processed in it.");

export interface InformedInput {
  readonly caseId: string;
  readonly bsn: string;
  readonly informedAt: string;
  readonly method: InformingMethod;
  readonly note?: string | undefined;
}

/**
 * Records that the subject was informed about the processing in a case (Maastricht art. 12.1,
 * 12.4, 12.7; Delft art. 10b-c). A deferral in force for the subject ends with it.
 */
export async function recordSubjectInformed(
  ctx: OperationContext,
  input: InformedInput,
): Promise<Result<InformingRecord, RightsError>> {
  const operation = "rights.informed";
  const loaded = await subjectOnCase(ctx, input.caseId, input.bsn, operation);
  if (!loaded.ok) return loaded;
  const { record, bsn } = loaded.value;
  const informedAt = dateInput(input.informedAt, "informedAt");
  if (!informedAt.ok) return informedAt;
  const now = ctx.clock.now();
  if (informedAt.value > now) return badInput("informedAt: lies in the future.");
  if (!INFORMING_METHODS.includes(input.method))
    return badInput(`method: one of ${INFORMING_METHODS.join(", ")}.`);
  const note = input.note?.trim() || null;
  if (note !== null && note.length > 2000) return badInput("note: at most 2000 characters.");
  const clean = note === null ? undefined : noBsn(note, "note");
  if (clean && !clean.ok) return clean;
  if (!(await processedInCase(ctx, ctx.db, record.id, bsn))) return notProcessed();

  const informing: InformingRecord = {
    id: ctx.newId(),
    caseId: record.id,
    subjectKey: `persoon:${bsn}`,
    informedAt: informedAt.value,
    method: input.method,
    note,
    recordedBy: ctx.actor.subject,
    recordedAt: now,
    destroyed: false,
  };
  const written = await auditedTransaction(ctx, async (tx) => {
    await rightsRepository.insertInforming(tx, informing);
    const ended = await rightsRepository.endActiveDeferral(tx, record.id, `persoon:${bsn}`, {
      at: now,
      by: ctx.actor.subject,
      reason: "informed",
    });
    return {
      value: informing,
      audit: [
        rightsAudit(ctx, {
          record,
          operation,
          bsn,
          decision: "allow",
          reason: loaded.value.reason,
          detail: {
            informingId: informing.id,
            method: informing.method,
            informedAt: informing.informedAt.toISOString(),
            ...(ended ? { endedDeferral: ended.id } : {}),
          },
        }),
      ],
    };
  });
  if (!written.ok) return err(AUDIT_FAILED);
  return ok(informing);
}

export interface DeferralInput {
  readonly caseId: string;
  readonly bsn: string;
  readonly ground: DeferralGround;
  readonly motivation: string;
  readonly decidedBy: string;
  readonly adviceBy: string;
  readonly advice: string;
  readonly reviewAt: string;
}

/**
 * Records that informing the subject is deferred under GDPR art. 23 (Maastricht art. 12.5-12.6;
 * Delft art. 10d-e): the ground, the manager who decided, the advice of the FG or privacy adviser,
 * and when it is reviewed. A deferral already in force is superseded: that is how a review that
 * keeps the deferral is recorded. While in force, the case is withheld from the subject's access
 * report.
 */
export async function deferSubjectInforming(
  ctx: OperationContext,
  input: DeferralInput,
): Promise<Result<DeferralRecord, RightsError>> {
  const operation = "rights.defer";
  const loaded = await subjectOnCase(ctx, input.caseId, input.bsn, operation);
  if (!loaded.ok) return loaded;
  const { record, bsn } = loaded.value;
  if (!Object.hasOwn(DEFERRAL_GROUNDS, input.ground))
    return badInput(`ground: one of ${Object.keys(DEFERRAL_GROUNDS).join(", ")} (GDPR art. 23(1)(a)-(j)).`);
  const motivation = textInput(input.motivation, "motivation");
  if (!motivation.ok) return motivation;
  const decidedBy = userIdInput(input.decidedBy, "decidedBy");
  if (!decidedBy.ok) return decidedBy;
  const adviceBy = userIdInput(input.adviceBy, "adviceBy");
  if (!adviceBy.ok) return adviceBy;
  const advice = textInput(input.advice, "advice");
  if (!advice.ok) return advice;
  const reviewAt = dateInput(input.reviewAt, "reviewAt");
  if (!reviewAt.ok) return reviewAt;
  const now = ctx.clock.now();
  if (reviewAt.value <= now) return badInput("reviewAt: must lie in the future.");
  if (!(await processedInCase(ctx, ctx.db, record.id, bsn))) return notProcessed();
  const key = `persoon:${bsn}`;
  const informed = await rightsRepository.informing(ctx.db, { caseIds: [record.id], subjectKey: key });
  if (informed.length > 0) return badInput("bsn: this person was already informed about this case.");

  const deferral: DeferralRecord = {
    id: ctx.newId(),
    caseId: record.id,
    subjectKey: key,
    ground: input.ground,
    motivation: motivation.value,
    decidedBy: decidedBy.value,
    adviceBy: adviceBy.value,
    advice: advice.value,
    reviewAt: reviewAt.value,
    recordedBy: ctx.actor.subject,
    recordedAt: now,
    endedAt: null,
    endedBy: null,
    endReason: null,
    destroyed: false,
  };
  const written = await auditedTransaction(ctx, async (tx) => {
    const superseded = await rightsRepository.endActiveDeferral(tx, record.id, key, {
      at: now,
      by: ctx.actor.subject,
      reason: "superseded",
    });
    await rightsRepository.insertDeferral(tx, deferral);
    return {
      value: deferral,
      audit: [
        rightsAudit(ctx, {
          record,
          operation,
          bsn,
          decision: "allow",
          reason: `${loaded.value.reason}; informing deferred on ${DEFERRAL_GROUNDS[input.ground]}`,
          detail: {
            deferralId: deferral.id,
            ground: deferral.ground,
            reviewAt: deferral.reviewAt.toISOString(),
            decidedBy: deferral.decidedBy,
            adviceBy: deferral.adviceBy,
            ...(superseded ? { supersedes: superseded.id } : {}),
          },
        }),
      ],
    };
  });
  if (!written.ok) return err(AUDIT_FAILED);
  return ok(deferral);
}

import { fourEyesRefusal, type CaseRecord } from "../cases/index.ts";
import { auditedTransaction, type OperationContext } from "../context/index.ts";
import { err, ok, type Result } from "../shared/index.ts";
import {
  AUDIT_FAILED,
  badInput,
  caseForRecording,
  subjectOnCase,
  dateInput,
  logAlone,
  rightsAudit,
  textInput,
} from "./rights-access.ts";
import {
  bsnOfKey,
  REQUEST_DECISIONS,
  REQUEST_KINDS,
  restrictionInForce,
  type RequestDecision,
  type RequestKind,
  type RightsError,
  type SubjectRequestRecord,
} from "./rights-record.ts";
import { rightsRepository } from "./rights-repository.ts";

const ARTICLE: Record<RequestKind, string> = {
  rectification: "GDPR art. 16",
  erasure: "GDPR art. 17",
  restriction: "GDPR art. 18",
  objection: "GDPR art. 21",
};

export interface SubjectRequestInput {
  readonly caseId: string;
  readonly bsn: string;
  readonly kind: RequestKind;
  readonly receivedAt: string;
  readonly motivation: string;
}

/**
 * Records a request for rectification, erasure, restriction or objection on the case it concerns
 * (Maastricht art. 11; Delft art. 11). A restriction takes effect at once: from this commit on
 * nothing about the subject is disclosed in this case (GDPR art. 18(1)(a), (d): processing is
 * restricted while the request is examined) until it is refused or lifted. A request may precede
 * any processing (a signal may name the person before anyone looked them up), so it is not
 * required that the person was processed in the case.
 */
export async function recordSubjectRequest(
  ctx: OperationContext,
  input: SubjectRequestInput,
): Promise<Result<SubjectRequestRecord, RightsError>> {
  const operation = "rights.request";
  const loaded = await subjectOnCase(ctx, input.caseId, input.bsn, operation);
  if (!loaded.ok) return loaded;
  const { record, bsn } = loaded.value;
  if (!REQUEST_KINDS.includes(input.kind)) return badInput(`kind: one of ${REQUEST_KINDS.join(", ")}.`);
  const receivedAt = dateInput(input.receivedAt, "receivedAt");
  if (!receivedAt.ok) return receivedAt;
  const now = ctx.clock.now();
  if (receivedAt.value > now) return badInput("receivedAt: lies in the future.");
  const motivation = textInput(input.motivation, "motivation");
  if (!motivation.ok) return motivation;

  const request: SubjectRequestRecord = {
    id: ctx.newId(),
    caseId: record.id,
    subjectKey: `persoon:${bsn}`,
    kind: input.kind,
    receivedAt: receivedAt.value,
    motivation: motivation.value,
    recordedBy: ctx.actor.subject,
    recordedAt: now,
    decision: null,
    decisionMotivation: null,
    decidedBy: null,
    decidedAt: null,
    liftedAt: null,
    liftedBy: null,
    liftMotivation: null,
    destroyed: false,
  };
  const written = await auditedTransaction(ctx, async (tx) => {
    await rightsRepository.insertRequest(tx, request);
    return {
      value: request,
      audit: [
        rightsAudit(ctx, {
          record,
          operation,
          bsn,
          decision: "allow",
          reason: `${loaded.value.reason}; request under ${ARTICLE[request.kind]} recorded${
            request.kind === "restriction"
              ? ": processing of the subject in this case is restricted from now on"
              : ""
          }`,
          detail: {
            requestId: request.id,
            requestKind: request.kind,
            receivedAt: request.receivedAt.toISOString(),
          },
        }),
      ],
    };
  });
  if (!written.ok) return err(AUDIT_FAILED);
  return ok(request);
}

/**
 * The request with its case, for an actor who may record rights on that case and works on it
 * neither as owner nor as substitute (four eyes: the request is about their processing; see
 * src/cases/four-eyes.ts); unknown ids as not found.
 */
async function requestForRecording(
  ctx: OperationContext,
  id: string,
  operation: "rights.decide" | "rights.lift",
): Promise<Result<{ request: SubjectRequestRecord; reason: string; record: CaseRecord }, RightsError>> {
  const request = await rightsRepository.getRequest(ctx.db, id);
  if (!request) {
    const failed = await logAlone(
      ctx,
      rightsAudit(ctx, { operation, decision: "deny", reason: "no such request", detail: { requestId: id } }),
    );
    return err(failed ?? { kind: "not_found", message: "Request not found." });
  }
  const loaded = await caseForRecording(ctx, request.caseId, operation);
  if (!loaded.ok) return loaded;
  const record = loaded.value.visible.record;
  const party = fourEyesRefusal(ctx.actor, operation, { record });
  if (party) {
    const failed = await logAlone(
      ctx,
      rightsAudit(ctx, { record, operation, decision: "deny", reason: party, detail: { requestId: id } }),
    );
    return err(failed ?? { kind: "forbidden", message: "Not permitted." });
  }
  return ok({ request, reason: loaded.value.reason, record });
}

/** Records how a request was handled: granted, partially granted or refused, with a motivation. */
export async function decideSubjectRequest(
  ctx: OperationContext,
  input: { readonly id: string; readonly decision: RequestDecision; readonly motivation: string },
): Promise<Result<SubjectRequestRecord, RightsError>> {
  const operation = "rights.decide";
  const loaded = await requestForRecording(ctx, input.id, operation);
  if (!loaded.ok) return loaded;
  const { request, record, reason } = loaded.value;
  if (request.destroyed) return badInput("This request was destroyed with its case.");
  if (request.decision !== null) return badInput("This request has already been decided.");
  if (!REQUEST_DECISIONS.includes(input.decision))
    return badInput(`decision: one of ${REQUEST_DECISIONS.join(", ")}.`);
  const motivation = textInput(input.motivation, "motivation");
  if (!motivation.ok) return motivation;
  const at = ctx.clock.now();
  const written = await auditedTransaction(ctx, async (tx) => {
    const decided = await rightsRepository.decideRequest(tx, request.id, {
      decision: input.decision,
      motivation: motivation.value,
      by: ctx.actor.subject,
      at,
    });
    if (!decided) return undefined;
    const ends = request.kind === "restriction" && input.decision === "refused";
    return {
      value: decided,
      audit: [
        rightsAudit(ctx, {
          record,
          operation,
          bsn: bsnOfKey(request.subjectKey) ?? undefined,
          decision: "allow",
          reason: `${reason}; ${ARTICLE[request.kind]} request ${input.decision}${ends ? ": the restriction ends" : ""}`,
          detail: { requestId: request.id, requestKind: request.kind, requestDecision: input.decision },
        }),
      ],
    };
  });
  if (!written.ok) return err(AUDIT_FAILED);
  if (!written.value) return badInput("This request has already been decided.");
  return ok(written.value);
}

/**
 * Lifts a restriction (GDPR art. 18(3): the subject is told before it is lifted; say so in the
 * motivation). From this commit on the case's approvals apply to the subject again.
 */
export async function liftRestriction(
  ctx: OperationContext,
  input: { readonly id: string; readonly motivation: string },
): Promise<Result<SubjectRequestRecord, RightsError>> {
  const operation = "rights.lift";
  const loaded = await requestForRecording(ctx, input.id, operation);
  if (!loaded.ok) return loaded;
  const { request, record, reason } = loaded.value;
  if (request.kind !== "restriction") return badInput("Only a restriction can be lifted.");
  if (!restrictionInForce(request)) return badInput("This restriction is not in force.");
  const motivation = textInput(input.motivation, "motivation");
  if (!motivation.ok) return motivation;
  const at = ctx.clock.now();
  const written = await auditedTransaction(ctx, async (tx) => {
    const lifted = await rightsRepository.liftRestriction(tx, request.id, {
      motivation: motivation.value,
      by: ctx.actor.subject,
      at,
    });
    if (!lifted) return undefined;
    return {
      value: lifted,
      audit: [
        rightsAudit(ctx, {
          record,
          operation,
          bsn: bsnOfKey(request.subjectKey) ?? undefined,
          decision: "allow",
          reason: `${reason}; restriction lifted (GDPR art. 18(3))`,
          detail: { requestId: request.id },
        }),
      ],
    };
  });
  if (!written.ok) return err(AUDIT_FAILED);
  if (!written.value) return badInput("This restriction is not in force.");
  return ok(written.value);
}

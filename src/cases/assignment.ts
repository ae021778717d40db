import type { OperationContext } from "../context/index.ts";
import { err, freeText, type Result } from "../shared/index.ts";
import { loadVisibleCase } from "./case-access.ts";
import type { CaseError, CaseRecord, StaffChange } from "./case-record.ts";
import { caseRepository } from "./case-repository.ts";
import { commitChange, logDenied, refusal, requireMotivation, SUBJECT } from "./case-service.ts";

/** The staff the beheerder designates for a case (Maastricht art. 8.2). */
export interface AssignCaseInput {
  readonly id: string;
  /** User id of the new owner (RO/AVO). */
  readonly owner: string;
  /** User id of the substitute; absent or null: the case has no substitute from now on. */
  readonly substitute?: string | null | undefined;
  readonly motivation: string;
}

const badInput = (message: string) => err<CaseError>({ kind: "bad_input", message });

/** A staff id: the user-id shape, and never a BSN (src/shared/free-text.ts). */
function staffProblem(value: string, argument: string): CaseError | undefined {
  if (!SUBJECT.test(value)) return { kind: "bad_input", message: `${argument}: not a valid user id.` };
  const text = freeText(value, argument);
  return text.ok ? undefined : { kind: "bad_input", message: text.error.message };
}

/**
 * Designates a case's owner and substitute (Maastricht art. 8.1-8.2: the beheerder assigns the
 * RO/AVO and their substitute, and only they have access to the signal's data). Only roles granted
 * `case.assign` (roles.yaml: the beheerder) may do it; anyone else gets the refusal of every case
 * action (NOT_FOUND for a case they may not see, FORBIDDEN otherwise), audited. A closed case is
 * not reassigned (PHASE_CONFLICT): nobody works on it any more. The caller never designates
 * themselves, whatever other roles their token holds: an analyst cannot take someone else's case.
 * The change, its history entry (kind `assigned`, staff before and after, the motivation) and the
 * audit record commit together; from then on the old staff lose access and the new staff have it,
 * because access is decided on the stored owner and substitute at every request.
 */
export async function assignCase(
  ctx: OperationContext,
  input: AssignCaseInput,
): Promise<Result<CaseRecord, CaseError>> {
  const visible = await loadVisibleCase(ctx, input.id, "case.assign");
  if (!visible.ok) return visible;
  const { record, ability } = visible.value;
  const decision = ability.can("case.assign");
  if (!decision.allowed) return logDenied(ctx, record, "case.assign", refusal(decision));

  const owner = input.owner.trim();
  const ownerProblem = staffProblem(owner, "owner");
  if (ownerProblem) return err(ownerProblem);
  const substitute = input.substitute?.trim() || null;
  const substituteProblem = substitute === null ? undefined : staffProblem(substitute, "substitute");
  if (substituteProblem) return err(substituteProblem);
  if (substitute === owner) return badInput("substitute: the owner cannot be their own substitute.");
  const motivationProblem = requireMotivation(input.motivation);
  if (motivationProblem) return err(motivationProblem);
  if (owner === record.owner && substitute === record.substitute)
    return badInput("owner: the case already has this owner and substitute.");
  if (owner === ctx.actor.subject || substitute === ctx.actor.subject)
    return logDenied(
      ctx,
      record,
      "case.assign",
      { kind: "forbidden", message: "You cannot designate yourself; another beheerder does." },
      { self: true },
    );
  // References are unique per owner (009_case_reference_per_owner.sql); the beheerder sees every
  // case's reference, so saying so reveals nothing it could not read.
  if (owner !== record.owner && (await caseRepository.ownerHasReference(ctx.db, owner, record.reference)))
    return badInput("owner: already owns a case with this reference.");

  const staff: StaffChange = {
    fromOwner: record.owner,
    toOwner: owner,
    fromSubstitute: record.substitute,
    toSubstitute: substitute,
  };
  return commitChange(
    ctx,
    (tx) => caseRepository.updateStaff(tx, record, { owner, substitute }),
    (c) => ({
      caseId: c.id,
      kind: "assigned",
      fromPhase: null,
      toPhase: null,
      outcome: null,
      actor: ctx.actor.subject,
      at: ctx.clock.now(),
      motivation: input.motivation,
      staff,
    }),
    "case.assign",
    decision.reason,
    { ...staff, phase: record.phase },
  );
}

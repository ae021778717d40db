import { auditBase, type OperationContext } from "../context/index.ts";
import type { CaseAction } from "../policy/index.ts";
import { err, ok, type Decision, type Result } from "../shared/index.ts";
import { caseAndAbility } from "./case-access.ts";
import type { CaseError, CaseRecord, PrivacyCheckRecord } from "./case-record.ts";
import { caseRepository } from "./case-repository.ts";
import { fourEyesRefusal, needsSteps, type Weighing } from "./four-eyes.ts";

/** A check with its case, loaded for a step the actor may take, and the reason that allows it. */
export interface LoadedCheck {
  readonly check: PrivacyCheckRecord;
  readonly record: CaseRecord;
  readonly reason: string;
}

/**
 * Refuses a step on a check, audited. Someone who may read the check (its case's analysts, the
 * privacy officer, the coordinator, the FG) learns only that the step is not theirs: FORBIDDEN.
 * Anyone else gets the same NOT_FOUND as for a check that does not exist.
 */
async function refuse(
  ctx: OperationContext,
  id: string,
  operation: string,
  record: CaseRecord | undefined,
  reason: string,
  mayRead: boolean,
): Promise<Result<never, CaseError>> {
  const logged = await ctx.audit.append([
    {
      ...auditBase(ctx, record),
      kind: "privacy_check",
      operation,
      decision: "deny",
      reason,
      detail: { checkId: id },
    },
  ]);
  if (!logged.ok) return err({ kind: "audit_failed", message: "The audit log could not be written." });
  return mayRead
    ? err({ kind: "forbidden", message: "Not permitted." })
    : err({ kind: "not_found", message: "Privacy check not found." });
}

/**
 * The check and its case, if the actor may take one of `allowedBy` on it (roles.yaml) and, for a
 * `weighing`, is no party to it (four eyes, src/cases/four-eyes.ts).
 */
export async function checkFor(
  ctx: OperationContext,
  id: string,
  operation: string,
  allowedBy: readonly CaseAction[],
  weighing?: Weighing,
): Promise<Result<LoadedCheck, CaseError>> {
  const check = await caseRepository.getCheck(ctx.db, id);
  // A check that does not exist costs the same work as one of a case the actor may not see.
  const { record, ability } = await caseAndAbility(ctx, check?.caseId);
  if (!check || !record) return refuse(ctx, id, operation, undefined, "no such privacy check", false);
  const mayRead = ability.can("case.read").allowed && ability.can("check.read").allowed;
  const decisions = allowedBy.map((a) => ability.can(a));
  const decision: Decision | undefined = decisions.find((d) => d.allowed) ?? decisions[0];
  if (!decision?.allowed) {
    if (decision?.ruleId === "case.closed" && mayRead)
      return err({ kind: "phase_conflict", message: "The case is closed." });
    return refuse(ctx, id, operation, record, decision?.reason ?? "no rule allows it", mayRead);
  }
  if (weighing) {
    const steps = needsSteps(weighing) ? await caseRepository.steps(ctx.db, check.id) : [];
    const party = fourEyesRefusal(ctx.actor, weighing, { record, check, steps });
    if (party) return refuse(ctx, id, operation, record, party, mayRead);
  }
  if (record.status === "closed") return err({ kind: "phase_conflict", message: "The case is closed." });
  return ok({ check, record, reason: decision.reason });
}

/**
 * The check, for the analysts of its case only (owner or substitute, Maastricht art. 8.2): the
 * same assignment check, audited refusal and NOT_FOUND as every case action.
 */
export async function checkForCaseAnalyst(
  ctx: OperationContext,
  id: string,
  operation: string,
): Promise<Result<LoadedCheck, CaseError>> {
  const check = await caseRepository.getCheck(ctx.db, id);
  // The same work and the same answer for a check that does not exist and one of a case the actor
  // may not see: NOT_FOUND for a privacy check, never "case not found" (issue 10).
  const { record, ability } = await caseAndAbility(ctx, check?.caseId);
  if (!check || !record) return refuse(ctx, id, operation, undefined, "no such privacy check", false);
  const readable = ability.can("case.read");
  if (!readable.allowed) return refuse(ctx, id, operation, record, readable.reason, false);
  const decision = ability.can("check.request");
  if (!decision.allowed)
    return refuse(ctx, id, operation, record, decision.reason, ability.can("check.read").allowed);
  if (record.status === "closed") return err({ kind: "phase_conflict", message: "The case is closed." });
  return ok({ check, record, reason: decision.reason });
}

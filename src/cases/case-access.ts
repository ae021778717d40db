import { auditBase, type OperationContext } from "../context/index.ts";
import { buildCaseAbility, type Approval, type CaseAbility, type CaseFacts } from "../policy/index.ts";
import { err, ok, type Result } from "../shared/index.ts";
import type { Queryable } from "../store/index.ts";
import type { CaseError, CaseRecord } from "./case-record.ts";
import { caseRepository } from "./case-repository.ts";

/** A case the actor may see, with the ability that governs everything asked about it. */
export interface VisibleCase {
  readonly record: CaseRecord;
  readonly ability: CaseAbility;
}

export const caseFacts = (c: CaseRecord): CaseFacts => ({
  id: c.id,
  phase: c.phase,
  status: c.status,
  owner: c.owner,
  substitute: c.substitute,
});

/** Approvals (never requests) unlock fields and probes: approved and partially approved checks. */
export async function approvalsForCase(db: Queryable, caseId: string): Promise<Approval[]> {
  const checks = await caseRepository.checksForCase(db, caseId);
  return checks
    .filter((c) => c.status === "approved" || c.status === "partially_approved")
    .map((c) => ({ checkId: c.id, source: c.source, fields: c.approvedFields, probes: c.approvedProbes }));
}

export async function abilityFor(
  ctx: OperationContext,
  db: Queryable,
  record: CaseRecord,
): Promise<CaseAbility> {
  const approvals = await approvalsForCase(db, record.id);
  return buildCaseAbility(ctx.policy, { actor: ctx.actor, case: caseFacts(record), approvals });
}

/**
 * Loads a case for the actor. A case that does not exist and a case the actor may not see give
 * the same `not_found` (Maastricht art. 8.2: only the assigned analyst and substitute have access),
 * and both are written to the audit log as a denied access attempt.
 */
export async function loadVisibleCase(
  ctx: OperationContext,
  id: string,
  operation: string,
): Promise<Result<VisibleCase, CaseError>> {
  const record = await caseRepository.get(ctx.db, id);
  const ability = record ? await abilityFor(ctx, ctx.db, record) : undefined;
  const decision = ability?.can("case.read");
  if (!record || !ability || !decision?.allowed) {
    const logged = await ctx.audit.append([
      {
        ...auditBase(ctx),
        caseId: id,
        kind: "access",
        operation,
        decision: "deny",
        reason: record ? (decision?.reason ?? "no rule grants case.read") : "no such case",
      },
    ]);
    if (!logged.ok) return err({ kind: "audit_failed", message: "The audit log could not be written." });
    return err({ kind: "not_found", message: "Case not found." });
  }
  return ok({ record, ability });
}

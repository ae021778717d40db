import type { OperationContext } from "../context/index.ts";
import { buildActorAbility, explain, type Explanation } from "../policy/index.ts";
import { err, isRole, ok, ROLES, type Result } from "../shared/index.ts";
import { approvalsForCase, loadVisibleCase, refuseAudited } from "./case-access.ts";
import type { CaseError } from "./case-record.ts";

export interface CaseExplanation extends Explanation {
  readonly policyHash: string;
  readonly phase: string;
}

/**
 * `explain` for one case: what a role would get from a source in the case's current phase with
 * the case's approvals, and which rule says so. Only for actors granted `policy.explain`.
 */
export async function explainForCase(
  ctx: OperationContext,
  q: { caseId: string; role: string; source: string; field?: string | undefined; probe?: string | undefined },
): Promise<Result<CaseExplanation, CaseError>> {
  const decision = buildActorAbility(ctx.policy, ctx.actor).can("policy.explain");
  if (!decision.allowed)
    return refuseAudited(ctx, undefined, {
      caseId: q.caseId,
      kind: "denial",
      operation: "policy.explain",
      reason: decision.reason,
    });
  if (!isRole(q.role))
    return err({
      kind: "bad_input",
      message: `role: not a role of the gateway; known: ${ROLES.join(", ")}.`,
    });
  if (!ctx.policy.sources.includes(q.source))
    return err({
      kind: "bad_input",
      message: `source: not a source of the policy; known: ${ctx.policy.sources.join(", ")}.`,
    });
  // Only names the policy knows are explained, so the answer repeats nothing else the caller sent.
  if (q.field !== undefined && !ctx.policy.catalogue.isKnown(q.source, q.field))
    return err({ kind: "bad_input", message: `field: not in the ${q.source} catalogue.` });
  const probes = ctx.policy.probes.filter((p) => p.source === q.source).map((p) => p.id);
  if (q.probe !== undefined && !probes.includes(q.probe))
    return err({
      kind: "bad_input",
      message: `probe: not a probe of ${q.source}; known: ${probes.join(", ") || "none"}.`,
    });
  const visible = await loadVisibleCase(ctx, q.caseId, "policy.explain");
  if (!visible.ok) return visible;
  const { record } = visible.value;
  const approvals = await approvalsForCase(ctx.policy, ctx.db, record);
  const answer = explain(ctx.policy, {
    roles: [q.role],
    phase: record.phase,
    source: q.source,
    field: q.field,
    probe: q.probe,
    approvals,
  });
  return ok({ ...answer, policyHash: ctx.policy.hash, phase: record.phase });
}

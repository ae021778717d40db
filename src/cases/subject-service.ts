import { auditBase, auditedTransaction, type OperationContext } from "../context/index.ts";
import { err, ok, parseSubjectKey, type Result } from "../shared/index.ts";
import { checksInEffect, loadVisibleCase } from "./case-access.ts";
import type { CaseError, CaseRecord } from "./case-record.ts";
import { caseRepository } from "./case-repository.ts";
import { logDenied, refusal, requireMotivation } from "./case-service.ts";
import { caseSubjectRepository, subjectAddedAudit } from "./case-subjects.ts";

const bad = (message: string) => err<CaseError>({ kind: "bad_input", message });

/**
 * Adds a subject to a case later (issue 11): an audited case change by the case's own analysts
 * (the roles that move the case, `case.transition`), with a motivation. From the protocol's
 * `subjects.checkRequiredIn` phases on it needs a privacy check in effect on this case that names
 * the subject, because the protocol widens the circle only by a recorded weighing (Maastricht
 * art. 17, 18.1; Delft art. 14, 16). Everything is checked before anything is written.
 */
export async function addCaseSubject(
  ctx: OperationContext,
  input: {
    readonly id: string;
    readonly subject: string;
    readonly motivation: string;
    readonly checkId?: string | null | undefined;
  },
): Promise<Result<CaseRecord, CaseError>> {
  const visible = await loadVisibleCase(ctx, input.id, "case.subject");
  if (!visible.ok) return visible;
  const { record, ability } = visible.value;
  const decision = ability.can("case.transition");
  if (!decision.allowed) return logDenied(ctx, record, "case.subject", refusal(decision));
  const motivationProblem = requireMotivation(input.motivation);
  if (motivationProblem) return err(motivationProblem);
  const key = parseSubjectKey(input.subject.trim());
  if (!key.ok) return bad(`subject: ${key.error}`);
  if (visible.value.restricted(key.value))
    return bad(
      "subject: processing of this subject is restricted in this case (GDPR art. 18); it cannot be added until the restriction is lifted.",
    );
  const existing = await caseSubjectRepository.keys(ctx.db, record.id);
  if (existing.has(key.value)) return bad("subject: already a subject of this case.");
  const rule = ctx.policy.protocol.subjects;
  const needsCheck = rule.checkRequiredIn.includes(record.phase);
  const checkId = input.checkId?.trim() || null;
  if (needsCheck && checkId === null)
    return bad(
      `checkId: in phase ${record.phase} a subject is added only with a privacy check in effect that names it (${rule.article}); request one naming ${key.value}.`,
    );
  if (checkId !== null) {
    const inEffect = checksInEffect(
      ctx.policy,
      record,
      await caseRepository.checksForCase(ctx.db, record.id),
    );
    const check = inEffect.find((c) => c.id === checkId);
    if (!check || !check.subjects.includes(key.value))
      return bad(
        "checkId: not a privacy check in effect on this case that names this subject (approved, in its phases).",
      );
  }
  const at = ctx.clock.now();
  const result = await auditedTransaction(ctx, async (tx) => {
    const added = await caseSubjectRepository.insert(tx, record.id, [key.value], {
      origin: "added",
      checkId,
      motivation: input.motivation.trim(),
      addedBy: ctx.actor.subject,
      addedAt: at,
    });
    // Added meanwhile by the case's other analyst: nothing to write, the answer is the same.
    if (added.length === 0) return { value: record, audit: [] };
    return {
      value: record,
      audit: [
        {
          ...auditBase(ctx, record),
          kind: "case" as const,
          operation: "case.subject",
          decision: "allow" as const,
          reason: decision.reason,
          detail: { subjects: 1, ...(checkId ? { checkId } : {}) },
        },
        subjectAddedAudit(ctx, record, key.value, "added", "a subject added to the case with a motivation", {
          ...(checkId ? { checkId } : {}),
        }),
      ],
    };
  });
  if (!result.ok) return err({ kind: "audit_failed", message: "The audit log could not be written." });
  return ok(result.value ?? record);
}

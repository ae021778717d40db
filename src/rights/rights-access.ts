import type { AuditEntry } from "../audit/index.ts";
import { loadVisibleCase, type CaseRecord, type VisibleCase } from "../cases/index.ts";
import { auditBase, type OperationContext } from "../context/index.ts";
import { buildActorAbility, type CaseAction } from "../policy/index.ts";
import { err, freeText, ok, parseBsn, type Bsn, type Decision, type Result } from "../shared/index.ts";
import { retentionEnd } from "./retention-end.ts";
import type { RightsError } from "./rights-record.ts";

export const AUDIT_FAILED: RightsError = {
  kind: "audit_failed",
  message: "The audit log could not be written.",
};
export const badInput = (message: string) => err<RightsError>({ kind: "bad_input", message });

/** An audit record of the rights workflow (kind `rights`), about a person when a BSN is given. */
export function rightsAudit(
  ctx: OperationContext,
  input: {
    readonly record?: CaseRecord | undefined;
    readonly operation: string;
    readonly bsn?: string | undefined;
    readonly decision: Decision | AuditEntry["decision"];
    readonly reason?: string | undefined;
    readonly detail?: Record<string, unknown> | undefined;
  },
): AuditEntry {
  const d = input.decision;
  return {
    ...auditBase(ctx, input.record, "rights"),
    kind: "rights",
    operation: input.operation,
    ...(input.bsn === undefined ? {} : { subject: input.bsn, subjectType: "bsn" as const }),
    decision: typeof d === "string" ? d : d.allowed ? "allow" : "deny",
    reason: input.reason ?? (typeof d === "string" ? "" : d.reason),
    detail: input.detail,
  };
}

/** Writes one record on its own (refusals); the error value when it could not be written. */
export async function logAlone(ctx: OperationContext, entry: AuditEntry): Promise<RightsError | undefined> {
  const logged = await ctx.audit.append([entry]);
  return logged.ok ? undefined : AUDIT_FAILED;
}

/**
 * The actor's role may take `action` without a case (roles.yaml); a refusal is audited and
 * FORBIDDEN before the input is judged, so a refused caller learns nothing from it.
 */
export async function actorMay(
  ctx: OperationContext,
  action: CaseAction,
  operation: string,
  about?: { readonly bsn?: string | undefined; readonly detail?: Record<string, unknown> | undefined },
): Promise<Result<Decision, RightsError>> {
  const decision = buildActorAbility(ctx.policy, ctx.actor).can(action);
  if (decision.allowed) return ok(decision);
  const bsn = about?.bsn !== undefined && parseBsn(about.bsn).ok ? about.bsn : undefined;
  const failed = await logAlone(ctx, rightsAudit(ctx, { operation, bsn, decision, detail: about?.detail }));
  return err(failed ?? { kind: "forbidden", message: "Not permitted." });
}

/**
 * The case, for an actor who may record rights on it (`subject.record`): NOT_FOUND exactly as for
 * any case the actor may not see, FORBIDDEN (audited) for one they see but may not record on. To
 * write, the case's retention period must not have ended: its data are due for destruction, and a
 * person recorded on it afterwards would outlive the purge (PHASE_CONFLICT).
 */
export async function caseForRecording(
  ctx: OperationContext,
  caseId: string,
  operation: string,
  purpose: "read" | "write" = "write",
): Promise<Result<{ visible: VisibleCase; reason: string }, RightsError>> {
  const visible = await loadVisibleCase(ctx, caseId, operation);
  if (!visible.ok) return visible;
  const decision = visible.value.ability.can("subject.record");
  if (!decision.allowed) {
    const failed = await logAlone(
      ctx,
      rightsAudit(ctx, { record: visible.value.record, operation, decision }),
    );
    return err(failed ?? { kind: "forbidden", message: "Not permitted." });
  }
  const end = retentionEnd(ctx.policy.protocol, visible.value.record);
  if (purpose === "write" && end instanceof Date && end <= ctx.clock.now())
    return err({
      kind: "phase_conflict",
      message: "The case's retention period has ended; its personal data are destroyed, not added to.",
    });
  return ok({ visible: visible.value, reason: decision.reason });
}

/** The case to record on and the person it concerns, both checked: what every rights mutation starts with. */
export async function subjectOnCase(
  ctx: OperationContext,
  caseId: string,
  bsnText: string,
  operation: string,
): Promise<Result<{ record: CaseRecord; bsn: Bsn; reason: string }, RightsError>> {
  const loaded = await caseForRecording(ctx, caseId, operation);
  if (!loaded.ok) return loaded;
  const bsn = bsnInput(bsnText);
  if (!bsn.ok) return bsn;
  return ok({ record: loaded.value.visible.record, bsn: bsn.value, reason: loaded.value.reason });
}

/** A BSN from the caller: 11-check validated. */
export function bsnInput(input: string): Result<Bsn, RightsError> {
  const bsn = parseBsn(input.trim());
  return bsn.ok ? bsn : badInput(`bsn: ${bsn.error.reason}`);
}

/** A date (`YYYY-MM-DD`, midnight UTC) or an ISO-8601 date-time with a zone. */
export function dateInput(input: string, field: string): Result<Date, RightsError> {
  const s = input.trim();
  const plain = /^\d{4}-\d{2}-\d{2}$/.test(s);
  const full = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(s);
  const d = new Date(plain ? `${s}T00:00:00Z` : s);
  if ((!plain && !full) || Number.isNaN(d.getTime()) || (plain && !d.toISOString().startsWith(s)))
    return badInput(`${field}: a date (YYYY-MM-DD) or a date-time with a zone (2026-05-01T10:00:00Z).`);
  return ok(d);
}

/** Free text the rights workflow requires: a motivation, an advice; never with a BSN in it. */
export function textInput(input: string, field: string, max = 4000): Result<string, RightsError> {
  const s = input.trim();
  if (s.length < 3) return badInput(`${field}: required.`);
  if (s.length > max) return badInput(`${field}: at most ${max} characters.`);
  return noBsn(s, field);
}

/**
 * Free text with no BSN in it (src/shared/free-text.ts): a person is named by the record's
 * subject, which destruction and the access report know about, not in its text.
 */
export function noBsn(input: string, field: string): Result<string, RightsError> {
  const text = freeText(input, field);
  return text.ok ? text : badInput(text.error.message);
}

const USER_ID = /^[A-Za-z0-9][A-Za-z0-9@._-]{0,127}$/;

/** A staff member's user id (who decided, whose advice). */
export function userIdInput(input: string, field: string): Result<string, RightsError> {
  const s = input.trim();
  return USER_ID.test(s) ? ok(s) : badInput(`${field}: a user id (letters, digits, @ . _ -).`);
}

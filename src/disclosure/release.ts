import type { AuditEntry } from "../audit/index.ts";
import type { VisibleCase } from "../cases/index.ts";
import { auditBase } from "../context/index.ts";
import { flagOf } from "../policy/index.ts";
import { err, ok, type Decision, type Result } from "../shared/index.ts";
import type { DisclosureContext, DisclosureError } from "./disclosure-context.ts";
import { auditSubject, subjectKey, type Subject } from "./subject.ts";

/** What every record about this subject from this source in this case shares. */
export function subjectAudit(
  ctx: DisclosureContext,
  c: VisibleCase,
  subject: Subject,
  source: string,
  operation: string,
) {
  const via = c.reachedVia(subjectKey(subject));
  return {
    ...auditBase(ctx, c.record),
    operation,
    source,
    ...auditSubject(subject),
    // A subject an approved hop reached in this operation is recorded as reached via it (issue 11).
    ...(via ? { detail: { reachedVia: via } as Readonly<Record<string, unknown>> } : {}),
  };
}

/** Commits the record, then lets the value go: no log, no data. */
export async function released<T>(
  ctx: DisclosureContext,
  entry: AuditEntry,
  value: T,
): Promise<Result<T, DisclosureError>> {
  const logged = await ctx.record(entry);
  return logged.ok ? ok(value) : err({ kind: "audit_failed" });
}

/**
 * Records a denial and answers FORBIDDEN (or an error if the record could not be written). A
 * refusal by one of the rules that look like enumeration (FLAGGED_RULES: not a case subject, over
 * the subject rate or the operation's reach, too many changed verify values) carries its flag in
 * `detail.flag`, which puts it in the privacy officer's queue of flagged events.
 */
export async function denied(
  ctx: DisclosureContext,
  c: VisibleCase,
  subject: Subject,
  source: string,
  operation: string,
  decision: Pick<Decision, "allowed" | "reason" | "ruleId">,
  extra: Partial<AuditEntry> = {},
): Promise<Result<never, DisclosureError>> {
  const flag = flagOf(decision);
  const base = subjectAudit(ctx, c, subject, source, operation);
  const detail = { ...base.detail, ...extra.detail, ...(flag ? { rule: decision.ruleId, flag } : {}) };
  const logged = await ctx.record({
    ...base,
    kind: "denial",
    decision: "deny",
    reason: decision.reason,
    ...extra,
    ...(Object.keys(detail).length > 0 ? { detail } : {}),
  });
  return logged.ok ? err({ kind: "forbidden" }) : err({ kind: "audit_failed" });
}

/** Records that an upstream failed (no data left) and answers UPSTREAM_UNAVAILABLE. */
export async function upstreamFailed(
  ctx: DisclosureContext,
  entry: AuditEntry,
  upstreamReason: string,
): Promise<Result<never, DisclosureError>> {
  const logged = await ctx.record({
    ...entry,
    decision: "error",
    detail: { ...entry.detail, upstream: upstreamReason },
  });
  return logged.ok ? err({ kind: "upstream" }) : err({ kind: "audit_failed" });
}

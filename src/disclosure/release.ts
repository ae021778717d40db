import type { AuditEntry } from "../audit/index.ts";
import type { VisibleCase } from "../cases/index.ts";
import { auditBase } from "../context/index.ts";
import { err, ok, type Result } from "../shared/index.ts";
import type { DisclosureContext, DisclosureError } from "./disclosure-context.ts";
import { auditSubject, type Subject } from "./subject.ts";

/** What every record about this subject from this source in this case shares. */
export function subjectAudit(
  ctx: DisclosureContext,
  c: VisibleCase,
  subject: Subject,
  source: string,
  operation: string,
) {
  return { ...auditBase(ctx, c.record), operation, source, ...auditSubject(subject) };
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

/** Records a denial and answers FORBIDDEN (or an error if the record could not be written). */
export async function denied(
  ctx: DisclosureContext,
  c: VisibleCase,
  subject: Subject,
  source: string,
  operation: string,
  reason: string,
  extra: Partial<AuditEntry> = {},
): Promise<Result<never, DisclosureError>> {
  const logged = await ctx.record({
    ...subjectAudit(ctx, c, subject, source, operation),
    kind: "denial",
    decision: "deny",
    reason,
    ...extra,
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

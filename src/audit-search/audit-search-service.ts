import type { AuditRecord } from "../audit/index.ts";
import type { CaseError } from "../cases/index.ts";
import { auditBase, type OperationContext } from "../context/index.ts";
import { buildActorAbility } from "../policy/index.ts";
import { err, ok, type Result } from "../shared/index.ts";
import {
  checkFirst,
  DEFAULT_FIRST,
  parseAfter,
  parseAuditFilter,
  type AuditLogFilterArgs,
  type AuditSearch,
} from "./audit-search-input.ts";

/** The operation of the search's own audit record. */
export const AUDIT_SEARCH_OPERATION = "audit.search";

export interface AuditSearchArgs {
  readonly filter: AuditLogFilterArgs;
  readonly first?: number | null | undefined;
  readonly after?: string | null | undefined;
}

export interface AuditLogPage {
  readonly records: readonly AuditRecord[];
  /** The last record's seq, to pass as `after` for the next page. */
  readonly endCursor: string | null;
  readonly hasNextPage: boolean;
}

const auditFailed = () =>
  err<CaseError>({ kind: "audit_failed", message: "The audit log could not be written." });

/**
 * The search as it is recorded: the subject only as the log's keyed pseudonym (the same one its
 * records carry), never the BSN, KvK number or address the searcher typed.
 */
function recordedFilter(ctx: OperationContext, q: AuditSearch, first: number, after: number | undefined) {
  return {
    ...(q.subject
      ? { subject: { type: q.subject.type, pseudonym: ctx.audit.pseudonymise(q.subject.id, q.subject.type) } }
      : {}),
    actor: q.actor ?? null,
    caseId: q.caseId ?? null,
    source: q.source ?? null,
    operation: q.operation ?? null,
    decision: q.decision ?? null,
    from: q.from?.toISOString() ?? null,
    to: q.to?.toISOString() ?? null,
    first,
    after: after ?? null,
  };
}

/**
 * Searches the processing log for the roles the policy grants `audit.read` (roles.yaml: the
 * privacy officer and the FG; Delft art. 6b-c, 9). Deny by default: any other caller is refused
 * FORBIDDEN and the refusal is logged. The search itself is an audit record (kind `access`,
 * operation `audit.search`, the filter with the subject pseudonymised), written before anything is
 * read: no log, no answer (Delft art. 6b). Records in seq order, at most `first` (default 50, at
 * most 200) after the cursor `after`.
 */
export async function searchAuditLog(
  ctx: OperationContext,
  args: AuditSearchArgs,
): Promise<Result<AuditLogPage, CaseError>> {
  const decision = buildActorAbility(ctx.policy, ctx.actor).can("audit.read");
  const parsed = parseAuditFilter(args.filter);
  const problem = checkFirst(args.first);
  const after = parseAfter(args.after);
  const first = args.first ?? DEFAULT_FIRST;
  const valid = parsed.ok && !problem && after.ok;
  const log = (detail: Record<string, unknown>, caseId?: string) =>
    ctx.audit.append([
      {
        ...auditBase(ctx, undefined, "accountability"),
        ...(caseId ? { caseId } : {}),
        kind: "access",
        operation: AUDIT_SEARCH_OPERATION,
        decision: decision.allowed ? "allow" : "deny",
        reason: decision.reason,
        detail,
      },
    ]);
  if (!decision.allowed) {
    // A refused caller learns nothing, not even whether its filter was right.
    const refused = await log({
      filter: valid ? recordedFilter(ctx, parsed.value, first, after.value) : "invalid",
    });
    return refused.ok ? err({ kind: "forbidden", message: "Not permitted." }) : auditFailed();
  }
  if (!parsed.ok) return err({ kind: "bad_input", message: parsed.error });
  if (problem) return err({ kind: "bad_input", message: problem });
  if (!after.ok) return err({ kind: "bad_input", message: after.error });
  const logged = await log(
    { filter: recordedFilter(ctx, parsed.value, first, after.value) },
    parsed.value.caseId,
  );
  if (!logged.ok) return auditFailed();
  const q = parsed.value;
  const found = await ctx.audit.list({
    ...(q.subject ? { subject: q.subject.id, subjectType: q.subject.type } : {}),
    actor: q.actor,
    caseId: q.caseId,
    source: q.source,
    operation: q.operation,
    decision: q.decision,
    from: q.from,
    to: q.to,
    afterSeq: after.value,
    limit: first + 1,
  });
  const records = found.slice(0, first);
  return ok({
    records,
    endCursor: records.length > 0 ? String(records.at(-1)!.seq) : null,
    hasNextPage: found.length > first,
  });
}

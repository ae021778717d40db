import type { AuditEntry } from "../audit/index.ts";
import { err, ok, type Result } from "../shared/index.ts";
import type { Queryable } from "../store/index.ts";
import type { OperationContext } from "./operation-context.ts";

class AuditWriteFailed extends Error {}

/**
 * Runs a change and its audit records in one transaction: both are committed or neither is
 * (no change without its log, no log of a change that did not happen). `work` returns the value
 * and the records, or `undefined` when a compare-and-set found the row changed meanwhile.
 */
export async function auditedTransaction<T>(
  ctx: OperationContext,
  work: (tx: Queryable) => Promise<{ value: T; audit: readonly AuditEntry[] } | undefined>,
): Promise<Result<T | undefined, "audit_failed">> {
  try {
    const value = await ctx.db.transaction(async (tx) => {
      const done = await work(tx);
      if (!done) return undefined;
      const logged = await ctx.audit.append(done.audit, tx);
      if (!logged.ok) throw new AuditWriteFailed();
      return done.value;
    });
    return ok(value);
  } catch (e) {
    if (e instanceof AuditWriteFailed) return err("audit_failed");
    throw e;
  } finally {
    // What this operation read of its cases may have changed now: read afresh from here on.
    ctx.caseViews?.clear();
  }
}

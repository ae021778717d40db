import { auditBase, auditedTransaction, type OperationContext } from "../context/index.ts";
import { err, freeText, ok, type Result } from "../shared/index.ts";
import { asDate, asDateOrNull, type Queryable } from "../store/index.ts";
import { loadVisibleCase, refuseAudited, type VisibleCase } from "./case-access.ts";
import type { CaseError, CaseRecord } from "./case-record.ts";

/**
 * The reporter of a signal, kept apart from the signal (Maastricht art. 6.1; Delft art. 4): only
 * the case's analysts read it, to communicate with the reporter, and it is destroyed once the case
 * records that receipt was acknowledged (or with the case by the retention purge).
 */
export interface ReporterInput {
  readonly name: string;
  readonly contact: string;
}

export interface ReporterRecord {
  readonly name: string | null;
  readonly contact: string | null;
  readonly recordedAt: Date;
  readonly acknowledgedAt: Date | null;
  readonly destroyedAt: Date | null;
  readonly destroyedReason: string | null;
}

const bad = (message: string) => err<CaseError>({ kind: "bad_input", message });

/** Checks the reporter's data before anything is written: lengths, and no BSN (issue 10). */
export function validateReporter(
  input: ReporterInput | null | undefined,
): Result<ReporterInput | undefined, CaseError> {
  if (!input) return ok(undefined);
  const name = input.name.trim();
  const contact = input.contact.trim();
  if (name.length === 0 || name.length > 120) return bad("reporter.name: 1 to 120 characters.");
  if (contact.length === 0 || contact.length > 200)
    return bad(
      "reporter.contact: 1 to 200 characters (an e-mail address, a phone number or a postal address).",
    );
  for (const [value, argument] of [
    [name, "reporter.name"],
    [contact, "reporter.contact"],
  ] as const) {
    const text = freeText(value, argument);
    if (!text.ok) return bad(text.error.message);
  }
  return ok({ name, contact });
}

const toReporter = (r: Record<string, unknown>): ReporterRecord => ({
  name: r.name === null ? null : String(r.name),
  contact: r.contact === null ? null : String(r.contact),
  recordedAt: asDate(r.recorded_at),
  acknowledgedAt: asDateOrNull(r.acknowledged_at),
  destroyedAt: asDateOrNull(r.destroyed_at),
  destroyedReason: r.destroyed_reason === null ? null : String(r.destroyed_reason),
});

export const reporterRepository = {
  async insert(db: Queryable, caseId: string, r: ReporterInput, at: Date): Promise<void> {
    await db.query(
      "INSERT INTO signal_reporters (case_id, name, contact, recorded_at) VALUES ($1, $2, $3, $4)",
      [caseId, r.name, r.contact, at],
    );
  },
  async get(db: Queryable, caseId: string): Promise<ReporterRecord | undefined> {
    const rows = await db.query<Record<string, unknown>>(
      "SELECT * FROM signal_reporters WHERE case_id = $1",
      [caseId],
    );
    return rows[0] ? toReporter(rows[0]) : undefined;
  },
  /** Destroys the name and contact once; returns the rows touched (0 when already destroyed). */
  async destroy(
    db: Queryable,
    caseId: string,
    at: Date,
    reason: string,
    acknowledged: boolean,
  ): Promise<number> {
    const rows = await db.query(
      `UPDATE signal_reporters SET name = NULL, contact = NULL, destroyed_at = $2, destroyed_reason = $3,
         acknowledged_at = CASE WHEN $4 THEN $2 ELSE acknowledged_at END
        WHERE case_id = $1 AND destroyed_at IS NULL RETURNING case_id`,
      [caseId, at, reason, acknowledged],
    );
    return rows.length;
  },
};

/**
 * The reporter's data for the case's analysts (action `reporter.read`), audited before they leave;
 * for anyone else nothing. Undefined when the signal has no reporter data.
 */
export async function visibleReporter(
  ctx: OperationContext,
  c: VisibleCase,
): Promise<Result<ReporterRecord | undefined, CaseError>> {
  const decision = c.ability.can("reporter.read");
  if (!decision.allowed) return ok(undefined);
  const reporter = await reporterRepository.get(ctx.db, c.record.id);
  if (!reporter) return ok(undefined);
  const logged = await ctx.audit.append([
    {
      ...auditBase(ctx, c.record),
      kind: "access",
      operation: "case.reporter.read",
      decision: "allow",
      reason: decision.reason,
      detail: { destroyed: reporter.destroyedAt !== null },
    },
  ]);
  if (!logged.ok) return err({ kind: "audit_failed", message: "The audit log could not be written." });
  return ok(reporter);
}

/**
 * The case records that the reporter was told the signal was received (Maastricht art. 6.1; Delft
 * art. 4): the reporter's name and contact are destroyed in the same transaction, with a
 * destruction record in the audit log. Repeating it changes nothing.
 */
export async function acknowledgeSignalReceipt(
  ctx: OperationContext,
  id: string,
): Promise<Result<CaseRecord, CaseError>> {
  const visible = await loadVisibleCase(ctx, id, "case.reporter.acknowledge");
  if (!visible.ok) return visible;
  const { record, ability } = visible.value;
  const decision = ability.can("reporter.read");
  if (!decision.allowed)
    return refuseAudited(ctx, record, {
      kind: "denial",
      operation: "case.reporter.acknowledge",
      reason: decision.reason,
    });
  if (!(await reporterRepository.get(ctx.db, record.id)))
    return bad("id: this case's signal has no reporter data to destroy.");
  const at = ctx.clock.now();
  const done = await auditedTransaction(ctx, async (tx) => {
    const destroyed = await reporterRepository.destroy(tx, record.id, at, "receipt acknowledged", true);
    return {
      value: record,
      audit:
        destroyed === 0
          ? []
          : [
              {
                ...auditBase(ctx, record, "retention"),
                kind: "retention" as const,
                operation: "reporter.destroy",
                decision: "allow" as const,
                reason: `receipt acknowledged: the reporter's data go (${decision.reason})`,
                detail: {
                  categories: ["reporter name and contact"],
                  rule: "Maastricht art. 6.1; Delft art. 4",
                },
              },
            ],
    };
  });
  if (!done.ok) return err({ kind: "audit_failed", message: "The audit log could not be written." });
  return ok(record);
}

import { auditBase, type OperationContext } from "../context/index.ts";
import { buildActorAbility } from "../policy/index.ts";
import { err, ok, type Decision, type Result } from "../shared/index.ts";
import { destructionRecords, type DestructionRecord } from "./destruction-records.ts";
import { POSTGRES_DESTRUCTION_NOTICE } from "./purge.ts";
import {
  encodeCursor,
  parseRecordsQuery,
  yearPeriod,
  type RecordsArgs,
  type RecordsQuery,
} from "./records-input.ts";

/**
 * The records manager's view of the destruction records (issue 13): Maastricht art. 10.3 wants it
 * written down when, how and on what ground data were destroyed, "so that the municipality can
 * account for it"; the purge writes those records (destruction_records), this reads them. For the
 * roles the policy grants `retention.read` (roles.yaml: the privacy officer and the FG, as there
 * is no records manager's role yet); deny by default. Every call, a refused one too, is one audit
 * record (kind `access`, operation `retention.records`), written before anything is read.
 */

export const RECORDS_OPERATION = "retention.records";

/** Structurally a subset of the case errors, so the GraphQL layer maps them the same way. */
export interface RecordsError {
  readonly kind: "forbidden" | "bad_input" | "audit_failed";
  readonly message: string;
}

export interface DestructionRecordPage {
  readonly records: readonly DestructionRecord[];
  readonly endCursor: string | null;
  readonly hasNextPage: boolean;
  /** On PostgreSQL: copies outside the tables the operator must let expire; null on PGlite. */
  readonly operatorNotice: string | null;
}

const auditFailed = () =>
  err<RecordsError>({ kind: "audit_failed", message: "The audit log could not be written." });

/** What the destroyed data's copies outside the tables are, for this database. */
export const operatorNoticeFor = (ctx: Pick<OperationContext, "db">): string | null =>
  ctx.db.dialect === "postgres" ? POSTGRES_DESTRUCTION_NOTICE : null;

async function log(
  ctx: OperationContext,
  decision: Decision,
  detail: Record<string, unknown>,
): Promise<boolean> {
  const logged = await ctx.audit.append([
    {
      ...auditBase(ctx),
      kind: "access",
      operation: RECORDS_OPERATION,
      decision: decision.allowed ? "allow" : "deny",
      reason: decision.reason,
      detail,
    },
  ]);
  return logged.ok;
}

const recorded = (q: RecordsQuery) => ({
  from: q.from?.toISOString() ?? null,
  to: q.to?.toISOString() ?? null,
  first: q.first,
  after: q.after ? encodeCursor(q.after) : null,
});

/**
 * One page of the destruction records of a period, oldest first (`from` inclusive, `to`
 * exclusive, at most `first` after the cursor `after`). A refused caller learns nothing, not even
 * whether its arguments were right.
 */
export async function destructionRecordsFor(
  ctx: OperationContext,
  args: RecordsArgs,
): Promise<Result<DestructionRecordPage, RecordsError>> {
  const decision = buildActorAbility(ctx.policy, ctx.actor).can("retention.read");
  const parsed = parseRecordsQuery(args);
  if (!decision.allowed) {
    const logged = await log(ctx, decision, { query: parsed.ok ? recorded(parsed.value) : "invalid" });
    return logged ? err({ kind: "forbidden", message: "Not permitted." }) : auditFailed();
  }
  if (!parsed.ok) return err({ kind: "bad_input", message: parsed.error });
  const q = parsed.value;
  if (!(await log(ctx, decision, { query: recorded(q) }))) return auditFailed();
  const found = await destructionRecords.page(ctx.db, {
    from: q.from,
    to: q.to,
    after: q.after,
    limit: q.first + 1,
  });
  const records = found.slice(0, q.first);
  const last = records.at(-1);
  return ok({
    records,
    endCursor: last ? encodeCursor(last) : null,
    hasNextPage: found.length > q.first,
    operatorNotice: operatorNoticeFor(ctx),
  });
}

const YEAR_PAGE = 1000;

/**
 * Every destruction record of a calendar year (UTC), for `npm run retention -- records`: the
 * same permission and one audit record for the whole year (detail `year`), then read page by
 * page.
 */
export async function destructionRecordsOfYear(
  ctx: OperationContext,
  year: number,
): Promise<
  Result<
    { readonly records: readonly DestructionRecord[]; readonly from: Date; readonly to: Date },
    RecordsError
  >
> {
  const decision = buildActorAbility(ctx.policy, ctx.actor).can("retention.read");
  const period = yearPeriod(year);
  const detail = period.ok
    ? { year, from: period.value.from.toISOString(), to: period.value.to.toISOString() }
    : { year: "invalid" };
  if (!decision.allowed)
    return (await log(ctx, decision, detail))
      ? err({ kind: "forbidden", message: "Not permitted." })
      : auditFailed();
  if (!period.ok) return err({ kind: "bad_input", message: period.error });
  if (!(await log(ctx, decision, detail))) return auditFailed();
  const { from, to } = period.value;
  const records: DestructionRecord[] = [];
  for (;;) {
    const last = records.at(-1);
    const page = await destructionRecords.page(ctx.db, { from, to, after: last, limit: YEAR_PAGE });
    records.push(...page);
    if (page.length < YEAR_PAGE) break;
  }
  return ok({ records, from, to });
}

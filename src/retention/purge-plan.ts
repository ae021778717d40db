import { countRecordsBefore } from "../audit/index.ts";
import type { Protocol } from "../policy/index.ts";
import type { Queryable } from "../store/index.ts";
import {
  auditCutoff,
  auditRetentionRule,
  caseRetentionRule,
  retentionEnd,
  type CaseRetentionRule,
  type RetentionRule,
} from "./retention-rules.ts";

/** A closed case whose retention period has ended and whose personal data are still there. */
export interface DueCase {
  readonly caseId: string;
  readonly outcome: string;
  readonly closedAt: Date;
  readonly dueAt: Date;
  readonly rule: CaseRetentionRule;
}

/** A closed case the job leaves alone because no rule of the loaded protocol applies to it. */
export interface PassedOverCase {
  readonly caseId: string;
  readonly reason: string;
}

/** What is due at `at`, and why: the dry run prints it, the purge carries it out. */
export interface PurgePlan {
  readonly at: Date;
  readonly protocolId: string;
  readonly due: readonly DueCase[];
  /** Closed cases whose retention period runs on. */
  readonly notYetDue: number;
  readonly passedOver: readonly PassedOverCase[];
  /** Audit records written before `cutoff` that are not tombstones yet. */
  readonly audit: { readonly rule: RetentionRule; readonly cutoff: Date; readonly records: number };
}

interface ClosedRow {
  id: string;
  protocol_id: string;
  outcome: string | null;
  closed_at: Date | null;
}

/**
 * Reads which closed, not yet destroyed cases are due at `at` under the rules of `protocol`, and
 * how many audit records have passed the audit retention. Reads case metadata only (ids,
 * outcomes, dates), never personal data. A case of another protocol, or with an outcome the
 * protocol does not know, is passed over with the reason: the job never destroys by a guess.
 */
export async function planPurge(db: Queryable, protocol: Protocol, at: Date): Promise<PurgePlan> {
  const rows = await db.query<ClosedRow>(
    `SELECT id, protocol_id, outcome, closed_at FROM cases
      WHERE status = 'closed' AND destroyed_at IS NULL ORDER BY closed_at, id`,
  );
  const due: DueCase[] = [];
  const passedOver: PassedOverCase[] = [];
  let notYetDue = 0;
  for (const row of rows) {
    if (row.protocol_id !== protocol.id) {
      passedOver.push({
        caseId: row.id,
        reason: `closed under protocol ${row.protocol_id}, not the loaded protocol ${protocol.id}`,
      });
      continue;
    }
    const rule = row.outcome === null ? undefined : caseRetentionRule(protocol, row.outcome);
    if (!rule || row.closed_at === null) {
      passedOver.push({
        caseId: row.id,
        reason: `outcome ${row.outcome ?? "(none)"} has no retention rule in protocol ${protocol.id}`,
      });
      continue;
    }
    const closedAt = new Date(row.closed_at);
    const dueAt = retentionEnd(closedAt, rule);
    if (dueAt.getTime() <= at.getTime())
      due.push({ caseId: row.id, outcome: rule.outcome, closedAt, dueAt, rule });
    else notYetDue += 1;
  }
  const rule = auditRetentionRule(protocol);
  const cutoff = auditCutoff(at, rule);
  return {
    at,
    protocolId: protocol.id,
    due,
    notYetDue,
    passedOver,
    audit: { rule, cutoff, records: await countRecordsBefore(db, cutoff) },
  };
}

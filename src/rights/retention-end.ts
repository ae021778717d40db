import type { CaseRecord } from "../cases/index.ts";
import type { Protocol } from "../policy/index.ts";
import { caseRetentionRule, retentionEnd as dueAt } from "../retention/index.ts";

/**
 * When a case's personal data are due for destruction, by the same rule the purge applies
 * (src/retention: closed_at plus its outcome's retention; Maastricht art. 10.2, 21.2; Delft art.
 * 7): `open` while the case is open; `unknown` when the loaded protocol is not the case's or does
 * not know its outcome, for then the purge passes the case over too.
 */
export function retentionEnd(protocol: Protocol, record: CaseRecord): Date | "open" | "unknown" {
  if (record.status === "open" || record.closedAt === null) return "open";
  if (record.protocolId !== protocol.id || record.outcome === null) return "unknown";
  const rule = caseRetentionRule(protocol, record.outcome);
  return rule ? dueAt(record.closedAt, rule) : "unknown";
}

export const retentionEndText = (end: Date | "open" | "unknown"): string =>
  end instanceof Date ? end.toISOString() : end;

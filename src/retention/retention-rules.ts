import type { Protocol } from "../policy/index.ts";
import { addDuration, subtractDuration } from "../shared/index.ts";

/** A retention rule of the protocol file, as a destruction record names it. */
export interface RetentionRule {
  /** e.g. `outcome afgerond: P5Y after closing (Maastricht art. 10.2c, art. 21.2)`. */
  readonly description: string;
  /** ISO-8601 duration. */
  readonly retention: string;
  readonly legalBasis: string;
}

export interface CaseRetentionRule extends RetentionRule {
  readonly outcome: string;
}

const withArticle = (text: string, article: string | undefined) => (article ? `${text} (${article})` : text);

/** The rule for cases closed with `outcome` under `protocol`; undefined when it has no such outcome. */
export function caseRetentionRule(protocol: Protocol, outcome: string): CaseRetentionRule | undefined {
  const def = protocol.outcomes.find((o) => o.id === outcome);
  if (!def) return undefined;
  return {
    outcome: def.id,
    retention: def.retention,
    legalBasis: def.legalBasis,
    description: withArticle(`outcome ${def.id}: ${def.retention} after closing`, def.article),
  };
}

/** Delft art. 7d: audit records at most this long after they were written. */
export function auditRetentionRule(protocol: Protocol): RetentionRule {
  const { retention, legalBasis, article } = protocol.auditRetention;
  return {
    retention,
    legalBasis,
    description: withArticle(`audit records: ${retention} after writing`, article),
  };
}

/**
 * When a case closed at `closedAt` under `rule` must be destroyed. Exported for whoever has to
 * act before that moment (Delft art. 10f: inform the subject at least 3 months before).
 */
export const retentionEnd = (closedAt: Date, rule: Pick<RetentionRule, "retention">): Date =>
  addDuration(closedAt, rule.retention);

/** Audit records written before this moment are due at `now`. */
export const auditCutoff = (now: Date, rule: Pick<RetentionRule, "retention">): Date =>
  subtractDuration(now, rule.retention);

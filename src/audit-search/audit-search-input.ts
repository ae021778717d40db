import type { AuditDecision, SubjectType } from "../audit/index.ts";
import { parseSince } from "../flagged/index.ts";
import { auditIdOfKey, checkSubjectKey, err, ok, type Result } from "../shared/index.ts";

export const DEFAULT_FIRST = 50;
export const MAX_FIRST = 200;
const MAX_TEXT = 200;

export const DECISIONS: readonly AuditDecision[] = ["allow", "deny", "error"];

/** How each subject type is written as a subject key (src/shared/subject-key.ts). */
const KEY_KIND: Readonly<Record<SubjectType, string>> = {
  bsn: "persoon",
  kvkNummer: "onderneming",
  bagId: "object",
  adres: "adres",
};

/** The filter as GraphQL (or the CLI) gives it, null as absent. */
export interface AuditLogFilterArgs {
  readonly subject?: { readonly type: SubjectType; readonly id: string } | null | undefined;
  readonly actor?: string | null | undefined;
  readonly caseId?: string | null | undefined;
  readonly source?: string | null | undefined;
  readonly operation?: string | null | undefined;
  readonly decision?: string | null | undefined;
  readonly from?: string | null | undefined;
  readonly to?: string | null | undefined;
}

/** The checked search: the subject normalised (raw, for the log to pseudonymise), the period as moments. */
export interface AuditSearch {
  readonly subject?: { readonly id: string; readonly type: SubjectType } | undefined;
  readonly actor?: string | undefined;
  readonly caseId?: string | undefined;
  readonly source?: string | undefined;
  readonly operation?: string | undefined;
  readonly decision?: AuditDecision | undefined;
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
}

export const FILTER_RULE =
  "subject (type bsn with a BSN that passes the 11-check, kvkNummer with 8 digits, bagId with a 16-digit BAG id, adres as <postcode>-<huisnummer><huisletter>[-<toevoeging>]), actor, caseId, source, operation (each at most 200 characters), decision (allow, deny or error), from and to (a date YYYY-MM-DD or an ISO 8601 date-time), from not after to";
export const FIRST_RULE = `a whole number from 1 to ${MAX_FIRST} (default ${DEFAULT_FIRST})`;
export const AFTER_RULE = "the endCursor of an earlier page (a record's seq)";

const given = <T>(v: T | null | undefined): v is T => v !== null && v !== undefined;

/** A date as the end of a period: the whole day counts (to: 2026-12-01 includes 1 December). */
function parseTo(value: string): Result<Date, string> {
  const at = parseSince(value);
  if (!at.ok || !at.value)
    return err("filter.to: a date (YYYY-MM-DD, the whole day) or an ISO 8601 date-time.");
  return ok(value.length === 10 ? new Date(at.value.getTime() + 86_400_000) : at.value);
}

/**
 * Every criterion checked; the first problem names its argument (`filter.subject.id`, …) and the
 * rule, never the value, so a bad BSN is not echoed back (or into a log line).
 */
export function parseAuditFilter(args: AuditLogFilterArgs): Result<AuditSearch, string> {
  let subject: AuditSearch["subject"];
  if (given(args.subject)) {
    const kind = KEY_KIND[args.subject.type];
    if (!kind) return err("filter.subject.type: one of bsn, kvkNummer, bagId, adres.");
    const key = checkSubjectKey(`${kind}:${String(args.subject.id)}`);
    if (!key.ok) return err(`filter.subject.id: ${key.error}`);
    const { subject: id, subjectType } = auditIdOfKey(key.value);
    subject = { id, type: subjectType };
  }
  for (const name of ["actor", "caseId", "source", "operation"] as const) {
    const v = args[name];
    if (given(v) && (String(v).trim() === "" || String(v).length > MAX_TEXT))
      return err(`filter.${name}: 1 to ${MAX_TEXT} characters.`);
  }
  if (given(args.decision) && !DECISIONS.includes(args.decision as AuditDecision))
    return err(`filter.decision: one of ${DECISIONS.join(", ")}.`);
  let from: Date | undefined;
  if (given(args.from)) {
    const at = parseSince(args.from);
    if (!at.ok) return err("filter.from: a date (YYYY-MM-DD, from 00:00 UTC) or an ISO 8601 date-time.");
    from = at.value;
  }
  let to: Date | undefined;
  if (given(args.to)) {
    const at = parseTo(args.to);
    if (!at.ok) return at;
    to = at.value;
  }
  if (from && to && from.getTime() >= to.getTime()) return err("filter.from: must be before filter.to.");
  return ok({
    ...(subject ? { subject } : {}),
    ...(given(args.actor) ? { actor: args.actor } : {}),
    ...(given(args.caseId) ? { caseId: args.caseId } : {}),
    ...(given(args.source) ? { source: args.source } : {}),
    ...(given(args.operation) ? { operation: args.operation } : {}),
    ...(given(args.decision) ? { decision: args.decision as AuditDecision } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  });
}

export function checkFirst(value: unknown): string | undefined {
  return !given(value) ||
    (Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_FIRST)
    ? undefined
    : `first: ${FIRST_RULE}.`;
}

/** The cursor as a seq; undefined for the first page. */
export function parseAfter(value: unknown): Result<number | undefined, string> {
  if (!given(value)) return ok(undefined);
  const text = String(value);
  return /^(0|[1-9][0-9]{0,14})$/.test(text) ? ok(Number(text)) : err(`after: ${AFTER_RULE}.`);
}

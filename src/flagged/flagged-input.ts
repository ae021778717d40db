import { PATTERN_FLAGS } from "../audit/index.ts";
import { FLAGGED_RULES } from "../policy/index.ts";
import { err, freeText, isIsoDate, ok, type Result } from "../shared/index.ts";

/** The flags a refusal can carry (src/policy/binding.ts FLAGGED_RULES), in the policy's order. */
export const FLAGS: readonly string[] = Object.freeze(Object.values(FLAGGED_RULES));

/** Every flag the queue holds: the refusals' and the patterns' in the audit log (issue 13). */
export const QUEUE_FLAGS: readonly string[] = Object.freeze([...FLAGS, ...Object.values(PATTERN_FLAGS)]);

export const DEFAULT_FIRST = 50;
export const MAX_FIRST = 200;
export const MAX_NOTE = 1000;

/** The queue's arguments as GraphQL gives them (null as absent). */
export interface FlaggedArgs {
  readonly since?: string | null | undefined;
  readonly caseId?: string | null | undefined;
  readonly flag?: string | null | undefined;
  readonly first?: number | null | undefined;
  readonly includeReviewed?: boolean | null | undefined;
}

export interface FlaggedQuery {
  readonly since?: Date | undefined;
  readonly caseId?: string | undefined;
  readonly flag?: string | undefined;
  readonly first: number;
  readonly includeReviewed: boolean;
}

export const SINCE_RULE = "a date (YYYY-MM-DD, from 00:00 UTC) or an ISO 8601 date-time with Z or an offset";
export const FLAG_RULE = `one of the flags: ${QUEUE_FLAGS.join(", ")}`;
export const FIRST_RULE = `a whole number from 1 to ${MAX_FIRST} (default ${DEFAULT_FIRST})`;

const DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** `since` as a moment; the problem (naming the argument and the rule, not the value) otherwise. */
export function parseSince(value: unknown): Result<Date | undefined, string> {
  if (value === undefined || value === null) return ok(undefined);
  const text = String(value);
  // The date part must exist (no 2026-02-30, which Date would roll over into March).
  const at =
    DATE_TIME.test(text) && isIsoDate(text.slice(0, 10))
      ? new Date(text.length === 10 ? `${text}T00:00:00Z` : text)
      : undefined;
  return at && !Number.isNaN(at.getTime()) ? ok(at) : err(`since: ${SINCE_RULE}.`);
}

export function checkFlag(value: unknown): string | undefined {
  return value === undefined || value === null || QUEUE_FLAGS.includes(String(value))
    ? undefined
    : `flag: ${FLAG_RULE}.`;
}

export function checkFirst(value: unknown): string | undefined {
  return value === undefined ||
    value === null ||
    (Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_FIRST)
    ? undefined
    : `first: ${FIRST_RULE}.`;
}

/** Every argument checked; the first problem names its argument and rule. */
export function parseFlaggedArgs(args: FlaggedArgs): Result<FlaggedQuery, string> {
  const since = parseSince(args.since);
  if (!since.ok) return since;
  const problem = checkFlag(args.flag) ?? checkFirst(args.first);
  if (problem) return err(problem);
  return ok({
    ...(since.value ? { since: since.value } : {}),
    ...(args.caseId ? { caseId: args.caseId } : {}),
    ...(args.flag ? { flag: args.flag } : {}),
    first: args.first ?? DEFAULT_FIRST,
    includeReviewed: args.includeReviewed === true,
  });
}

/** The review's note: 3 to MAX_NOTE characters, no BSN (like every free text of the workflow). */
export function parseNote(note: string): Result<string, string> {
  if (note.trim().length < 3) return err("note: say in at least 3 characters what was found.");
  if (note.length > MAX_NOTE) return err(`note: at most ${MAX_NOTE} characters.`);
  const checked = freeText(note, "note");
  return checked.ok ? ok(note) : err(checked.error.message);
}

import { err, isIsoDate, ok, type Result } from "../shared/index.ts";

/**
 * The arguments of the records manager's view of the destruction records (issue 13; Maastricht
 * art. 10.3): a period and a page. The GraphQL edge (src/server/argument-rules.ts) and the use
 * case check them with these same functions; a message names the argument and the rule, never the
 * value.
 */

export const RECORDS_DEFAULT_FIRST = 50;
export const RECORDS_MAX_FIRST = 200;
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2100;

export const PERIOD_RULE =
  "a date (YYYY-MM-DD) or an ISO 8601 date-time; from inclusive (a date from 00:00 UTC), to exclusive (a date includes that whole day); from before to";
export const FIRST_RULE = `a whole number from 1 to ${RECORDS_MAX_FIRST} (default ${RECORDS_DEFAULT_FIRST})`;
export const AFTER_RULE = "the endCursor of an earlier page";

const DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const DAY_MS = 86_400_000;

export interface RecordsArgs {
  readonly from?: string | null | undefined;
  readonly to?: string | null | undefined;
  readonly first?: number | null | undefined;
  readonly after?: string | null | undefined;
}

/** The position after a record in the order (destroyed_at, id). */
export interface RecordsCursor {
  readonly destroyedAt: Date;
  readonly id: string;
}

export interface RecordsQuery {
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
  readonly first: number;
  readonly after?: RecordsCursor | undefined;
}

const given = <T>(v: T | null | undefined): v is T => v !== null && v !== undefined;

/** A moment; a date alone is its 00:00 UTC, or with `endOfDay` the next day's (to is exclusive). */
function moment(name: "from" | "to", value: unknown): Result<Date | undefined, string> {
  if (!given(value)) return ok(undefined);
  const text = String(value);
  const at =
    DATE_TIME.test(text) && isIsoDate(text.slice(0, 10))
      ? new Date(text.length === 10 ? `${text}T00:00:00Z` : text)
      : undefined;
  if (!at || Number.isNaN(at.getTime())) return err(`${name}: ${PERIOD_RULE}.`);
  return ok(name === "to" && text.length === 10 ? new Date(at.getTime() + DAY_MS) : at);
}

/** `from` and `to` together: each a moment, `from` before `to`. */
export function checkPeriod(args: { readonly from?: unknown; readonly to?: unknown }): string | undefined {
  const from = moment("from", args.from);
  if (!from.ok) return from.error;
  const to = moment("to", args.to);
  if (!to.ok) return to.error;
  return from.value && to.value && from.value.getTime() >= to.value.getTime()
    ? `from, to: ${PERIOD_RULE}.`
    : undefined;
}

export function checkFirst(value: unknown): string | undefined {
  return !given(value) ||
    (Number.isInteger(value) && (value as number) >= 1 && (value as number) <= RECORDS_MAX_FIRST)
    ? undefined
    : `first: ${FIRST_RULE}.`;
}

export const encodeCursor = (c: RecordsCursor): string =>
  Buffer.from(JSON.stringify([c.destroyedAt.toISOString(), c.id]), "utf8").toString("base64url");

export function parseAfter(value: unknown): Result<RecordsCursor | undefined, string> {
  if (!given(value)) return ok(undefined);
  const bad = err(`after: ${AFTER_RULE}.`);
  if (typeof value !== "string" || value.length > 400 || !/^[A-Za-z0-9_-]+$/.test(value)) return bad;
  try {
    const decoded = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as unknown;
    if (!Array.isArray(decoded) || decoded.length !== 2) return bad;
    const [at, id] = decoded as unknown[];
    if (typeof at !== "string" || typeof id !== "string" || id.length === 0 || id.length > 200) return bad;
    const destroyedAt = new Date(at);
    if (Number.isNaN(destroyedAt.getTime()) || destroyedAt.toISOString() !== at) return bad;
    return ok({ destroyedAt, id });
  } catch {
    return bad;
  }
}

/** Every argument checked; the first problem names its argument and rule. */
export function parseRecordsQuery(args: RecordsArgs): Result<RecordsQuery, string> {
  const period = checkPeriod(args);
  if (period) return err(period);
  const from = moment("from", args.from);
  const to = moment("to", args.to);
  if (!from.ok || !to.ok) return err(`from, to: ${PERIOD_RULE}.`);
  const problem = checkFirst(args.first);
  if (problem) return err(problem);
  const after = parseAfter(args.after);
  if (!after.ok) return after;
  return ok({
    from: from.value,
    to: to.value,
    first: args.first ?? RECORDS_DEFAULT_FIRST,
    after: after.value,
  });
}

/** A calendar year (UTC) as a period: from inclusive, to exclusive. */
export function yearPeriod(year: unknown): Result<{ year: number; from: Date; to: Date }, string> {
  if (typeof year !== "number" || !Number.isInteger(year) || year < FIRST_YEAR || year > LAST_YEAR)
    return err(`year: a calendar year from ${FIRST_YEAR} to ${LAST_YEAR}.`);
  return ok({ year, from: new Date(Date.UTC(year, 0, 1)), to: new Date(Date.UTC(year + 1, 0, 1)) });
}

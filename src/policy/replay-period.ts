import { err, isIsoDate, ok, type Result } from "../shared/index.ts";

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const DAY_MS = 86_400_000;

/** A date (YYYY-MM-DD, 00:00 UTC) or an ISO 8601 date-time with its offset; undefined if neither. */
function instant(text: string): Date | undefined {
  if (isIsoDate(text)) return new Date(`${text}T00:00:00Z`);
  if (!DATE_TIME.test(text)) return undefined;
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/**
 * The period a replay covers: `from` inclusive, `to` exclusive; a date as `to` includes that whole
 * day (to 2026-12-01 includes 1 December). Errors name the argument and the rule, not the value.
 */
export function parseReplayPeriod(
  from: string | undefined,
  to: string | undefined,
  names: { readonly from: string; readonly to: string } = { from: "--from", to: "--to" },
): Result<{ readonly from: Date; readonly to: Date }, string> {
  const rule = "a date (YYYY-MM-DD) or an ISO 8601 date-time with offset, e.g. 2026-12-01T08:00:00Z";
  if (from === undefined || to === undefined)
    return err(`replay needs ${names.from} and ${names.to}: ${rule}`);
  const start = instant(from);
  if (!start) return err(`${names.from}: not ${rule}`);
  const endAt = instant(to);
  if (!endAt) return err(`${names.to}: not ${rule}`);
  const end = isIsoDate(to) ? new Date(endAt.getTime() + DAY_MS) : endAt;
  if (end.getTime() <= start.getTime()) return err(`${names.to} must lie after ${names.from}`);
  return ok({ from: start, to: end });
}

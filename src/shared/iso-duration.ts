/** The parts of an ISO-8601 duration such as `P5Y`, `P14D` or `P1Y2M`, validated by the policy schema with ISO_DURATION. */
export interface IsoDuration {
  readonly years: number;
  readonly months: number;
  readonly weeks: number;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
}

/** ISO-8601 duration such as P0D, P14D, P1Y, P5Y (whole units, no negative values). */
export const ISO_DURATION =
  /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** The duration's parts, or undefined when `text` is not an ISO-8601 duration of whole units. */
export function parseIsoDuration(text: string): IsoDuration | undefined {
  const m = ISO_DURATION.exec(text);
  if (!m) return undefined;
  const n = (i: number) => Number(m[i] ?? 0);
  return { years: n(1), months: n(2), weeks: n(3), days: n(4), hours: n(5), minutes: n(6), seconds: n(7) };
}

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month + 1, 0)).getUTCDate();

/**
 * `at` moved by the duration (`sign` 1 forward, -1 back), in UTC and calendar-aware as PostgreSQL
 * does it: years and months first, keeping the day of the month but clamping it to the month's
 * length (31 January + P1M = 28 or 29 February), then weeks, days and time as exact lengths.
 */
function shift(at: Date, duration: string, sign: 1 | -1): Date {
  const d = parseIsoDuration(duration);
  if (!d) throw new RangeError(`not an ISO-8601 duration: ${duration}`);
  const months = at.getUTCMonth() + sign * (d.years * 12 + d.months);
  const year = at.getUTCFullYear() + Math.floor(months / 12);
  const month = ((months % 12) + 12) % 12;
  const day = Math.min(at.getUTCDate(), daysInMonth(year, month));
  const moved = new Date(at.getTime());
  moved.setUTCFullYear(year, month, day);
  const exact = ((d.weeks * 7 + d.days) * 24 * 3600 + d.hours * 3600 + d.minutes * 60 + d.seconds) * 1000;
  return new Date(moved.getTime() + sign * exact);
}

export const addDuration = (at: Date, duration: string): Date => shift(at, duration, 1);
export const subtractDuration = (at: Date, duration: string): Date => shift(at, duration, -1);

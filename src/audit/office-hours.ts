import { err, ok, type Result } from "../shared/index.ts";

/**
 * Office hours (OFFICE_HOURS in OFFICE_TIMEZONE): the privacy officer looks at case data opened
 * outside them (issue 13; Delft §2.5 Privacy Officer: checks that the use of data fits its purpose).
 * Computed with Intl only, so summer and winter time follow the IANA database Node ships.
 */

export const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;
export type Day = (typeof DAYS)[number];

/** One span of office hours: on `days`, from `from` to `to` minutes after local midnight. */
export interface OfficeSpan {
  readonly days: readonly Day[];
  readonly from: number;
  readonly to: number;
}

export interface OfficeHours {
  readonly spans: readonly OfficeSpan[];
  readonly timeZone: string;
}

export const OFFICE_HOURS_RULE =
  "spans like `Mon-Fri 07:00-19:00` or `Mon-Fri 07:00-19:00, Sat 09:00-13:00`: a day or a range of days " +
  `(${DAYS.join(", ")}), then HH:MM-HH:MM with the start before the end (24:00 is the end of the day)`;

const SPAN = /^([A-Za-z]{3})(?:-([A-Za-z]{3}))?\s+(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;

const dayOf = (text: string): Day | undefined => DAYS.find((d) => d.toLowerCase() === text.toLowerCase());

/** OFFICE_HOURS as spans; the problem (naming the part that is wrong, and the rule) otherwise. */
export function parseOfficeHours(text: string): Result<readonly OfficeSpan[], string> {
  const parts = text
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  if (parts.length === 0) return err(`empty; give ${OFFICE_HOURS_RULE}`);
  const spans: OfficeSpan[] = [];
  for (const part of parts) {
    const m = SPAN.exec(part);
    if (!m) return err(`"${part}" is not a span; give ${OFFICE_HOURS_RULE}`);
    const [, first = "", last, fh, fm, th, tm] = m;
    const a = dayOf(first);
    const b = last === undefined ? a : dayOf(last);
    if (!a) return err(`"${part}": unknown day "${first}" (use ${DAYS.join(", ")})`);
    if (!b) return err(`"${part}": unknown day "${last}" (use ${DAYS.join(", ")})`);
    const ia = DAYS.indexOf(a);
    const ib = DAYS.indexOf(b);
    if (ib < ia)
      return err(`"${part}": the days run backwards (${a} after ${b}; write Mon-Fri, not Fri-Mon)`);
    const from = Number(fh) * 60 + Number(fm);
    const to = Number(th) * 60 + Number(tm);
    if (Number(fm) > 59 || Number(tm) > 59 || from > 24 * 60 || to > 24 * 60)
      return err(`"${part}": not a time of day (HH 00-24, MM 00-59)`);
    if (from >= to) return err(`"${part}": the start must be before the end (no span over midnight)`);
    spans.push({ days: DAYS.slice(ia, ib + 1), from, to });
  }
  return ok(spans);
}

/** Whether `timeZone` is an IANA time zone this Node knows. */
export function checkTimeZone(timeZone: string): Result<string, string> {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return ok(timeZone);
  } catch {
    return err(`"${timeZone}" is no IANA time zone this runtime knows (e.g. Europe/Amsterdam)`);
  }
}

/** The local calendar date, weekday and minute of the day of `at` in `timeZone`. */
export interface LocalTime {
  readonly date: string;
  readonly day: Day;
  readonly minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function parts(at: Date, timeZone: string) {
  const p = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(at)
      .map((x) => [x.type, x.value]),
  );
  return {
    year: Number(p["year"]),
    month: Number(p["month"]),
    day: Number(p["day"]),
    weekday: String(p["weekday"]),
    hour: Number(p["hour"]),
    minute: Number(p["minute"]),
    second: Number(p["second"]),
  };
}

export function localTime(at: Date, timeZone: string): LocalTime {
  const p = parts(at, timeZone);
  const date = `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
  return { date, day: dayOf(p.weekday) ?? "Mon", minute: p.hour * 60 + p.minute };
}

/** Whether `at` falls within office hours (a span's end is exclusive). */
export function withinOfficeHours(at: Date, hours: OfficeHours): boolean {
  const t = localTime(at, hours.timeZone);
  return hours.spans.some((s) => s.days.includes(t.day) && t.minute >= s.from && t.minute < s.to);
}

/** Local time minus UTC at the instant `ms`, in milliseconds. */
function offsetAt(ms: number, timeZone: string): number {
  const p = parts(new Date(ms), timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The local day of `at` in `timeZone` as the instants of its midnights: [start, end). A day with a
 * change of summer time is 23 or 25 hours long.
 */
export function localDay(at: Date, timeZone: string): { readonly start: Date; readonly end: Date } {
  const p = parts(at, timeZone);
  const midnight = (y: number, m: number, d: number) => {
    const wall = Date.UTC(y, m - 1, d);
    let t = wall;
    for (let i = 0; i < 3; i++) t = wall - offsetAt(t, timeZone);
    return new Date(t);
  };
  return { start: midnight(p.year, p.month, p.day), end: midnight(p.year, p.month, p.day + 1) };
}

declare const brand: unique symbol;

/** A calendar date `YYYY-MM-DD` that exists (`2024-02-29` yes, `2026-02-30` no). */
export type IsoDate = string & { readonly [brand]: "IsoDate" };

/** The one rule every date argument is held to, in words for error messages. */
export const ISO_DATE_RULE = "a calendar date that exists, written YYYY-MM-DD";

/**
 * Strict: exactly four digits, dash, two, dash, two, and a real day of the calendar (no
 * `2026-02-30`, no `20260101`, no time, no spaces). A string is checked before it is put in a
 * query to a registry, so a path or anything else never reaches one.
 */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== "string" || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

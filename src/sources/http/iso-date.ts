/** ISO-8601 calendar dates (`YYYY-MM-DD`) as the BRP Bewoning and Historie APIs take them. */

/** True for an existing calendar date: `2023-02-29` and `20230101` are not. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== "string" || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** The date `days` after `date` (both ISO). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** ISO-8601 calendar dates (`YYYY-MM-DD`) as the BRP Bewoning and Historie APIs take them. */

// One rule for every date (src/shared/iso-date.ts): the simulators and clients hold it too.
export { isIsoDate } from "../../shared/iso-date.ts";

/** The date `days` after `date` (both ISO). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

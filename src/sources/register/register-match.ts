import { subtractDuration } from "../../shared/index.ts";
import type { RegisterConditionSpec, RegisterRecord } from "./register-spec.ts";

type Value = RegisterRecord[string] | undefined;

/** A date value as `YYYY-MM-DD`, or undefined when it is not one. */
const dateOf = (v: Value): string | undefined =>
  typeof v === "string" && /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : undefined;

/**
 * The same conditions as the SQL of src/sources/register/register-sql.ts, over records an HTTP
 * register answered (keyed by field name). A value of the wrong kind does not match.
 */
export function matches(
  record: RegisterRecord,
  where: readonly RegisterConditionSpec[],
  today: string,
): boolean {
  return where.every((c) => {
    const v: Value = record[c.field];
    if ("equals" in c) return v === c.equals;
    if ("in" in c) return v !== null && v !== undefined && typeof v !== "boolean" && c.in.includes(v);
    if ("since" in c) {
      const d = dateOf(v);
      return (
        d !== undefined &&
        d >=
          subtractDuration(new Date(`${today}T00:00:00Z`), c.since)
            .toISOString()
            .slice(0, 10)
      );
    }
    if ("notBefore" in c) {
      if (v === null || v === undefined) return true;
      const d = dateOf(v);
      return d !== undefined && d >= today;
    }
    return c.isNull ? v === null || v === undefined : v !== null && v !== undefined;
  });
}

/** A column value as the graph carries it: dates as `YYYY-MM-DD`, numbers, booleans, text; else null. */
export function valueOf(v: unknown): RegisterRecord[string] {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : dateText(v);
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "bigint") return v.toString();
  return null;
}

/** A `date` column as the driver gives it: node-pg at local midnight, PGlite at UTC midnight. */
function dateText(d: Date): string {
  const local = d.getHours() === 0 && d.getMinutes() === 0 && d.getSeconds() === 0;
  if (!local) return d.toISOString().slice(0, 10);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

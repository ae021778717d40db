import { err, freeText, ok, type Result } from "../shared/index.ts";
import { asIso, asStrings, asStrOrNull, type Db, type Queryable, type Row } from "../store/index.ts";

/**
 * Expected failures of the reports; structurally a subset of the case errors, so the GraphQL
 * layer maps them with the same function.
 */
export interface ReportError {
  readonly kind: "forbidden" | "bad_input" | "audit_failed";
  /** Safe to show the caller: names the problem. */
  readonly message: string;
}

export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2100;
/** Delft art. 9c: at least 10% of the privacy checks are reviewed in the DPIA. */
export const MIN_FRACTION = 0.1;

const badInput = (message: string) => err<ReportError>({ kind: "bad_input", message });

/** A calendar year (UTC): `from` inclusive, `to` exclusive. */
export interface ReportPeriod {
  readonly year: number;
  readonly from: Date;
  readonly to: Date;
}

export function reportPeriod(year: unknown): Result<ReportPeriod, ReportError> {
  if (typeof year !== "number" || !Number.isInteger(year) || year < FIRST_YEAR || year > LAST_YEAR)
    return badInput(`year: a calendar year from ${FIRST_YEAR} to ${LAST_YEAR} is required.`);
  return ok({ year, from: new Date(Date.UTC(year, 0, 1)), to: new Date(Date.UTC(year + 1, 0, 1)) });
}

export interface SampleOptions {
  readonly seed: string;
  readonly fraction: number;
}

/** Seed and fraction of a DPIA sample; the fraction defaults to the 10% of Delft art. 9c. */
export function sampleOptions(input: {
  readonly seed: unknown;
  readonly fraction?: unknown;
}): Result<SampleOptions, ReportError> {
  if (typeof input.seed !== "string" || input.seed.trim().length === 0)
    return badInput("seed: a non-empty seed is required, so that the sample can be drawn again.");
  if (input.seed.length > 200) return badInput("seed: at most 200 characters.");
  // The seed is kept in the audit record to draw the sample again: no BSN in it, as in all free text.
  const seed = freeText(input.seed, "seed");
  if (!seed.ok) return badInput(seed.error.message);
  const fraction = input.fraction ?? MIN_FRACTION;
  if (typeof fraction !== "number" || !Number.isFinite(fraction))
    return badInput("fraction: a number from 0.1 to 1 is required.");
  if (fraction < MIN_FRACTION)
    return badInput(`fraction: at least ${MIN_FRACTION} (10% of the checks, Delft art. 9c).`);
  if (fraction > 1) return badInput("fraction: at most 1 (all checks).");
  return ok({ seed: input.seed, fraction });
}

/**
 * Runs a report's queries in one read-only transaction that sees one snapshot, so its numbers
 * add up even while the gateway keeps writing.
 */
export function readSnapshot<T>(db: Db, read: (tx: Queryable) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    return read(tx);
  });
}

/** Readers for one column of a row (see src/store/rows.ts). */
export const col = {
  str: (r: Row, k: string): string => String(r[k]),
  strOrNull: (r: Row, k: string): string | null => asStrOrNull(r[k]),
  num: (r: Row, k: string): number => Number(r[k]),
  iso: (r: Row, k: string): string => asIso(r[k]),
  strings: (r: Row, k: string): string[] => asStrings(r[k]),
};

/** Plain code-point order, the same in every dialect and locale. */
export const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

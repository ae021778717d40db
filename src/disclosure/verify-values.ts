import { normaliseText, type VerifySignal } from "../sources/brp/brp-verify.ts";
import { err, ok, type Result } from "../shared/index.ts";
import type { Db, Queryable } from "../store/index.ts";

/**
 * Verification is no search (Maastricht art. 14 and appendix A phase 1: the BRP only to verify the
 * signal's personal data). A signal gives one name, one birth date, one address; asking the same
 * element of the same person with one value after another (every day of a decade) would read the
 * BRP's value out of MATCH / NO_MATCH. So per case, subject and element the distinct values
 * verified are remembered, and after `maxChanges` changes (a corrected signal) a further value is
 * refused. Repeating a value already verified is always allowed.
 *
 * Values are kept only as keyed hashes (the audit pseudonym key): they are signal data about a
 * person. Until cases bind their subjects, another case starts afresh.
 */

/** The elements verification compares (src/sources/brp/brp-verify.ts). */
export const VERIFY_ELEMENTS = ["naam", "geboortedatum", "adres"] as const;
export type VerifyElement = (typeof VERIFY_ELEMENTS)[number];

/** VERIFY_MAX_CHANGES when nothing is configured: one correction of the signal. */
export const DEFAULT_VERIFY_MAX_CHANGES = 1;

/** Advisory lock class of the per-(case, subject, element) lock (two-key space; any constant). */
export const VERIFY_LOCK_CLASS = 707_130_010;

const given = (v: unknown) => v !== undefined && v !== null && v !== "";
const text = (v: string | undefined) => (given(v) ? normaliseText(v ?? "") : null);

/**
 * The value of each element the signal gives, normalised exactly as verification compares it
 * (so two values it cannot tell apart count as one, and two it can as two). Elements the signal
 * does not give are absent, like the `null` elements of the answer.
 */
export function signalValues(signal: VerifySignal): Partial<Record<VerifyElement, string>> {
  const values: Partial<Record<VerifyElement, string>> = {};
  const naam = [signal.geslachtsnaam, signal.voorvoegsel, signal.voornamen];
  if (naam.some(given)) values.naam = JSON.stringify(naam.map(text));
  if (given(signal.geboortedatum)) values.geboortedatum = JSON.stringify(signal.geboortedatum);
  const adres = [signal.postcode, signal.huisnummer, signal.huisletter, signal.huisnummertoevoeging];
  if (adres.some(given))
    values.adres = JSON.stringify([
      given(signal.postcode) ? (signal.postcode ?? "").replace(/\s+/g, "").toUpperCase() : null,
      given(signal.huisnummer) ? signal.huisnummer : null,
      text(signal.huisletter),
      text(signal.huisnummertoevoeging),
    ]);
  return values;
}

/** One value a verification asks about, as stored: its element and its keyed hash. */
export interface VerifyValue {
  readonly element: VerifyElement;
  readonly hash: string;
}

export interface VerifyValueClaim {
  readonly caseId: string;
  /** The subject as the audit log pseudonymises it. */
  readonly subject: string;
  readonly values: readonly VerifyValue[];
  /** Distinct values per element allowed: 1 + maxChanges. */
  readonly maxChanges: number;
  readonly at: Date;
}

/** The elements that already had 1 + maxChanges other values: nothing of the claim was recorded. */
export interface TooManyValues {
  readonly kind: "too_many_values";
  readonly elements: readonly VerifyElement[];
}

const lockKey = (caseId: string, subject: string, element: VerifyElement) =>
  `${caseId}|${subject}|${element}`;

async function admitIn(tx: Queryable, claim: VerifyValueClaim): Promise<Result<void, TooManyValues>> {
  const elements = [...new Set(claim.values.map((v) => v.element))].sort();
  // One lock per element, always in the same order, so two verifications never wait on each other
  // in a cycle; held until the transaction ends, so count and insert are one step for every replica.
  for (const element of elements)
    await tx.query(`SELECT pg_advisory_xact_lock(${VERIFY_LOCK_CLASS}, hashtext($1))`, [
      lockKey(claim.caseId, claim.subject, element),
    ]);
  const rows = await tx.query<{ element: VerifyElement; value_hash: string }>(
    "SELECT element, value_hash FROM verify_values WHERE case_id = $1 AND subject_pseudonym = $2",
    [claim.caseId, claim.subject],
  );
  const known = (element: VerifyElement) =>
    rows.filter((r) => r.element === element).map((r) => r.value_hash);
  const fresh = claim.values.filter((v) => !known(v.element).includes(v.hash));
  const refused = fresh.filter((v) => known(v.element).length >= 1 + claim.maxChanges).map((v) => v.element);
  if (refused.length > 0) return err({ kind: "too_many_values", elements: [...new Set(refused)].sort() });
  for (const v of fresh)
    await tx.query(
      `INSERT INTO verify_values (case_id, subject_pseudonym, element, value_hash, verified_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [claim.caseId, claim.subject, v.element, v.hash, claim.at.toISOString()],
    );
  return ok(undefined);
}

/**
 * Records the claim's values, or none of them: atomically, per (case, subject, element), under a
 * transaction-level advisory lock, so concurrent verifications in one request or on several
 * replicas cannot together pass the limit. A value already recorded passes and is not counted
 * again. Throws when the database fails (the caller answers without asking upstream).
 */
export function admitVerifyValues(db: Db, claim: VerifyValueClaim): Promise<Result<void, TooManyValues>> {
  if (claim.values.length === 0) return Promise.resolve(ok(undefined));
  return db.transaction((tx) => admitIn(tx, claim));
}

/**
 * The claim's values as keyed hashes: the audit log's pseudonym HMAC (its key never leaves it)
 * over case, subject, element and normalised value, so the table holds nothing that a BSN list or
 * a calendar could be hashed against without the key, and equal values in two cases hash apart.
 */
export function hashedValues(
  pseudonymise: (subject: string) => string,
  caseId: string,
  bsn: string,
  values: Partial<Record<VerifyElement, string>>,
): VerifyValue[] {
  return VERIFY_ELEMENTS.filter((e) => values[e] !== undefined).map((element) => ({
    element,
    hash: pseudonymise(JSON.stringify(["verify-value", caseId, bsn, element, values[element]])),
  }));
}

/** The denial's reason: the rule, its setting and its article; never a value. */
export const tooManyValuesReason = (elements: readonly VerifyElement[], maxChanges: number): string =>
  `verify: ${elements.join(", ")} of this person already verified with ${1 + maxChanges} different ` +
  `value(s) in this case (VERIFY_MAX_CHANGES=${maxChanges}); verification checks the signal, it is ` +
  `no search (Maastricht art. 14, appendix A phase 1)`;

/**
 * The fingerprint of what one verification asserted, for its audit record (`detail.valueSet`;
 * issue 13, flagged pattern `pattern.verifyVariants`): the audit key's HMAC over the subject and
 * the normalised value of each element given, so the log tells "the same signal again" from "other
 * values" without holding any of them. Without the case: the same person verified with other
 * values in another case is another value set too (fishing across cases).
 */
export function valueSetFingerprint(
  pseudonymise: (subject: string) => string,
  bsn: string,
  values: Partial<Record<VerifyElement, string>>,
): string {
  return pseudonymise(
    JSON.stringify(["verify-value-set", bsn, VERIFY_ELEMENTS.map((e) => values[e] ?? null)]),
  );
}

import { err, ok, type Result } from "./result.ts";

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** A burgerservicenummer that passed the 11-check. */
export type Bsn = Brand<string, "Bsn">;
/** An 8-digit KvK number. */
export type KvkNummer = Brand<string, "KvkNummer">;
/** A Dutch postcode, normalised to `1234AB`. */
export type Postcode = Brand<string, "Postcode">;
/** A 16-digit BAG identification (adresseerbaar object, nummeraanduiding, pand). */
export type BagId = Brand<string, "BagId">;

export interface InvalidIdentifier {
  readonly kind: "invalid_identifier";
  readonly identifier: "bsn" | "kvkNummer" | "postcode" | "bagId";
  readonly reason: string;
}

const invalid = (identifier: InvalidIdentifier["identifier"], reason: string) =>
  err<InvalidIdentifier>({ kind: "invalid_identifier", identifier, reason });

/** BSN: 9 digits, weighted sum 9..2 minus the last digit divisible by 11 (the "elfproef"). */
export function parseBsn(input: string): Result<Bsn, InvalidIdentifier> {
  if (!/^[0-9]{9}$/.test(input)) return invalid("bsn", "A BSN has exactly 9 digits.");
  if (input === "000000000") return invalid("bsn", "A BSN cannot be all zeros.");
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(input[i]) * (9 - i);
  sum -= Number(input[8]);
  if (sum % 11 !== 0) return invalid("bsn", "The BSN fails the 11-check.");
  return ok(input as Bsn);
}

export function parseKvkNummer(input: string): Result<KvkNummer, InvalidIdentifier> {
  if (!/^[0-9]{8}$/.test(input)) return invalid("kvkNummer", "A KvK number has exactly 8 digits.");
  return ok(input as KvkNummer);
}

export function parsePostcode(input: string): Result<Postcode, InvalidIdentifier> {
  const normalised = input.replace(/\s+/g, "").toUpperCase();
  if (!/^[1-9][0-9]{3}[A-Z]{2}$/.test(normalised))
    return invalid("postcode", "A postcode is four digits (not starting with 0) and two letters.");
  if (/^[0-9]{4}(SA|SD|SS)$/.test(normalised)) return invalid("postcode", "SA, SD and SS are not used.");
  return ok(normalised as Postcode);
}

export function parseBagId(input: string): Result<BagId, InvalidIdentifier> {
  if (!/^[0-9]{16}$/.test(input) || /^0{16}$/.test(input))
    return invalid("bagId", "A BAG identification has exactly 16 digits and is not all zeros.");
  return ok(input as BagId);
}

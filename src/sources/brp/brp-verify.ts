import type { Bsn, MatchResult } from "../../shared/index.ts";
import type { BrpLoaders } from "./brp-loaders.ts";
import type { BrpPersoon } from "./brp-schema.ts";

/** What a signal says about a person; every element is optional. */
export interface VerifySignal {
  readonly geslachtsnaam?: string | undefined;
  readonly voorvoegsel?: string | undefined;
  readonly voornamen?: string | undefined;
  /** YYYY-MM-DD */
  readonly geboortedatum?: string | undefined;
  readonly postcode?: string | undefined;
  readonly huisnummer?: number | undefined;
  readonly huisletter?: string | undefined;
  readonly huisnummertoevoeging?: string | undefined;
}

/** MATCH / NO_MATCH / UNKNOWN per element; null = the signal did not give that element. No BRP values. */
export interface Verification {
  readonly overall: MatchResult;
  readonly naam: MatchResult | null;
  readonly geboortedatum: MatchResult | null;
  readonly adres: MatchResult | null;
}

const NAAM_FIELDS = ["naam.geslachtsnaam", "naam.voorvoegsel", "naam.voornamen"] as const;
const GEBOORTE_FIELDS = ["geboorte.datum"] as const;
const ADRES_FIELDS = [
  "verblijfplaats.verblijfadres.postcode",
  "verblijfplaats.verblijfadres.huisnummer",
  "verblijfplaats.verblijfadres.huisletter",
  "verblijfplaats.verblijfadres.huisnummertoevoeging",
] as const;

/** Every BRP field verification may fetch (it fetches only those for the elements the signal gives). */
export const BRP_VERIFY_FIELDS: readonly string[] = [...NAAM_FIELDS, ...GEBOORTE_FIELDS, ...ADRES_FIELDS];

const given = (v: unknown) => v !== undefined && v !== "";
const hasNaam = (s: VerifySignal) => given(s.geslachtsnaam) || given(s.voorvoegsel) || given(s.voornamen);
const hasAdres = (s: VerifySignal) =>
  given(s.postcode) || given(s.huisnummer) || given(s.huisletter) || given(s.huisnummertoevoeging);

/** The fields verification fetches for this signal (data minimisation at the source). */
export function verifyFieldsFor(signal: VerifySignal): string[] {
  return [
    ...(hasNaam(signal) ? NAAM_FIELDS : []),
    ...(given(signal.geboortedatum) ? GEBOORTE_FIELDS : []),
    ...(hasAdres(signal) ? ADRES_FIELDS : []),
  ];
}

/** Case, diacritics, apostrophe variants and whitespace do not count. */
export const normaliseText = (s: string): string =>
  s.normalize("NFD").replace(/\p{M}/gu, "").replace(/[’`´]/g, "'").toLowerCase().replace(/\s+/g, " ").trim();
const normalisePostcode = (s: string) => s.replace(/\s+/g, "").toUpperCase();

export function combine(results: readonly MatchResult[]): MatchResult {
  if (results.includes("UNKNOWN")) return "UNKNOWN";
  if (results.includes("NO_MATCH")) return "NO_MATCH";
  return "MATCH";
}

const text = (signal: string | undefined, brp: string | undefined): MatchResult[] =>
  given(signal) ? [normaliseText(signal ?? "") === normaliseText(brp ?? "") ? "MATCH" : "NO_MATCH"] : [];

function naam(s: VerifySignal, p: BrpPersoon): MatchResult {
  if (!p.naam) return "UNKNOWN";
  return combine([
    ...text(s.geslachtsnaam, p.naam.geslachtsnaam),
    ...text(s.voorvoegsel, p.naam.voorvoegsel),
    ...text(s.voornamen, p.naam.voornamen),
  ]);
}

function geboortedatum(s: VerifySignal, p: BrpPersoon): MatchResult {
  const datum = p.geboorte?.datum;
  // A partial or unknown BRP date can neither confirm nor deny a full date.
  if (datum?.type !== "Datum") return "UNKNOWN";
  return datum.datum === s.geboortedatum ? "MATCH" : "NO_MATCH";
}

function adres(s: VerifySignal, p: BrpPersoon): MatchResult {
  const v = p.verblijfplaats;
  if (!v) return "UNKNOWN";
  const a = v.verblijfadres;
  if (v.type !== "Adres" || !a) return "NO_MATCH";
  const results: MatchResult[] = [];
  if (given(s.postcode))
    results.push(
      normalisePostcode(s.postcode ?? "") === normalisePostcode(a.postcode ?? "") ? "MATCH" : "NO_MATCH",
    );
  if (given(s.huisnummer)) results.push(s.huisnummer === a.huisnummer ? "MATCH" : "NO_MATCH");
  results.push(...text(s.huisletter, a.huisletter), ...text(s.huisnummertoevoeging, a.huisnummertoevoeging));
  return combine(results);
}

/**
 * Compares a signal with the BRP (disclosure mode `verify`) and answers per element, never with
 * the BRP's values. Unknown person: NO_MATCH for every given element. Upstream failure: UNKNOWN.
 */
export async function verifyWithBrp(
  loaders: BrpLoaders,
  bsn: Bsn,
  signal: VerifySignal,
): Promise<Verification> {
  const fields = verifyFieldsFor(signal);
  const elements = {
    naam: hasNaam(signal),
    geboortedatum: given(signal.geboortedatum),
    adres: hasAdres(signal),
  };
  const all = (r: MatchResult): Verification => {
    const v = {
      naam: elements.naam ? r : null,
      geboortedatum: elements.geboortedatum ? r : null,
      adres: elements.adres ? r : null,
    };
    return { ...v, overall: fields.length === 0 ? "UNKNOWN" : r };
  };
  if (fields.length === 0) return all("UNKNOWN");
  const loaded = await loaders.persoon.load({ bsn, fields });
  if (!loaded.ok) return all("UNKNOWN");
  const p = loaded.value;
  if (p === null) return all("NO_MATCH");
  const result = {
    naam: elements.naam ? naam(signal, p) : null,
    geboortedatum: elements.geboortedatum ? geboortedatum(signal, p) : null,
    adres: elements.adres ? adres(signal, p) : null,
  };
  const present = [result.naam, result.geboortedatum, result.adres].filter(
    (r): r is MatchResult => r !== null,
  );
  return { ...result, overall: combine(present) };
}

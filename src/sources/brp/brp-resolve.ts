import { err, ok, parseBsn, type Bsn, type Result, type SourceError } from "../../shared/index.ts";
import { isIsoDate } from "../http/index.ts";
import type { BrpClient } from "./brp-client.ts";
import { ZOEK_PATTERNS, type BrpZoekVraag } from "./brp-zoek.ts";

/**
 * Signal intake: a person the signal names without a BSN is looked up with the BRP's own search
 * types, asking for nothing but `burgerservicenummer` (Maastricht art. 14, Delft art. 3: only
 * what the purpose needs). Exactly one person who fits everything the signal says is a match;
 * none or several reveal nothing else. An upstream failure is a SourceError, never "no match".
 */

/** What a signal says about a person; blank elements count as not given. */
export interface PersonDescription {
  /** Without voorvoegsel ("Berg" of "van den Berg"). */
  readonly geslachtsnaam?: string | undefined;
  readonly voorvoegsel?: string | undefined;
  /** All first names, as the BRP holds them. */
  readonly voornamen?: string | undefined;
  /** M, V or O. */
  readonly geslacht?: string | undefined;
  /** YYYY-MM-DD */
  readonly geboortedatum?: string | undefined;
  readonly postcode?: string | undefined;
  readonly huisnummer?: number | undefined;
  readonly huisletter?: string | undefined;
  readonly huisnummertoevoeging?: string | undefined;
}

export type PersonElement = keyof PersonDescription;

export type PersonResolution =
  | { readonly kind: "match"; readonly bsn: Bsn }
  | { readonly kind: "no_match" }
  | { readonly kind: "ambiguous" };

/** One element the search cannot use as given, with the rule in words (never the value). */
export interface DescriptionProblem {
  /** The element, or `person` when the combination is too thin to search with. */
  readonly element: PersonElement | "person";
  readonly rule: string;
}

/** The only field asked of the BRP: the answer is a BSN or nothing. */
export const RESOLVE_FIELDS: readonly string[] = ["burgerservicenummer"];

type Given = { -readonly [K in PersonElement]?: PersonDescription[K] };

const blank = (v: unknown) => v === undefined || (typeof v === "string" && v.trim() === "");

/** The description without blank elements; text trimmed. */
function given(d: PersonDescription): Given {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d)) if (!blank(v)) out[k] = typeof v === "string" ? v.trim() : v;
  return out as Given;
}

/** Exact text only: a wildcard would turn identification into a search over many people. */
const NO_WILDCARD = "letters, digits, spaces and . - ' only; no wildcard";
const TEXT_RULES: ReadonlyArray<readonly [PersonElement, RegExp, string]> = [
  ["geslachtsnaam", /^[a-zA-Z0-9À-ž .\-']{1,200}$/, `${NO_WILDCARD}; at most 200 characters`],
  ["voornamen", /^[a-zA-Z0-9À-ž .\-']{1,199}$/, `${NO_WILDCARD}; at most 199 characters`],
  ["voorvoegsel", ZOEK_PATTERNS.voorvoegsel, "letters, spaces and ' only; at most 10 characters"],
  ["geslacht", ZOEK_PATTERNS.geslacht, "M, V or O"],
  ["postcode", ZOEK_PATTERNS.postcode, "four digits, the first not 0, and two letters (6211AB or 6211 AB)"],
  ["huisletter", ZOEK_PATTERNS.huisletter, "one letter"],
  [
    "huisnummertoevoeging",
    ZOEK_PATTERNS.huisnummertoevoeging,
    "letters, digits, spaces and - only; at most 4",
  ],
];

const byName = (d: Given) => d.geslachtsnaam !== undefined && d.geboortedatum !== undefined;
const byAddress = (d: Given) => d.postcode !== undefined && d.huisnummer !== undefined;
/** Elements only ZoekMetGeslachtsnaamEnGeboortedatum can check. */
const NAME_ONLY = ["voorvoegsel", "voornamen", "geslacht"] as const;
/** Elements only ZoekMetPostcodeEnHuisnummer can check. */
const ADDRESS_ONLY = ["huisletter", "huisnummertoevoeging"] as const;

/**
 * What is wrong with a description before anything is asked: each element's form (the spec's
 * patterns, without wildcards), and that every element given can be checked by a search — a
 * name needs geslachtsnaam and geboortedatum, an address postcode and huisnummer — so a match
 * is never a person who contradicts the signal on an element nobody compared.
 */
export function describePersonProblems(description: PersonDescription): DescriptionProblem[] {
  const d = given(description);
  const problems: DescriptionProblem[] = [];
  for (const [element, pattern, rule] of TEXT_RULES) {
    const v = d[element];
    if (v !== undefined && (typeof v !== "string" || !pattern.test(v))) problems.push({ element, rule });
  }
  if (d.geboortedatum !== undefined && !isIsoDate(d.geboortedatum))
    problems.push({ element: "geboortedatum", rule: "a calendar date that exists, written YYYY-MM-DD" });
  const h = d.huisnummer;
  if (h !== undefined && (typeof h !== "number" || !Number.isInteger(h) || h < 1 || h > 99999))
    problems.push({ element: "huisnummer", rule: "a whole number from 1 to 99999" });
  if (!byName(d) && !byAddress(d))
    problems.push({
      element: "person",
      rule: "needs geslachtsnaam and geboortedatum, or postcode and huisnummer",
    });
  if (!byName(d))
    for (const element of NAME_ONLY)
      if (d[element] !== undefined)
        problems.push({ element, rule: "can only be searched with geslachtsnaam and geboortedatum" });
  if (!byAddress(d))
    for (const element of ["postcode", "huisnummer", ...ADDRESS_ONLY] as const)
      if (d[element] !== undefined)
        problems.push({ element, rule: "can only be searched with postcode and huisnummer together" });
  return problems;
}

/**
 * The searches that together check every element given: postcode and huisnummer (narrowed by
 * geslachtsnaam and geboortedatum when given) when there is an address; geslachtsnaam and
 * geboortedatum when there is no address, or when an element only that search has is given.
 */
export function searchesFor(description: PersonDescription): BrpZoekVraag[] {
  const d = given(description);
  const searches: BrpZoekVraag[] = [];
  if (byAddress(d))
    searches.push({
      type: "ZoekMetPostcodeEnHuisnummer",
      postcode: d.postcode as string,
      huisnummer: d.huisnummer as number,
      huisletter: d.huisletter,
      huisnummertoevoeging: d.huisnummertoevoeging,
      geslachtsnaam: d.geslachtsnaam,
      geboortedatum: d.geboortedatum,
    });
  if (byName(d) && (!byAddress(d) || NAME_ONLY.some((e) => d[e] !== undefined)))
    searches.push({
      type: "ZoekMetGeslachtsnaamEnGeboortedatum",
      geslachtsnaam: d.geslachtsnaam as string,
      geboortedatum: d.geboortedatum as string,
      voorvoegsel: d.voorvoegsel,
      voornamen: d.voornamen,
      geslacht: d.geslacht?.toUpperCase(),
    });
  return searches;
}

/**
 * Resolves a described person to a BSN. Living persons only (the BRP's default). Several
 * searches (address and name) must agree: the match is the one BSN every search returned. A
 * description with problems ({@link describePersonProblems}) is refused before any call
 * (`rejected` / `invalid_description`); callers check it first to name the element.
 */
export async function resolvePerson(
  client: BrpClient,
  description: PersonDescription,
): Promise<Result<PersonResolution, SourceError>> {
  if (describePersonProblems(description).length > 0)
    return err({ kind: "rejected", reason: "invalid_description" });
  const answers = await Promise.all(searchesFor(description).map((q) => client.zoek(q, RESOLVE_FIELDS)));
  let found: Set<string> | undefined;
  for (const answer of answers) {
    if (!answer.ok) return answer;
    const bsns = new Set<string>();
    for (const p of answer.value) {
      // A person without a BSN cannot be told apart from the others: the answer is unusable.
      if (p.burgerservicenummer === undefined) return err({ kind: "malformed", reason: "no_bsn" });
      bsns.add(p.burgerservicenummer);
    }
    found = found ? new Set([...found].filter((b) => bsns.has(b))) : bsns;
  }
  const matches = [...(found ?? [])];
  if (matches.length === 0) return ok({ kind: "no_match" });
  if (matches.length > 1) return ok({ kind: "ambiguous" });
  const bsn = parseBsn(matches[0] ?? "");
  return bsn.ok ? ok({ kind: "match", bsn: bsn.value }) : err({ kind: "malformed", reason: "invalid_bsn" });
}

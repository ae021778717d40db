import { isIsoDate } from "../http/index.ts";
import type { InvalidParam } from "./brp-fields.ts";
import { normaliseText } from "./brp-verify.ts";

/**
 * The two BRP Personen v2 search types the gateway speaks (brp-personen-v2.openapi.yaml,
 * `PersonenQuery`): their parameters, the spec's patterns for them, and its matching rules for
 * text parameters. Shared by the client (it refuses a query the spec would refuse, before any
 * call) and the simulator (it answers such a query with the spec's 400).
 */

/** Parameters every search type has besides `type` and `fields`. */
interface ZoekCommon {
  /** Also find deceased persons; the BRP's default is living persons only. */
  readonly inclusiefOverledenPersonen?: boolean | undefined;
  /** CBS code of the municipality of registration, four digits. */
  readonly gemeenteVanInschrijving?: string | undefined;
}

export interface ZoekMetGeslachtsnaamEnGeboortedatum extends ZoekCommon {
  readonly type: "ZoekMetGeslachtsnaamEnGeboortedatum";
  /** Without voorvoegsel; a trailing `*` after at least 3 letters is a wildcard. */
  readonly geslachtsnaam: string;
  /** YYYY-MM-DD, a full date. */
  readonly geboortedatum: string;
  /** M, V or O (either case). */
  readonly geslacht?: string | undefined;
  readonly voorvoegsel?: string | undefined;
  /** All first names; a trailing `*` is a wildcard. */
  readonly voornamen?: string | undefined;
}

export interface ZoekMetPostcodeEnHuisnummer extends ZoekCommon {
  readonly type: "ZoekMetPostcodeEnHuisnummer";
  /** `6211AB` or `6211 ab`: a space between digits and letters is allowed, case does not count. */
  readonly postcode: string;
  readonly huisnummer: number;
  readonly huisletter?: string | undefined;
  readonly huisnummertoevoeging?: string | undefined;
  readonly geboortedatum?: string | undefined;
  readonly geslachtsnaam?: string | undefined;
}

/** A search query without its `fields`. */
export type BrpZoekVraag = ZoekMetGeslachtsnaamEnGeboortedatum | ZoekMetPostcodeEnHuisnummer;
export type BrpZoekType = BrpZoekVraag["type"];

export const BRP_ZOEK_TYPES: readonly BrpZoekType[] = [
  "ZoekMetGeslachtsnaamEnGeboortedatum",
  "ZoekMetPostcodeEnHuisnummer",
];

/** The spec's patterns (components.schemas.*Filter, Postcode, Huisletter, …). */
export const ZOEK_PATTERNS = {
  geslachtsnaam: /^[a-zA-Z0-9À-ž .\-']{1,200}$|^[a-zA-Z0-9À-ž .\-']{3,199}\*{1}$/,
  voornamen: /^[a-zA-Z0-9À-ž .\-']{1,199}\*{0,1}$/,
  voorvoegsel: /^[a-zA-Z ']{1,10}$/,
  geslacht: /^([Mm]|[Vv]|[Oo])$/,
  postcode: /^[1-9]{1}[0-9]{3}[ ]?[A-Za-z]{2}$/,
  huisletter: /^[a-zA-Z]{1}$/,
  huisnummertoevoeging: /^[a-zA-Z0-9 -]{1,4}$/,
  gemeenteVanInschrijving: /^[0-9]{4}$/,
} as const;

type Kind = "text" | "date" | "integer" | "boolean";
interface ParamRule {
  readonly kind: Kind;
  readonly required?: boolean;
  readonly pattern?: RegExp;
}

const COMMON: Readonly<Record<string, ParamRule>> = {
  inclusiefOverledenPersonen: { kind: "boolean" },
  gemeenteVanInschrijving: { kind: "text", pattern: ZOEK_PATTERNS.gemeenteVanInschrijving },
};

/** Per search type, its parameters (besides type and fields) as the spec defines them. */
const PARAMS: Readonly<Record<BrpZoekType, Readonly<Record<string, ParamRule>>>> = {
  ZoekMetGeslachtsnaamEnGeboortedatum: {
    ...COMMON,
    geslachtsnaam: { kind: "text", required: true, pattern: ZOEK_PATTERNS.geslachtsnaam },
    geboortedatum: { kind: "date", required: true },
    geslacht: { kind: "text", pattern: ZOEK_PATTERNS.geslacht },
    voorvoegsel: { kind: "text", pattern: ZOEK_PATTERNS.voorvoegsel },
    voornamen: { kind: "text", pattern: ZOEK_PATTERNS.voornamen },
  },
  ZoekMetPostcodeEnHuisnummer: {
    ...COMMON,
    postcode: { kind: "text", required: true, pattern: ZOEK_PATTERNS.postcode },
    huisnummer: { kind: "integer", required: true },
    huisletter: { kind: "text", pattern: ZOEK_PATTERNS.huisletter },
    huisnummertoevoeging: { kind: "text", pattern: ZOEK_PATTERNS.huisnummertoevoeging },
    geboortedatum: { kind: "date" },
    geslachtsnaam: { kind: "text", pattern: ZOEK_PATTERNS.geslachtsnaam },
  },
};

export const isZoekType = (type: unknown): type is BrpZoekType =>
  typeof type === "string" && (BRP_ZOEK_TYPES as readonly string[]).includes(type);

const param = (name: string, code: string, reason: string): InvalidParam => ({
  type: "https://www.vng.nl/realisatie/api/validaties/" + code,
  name,
  code,
  reason,
});

/** The outcome of checking a search body's own parameters (not `fields`). */
export interface ZoekProblems {
  /** A required parameter missing or empty: the BRP answers `paramsCombination`. */
  readonly missing: InvalidParam[];
  /** A parameter present but not valid, or not a parameter of this type: `paramsValidation`. */
  readonly invalid: InvalidParam[];
}

/**
 * Checks the parameters of a search body against its type's schema: required ones present and
 * not empty (the feature files treat "" as missing), each value of its type and pattern, a
 * geboortedatum a calendar date, huisnummer 1..99999, and no parameter the type does not have.
 */
export function checkZoekParams(type: BrpZoekType, body: Readonly<Record<string, unknown>>): ZoekProblems {
  const rules = PARAMS[type];
  const missing: InvalidParam[] = [];
  const invalid: InvalidParam[] = [];
  for (const [name, rule] of Object.entries(rules)) {
    const value = body[name];
    if (value === undefined || value === null || value === "") {
      if (rule.required) missing.push(param(name, "required", "Parameter is verplicht."));
      continue;
    }
    if (rule.kind === "boolean" && typeof value !== "boolean")
      invalid.push(param(name, "boolean", "Waarde is geen boolean."));
    else if (rule.kind === "integer") {
      if (typeof value !== "number" || !Number.isInteger(value))
        invalid.push(param(name, "integer", "Waarde is geen geldig getal."));
      else if (value < 1) invalid.push(param(name, "minimum", "Waarde is lager dan minimum 1."));
      else if (value > 99999) invalid.push(param(name, "maximum", "Waarde is hoger dan maximum 99999."));
    } else if (rule.kind === "date" && !isIsoDate(value))
      invalid.push(param(name, "date", "Waarde is geen geldige datum."));
    else if (rule.kind === "text" && (typeof value !== "string" || !(rule.pattern?.test(value) ?? true)))
      invalid.push(param(name, "pattern", "Waarde voldoet niet aan patroon."));
  }
  for (const name of Object.keys(body))
    if (name !== "type" && name !== "fields" && !(name in rules))
      // The spec's InvalidParam.name pattern: the answer names the parameter in its alphabet.
      invalid.push(
        param(
          name.replace(/[^a-zA-Z0-9._]/g, "").slice(0, 30) || "body",
          "unknownParam",
          "Parameter is niet verwacht.",
        ),
      );
  return { missing, invalid };
}

/**
 * The spec's rule for text parameters: "Zoeken met tekstvelden is case-insensitive", and the
 * BRP's feature files add that diacritics do not count either way (Käster finds Kaster and
 * Kaster finds Käster). A trailing `*` matches any rest (the feature files: `gro*` finds Groen,
 * Groot and Groenlo; `Jan*` finds "Jan Peter"). Without a wildcard the whole value must match:
 * `Maas` does not find Maassen.
 */
export function textMatches(filter: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  const folded = normaliseText(value);
  if (filter.endsWith("*")) return folded.startsWith(normaliseText(filter.slice(0, -1)));
  return folded === normaliseText(filter);
}

/** `6211 ab` → `6211AB`, the form the BRP stores. */
export const normaliseZoekPostcode = (postcode: string): string => postcode.replace(/\s+/g, "").toUpperCase();

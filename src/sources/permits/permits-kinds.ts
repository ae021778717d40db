/**
 * The kinds of permit case the gateway recognises, and how a zaaktype of the Catalogi API is
 * recognised as one. The Zaken API knows no "kind": a zaak only points to its zaaktype, and each
 * municipality names its zaaktypen itself. So the mapping is data: a small, ordered table of
 * rules, first by the zaaktype's `identificatie` (exact), then by its `omschrijving` (pattern).
 * A municipality with other identificaties passes its own rules (PermitsLoaderOptions).
 */
export const PERMIT_KINDS = [
  "horecavergunning",
  "exploitatievergunning",
  "omgevingsvergunning",
  "parkeervergunning",
  "boeteAlcoholwet",
] as const;
export type PermitKind = (typeof PERMIT_KINDS)[number];

/** A permit's kind, or `overig` for a zaaktype no rule names (a melding, an evenement, …). */
export type PermitKindOrOverig = PermitKind | "overig";

export interface ZaaktypeRule {
  readonly kind: PermitKind;
  /** Exact `identificatie` values (compared case-insensitively). */
  readonly identificaties: readonly string[];
  /** Fallback on the `omschrijving`, for catalogues with other identificaties. */
  readonly omschrijving: RegExp;
}

/**
 * The default table: the identificaties of the simulator's catalogue, and omschrijving patterns
 * for the usual Dutch names. Order matters for the patterns: "Bestuurlijke boete Alcoholwet"
 * must not count as a horecavergunning ("Alcoholwetvergunning"), nor "Exploitatievergunning
 * horeca" as one.
 */
export const DEFAULT_ZAAKTYPE_RULES: readonly ZaaktypeRule[] = Object.freeze([
  {
    kind: "boeteAlcoholwet",
    identificaties: ["BOETE-ALCOHOLWET"],
    omschrijving: /\bboete\b.*\balcoholwet\b|\balcoholwet\b.*\bboete\b/i,
  },
  {
    kind: "exploitatievergunning",
    identificaties: ["EXPLOITATIEVERGUNNING"],
    omschrijving: /exploitatievergunning/i,
  },
  {
    kind: "horecavergunning",
    identificaties: ["HORECAVERGUNNING"],
    omschrijving: /horecavergunning|alcoholwetvergunning|drank- en horeca/i,
  },
  {
    kind: "omgevingsvergunning",
    identificaties: ["OMGEVINGSVERGUNNING"],
    omschrijving: /omgevingsvergunning/i,
  },
  { kind: "parkeervergunning", identificaties: ["PARKEERVERGUNNING"], omschrijving: /parkeervergunning/i },
]);

/** The kind of a zaaktype by the rules: identificatie first (over all rules), then omschrijving. */
export function permitKindOf(
  zaaktype: { readonly identificatie: string; readonly omschrijving: string },
  rules: readonly ZaaktypeRule[] = DEFAULT_ZAAKTYPE_RULES,
): PermitKindOrOverig {
  const id = zaaktype.identificatie.toUpperCase();
  const byId = rules.find((r) => r.identificaties.some((i) => i.toUpperCase() === id));
  if (byId) return byId.kind;
  return rules.find((r) => r.omschrijving.test(zaaktype.omschrijving))?.kind ?? "overig";
}

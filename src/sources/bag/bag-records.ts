/**
 * The BAG's records independent of the wire format: the synthetic registry produces them, the
 * simulator renders them as HAL JSON (bag-render.ts).
 */

/** Gebruiksdoel values of the BAG Catalogus 2018 (enum `Gebruiksdoel` of the spec). */
export const GEBRUIKSDOELEN = [
  "woonfunctie",
  "bijeenkomstfunctie",
  "celfunctie",
  "gezondheidszorgfunctie",
  "industriefunctie",
  "kantoorfunctie",
  "logiesfunctie",
  "onderwijsfunctie",
  "sportfunctie",
  "winkelfunctie",
  "overige gebruiksfunctie",
] as const;
export type Gebruiksdoel = (typeof GEBRUIKSDOELEN)[number];

/** RD (epsg:28992) coordinates. */
export type RdPoint = readonly [number, number];
/** A closed ring of RD coordinates. */
export type RdRing = readonly RdPoint[];

export interface BagDocument {
  /** `YYYY-MM-DD` */
  readonly documentdatum: string;
  readonly documentnummer: string;
}

export interface BagAdresRecord {
  readonly nummeraanduidingIdentificatie: string;
  readonly openbareRuimteNaam: string;
  /** At most 24 characters. */
  readonly korteNaam: string;
  readonly huisnummer: number;
  readonly huisletter?: string;
  readonly huisnummertoevoeging?: string;
  readonly postcode: string;
  readonly woonplaatsNaam: string;
  readonly woonplaatsIdentificatie: string;
  readonly openbareRuimteIdentificatie: string;
  readonly adresseerbaarObjectIdentificatie: string;
  /** A nevenadres of its object (the object's heeftAlsNevenAdres), not its hoofdadres. */
  readonly nevenadres?: boolean;
  /** The nummeraanduiding was registered after a constatering, without a regular document. */
  readonly geconstateerd?: boolean;
}

interface BagObjectBase extends BagDocument {
  readonly identificatie: string;
  readonly heeftAlsHoofdAdres: string;
  readonly heeftAlsNevenAdres: readonly string[];
  readonly geconstateerd: boolean;
}

export interface BagVerblijfsobjectRecord extends BagObjectBase {
  readonly type: "Verblijfsobject";
  readonly gebruiksdoelen: readonly Gebruiksdoel[];
  /** m², 1..999999 */
  readonly oppervlakte: number;
  readonly status: "Verblijfsobject in gebruik" | "Verbouwing verblijfsobject";
  readonly punt: RdPoint;
  readonly maaktDeelUitVan: readonly string[];
}

export interface BagPlaatsRecord extends BagObjectBase {
  readonly type: "Standplaats" | "Ligplaats";
  readonly status: "Plaats aangewezen";
  readonly vlak: RdRing;
}

export type BagObjectRecord = BagVerblijfsobjectRecord | BagPlaatsRecord;

export interface BagPandRecord extends BagDocument {
  readonly identificatie: string;
  /** Four digits. */
  readonly oorspronkelijkBouwjaar: string;
  readonly status: "Pand in gebruik";
  readonly vlak: RdRing;
  readonly geconstateerd: boolean;
  /** Identifications of the verblijfsobjecten in this pand (may be empty). */
  readonly verblijfsobjecten: readonly string[];
}

export interface BagAdresQuery {
  readonly postcode: string;
  readonly huisnummer: number;
  readonly huisletter?: string | undefined;
  readonly huisnummertoevoeging?: string | undefined;
  /** Absent huisletter / toevoeging then mean "none" instead of "any". */
  readonly exacteMatch?: boolean | undefined;
}

/** Read access to a BAG: the simulator's data. */
export interface BagRegistry {
  adres(nummeraanduidingIdentificatie: string): BagAdresRecord | undefined;
  zoekAdressen(query: BagAdresQuery): BagAdresRecord[];
  /** Hoofdadres first, then nevenadressen. */
  adressenVanObject(adresseerbaarObjectIdentificatie: string): BagAdresRecord[];
  object(adresseerbaarObjectIdentificatie: string): BagObjectRecord | undefined;
  pand(pandIdentificatie: string): BagPandRecord | undefined;
}

const same = (a: string | undefined, b: string | undefined) =>
  (a ?? "").toLowerCase() === (b ?? "").toLowerCase();

/** The exacteMatch feature: without it an absent huisletter / toevoeging matches any. */
export function matchesAdresQuery(adres: BagAdresRecord, query: BagAdresQuery): boolean {
  if (adres.postcode !== query.postcode.replace(/\s+/g, "").toUpperCase()) return false;
  if (adres.huisnummer !== query.huisnummer) return false;
  if (query.exacteMatch === true)
    return (
      same(adres.huisletter, query.huisletter) && same(adres.huisnummertoevoeging, query.huisnummertoevoeging)
    );
  return (
    (query.huisletter === undefined || same(adres.huisletter, query.huisletter)) &&
    (query.huisnummertoevoeging === undefined || same(adres.huisnummertoevoeging, query.huisnummertoevoeging))
  );
}

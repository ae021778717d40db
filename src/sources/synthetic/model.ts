import type { Bsn } from "../../shared/index.ts";

/**
 * The synthetic municipality's records, independent of any registry's wire format: the BRP
 * simulator renders persons from them, later the BAG, KVK and permit simulators render
 * addresses, companies and cases over the same records.
 */

/** A GBA date `YYYYMMDD`; `00` for an unknown month or day, `00000000` when wholly unknown. */
export type GbaDate = string;

/** A coded value (CBS gemeente code, nationality code, country code) with its name, if known. */
export interface CodedValue {
  readonly code: string;
  readonly omschrijving?: string;
}

export interface Address {
  /** Stable id within the municipality: the nummeraanduiding identification. */
  readonly id: string;
  readonly adresseerbaarObjectIdentificatie: string;
  readonly nummeraanduidingIdentificatie: string;
  readonly officieleStraatnaam: string;
  readonly korteStraatnaam: string;
  readonly huisnummer: number;
  readonly huisletter?: string;
  readonly huisnummertoevoeging?: string;
  /** Normalised, without space: `6211AB`. */
  readonly postcode: string;
  readonly woonplaats: string;
  readonly gemeenteCode: string;
}

export type Verblijfplaats =
  | { readonly kind: "adres"; readonly address: Address; readonly datumVan: GbaDate }
  | { readonly kind: "buitenland"; readonly land: CodedValue };

export interface PartnerLink {
  readonly bsn: Bsn;
  /** H = huwelijk, P = geregistreerd partnerschap. */
  readonly soortVerbintenis: "H" | "P";
  readonly datumAangaan: GbaDate;
}
export interface OuderLink {
  readonly bsn: Bsn;
  readonly ouderAanduiding: "1" | "2";
}

export interface Person {
  readonly bsn: Bsn;
  readonly aNummer: string;
  readonly voornamen: string;
  readonly voorvoegsel?: string;
  readonly geslachtsnaam: string;
  readonly geslacht: "M" | "V" | "O";
  readonly geboortedatum: GbaDate;
  readonly geboorteplaats: CodedValue;
  readonly geboorteland: CodedValue;
  readonly overlijdensdatum?: GbaDate;
  readonly gemeenteVanInschrijving: CodedValue;
  readonly datumInschrijvingInGemeente?: GbaDate;
  readonly verblijfplaats?: Verblijfplaats;
  readonly nationaliteiten: readonly CodedValue[];
  readonly partners: readonly PartnerLink[];
  readonly ouders: readonly OuderLink[];
  readonly kinderen: readonly Bsn[];
}

/** Ids a test or the demo can rely on for a given municipality. */
export interface WellKnown {
  /** Lives in the municipality, alive, with an address and a partner. */
  readonly residentBsn: Bsn;
  /** In the BRP, registered in another municipality. */
  readonly elsewhereBsn: Bsn;
  /** Passes the 11-check, but no person list has it. */
  readonly unknownBsn: Bsn;
  /** A deceased person (RvIG test person 999992077). */
  readonly deceasedBsn: Bsn;
  /** Emigrated: RNI, address abroad (RvIG test person 999993483). */
  readonly emigratedBsn: Bsn;
  /** The resident's address. */
  readonly residentAddress: Address;
}

export interface AddressQuery {
  readonly postcode: string;
  readonly huisnummer: number;
  readonly huisletter?: string | undefined;
  readonly huisnummertoevoeging?: string | undefined;
}

export interface Municipality {
  readonly seed: number;
  readonly size: number;
  readonly code: string;
  readonly name: string;
  readonly wellKnown: WellKnown;
  personByBsn(bsn: string): Person | undefined;
  /** Generated persons by index, 0 ≤ index < size (test persons are not indexed). */
  personAt(index: number): Person | undefined;
  /** Every person: generated ones in index order, then the RvIG test persons. Lazy. */
  persons(): Iterable<Person>;
  /** Addresses inside the municipality matching the query (letter/addition compared when given). */
  findAddresses(query: AddressQuery): Address[];
  addressByAdresseerbaarObjectId(id: string): Address | undefined;
  addressByNummeraanduidingId(id: string): Address | undefined;
  /** Persons whose current address is this one (including deceased ones). */
  residentsOf(address: Address): Person[];
  /** Number of address slots inside the municipality (some are vacant). */
  readonly addressCount: number;
  addressAt(index: number): Address | undefined;
}

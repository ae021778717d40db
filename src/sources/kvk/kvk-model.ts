import type { Bsn, KvkNummer } from "../../shared/index.ts";

/**
 * The Handelsregister records of the synthetic municipality, independent of KVK's wire format:
 * the KVK simulator renders them as Zoeken, Basisprofiel and Vestigingsprofiel answers, and the
 * permit simulator can attach permit cases to the same companies and vestigingen.
 */

/** KVK's `rechtsvorm` values as Basisprofiel returns them in `_embedded.eigenaar`. */
export type Rechtsvorm =
  | "Eenmanszaak"
  | "BeslotenVennootschap"
  | "NaamlozeVennootschap"
  | "VennootschapOnderFirma"
  | "Maatschap"
  | "Stichting"
  | "Vereniging"
  | "PubliekrechtelijkeRechtspersoon";

export interface SbiActiviteit {
  readonly sbiCode: string;
  readonly sbiOmschrijving: string;
  readonly indHoofdactiviteit: boolean;
}

export interface KvkAdres {
  readonly straatnaam: string;
  readonly huisnummer: number;
  readonly huisletter?: string;
  readonly huisnummertoevoeging?: string;
  /** Normalised, without space: `6211AB`. */
  readonly postcode: string;
  readonly plaats: string;
  /** BAG ids when the address is one of the municipality's (absent for KVK's own test companies). */
  readonly adresseerbaarObjectIdentificatie?: string;
  readonly nummeraanduidingIdentificatie?: string;
}

export interface Vestiging {
  /** 12 digits. */
  readonly vestigingsnummer: string;
  readonly kvkNummer: KvkNummer;
  readonly eersteHandelsnaam: string;
  readonly handelsnamen: readonly string[];
  readonly hoofdvestiging: boolean;
  readonly commercieel: boolean;
  readonly adres: KvkAdres;
  readonly sbiActiviteiten: readonly SbiActiviteit[];
  readonly voltijdWerkzamePersonen: number;
  readonly deeltijdWerkzamePersonen: number;
}

export interface Company {
  readonly kvkNummer: KvkNummer;
  /** 9 digits (11-check); absent for an eenmanszaak, which has no RSIN. */
  readonly rsin?: string;
  readonly naam: string;
  readonly statutaireNaam?: string;
  readonly rechtsvorm: Rechtsvorm;
  readonly uitgebreideRechtsvorm: string;
  /** The owner of an eenmanszaak, a person of the municipality (never rendered by KVK's APIs). */
  readonly eigenaarBsn?: Bsn;
  readonly handelsnamen: readonly string[];
  readonly sbiActiviteiten: readonly SbiActiviteit[];
  /** The hoofdvestiging comes first. */
  readonly vestigingen: readonly Vestiging[];
  /** `YYYYMMDD`, as KVK renders dates. */
  readonly formeleRegistratiedatum: string;
  readonly datumAanvang: string;
  /** Set when the registration ended (an inactive registration). */
  readonly datumEinde?: string;
  /** One of KVK's published test companies (or the specs' examples), not a generated one. */
  readonly kvkTestCompany: boolean;
}

export const isActive = (c: Company): boolean => c.datumEinde === undefined;

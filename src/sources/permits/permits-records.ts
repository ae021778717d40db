import type { Bsn, KvkNummer } from "../../shared/index.ts";
import type { Company, Vestiging } from "../kvk/index.ts";
import type { Address, Person } from "../synthetic/index.ts";
import type { ZaaktypeRecord } from "./permits-catalogue.ts";

/**
 * The permit system's records, independent of the wire format: the synthetic register produces
 * them over the municipality and its Handelsregister, the simulator renders them as ZGW JSON.
 */
export type PermitBetrokkene =
  | { readonly type: "natuurlijk_persoon"; readonly person: Person }
  | { readonly type: "niet_natuurlijk_persoon"; readonly company: Company }
  | { readonly type: "vestiging"; readonly company: Company; readonly vestiging: Vestiging };

export interface PermitRolRecord {
  readonly uuid: string;
  readonly omschrijvingGeneriek: "initiator" | "belanghebbende";
  readonly betrokkene: PermitBetrokkene;
}

/** A zaakobject: the BAG adresseerbaar object (of the municipality) the zaak is about. */
export interface PermitZaakObjectRecord {
  readonly uuid: string;
  readonly address: Address;
}

export interface PermitZaakRecord {
  readonly uuid: string;
  readonly identificatie: string;
  readonly zaaktype: ZaaktypeRecord;
  /** At most 80 characters. */
  readonly omschrijving: string;
  readonly toelichting: string;
  /** `YYYY-MM-DD` */
  readonly registratiedatum: string;
  readonly startdatum: string;
  readonly einddatumGepland: string;
  readonly uiterlijkeEinddatumAfdoening: string;
  /** Absent while the zaak is open. */
  readonly einddatum?: string;
  readonly archiefnominatie: "blijvend_bewaren" | "vernietigen";
  readonly archiefactiedatum?: string;
  readonly rollen: readonly PermitRolRecord[];
  readonly objecten: readonly PermitZaakObjectRecord[];
}

/** Ids a test, the demo or the demo walk can rely on for a given municipality. */
export interface PermitWellKnown {
  /**
   * The municipality's well-known resident: an omgevingsvergunning on their address, and as
   * eigenaar of the KVK register's eenmanszaak (natuurlijk-persoon rol) its horeca cases.
   */
  readonly residentBsn: Bsn;
  /** A resident with a parkeervergunning (on their address). */
  readonly bsnWithParkeervergunning: Bsn;
  /** A living resident of the municipality without any zaak. */
  readonly bsnWithoutPermits: Bsn;
  /** The KVK register's horeca BV: horeca-, exploitatievergunning and a bestuurlijke boete Alcoholwet. */
  readonly horecaKvkNummerWithPermit: KvkNummer;
  /** Its RSIN and its hoofdvestiging, as the Zaken API's filters take them. */
  readonly horecaRsin: string;
  readonly horecaVestigingsnummer: string;
  /** The resident's eenmanszaak (a restaurant): horeca- and exploitatievergunning. */
  readonly eenmanszaakKvkNummerWithPermit: KvkNummer;
  /** A generated company without any zaak. */
  readonly kvkNummerWithoutPermits: KvkNummer;
  /** The resident's address (aoid 0935010000000001 in Maastricht): an omgevingsvergunning. */
  readonly objectWithOmgevingsvergunning: string;
  /** The horeca BV's hoofdvestiging: its horeca cases point at it. */
  readonly objectWithHorecavergunning: string;
  /** An address of the municipality no zaakobject points at. */
  readonly objectWithoutPermits: string;
}

/** Read access to the permit system: the simulator's data. */
export interface PermitRegister {
  /** RSIN of the municipality: `bronorganisatie` and `verantwoordelijkeOrganisatie` of every zaak. */
  readonly rsin: string;
  readonly zaaktypen: readonly ZaaktypeRecord[];
  readonly wellKnown: PermitWellKnown;
  zaak(uuid: string): PermitZaakRecord | undefined;
  /** The zaak a zaak, rol or zaakobject uuid belongs to. */
  zaakVan(resourceUuid: string): PermitZaakRecord | undefined;
  /** Zaken with a natuurlijk-persoon rol for this BSN. */
  zakenVanBsn(bsn: string): PermitZaakRecord[];
  /** Zaken with a niet-natuurlijk-persoon rol for this RSIN. */
  zakenVanRsin(rsin: string): PermitZaakRecord[];
  zakenVanVestiging(vestigingsnummer: string): PermitZaakRecord[];
  /** Zaken with a zaakobject for this adresseerbaar object. */
  zakenBijObject(adresseerbaarObjectIdentificatie: string): PermitZaakRecord[];
  /** Every zaak (company zaken, then per address); lazy, but a full pass costs O(addresses). */
  zaken(): Iterable<PermitZaakRecord>;
}

/**
 * The WOZ administration's records independent of the wire format: the synthetic registry
 * (woz-synthetic.ts) produces them in the spec's own shape (schema WozObject), the simulator
 * renders them as HAL JSON.
 */
import type { StatusBeschikking } from "./woz-schema.ts";

export interface WozBelanghebbendeRecord {
  readonly type: "natuurlijk_persoon" | "niet_natuurlijk_persoon";
  readonly naam: string;
  readonly burgerservicenummer?: string;
  readonly kvkNummer?: string;
  readonly rsin?: string;
}

export interface WozWaardeRecord {
  readonly vastgesteldeWaarde: number;
  /** `YYYY-01-01`: the year before the tijdvak (Wet WOZ art. 18 lid 2). */
  readonly waardepeildatum: string;
  /** `YYYY-01-01`: the tijdvak's first day. */
  readonly ingangsdatum: string;
  readonly beschikkingsStatussen: readonly StatusBeschikking[];
  readonly indicatieBezwaarBeroep: boolean;
}

export interface WozObjectRecord {
  readonly identificatie: string;
  readonly aanduiding: {
    readonly straat: string;
    readonly huisnummer: number;
    readonly huisletter?: string;
    readonly huisnummertoevoeging?: string;
    readonly postcode: string;
    readonly woonplaats: string;
    readonly nummeraanduidingIdentificatie: string;
  };
  readonly adresseerbaarObjectIdentificaties: readonly string[];
  readonly pandIdentificaties: readonly string[];
  readonly grondoppervlakte: number;
  readonly kadastraalOnroerendeZaken: readonly {
    readonly identificatie: string;
    readonly aanduiding: {
      readonly gemeentecode: string;
      readonly sectie: string;
      readonly perceelnummer: number;
    };
    readonly aanduidingMetGemeentenaam: string;
  }[];
  readonly verantwoordelijkeGemeente: { readonly code: string; readonly omschrijving: string };
  /** Newest tijdvak first. */
  readonly waarden: readonly WozWaardeRecord[];
  readonly belanghebbendeEigenaar?: WozBelanghebbendeRecord;
  readonly belanghebbendeGebruiker?: WozBelanghebbendeRecord;
}

export interface WozAdresQuery {
  readonly postcode: string;
  readonly huisnummer: number;
  readonly huisletter?: string | undefined;
  readonly huisnummertoevoeging?: string | undefined;
}

/** Objects a test or the demo can rely on. */
export interface WozWellKnown {
  /** A dwelling with a value for the current tijdvak. */
  readonly withCurrentValue: WozObjectRecord;
  /** An object whose value for the current tijdvak is not yet fixed (new building). */
  readonly withoutCurrentValue: WozObjectRecord;
}

/** Read access to a WOZ administration: the simulator's data. */
export interface WozRegistry {
  /** The calendar year the registry's newest tijdvak is for. */
  readonly year: number;
  readonly wellKnown: WozWellKnown;
  byIdentificatie(identificatie: string): WozObjectRecord | undefined;
  byAdresseerbaarObject(id: string): WozObjectRecord[];
  byNummeraanduiding(id: string): WozObjectRecord[];
  /** Absent huisletter / toevoeging match any (Haal Centraal search), given ones compared. */
  byAdres(query: WozAdresQuery): WozObjectRecord[];
  /** Objects whose owner is the registration with this KvK number or RSIN. */
  byEigenaar(key: { readonly kvkNummer: string } | { readonly rsin: string }): WozObjectRecord[];
}

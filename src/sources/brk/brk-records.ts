import type { Bsn, KvkNummer } from "../../shared/index.ts";
import type { Address } from "../synthetic/index.ts";

/**
 * The Kadaster's records independent of the wire format: the synthetic register produces them,
 * the simulator renders them as BRK-Bevragen v2 HAL JSON (brk-render.ts).
 */

/** A value of one of the Kadaster's value lists (schema `Waardelijst`). */
export interface BrkWaarde {
  readonly code: string;
  readonly waarde: string;
}

/** Who holds a right: a person of the BRP (by BSN) or a company of the Handelsregister. */
export type BrkPersoonRecord =
  | { readonly kind: "persoon"; readonly bsn: Bsn; readonly omschrijving: string }
  | {
      readonly kind: "onderneming";
      /** The Kadaster's own identification of the (niet-natuurlijk) persoon. */
      readonly identificatie: string;
      readonly kvkNummer: KvkNummer;
      readonly rsin?: string | undefined;
      readonly statutaireNaam: string;
      readonly statutaireZetel: string;
    };

export interface BrkStukRecord {
  readonly identificatie: string;
  readonly aard: BrkWaarde;
  readonly deel: string;
  readonly nummer: string;
  /** Hypotheken (reeks Hyp4) or Onroerende Zaken (Hyp3 is not used in the synthetic register). */
  readonly soortRegister: BrkWaarde;
}

export interface BrkZakelijkGerechtigdeRecord {
  readonly identificatie: string;
  readonly type: "eigenaar" | "erfpachter";
  readonly aanvangsdatum: string;
  readonly aandeel: { readonly teller: number; readonly noemer: number };
  readonly persoon: BrkPersoonRecord;
  readonly stuk: BrkStukRecord;
}

export interface BrkHypotheekRecord {
  readonly identificatie: string;
  readonly bedragZekerheidsstelling: number;
  readonly hypotheekhouder: { readonly identificatie: string; readonly omschrijving: string };
  readonly stuk: BrkStukRecord;
}

export interface BrkBeslagRecord {
  readonly identificatie: string;
  readonly aard: BrkWaarde;
  readonly bedragVordering: number;
  readonly beslaglegger: { readonly identificatie: string; readonly omschrijving: string };
  readonly stuk: BrkStukRecord;
}

export interface BrkPrivaatrechtelijkeBeperkingRecord {
  readonly identificatie: string;
  readonly aard: BrkWaarde;
  readonly omschrijving: string;
  readonly stuk: BrkStukRecord;
}

export interface BrkPubliekrechtelijkeBeperkingRecord {
  readonly identificatie: string;
  readonly grondslag: BrkWaarde;
  readonly datumInWerking: string;
  readonly bevoegdGezag: { readonly identificatie: string; readonly omschrijving: string };
  readonly stuk: BrkStukRecord;
}

/** One kadastraal onroerende zaak (a perceel) with every right and restriction on it. */
export interface BrkZaakRecord {
  /** 14 digits, as the Kadaster's examples (e.g. 76870487970000). */
  readonly identificatie: string;
  readonly type: "perceel";
  readonly kadastraleAanduiding: string;
  /** m² */
  readonly kadastraleGrootte: number;
  readonly aardCultuurBebouwd: BrkWaarde;
  readonly koopsom?: { readonly koopsom: number; readonly koopjaar: number } | undefined;
  readonly adres: Address;
  readonly zakelijkGerechtigden: readonly BrkZakelijkGerechtigdeRecord[];
  readonly hypotheken: readonly BrkHypotheekRecord[];
  readonly beslagen: readonly BrkBeslagRecord[];
  readonly privaatrechtelijkeBeperkingen: readonly BrkPrivaatrechtelijkeBeperkingRecord[];
  readonly publiekrechtelijkeBeperkingen: readonly BrkPubliekrechtelijkeBeperkingRecord[];
}

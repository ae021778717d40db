import { permitKindOf, type PermitKindOrOverig, type ZaaktypeRule } from "./permits-kinds.ts";
import type { Zaak, ZaakType } from "./permits-schema.ts";

/**
 * A permit case as the gateway hands it on: a zaak reduced to what an analyst can use, with its
 * kind from the zaaktype table. No betrokkenen: who the case is about is the question asked.
 */
export interface Permit {
  /** URL of the zaak in the Zaken API: its identity across calls. */
  readonly zaakUrl: string;
  /** The municipality's case number, e.g. ZAAK-2021-0000000042. */
  readonly identificatie?: string | undefined;
  readonly kind: PermitKindOrOverig;
  readonly zaaktypeUrl: string;
  /**
   * The zaaktype as the Catalogi API names it. Absent when the zaaktype URL is not in the
   * catalogue: then `kind` is `overig` only for want of knowledge, and a probe cannot say NO_HIT.
   */
  readonly zaaktype?: { readonly identificatie: string; readonly omschrijving: string } | undefined;
  readonly omschrijving?: string | undefined;
  /** `YYYY-MM-DD` */
  readonly startdatum: string;
  readonly registratiedatum?: string | undefined;
  readonly einddatumGepland?: string | undefined;
  /** Set once the case was closed (a decision was taken). */
  readonly einddatum?: string | undefined;
  /** From `einddatum`: a case is closed when it has one (ZGW sets it with the final status). */
  readonly status: "lopend" | "afgesloten";
  readonly vertrouwelijkheidaanduiding?: string | undefined;
  readonly archiefnominatie?: "blijvend_bewaren" | "vernietigen" | undefined;
}

/** An index of the catalogue by zaaktype URL (each version of a zaaktype has its own URL). */
export type ZaaktypeIndex = ReadonlyMap<string, ZaakType>;

export const indexZaaktypen = (zaaktypen: readonly ZaakType[]): ZaaktypeIndex =>
  new Map(zaaktypen.map((t) => [t.url, t]));

const present = <T>(value: T | null | undefined | ""): T | undefined =>
  value === null || value === "" ? undefined : value;

export function toPermit(zaak: Zaak, zaaktypen: ZaaktypeIndex, rules: readonly ZaaktypeRule[]): Permit {
  const type = zaaktypen.get(zaak.zaaktype);
  return {
    zaakUrl: zaak.url,
    identificatie: zaak.identificatie,
    kind: type ? permitKindOf(type, rules) : "overig",
    zaaktypeUrl: zaak.zaaktype,
    zaaktype: type ? { identificatie: type.identificatie, omschrijving: type.omschrijving } : undefined,
    omschrijving: present(zaak.omschrijving),
    startdatum: zaak.startdatum,
    registratiedatum: zaak.registratiedatum,
    einddatumGepland: present(zaak.einddatumGepland),
    einddatum: present(zaak.einddatum),
    status: present(zaak.einddatum) ? "afgesloten" : "lopend",
    vertrouwelijkheidaanduiding: zaak.vertrouwelijkheidaanduiding,
    archiefnominatie: present(zaak.archiefnominatie),
  };
}

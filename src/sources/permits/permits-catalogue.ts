import type { PermitKindOrOverig } from "./permits-kinds.ts";

/**
 * The simulator's zaaktype catalogue: the permit zaaktypen of the default table plus two that
 * are no permit (`overig`), some in two versions (each version is its own ZAAKTYPE with its own
 * URL and the same identificatie), as a municipality's catalogue has them: the Drank- en
 * Horecawet became the Alcoholwet on 2021-07-01, the Wabo the Omgevingswet on 2024-01-01.
 */
export interface ZaaktypeRecord {
  readonly uuid: string;
  readonly identificatie: string;
  readonly omschrijving: string;
  /** What the generator uses it for (the gateway learns it from the table, not from here). */
  readonly kind: PermitKindOrOverig;
  readonly doel: string;
  readonly onderwerp: string;
  readonly handelingInitiator: string;
  readonly handelingBehandelaar: string;
  /** Weeks, rendered as an ISO 8601 duration. */
  readonly doorlooptijdWeken: number;
  readonly vertrouwelijkheidaanduiding: "openbaar" | "intern" | "zaakvertrouwelijk" | "vertrouwelijk";
  readonly indicatieInternOfExtern: "intern" | "extern";
  readonly trefwoorden: readonly string[];
  readonly beginGeldigheid: string;
  readonly eindeGeldigheid?: string;
  readonly versiedatum: string;
}

export const CATALOGUS_UUID = "7c1f0c55-2a4f-4c5e-9d6a-0c0a7a1e0935";

const t = (
  n: number,
  fields: Omit<ZaaktypeRecord, "uuid" | "versiedatum" | "indicatieInternOfExtern"> &
    Partial<Pick<ZaaktypeRecord, "indicatieInternOfExtern">>,
): ZaaktypeRecord => ({
  uuid: `3f2e7a10-5b1c-4d2e-8a00-${String(n).padStart(12, "0")}`,
  versiedatum: fields.beginGeldigheid,
  indicatieInternOfExtern: "extern",
  ...fields,
});

export const ZAAKTYPEN: readonly ZaaktypeRecord[] = Object.freeze([
  t(1, {
    identificatie: "HORECAVERGUNNING",
    omschrijving: "Drank- en horecavergunning",
    kind: "horecavergunning",
    doel: "Vergunning voor het uitoefenen van het horecabedrijf (Drank- en Horecawet).",
    onderwerp: "Drank- en horecavergunning",
    handelingInitiator: "Aanvragen",
    handelingBehandelaar: "Behandelen",
    doorlooptijdWeken: 8,
    vertrouwelijkheidaanduiding: "zaakvertrouwelijk",
    trefwoorden: ["horeca", "dhw"],
    beginGeldigheid: "2013-01-01",
    eindeGeldigheid: "2021-06-30",
  }),
  t(2, {
    identificatie: "HORECAVERGUNNING",
    omschrijving: "Horecavergunning (Alcoholwet)",
    kind: "horecavergunning",
    doel: "Vergunning voor het uitoefenen van het horecabedrijf (Alcoholwet artikel 3).",
    onderwerp: "Alcoholwetvergunning",
    handelingInitiator: "Aanvragen",
    handelingBehandelaar: "Behandelen",
    doorlooptijdWeken: 8,
    vertrouwelijkheidaanduiding: "zaakvertrouwelijk",
    trefwoorden: ["horeca", "alcoholwet"],
    beginGeldigheid: "2021-07-01",
  }),
  t(3, {
    identificatie: "EXPLOITATIEVERGUNNING",
    omschrijving: "Exploitatievergunning horecabedrijf",
    kind: "exploitatievergunning",
    doel: "Vergunning voor het exploiteren van een openbare inrichting (APV).",
    onderwerp: "Exploitatievergunning",
    handelingInitiator: "Aanvragen",
    handelingBehandelaar: "Behandelen",
    doorlooptijdWeken: 8,
    vertrouwelijkheidaanduiding: "zaakvertrouwelijk",
    trefwoorden: ["horeca", "apv", "bibob"],
    beginGeldigheid: "2013-01-01",
  }),
  t(4, {
    identificatie: "OMGEVINGSVERGUNNING",
    omschrijving: "Omgevingsvergunning (Wabo)",
    kind: "omgevingsvergunning",
    doel: "Vergunning voor activiteiten die de fysieke leefomgeving raken (Wabo).",
    onderwerp: "Omgevingsvergunning",
    handelingInitiator: "Aanvragen",
    handelingBehandelaar: "Behandelen",
    doorlooptijdWeken: 8,
    vertrouwelijkheidaanduiding: "openbaar",
    trefwoorden: ["wabo", "bouwen"],
    beginGeldigheid: "2013-01-01",
    eindeGeldigheid: "2023-12-31",
  }),
  t(5, {
    identificatie: "OMGEVINGSVERGUNNING",
    omschrijving: "Omgevingsvergunning (Omgevingswet)",
    kind: "omgevingsvergunning",
    doel: "Vergunning voor activiteiten in de fysieke leefomgeving (Omgevingswet).",
    onderwerp: "Omgevingsvergunning",
    handelingInitiator: "Aanvragen",
    handelingBehandelaar: "Behandelen",
    doorlooptijdWeken: 8,
    vertrouwelijkheidaanduiding: "openbaar",
    trefwoorden: ["omgevingswet", "bouwen"],
    beginGeldigheid: "2024-01-01",
  }),
  t(6, {
    identificatie: "PARKEERVERGUNNING",
    omschrijving: "Parkeervergunning bewoners",
    kind: "parkeervergunning",
    doel: "Vergunning om als bewoner in het vergunninggebied te parkeren.",
    onderwerp: "Parkeervergunning",
    handelingInitiator: "Aanvragen",
    handelingBehandelaar: "Verlenen",
    doorlooptijdWeken: 2,
    vertrouwelijkheidaanduiding: "zaakvertrouwelijk",
    trefwoorden: ["parkeren"],
    beginGeldigheid: "2013-01-01",
  }),
  t(7, {
    identificatie: "BOETE-ALCOHOLWET",
    omschrijving: "Bestuurlijke boete Alcoholwet",
    kind: "boeteAlcoholwet",
    doel: "Opleggen van een bestuurlijke boete bij overtreding van de Alcoholwet.",
    onderwerp: "Handhaving Alcoholwet",
    handelingInitiator: "Constateren",
    handelingBehandelaar: "Handhaven",
    doorlooptijdWeken: 13,
    vertrouwelijkheidaanduiding: "vertrouwelijk",
    indicatieInternOfExtern: "intern",
    trefwoorden: ["handhaving", "alcoholwet"],
    beginGeldigheid: "2013-01-01",
  }),
  t(8, {
    identificatie: "MELDING-OPENBARE-RUIMTE",
    omschrijving: "Melding openbare ruimte",
    kind: "overig",
    doel: "Afhandelen van een melding over de openbare ruimte.",
    onderwerp: "Melding openbare ruimte",
    handelingInitiator: "Melden",
    handelingBehandelaar: "Afhandelen",
    doorlooptijdWeken: 1,
    vertrouwelijkheidaanduiding: "intern",
    trefwoorden: ["mor"],
    beginGeldigheid: "2013-01-01",
  }),
  t(9, {
    identificatie: "EVENEMENTENVERGUNNING",
    omschrijving: "Evenementenvergunning",
    kind: "overig",
    doel: "Vergunning voor het organiseren van een evenement (APV).",
    onderwerp: "Evenementenvergunning",
    handelingInitiator: "Aanvragen",
    handelingBehandelaar: "Behandelen",
    doorlooptijdWeken: 8,
    vertrouwelijkheidaanduiding: "openbaar",
    trefwoorden: ["evenement", "apv"],
    beginGeldigheid: "2013-01-01",
  }),
]);

/** The version of a zaaktype (by identificatie) that was valid on `datum` (`YYYY-MM-DD`). */
export function zaaktypeOn(identificatie: string, datum: string): ZaaktypeRecord {
  const versions = ZAAKTYPEN.filter((z) => z.identificatie === identificatie);
  const found =
    versions.find(
      (z) => z.beginGeldigheid <= datum && (z.eindeGeldigheid === undefined || datum <= z.eindeGeldigheid),
    ) ?? versions[versions.length - 1];
  if (!found) throw new Error(`permits-catalogue: no zaaktype ${identificatie}`);
  return found;
}

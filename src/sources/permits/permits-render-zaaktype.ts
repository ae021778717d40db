import { CATALOGUS_UUID, type ZaaktypeRecord } from "./permits-catalogue.ts";
import { zaaktypeUrl, type RenderContext } from "./permits-render.ts";

/**
 * A ZAAKTYPE as the Catalogi API renders it (schema `ZaakType`): the catalogue's record plus the
 * fields every zaaktype has, empty where the simulator has nothing (statustypen, roltypen, …).
 */
const weeks = (n: number) => `P${n * 7}D`;

export function renderZaaktype(t: ZaaktypeRecord, ctx: RenderContext): Record<string, unknown> {
  const url = zaaktypeUrl(t, ctx);
  return {
    url,
    identificatie: t.identificatie,
    omschrijving: t.omschrijving,
    omschrijvingGeneriek: "",
    vertrouwelijkheidaanduiding: t.vertrouwelijkheidaanduiding,
    doel: t.doel,
    aanleiding: `Een ${t.handelingInitiator.toLowerCase()} van een burger of bedrijf.`,
    toelichting: "",
    indicatieInternOfExtern: t.indicatieInternOfExtern,
    handelingInitiator: t.handelingInitiator,
    onderwerp: t.onderwerp,
    handelingBehandelaar: t.handelingBehandelaar,
    doorlooptijd: weeks(t.doorlooptijdWeken),
    servicenorm: null,
    opschortingEnAanhoudingMogelijk: true,
    verlengingMogelijk: true,
    verlengingstermijn: "P42D",
    trefwoorden: [...t.trefwoorden],
    publicatieIndicatie: false,
    publicatietekst: "",
    verantwoordingsrelatie: [],
    productenOfDiensten: [],
    referentieproces: { naam: t.onderwerp },
    verantwoordelijke: "Gemeente",
    zaakobjecttypen: [],
    catalogus: `${ctx.catalogiBase}/catalogussen/${CATALOGUS_UUID}`,
    statustypen: [],
    resultaattypen: [],
    eigenschappen: [],
    informatieobjecttypen: "",
    roltypen: [],
    besluittypen: [],
    deelzaaktypen: [],
    gerelateerdeZaaktypen: [],
    beginGeldigheid: t.beginGeldigheid,
    eindeGeldigheid: t.eindeGeldigheid ?? null,
    beginObject: null,
    eindeObject: null,
    versiedatum: t.versiedatum,
    concept: false,
  };
}

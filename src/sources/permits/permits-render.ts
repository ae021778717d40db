import type { Rechtsvorm } from "../kvk/index.ts";
import type { Address, Person } from "../synthetic/index.ts";
import type { ZaaktypeRecord } from "./permits-catalogue.ts";
import type {
  PermitBetrokkene,
  PermitRolRecord,
  PermitZaakObjectRecord,
  PermitZaakRecord,
} from "./permits-records.ts";

/** Where the rendered URLs point: the simulator's two APIs and the BAG the zaakobjecten name. */
export interface RenderContext {
  readonly zakenBase: string;
  readonly catalogiBase: string;
  readonly bagObjectUrl: (adresseerbaarObjectIdentificatie: string) => string;
  /** RSIN of the municipality. */
  readonly rsin: string;
}

type Json = Record<string, unknown>;

export const zaaktypeUrl = (t: ZaaktypeRecord, ctx: RenderContext) =>
  `${ctx.catalogiBase}/zaaktypen/${t.uuid}`;
export const zaakUrl = (z: PermitZaakRecord, ctx: RenderContext) => `${ctx.zakenBase}/zaken/${z.uuid}`;
const roltypeUrl = (t: ZaaktypeRecord, rol: PermitRolRecord, ctx: RenderContext) =>
  `${ctx.catalogiBase}/roltypen/${t.uuid.slice(0, -2)}${rol.omschrijvingGeneriek === "initiator" ? "a1" : "b1"}`;

const INN_RECHTSVORM: Readonly<Record<Rechtsvorm, string>> = {
  Eenmanszaak: "",
  BeslotenVennootschap: "besloten_vennootschap",
  NaamlozeVennootschap: "naamloze_vennootschap",
  VennootschapOnderFirma: "vennootschap_onder_firma",
  Maatschap: "maatschap",
  Stichting: "stichting",
  Vereniging: "vereniging",
  PubliekrechtelijkeRechtspersoon: "publiekrechtelijke_rechtspersoon",
};

/** `VerblijfsAdres` (and, with other prefixes, `TerreinGebouwdObjectAdres`). */
const verblijfsadres = (a: Address) => ({
  aoaIdentificatie: a.nummeraanduidingIdentificatie,
  wplWoonplaatsNaam: a.woonplaats,
  gorOpenbareRuimteNaam: a.officieleStraatnaam,
  aoaPostcode: a.postcode,
  aoaHuisnummer: a.huisnummer,
  aoaHuisletter: a.huisletter ?? "",
  aoaHuisnummertoevoeging: a.huisnummertoevoeging ?? "",
  inpLocatiebeschrijving: "",
});

const voorletters = (p: Person) =>
  p.voornamen
    .split(/\s+/)
    .filter((n) => n !== "")
    .map((n) => `${n[0]}.`)
    .join("")
    .slice(0, 20);

function betrokkeneIdentificatie(b: PermitBetrokkene): Json {
  switch (b.type) {
    case "natuurlijk_persoon": {
      const p = b.person;
      const home = p.verblijfplaats?.kind === "adres" ? p.verblijfplaats.address : undefined;
      return {
        inpBsn: p.bsn,
        anpIdentificatie: "",
        inpA_nummer: p.aNummer,
        geslachtsnaam: p.geslachtsnaam,
        voorvoegselGeslachtsnaam: p.voorvoegsel ?? "",
        voorletters: voorletters(p),
        voornamen: p.voornamen,
        geslachtsaanduiding: p.geslacht.toLowerCase(),
        geboortedatum: `${p.geboortedatum.slice(0, 4)}-${p.geboortedatum.slice(4, 6)}-${p.geboortedatum.slice(6, 8)}`,
        verblijfsadres: home ? verblijfsadres(home) : null,
        subVerblijfBuitenland: null,
      };
    }
    case "niet_natuurlijk_persoon":
      return {
        innNnpId: b.company.rsin ?? "",
        annIdentificatie: "",
        statutaireNaam: b.company.statutaireNaam ?? b.company.naam,
        innRechtsvorm: INN_RECHTSVORM[b.company.rechtsvorm],
        bezoekadres: "",
        subVerblijfBuitenland: null,
      };
    case "vestiging": {
      const a = b.vestiging.adres;
      return {
        vestigingsNummer: b.vestiging.vestigingsnummer,
        handelsnaam: [...b.vestiging.handelsnamen],
        verblijfsadres: {
          aoaIdentificatie: a.nummeraanduidingIdentificatie ?? "",
          wplWoonplaatsNaam: a.plaats,
          gorOpenbareRuimteNaam: a.straatnaam,
          aoaPostcode: a.postcode,
          aoaHuisnummer: a.huisnummer,
          aoaHuisletter: a.huisletter ?? "",
          aoaHuisnummertoevoeging: a.huisnummertoevoeging ?? "",
          inpLocatiebeschrijving: "",
        },
        subVerblijfBuitenland: null,
        kvkNummer: b.company.kvkNummer,
      };
    }
  }
}

export function renderRol(z: PermitZaakRecord, rol: PermitRolRecord, ctx: RenderContext): Json {
  const initiator = rol.omschrijvingGeneriek === "initiator";
  return {
    url: `${ctx.zakenBase}/rollen/${rol.uuid}`,
    uuid: rol.uuid,
    zaak: zaakUrl(z, ctx),
    betrokkeneType: rol.betrokkene.type,
    afwijkendeNaamBetrokkene: "",
    roltype: roltypeUrl(z.zaaktype, rol, ctx),
    omschrijving: initiator ? "Aanvrager" : "Belanghebbende",
    omschrijvingGeneriek: rol.omschrijvingGeneriek,
    roltoelichting: initiator ? "Aanvrager van de zaak" : "Belanghebbende bij de zaak",
    registratiedatum: `${z.registratiedatum}T09:00:00Z`,
    indicatieMachtiging: "",
    contactpersoonRol: null,
    statussen: [],
    betrokkeneIdentificatie: betrokkeneIdentificatie(rol.betrokkene),
  };
}

export function renderZaakObject(z: PermitZaakRecord, o: PermitZaakObjectRecord, ctx: RenderContext): Json {
  const a = o.address;
  return {
    url: `${ctx.zakenBase}/zaakobjecten/${o.uuid}`,
    uuid: o.uuid,
    zaak: zaakUrl(z, ctx),
    object: ctx.bagObjectUrl(a.adresseerbaarObjectIdentificatie),
    objectType: "terrein_gebouwd_object",
    objectTypeOverigeDefinitie: null,
    relatieomschrijving: z.zaaktype.kind === "parkeervergunning" ? "Woonadres" : "Locatie",
    objectIdentificatie: {
      identificatie: a.adresseerbaarObjectIdentificatie,
      adresAanduidingGrp: {
        numIdentificatie: a.nummeraanduidingIdentificatie,
        oaoIdentificatie: a.adresseerbaarObjectIdentificatie,
        wplWoonplaatsNaam: a.woonplaats,
        gorOpenbareRuimteNaam: a.officieleStraatnaam,
        aoaPostcode: a.postcode,
        aoaHuisnummer: a.huisnummer,
        aoaHuisletter: a.huisletter ?? "",
        aoaHuisnummertoevoeging: a.huisnummertoevoeging ?? "",
        ogoLocatieAanduiding: "",
      },
    },
  };
}

export function renderZaak(z: PermitZaakRecord, ctx: RenderContext): Json {
  const url = zaakUrl(z, ctx);
  const closed = z.einddatum !== undefined;
  return {
    url,
    uuid: z.uuid,
    identificatie: z.identificatie,
    bronorganisatie: ctx.rsin,
    omschrijving: z.omschrijving,
    toelichting: z.toelichting,
    zaaktype: zaaktypeUrl(z.zaaktype, ctx),
    registratiedatum: z.registratiedatum,
    verantwoordelijkeOrganisatie: ctx.rsin,
    startdatum: z.startdatum,
    einddatum: z.einddatum ?? null,
    einddatumGepland: z.einddatumGepland,
    uiterlijkeEinddatumAfdoening: z.uiterlijkeEinddatumAfdoening,
    publicatiedatum: null,
    productenOfDiensten: [],
    vertrouwelijkheidaanduiding: z.zaaktype.vertrouwelijkheidaanduiding,
    betalingsindicatie: "",
    betalingsindicatieWeergave: "",
    laatsteBetaaldatum: null,
    zaakgeometrie: null,
    verlenging: null,
    opschorting: { indicatie: false, reden: "" },
    hoofdzaak: null,
    deelzaken: [],
    relevanteAndereZaken: [],
    eigenschappen: [],
    rollen: z.rollen.map((r) => `${ctx.zakenBase}/rollen/${r.uuid}`),
    // Statussen and resultaten are not served by the simulator; the links are as the API renders them.
    status: `${ctx.zakenBase}/statussen/${z.uuid.slice(0, -4)}${closed ? "0002" : "0001"}`,
    zaakinformatieobjecten: [],
    zaakobjecten: z.objecten.map((o) => `${ctx.zakenBase}/zaakobjecten/${o.uuid}`),
    kenmerken: [],
    archiefnominatie: z.archiefnominatie,
    archiefstatus: "nog_te_archiveren",
    archiefactiedatum: z.archiefactiedatum ?? null,
    resultaat: closed ? `${ctx.zakenBase}/resultaten/${z.uuid}` : null,
    opdrachtgevendeOrganisatie: "",
    processobjectaard: "",
    startdatumBewaartermijn: null,
    processobject: null,
  };
}

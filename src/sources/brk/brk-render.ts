import type { Address } from "../synthetic/index.ts";
import type {
  BrkBeslagRecord,
  BrkHypotheekRecord,
  BrkPersoonRecord,
  BrkPrivaatrechtelijkeBeperkingRecord,
  BrkPubliekrechtelijkeBeperkingRecord,
  BrkStukRecord,
  BrkZaakRecord,
  BrkZakelijkGerechtigdeRecord,
} from "./brk-records.ts";

/**
 * The simulator's HAL JSON of BRK-Bevragen v2, one function per resource of the spec
 * (KadastraalOnroerendeZaakHal, ZakelijkGerechtigdeHal, …). `base` is the API's base URL, for the
 * `_links`. Every answer is validated against the reference document in the contract tests.
 */
const DOMEIN = "NL.IMKAD.KadastraalObject";
const EURO = { code: "EUR", waarde: "Euro" };
const link = (href: string) => ({ href });

const adres = (a: Address) => ({
  straat: a.officieleStraatnaam,
  huisnummer: a.huisnummer,
  ...(a.huisletter === undefined ? {} : { huisletter: a.huisletter }),
  ...(a.huisnummertoevoeging === undefined ? {} : { huisnummertoevoeging: a.huisnummertoevoeging }),
  postcode: a.postcode,
  woonplaats: a.woonplaats,
  nummeraanduidingIdentificatie: a.nummeraanduidingIdentificatie,
  adresseerbaarObjectIdentificatie: a.adresseerbaarObjectIdentificatie,
  koppelingswijze: { code: "ADM_GEO", waarde: "administratief en geometrisch" },
});

export function renderPersoonBeperkt(p: BrkPersoonRecord) {
  return p.kind === "persoon"
    ? { identificatie: p.bsn, omschrijving: p.omschrijving, type: "ingeschreven_natuurlijk_persoon" as const }
    : {
        identificatie: p.identificatie,
        omschrijving: p.statutaireNaam,
        type: "kadaster_niet_natuurlijk_persoon" as const,
      };
}

const other = (p: { identificatie: string; omschrijving: string }) => ({
  ...p,
  type: "kadaster_niet_natuurlijk_persoon" as const,
});

/** `withGerechtigden` false: the BSN search answers without zakelijkGerechtigdeIdentificaties (spec). */
export function renderZaak(z: BrkZaakRecord, base: string, withGerechtigden: boolean) {
  const self = `${base}/kadastraalonroerendezaken/${z.identificatie}`;
  const ids = (xs: readonly { identificatie: string }[]) => xs.map((x) => x.identificatie);
  const some = <K extends string>(key: K, xs: readonly { identificatie: string }[]) =>
    xs.length > 0 ? ({ [key]: ids(xs) } as Record<K, string[]>) : {};
  return {
    identificatie: z.identificatie,
    domein: DOMEIN,
    type: z.type,
    kadastraleAanduiding: z.kadastraleAanduiding,
    kadastraleGrootte: { waarde: z.kadastraleGrootte, soortGrootte: { code: "1", waarde: "Vastgesteld" } },
    aardCultuurBebouwd: z.aardCultuurBebouwd,
    ...(z.koopsom ? { koopsom: z.koopsom } : {}),
    adressen: [adres(z.adres)],
    ...(withGerechtigden ? some("zakelijkGerechtigdeIdentificaties", z.zakelijkGerechtigden) : {}),
    ...some("hypotheekIdentificaties", z.hypotheken),
    ...some("beslagIdentificaties", z.beslagen),
    ...some("privaatrechtelijkeBeperkingIdentificaties", z.privaatrechtelijkeBeperkingen),
    _links: {
      self: link(self),
      ...(withGerechtigden && z.zakelijkGerechtigden.length > 0
        ? {
            zakelijkGerechtigden: z.zakelijkGerechtigden.map((g) =>
              link(`${self}/zakelijkgerechtigden/${g.identificatie}`),
            ),
          }
        : {}),
      ...(z.hypotheken.length > 0
        ? { hypotheken: z.hypotheken.map((h) => link(`${self}/hypotheken/${h.identificatie}`)) }
        : {}),
      ...(z.beslagen.length > 0
        ? { beslagen: z.beslagen.map((b) => link(`${self}/beslagen/${b.identificatie}`)) }
        : {}),
    },
  };
}

export function renderZakelijkGerechtigde(g: BrkZakelijkGerechtigdeRecord, zaakSelf: string, base: string) {
  const persoon = renderPersoonBeperkt(g.persoon);
  return {
    identificatie: g.identificatie,
    domein: "NL.IMKAD.Tenaamstelling",
    type: g.type,
    aanvangsdatum: g.aanvangsdatum,
    tenaamstelling: { aandeel: g.aandeel, stukIdentificaties: [g.stuk.identificatie] },
    persoon,
    _links: {
      self: link(`${zaakSelf}/zakelijkgerechtigden/${g.identificatie}`),
      ...(g.persoon.kind === "onderneming"
        ? { persoon: link(`${base}/kadasternietnatuurlijkpersonen/${g.persoon.identificatie}`) }
        : {}),
      stukken: [link(`${base}/stukken/${g.stuk.identificatie}`)],
    },
  };
}

const som = (n: number) => ({ som: n, valuta: EURO });

export function renderHypotheek(h: BrkHypotheekRecord, zaakSelf: string, base: string) {
  return {
    identificatie: h.identificatie,
    domein: "NL.IMKAD.Hypotheek",
    bedragZekerheidsstelling: som(h.bedragZekerheidsstelling),
    hypotheekhouders: [other(h.hypotheekhouder)],
    stukIdentificaties: [h.stuk.identificatie],
    _links: {
      self: link(`${zaakSelf}/hypotheken/${h.identificatie}`),
      stukken: [link(`${base}/stukken/${h.stuk.identificatie}`)],
    },
  };
}

export function renderBeslag(b: BrkBeslagRecord, zaakSelf: string, base: string) {
  return {
    identificatie: b.identificatie,
    domein: "NL.IMKAD.Beslag",
    aard: b.aard,
    bedragVordering: som(b.bedragVordering),
    beslagleggers: [other(b.beslaglegger)],
    stukIdentificaties: [b.stuk.identificatie],
    _links: {
      self: link(`${zaakSelf}/beslagen/${b.identificatie}`),
      stukken: [link(`${base}/stukken/${b.stuk.identificatie}`)],
    },
  };
}

export function renderPrivaatrechtelijkeBeperking(
  p: BrkPrivaatrechtelijkeBeperkingRecord,
  zaakSelf: string,
  base: string,
) {
  return {
    identificatie: p.identificatie,
    domein: "NL.IMKAD.Aantekening",
    aard: p.aard,
    omschrijving: p.omschrijving,
    stukIdentificaties: [p.stuk.identificatie],
    _links: {
      self: link(`${zaakSelf}/privaatrechtelijkebeperkingen/${p.identificatie}`),
      stukken: [link(`${base}/stukken/${p.stuk.identificatie}`)],
    },
  };
}

export function renderPubliekrechtelijkeBeperking(p: BrkPubliekrechtelijkeBeperkingRecord, base: string) {
  return {
    identificatie: p.identificatie,
    domein: "NL.IMKAD.PubliekrechtelijkeBeperking",
    grondslag: p.grondslag,
    datumInWerking: p.datumInWerking,
    bevoegdGezag: other(p.bevoegdGezag),
    stukIdentificaties: [p.stuk.identificatie],
    _links: { stukken: [link(`${base}/stukken/${p.stuk.identificatie}`)] },
  };
}

export function renderNietNatuurlijkPersoon(
  p: Extract<BrkPersoonRecord, { kind: "onderneming" }>,
  base: string,
) {
  return {
    identificatie: p.identificatie,
    domein: "NL.IMKAD.Persoon",
    omschrijving: p.statutaireNaam,
    statutaireNaam: p.statutaireNaam,
    statutaireZetel: p.statutaireZetel,
    kvkNummer: p.kvkNummer,
    ...(p.rsin === undefined ? {} : { rsin: p.rsin }),
    _links: { self: link(`${base}/kadasternietnatuurlijkpersonen/${p.identificatie}`) },
  };
}

export function renderStuk(s: BrkStukRecord, base: string) {
  return {
    identificatie: s.identificatie,
    domein: "NL.IMKAD.TIAStuk",
    aard: s.aard,
    deelEnNummer: { deel: s.deel, nummer: s.nummer, soortRegister: s.soortRegister },
    _links: { self: link(`${base}/stukken/${s.identificatie}`) },
  };
}

import { isActive, type Company, type KvkAdres, type SbiActiviteit, type Vestiging } from "./kvk-model.ts";

/**
 * Renders Handelsregister records in KVK's wire format (Basisprofiel v1, Vestigingsprofiel v1,
 * Zoeken v2 result items): Ja/Nee indicators, dates as `YYYYMMDD`, links with absolute hrefs.
 * `origin` is the simulator's `http://host:port`.
 */
export interface RenderContext {
  readonly origin: string;
  /** Include `geoData` (the BAG ids) in addresses, as with `?geoData=true`. */
  readonly geoData?: boolean;
}

type Json = Record<string, unknown>;
const jaNee = (b: boolean) => (b ? "Ja" : "Nee");
const basisprofielHref = (ctx: RenderContext, kvkNummer: string) =>
  `${ctx.origin}/api/v1/basisprofielen/${kvkNummer}`;
const vestigingsprofielHref = (ctx: RenderContext, nr: string) =>
  `${ctx.origin}/api/v1/vestigingsprofielen/${nr}`;

export const volledigAdres = (a: KvkAdres): string =>
  `${a.straatnaam} ${a.huisnummer}${a.huisletter ?? ""}${a.huisnummertoevoeging ? `-${a.huisnummertoevoeging}` : ""} ` +
  `${a.postcode} ${a.plaats}`;

function adres(a: KvkAdres, ctx: RenderContext): Json {
  return {
    type: "bezoekadres",
    indAfgeschermd: "Nee",
    volledigAdres: volledigAdres(a),
    straatnaam: a.straatnaam,
    huisnummer: a.huisnummer,
    ...(a.huisletter ? { huisletter: a.huisletter } : {}),
    ...(a.huisnummertoevoeging ? { huisnummerToevoeging: a.huisnummertoevoeging } : {}),
    postcode: a.postcode,
    plaats: a.plaats,
    land: "Nederland",
    ...(ctx.geoData && a.adresseerbaarObjectIdentificatie
      ? {
          geoData: {
            addresseerbaarObjectId: a.adresseerbaarObjectIdentificatie,
            ...(a.nummeraanduidingIdentificatie
              ? { nummerAanduidingId: a.nummeraanduidingIdentificatie }
              : {}),
          },
        }
      : {}),
  };
}

const sbi = (s: SbiActiviteit): Json => ({
  sbiCode: s.sbiCode,
  sbiOmschrijving: s.sbiOmschrijving,
  indHoofdactiviteit: jaNee(s.indHoofdactiviteit),
});

const materieleRegistratie = (c: Company): Json => ({
  datumAanvang: c.datumAanvang,
  ...(c.datumEinde ? { datumEinde: c.datumEinde } : {}),
});

/** A Vestigingsprofiel; `embedded` leaves out what the spec omits in `_embedded.hoofdvestiging`. */
export function renderVestiging(c: Company, v: Vestiging, ctx: RenderContext, embedded = false): Json {
  return {
    vestigingsnummer: v.vestigingsnummer,
    kvkNummer: c.kvkNummer,
    ...(c.rsin && !embedded ? { rsin: c.rsin } : {}),
    indNonMailing: "Nee",
    formeleRegistratiedatum: c.formeleRegistratiedatum,
    materieleRegistratie: materieleRegistratie(c),
    ...(c.statutaireNaam ? { statutaireNaam: c.statutaireNaam } : {}),
    eersteHandelsnaam: v.eersteHandelsnaam,
    indHoofdvestiging: jaNee(v.hoofdvestiging),
    indCommercieleVestiging: jaNee(v.commercieel),
    voltijdWerkzamePersonen: v.voltijdWerkzamePersonen,
    totaalWerkzamePersonen: v.voltijdWerkzamePersonen + v.deeltijdWerkzamePersonen,
    deeltijdWerkzamePersonen: v.deeltijdWerkzamePersonen,
    ...(embedded ? {} : { handelsnamen: v.handelsnamen.map((naam, i) => ({ naam, volgorde: i })) }),
    adressen: [adres(v.adres, ctx)],
    websites: [],
    sbiActiviteiten: v.sbiActiviteiten.map(sbi),
    links: [
      { rel: "self", href: vestigingsprofielHref(ctx, v.vestigingsnummer) },
      { rel: "basisprofiel", href: basisprofielHref(ctx, c.kvkNummer) },
    ],
  };
}

export function renderEigenaar(c: Company, ctx: RenderContext): Json {
  const hoofd = c.vestigingen[0];
  return {
    ...(c.rsin ? { rsin: c.rsin } : {}),
    rechtsvorm: c.rechtsvorm,
    uitgebreideRechtsvorm: c.uitgebreideRechtsvorm,
    ...(c.datumEinde ? { datumUitschrijving: c.datumEinde } : {}),
    // The address of a natural person (eenmanszaak) is not public; that of a legal entity is.
    ...(c.rsin && hoofd ? { adressen: [adres(hoofd.adres, ctx)] } : {}),
    websites: [],
    links: [{ rel: "basisprofiel", href: basisprofielHref(ctx, c.kvkNummer) }],
  };
}

export function renderBasisprofiel(c: Company, ctx: RenderContext): Json {
  const hoofd = c.vestigingen[0];
  return {
    kvkNummer: c.kvkNummer,
    indNonMailing: "Nee",
    naam: c.naam,
    formeleRegistratiedatum: c.formeleRegistratiedatum,
    materieleRegistratie: materieleRegistratie(c),
    totaalWerkzamePersonen: c.vestigingen.reduce(
      (n, v) => n + v.voltijdWerkzamePersonen + v.deeltijdWerkzamePersonen,
      0,
    ),
    ...(c.statutaireNaam ? { statutaireNaam: c.statutaireNaam } : {}),
    handelsnamen: c.handelsnamen.map((naam, i) => ({ naam, volgorde: i })),
    sbiActiviteiten: c.sbiActiviteiten.map(sbi),
    links: [
      { rel: "self", href: basisprofielHref(ctx, c.kvkNummer) },
      { rel: "vestigingen", href: `${basisprofielHref(ctx, c.kvkNummer)}/vestigingen` },
    ],
    _embedded: {
      ...(hoofd ? { hoofdvestiging: renderVestiging(c, hoofd, ctx, true) } : {}),
      eigenaar: renderEigenaar(c, ctx),
    },
  };
}

export function renderVestigingList(c: Company, ctx: RenderContext): Json {
  const commercieel = c.vestigingen.filter((v) => v.commercieel).length;
  return {
    kvkNummer: c.kvkNummer,
    aantalCommercieleVestigingen: commercieel,
    aantalNietCommercieleVestigingen: c.vestigingen.length - commercieel,
    totaalAantalVestigingen: c.vestigingen.length,
    vestigingen: c.vestigingen.map((v) => ({
      vestigingsnummer: v.vestigingsnummer,
      kvkNummer: c.kvkNummer,
      eersteHandelsnaam: v.eersteHandelsnaam,
      indHoofdvestiging: jaNee(v.hoofdvestiging),
      indAdresAfgeschermd: "Nee",
      indCommercieleVestiging: jaNee(v.commercieel),
      volledigAdres: volledigAdres(v.adres),
      links: [{ rel: "vestigingsprofiel", href: vestigingsprofielHref(ctx, v.vestigingsnummer) }],
    })),
    links: [{ rel: "self", href: `${basisprofielHref(ctx, c.kvkNummer)}/vestigingen` }],
  };
}

/** One Zoeken v2 result: a vestiging, or (vestiging undefined) the rechtspersoon. */
export function renderResultaatItem(
  c: Company,
  v: Vestiging | undefined,
  ctx: RenderContext,
  withHuisnummer: boolean,
): Json {
  const a = (v ?? c.vestigingen[0])?.adres;
  return {
    kvkNummer: c.kvkNummer,
    ...(v ? { vestigingsnummer: v.vestigingsnummer } : c.rsin ? { rsin: c.rsin } : {}),
    naam: v?.eersteHandelsnaam ?? c.naam,
    ...(a
      ? {
          adres: {
            binnenlandsAdres: {
              type: "bezoekadres",
              straatnaam: a.straatnaam,
              // KVK shows postcode and huisnummer only when they were searched on.
              ...(withHuisnummer
                ? {
                    huisnummer: a.huisnummer,
                    ...(a.huisletter ? { huisletter: a.huisletter } : {}),
                    postcode: a.postcode,
                  }
                : {}),
              plaats: a.plaats,
            },
          },
        }
      : {}),
    type: v ? (v.hoofdvestiging ? "hoofdvestiging" : "nevenvestiging") : "rechtspersoon",
    actief: jaNee(isActive(c)),
    links: [
      { rel: "basisprofiel", href: basisprofielHref(ctx, c.kvkNummer) },
      ...(v ? [{ rel: "vestigingsprofiel", href: vestigingsprofielHref(ctx, v.vestigingsnummer) }] : []),
    ],
  };
}

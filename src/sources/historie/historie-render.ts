import type { GbaDate, ResidencePeriod } from "../synthetic/index.ts";

/**
 * Renders residence periods in the shapes of BRP Verblijfplaatshistorie (AdresVoorkomen,
 * VerblijfplaatsBuitenlandVoorkomen) and GBA dates as AbstractDatum. The simulators' only
 * knowledge of the wire format lives here and in the `*-query.ts` files.
 */
const MAANDEN = [
  "januari",
  "februari",
  "maart",
  "april",
  "mei",
  "juni",
  "juli",
  "augustus",
  "september",
  "oktober",
  "november",
  "december",
];

export function renderDatum(date: GbaDate): Record<string, unknown> {
  const jaar = Number(date.slice(0, 4));
  const maand = Number(date.slice(4, 6));
  const dag = Number(date.slice(6, 8));
  if (jaar === 0) return { type: "DatumOnbekend", onbekend: true, langFormaat: "onbekend" };
  if (maand === 0) return { type: "JaarDatum", jaar, langFormaat: String(jaar) };
  if (dag === 0) return { type: "JaarMaandDatum", jaar, maand, langFormaat: `${MAANDEN[maand - 1]} ${jaar}` };
  return {
    type: "Datum",
    datum: `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`,
    langFormaat: `${dag} ${MAANDEN[maand - 1]} ${jaar}`,
  };
}

const waarde = (v: { code: string; omschrijving?: string }) => ({
  code: v.code,
  ...(v.omschrijving ? { omschrijving: v.omschrijving } : {}),
});

export function renderVerblijfplaats(period: ResidencePeriod): Record<string, unknown> {
  const dates = {
    datumVan: renderDatum(period.datumVan),
    ...(period.datumTot === undefined ? {} : { datumTot: renderDatum(period.datumTot) }),
  };
  const gemeenteVanInschrijving = waarde(period.gemeenteVanInschrijving);
  if (period.place.kind === "buitenland")
    return {
      type: "VerblijfplaatsBuitenland",
      verblijfadres: { land: waarde(period.place.land) },
      ...dates,
      gemeenteVanInschrijving,
    };
  const a = period.place.address;
  return {
    type: "Adres",
    verblijfadres: {
      officieleStraatnaam: a.officieleStraatnaam,
      korteStraatnaam: a.korteStraatnaam,
      huisnummer: a.huisnummer,
      ...(a.huisletter ? { huisletter: a.huisletter } : {}),
      ...(a.huisnummertoevoeging ? { huisnummertoevoeging: a.huisnummertoevoeging } : {}),
      postcode: a.postcode,
      woonplaats: a.woonplaats,
    },
    functieAdres: { code: "W", omschrijving: "woonadres" },
    adresseerbaarObjectIdentificatie: a.adresseerbaarObjectIdentificatie,
    nummeraanduidingIdentificatie: a.nummeraanduidingIdentificatie,
    gemeenteVanInschrijving,
    ...dates,
  };
}

import { renderDatum, renderVerblijfadres, renderWaarde } from "../brp/index.ts";
import type { ResidencePeriod } from "../synthetic/index.ts";

/**
 * Renders residence periods in the shapes of BRP Verblijfplaatshistorie (AdresVoorkomen,
 * VerblijfplaatsBuitenlandVoorkomen); GBA dates as AbstractDatum with the BRP's renderer. The simulators' only
 * knowledge of the wire format lives here and in the `*-query.ts` files.
 */
const waarde = renderWaarde;

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
    verblijfadres: renderVerblijfadres(a),
    functieAdres: { code: "W", omschrijving: "woonadres" },
    adresseerbaarObjectIdentificatie: a.adresseerbaarObjectIdentificatie,
    nummeraanduidingIdentificatie: a.nummeraanduidingIdentificatie,
    gemeenteVanInschrijving,
    ...dates,
  };
}

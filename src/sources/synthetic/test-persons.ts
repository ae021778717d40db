import { parseBsn } from "../../shared/index.ts";
import { GEMEENTE_NAMEN, LANDEN, NATIONALITEITEN } from "./gemeenten.ts";
import type { CodedValue, Person, Verblijfplaats } from "./model.ts";
import { RVIG_TEST_PERSONS, type RvigTestPerson } from "./rvig-test-persons.ts";

const coded = (code: string, names: Readonly<Record<string, string>>): CodedValue =>
  names[code] ? { code, omschrijving: names[code] } : { code };

function verblijfplaats(t: RvigTestPerson): Verblijfplaats | undefined {
  if (t.landAdresBuitenland) return { kind: "buitenland", land: coded(t.landAdresBuitenland, LANDEN) };
  if (!t.postcode || !t.huisnummer) return undefined;
  const straat = t.openbareRuimte ?? t.straatnaam ?? "Onbekend";
  // Test persons without BAG ids in the test set get ids in a range no generated address uses.
  const serial = t.bsn.slice(0, 9).padStart(10, "9");
  const nummeraanduiding = t.nummeraanduiding ?? `${t.gemeenteVanInschrijving}20${serial}`;
  return {
    kind: "adres",
    datumVan: "00000000",
    address: {
      id: nummeraanduiding,
      adresseerbaarObjectIdentificatie: t.adresseerbaarObject ?? `${t.gemeenteVanInschrijving}01${serial}`,
      nummeraanduidingIdentificatie: nummeraanduiding,
      officieleStraatnaam: straat,
      korteStraatnaam: (t.straatnaam ?? straat).slice(0, 24),
      huisnummer: Number(t.huisnummer),
      ...(t.huisletter ? { huisletter: t.huisletter } : {}),
      ...(t.huisnummertoevoeging ? { huisnummertoevoeging: t.huisnummertoevoeging } : {}),
      postcode: t.postcode.replace(/\s+/g, "").toUpperCase(),
      woonplaats: t.woonplaats ?? GEMEENTE_NAMEN[t.gemeenteVanInschrijving] ?? "Onbekend",
      gemeenteCode: t.gemeenteVanInschrijving,
    },
  };
}

/** The RvIG test persons as synthetic records. Their relatives are not in the test set, so they have none. */
export function rvigTestPersons(): Person[] {
  return RVIG_TEST_PERSONS.map((t) => {
    const bsn = parseBsn(t.bsn);
    if (!bsn.ok) throw new Error("rvig-test-persons: a test BSN fails the 11-check");
    const place = t.geboorteplaats ?? "";
    const plaats: CodedValue = /^[0-9]{4}$/.test(place)
      ? coded(place, GEMEENTE_NAMEN)
      : { code: "0000", omschrijving: place || "Onbekend" };
    const vbp = verblijfplaats(t);
    return {
      bsn: bsn.value,
      aNummer: t.aNummer,
      voornamen: t.voornamen ?? "",
      ...(t.voorvoegsel ? { voorvoegsel: t.voorvoegsel } : {}),
      geslachtsnaam: t.geslachtsnaam,
      geslacht: t.geslacht === "M" || t.geslacht === "V" ? t.geslacht : "O",
      geboortedatum: t.geboortedatum ?? "00000000",
      geboorteplaats: plaats,
      geboorteland: /^[0-9]{4}$/.test(place)
        ? { code: "6030", omschrijving: "Nederland" }
        : { code: "0000", omschrijving: "Onbekend" },
      ...(t.overlijdensdatum ? { overlijdensdatum: t.overlijdensdatum } : {}),
      gemeenteVanInschrijving: coded(t.gemeenteVanInschrijving, GEMEENTE_NAMEN),
      ...(vbp ? { verblijfplaats: vbp } : {}),
      nationaliteiten: t.nationaliteit ? [coded(t.nationaliteit, NATIONALITEITEN)] : [],
      partners: [],
      ouders: [],
      kinderen: [],
    };
  });
}

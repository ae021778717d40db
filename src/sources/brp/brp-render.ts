import type { Clock } from "../../shared/index.ts";
import type { Address, CodedValue, GbaDate, Municipality, Person } from "../synthetic/index.ts";

/**
 * Renders synthetic persons in the shapes of BRP Personen v2 (Persoon and GezagPersoonBeperkt):
 * dates as AbstractDatum subtypes, coded values as Waardetabel, verblijfplaats with a `type`.
 * The simulator's only knowledge of the wire format lives here and in brp-fields.ts.
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

/** A coded value as Waardetabel. */
export const renderWaarde = (v: CodedValue) => ({
  code: v.code,
  ...(v.omschrijving ? { omschrijving: v.omschrijving } : {}),
});
const waarde = renderWaarde;
const GESLACHT = { M: "man", V: "vrouw", O: "onbekend" } as const;
const geslacht = (p: Person) => ({ code: p.geslacht, omschrijving: GESLACHT[p.geslacht] });
const voorletters = (voornamen: string) =>
  voornamen
    .split(/\s+/)
    .filter(Boolean)
    .map((n) => `${n[0]}.`)
    .join("");

function naamGerelateerde(p: Person) {
  return {
    ...(p.voornamen ? { voornamen: p.voornamen, voorletters: voorletters(p.voornamen) } : {}),
    ...(p.voorvoegsel ? { voorvoegsel: p.voorvoegsel } : {}),
    geslachtsnaam: p.geslachtsnaam,
  };
}

function naam(p: Person) {
  const volledigeNaam = [p.voornamen, p.voorvoegsel, p.geslachtsnaam].filter(Boolean).join(" ");
  return { ...naamGerelateerde(p), volledigeNaam };
}

/** Age in whole years on `today`, if the birth date is complete and the person is alive. */
function leeftijd(p: Person, today: Date): number | undefined {
  if (p.overlijdensdatum || !/^[0-9]{4}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])$/.test(p.geboortedatum))
    return undefined;
  const [y, m, d] = [
    Number(p.geboortedatum.slice(0, 4)),
    Number(p.geboortedatum.slice(4, 6)),
    Number(p.geboortedatum.slice(6)),
  ];
  const beforeBirthday =
    today.getUTCMonth() + 1 < m || (today.getUTCMonth() + 1 === m && today.getUTCDate() < d);
  return today.getUTCFullYear() - y - (beforeBirthday ? 1 : 0);
}

function geboorte(p: Person) {
  return {
    datum: renderDatum(p.geboortedatum),
    plaats: waarde(p.geboorteplaats),
    land: waarde(p.geboorteland),
  };
}

/** A domestic address as VerblijfadresBinnenland (BRP Personen and Verblijfplaatshistorie alike). */
export function renderVerblijfadres(a: Address): Record<string, unknown> {
  return {
    officieleStraatnaam: a.officieleStraatnaam,
    korteStraatnaam: a.korteStraatnaam,
    huisnummer: a.huisnummer,
    ...(a.huisletter ? { huisletter: a.huisletter } : {}),
    ...(a.huisnummertoevoeging ? { huisnummertoevoeging: a.huisnummertoevoeging } : {}),
    postcode: a.postcode,
    woonplaats: a.woonplaats,
  };
}

function verblijfplaats(p: Person) {
  const v = p.verblijfplaats;
  if (!v) return undefined;
  if (v.kind === "buitenland")
    return { type: "VerblijfplaatsBuitenland", verblijfadres: { land: waarde(v.land) } };
  const a = v.address;
  return {
    type: "Adres",
    verblijfadres: renderVerblijfadres(a),
    adresseerbaarObjectIdentificatie: a.adresseerbaarObjectIdentificatie,
    nummeraanduidingIdentificatie: a.nummeraanduidingIdentificatie,
    functieAdres: { code: "W", omschrijving: "woonadres" },
    datumVan: renderDatum(v.datumVan),
  };
}

function adressering(p: Person) {
  const v = p.verblijfplaats;
  if (v?.kind !== "adres") return undefined;
  const a = v.address;
  const nummer = [
    String(a.huisnummer),
    a.huisletter ?? "",
    a.huisnummertoevoeging ? `-${a.huisnummertoevoeging}` : "",
  ].join("");
  return {
    adresregel1: `${a.korteStraatnaam} ${nummer}`.slice(0, 40),
    adresregel2: `${a.postcode.slice(0, 4)} ${a.postcode.slice(4)}  ${a.woonplaats.toUpperCase()}`.slice(
      0,
      50,
    ),
  };
}

const soort = { H: "huwelijk", P: "geregistreerd partnerschap" } as const;

/** A full Persoon (RaadpleegMetBurgerservicenummer) before `fields` selection. */
export function renderPersoon(p: Person, municipality: Municipality, clock: Clock): Record<string, unknown> {
  const age = leeftijd(p, clock.now());
  const related = (bsn: string) => municipality.personByBsn(bsn);
  const vbp = verblijfplaats(p);
  const adr = adressering(p);
  return {
    aNummer: p.aNummer,
    burgerservicenummer: p.bsn,
    geslacht: geslacht(p),
    ...(age === undefined ? {} : { leeftijd: age }),
    naam: { ...naam(p), aanduidingNaamgebruik: { code: "E", omschrijving: "eigen geslachtsnaam" } },
    geboorte: geboorte(p),
    ...(p.overlijdensdatum ? { overlijden: { datum: renderDatum(p.overlijdensdatum) } } : {}),
    nationaliteiten: p.nationaliteiten.map((n) => ({ type: "Nationaliteit", nationaliteit: waarde(n) })),
    gemeenteVanInschrijving: waarde(p.gemeenteVanInschrijving),
    ...(p.datumInschrijvingInGemeente
      ? { datumInschrijvingInGemeente: renderDatum(p.datumInschrijvingInGemeente) }
      : {}),
    ...(vbp ? { verblijfplaats: vbp } : {}),
    ...(adr ? { adressering: adr } : {}),
    partners: p.partners.flatMap((link) => {
      const partner = related(link.bsn);
      return partner
        ? [
            {
              burgerservicenummer: partner.bsn,
              geslacht: geslacht(partner),
              soortVerbintenis: { code: link.soortVerbintenis, omschrijving: soort[link.soortVerbintenis] },
              naam: naamGerelateerde(partner),
              geboorte: geboorte(partner),
              aangaanHuwelijkPartnerschap: { datum: renderDatum(link.datumAangaan) },
            },
          ]
        : [];
    }),
    ouders: p.ouders.flatMap((link) => {
      const ouder = related(link.bsn);
      return ouder
        ? [
            {
              burgerservicenummer: ouder.bsn,
              geslacht: geslacht(ouder),
              ouderAanduiding: link.ouderAanduiding,
              naam: naamGerelateerde(ouder),
              geboorte: geboorte(ouder),
              datumIngangFamilierechtelijkeBetrekking: renderDatum(p.geboortedatum),
            },
          ]
        : [];
    }),
    kinderen: p.kinderen.flatMap((bsn) => {
      const kind = related(bsn);
      return kind
        ? [{ burgerservicenummer: kind.bsn, naam: naamGerelateerde(kind), geboorte: geboorte(kind) }]
        : [];
    }),
  };
}

/** A (Gezag)PersoonBeperkt, for the Zoek… queries. */
export function renderPersoonBeperkt(p: Person, clock: Clock): Record<string, unknown> {
  const age = leeftijd(p, clock.now());
  const adr = adressering(p);
  return {
    burgerservicenummer: p.bsn,
    geslacht: geslacht(p),
    ...(age === undefined ? {} : { leeftijd: age }),
    naam: naam(p),
    geboorte: { datum: renderDatum(p.geboortedatum) },
    ...(adr ? { adressering: adr } : {}),
  };
}

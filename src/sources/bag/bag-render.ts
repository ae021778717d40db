import type {
  BagAdresRecord,
  BagDocument,
  BagObjectRecord,
  BagPandRecord,
  BagRegistry,
  BagVerblijfsobjectRecord,
  RdRing,
} from "./bag-records.ts";

/**
 * Renders BAG records as the HAL JSON of BAG Individuele Bevragingen v2 (bag-ib-v2-*.yaml and
 * the getting-started examples). `base` is the absolute base URL the links point to.
 */
type Json = Record<string, unknown>;
const link = (href: string) => ({ href });
const round = (n: number) => Math.round(n * 1000) / 1000;
const polygon = (ring: RdRing) => ({
  type: "Polygon",
  coordinates: [ring.map(([x, y]) => [round(x), round(y)])],
});
const indicatie = (b: boolean) => (b ? "J" : "N");

function documentAndVoorkomen(d: BagDocument): Json {
  return {
    documentdatum: d.documentdatum,
    documentnummer: d.documentnummer,
    voorkomen: {
      tijdstipRegistratie: `${d.documentdatum}T09:00:00.000+01:00`,
      versie: 1,
      beginGeldigheid: d.documentdatum,
      tijdstipRegistratieLV: `${d.documentdatum}T09:15:00.000+01:00`,
    },
  };
}

const OBJECT_PATH: Record<BagObjectRecord["type"], string> = {
  Verblijfsobject: "verblijfsobjecten",
  Standplaats: "standplaatsen",
  Ligplaats: "ligplaatsen",
};

export function renderAdres(adres: BagAdresRecord, registry: BagRegistry, base: string): Json {
  const object = registry.object(adres.adresseerbaarObjectIdentificatie);
  const panden = object?.type === "Verblijfsobject" ? object.maaktDeelUitVan : [];
  return {
    openbareRuimteNaam: adres.openbareRuimteNaam,
    korteNaam: adres.korteNaam,
    huisnummer: adres.huisnummer,
    ...(adres.huisletter === undefined ? {} : { huisletter: adres.huisletter }),
    ...(adres.huisnummertoevoeging === undefined ? {} : { huisnummertoevoeging: adres.huisnummertoevoeging }),
    postcode: adres.postcode,
    woonplaatsNaam: adres.woonplaatsNaam,
    nummeraanduidingIdentificatie: adres.nummeraanduidingIdentificatie,
    openbareRuimteIdentificatie: adres.openbareRuimteIdentificatie,
    woonplaatsIdentificatie: adres.woonplaatsIdentificatie,
    adresseerbaarObjectIdentificatie: adres.adresseerbaarObjectIdentificatie,
    ...(panden.length > 0 ? { pandIdentificaties: [...panden] } : {}),
    ...(adres.nevenadres ? { indicatieNevenadres: true } : {}),
    ...(adres.geconstateerd ? { geconstateerd: { nummeraanduiding: true } } : {}),
    _links: {
      self: link(`${base}/adressen/${adres.nummeraanduidingIdentificatie}`),
      openbareRuimte: link(`${base}/openbareruimten/${adres.openbareRuimteIdentificatie}`),
      nummeraanduiding: link(`${base}/nummeraanduidingen/${adres.nummeraanduidingIdentificatie}`),
      woonplaats: link(`${base}/woonplaatsen/${adres.woonplaatsIdentificatie}`),
      adresseerbaarObject: link(
        `${base}/${OBJECT_PATH[object?.type ?? "Verblijfsobject"]}/${adres.adresseerbaarObjectIdentificatie}`,
      ),
      ...(panden.length > 0 ? { panden: panden.map((p) => link(`${base}/panden/${p}`)) } : {}),
    },
  };
}

export function renderAdressen(
  adressen: readonly BagAdresRecord[],
  registry: BagRegistry,
  base: string,
  self: string,
) {
  return {
    _links: { self: link(self) },
    _embedded: { adressen: adressen.map((a) => renderAdres(a, registry, base)) },
  };
}

const nevenadres = (o: BagObjectRecord, base: string) =>
  o.heeftAlsNevenAdres.length > 0
    ? {
        body: { heeftAlsNevenAdres: [...o.heeftAlsNevenAdres] },
        links: {
          heeftAlsNevenAdres: o.heeftAlsNevenAdres.map((n) => link(`${base}/nummeraanduidingen/${n}`)),
        },
      }
    : { body: {}, links: {} };

/** VerblijfsobjectIOHal */
export function renderVerblijfsobject(v: BagVerblijfsobjectRecord, base: string): Json {
  const neven = nevenadres(v, base);
  return {
    verblijfsobject: {
      type: "Verblijfsobject",
      heeftAlsHoofdAdres: v.heeftAlsHoofdAdres,
      ...neven.body,
      identificatie: v.identificatie,
      domein: "NL.IMBAG.Verblijfsobject",
      geometrie: { punt: { type: "Point", coordinates: [round(v.punt[0]), round(v.punt[1]), 0] } },
      gebruiksdoelen: [...v.gebruiksdoelen],
      oppervlakte: v.oppervlakte,
      status: v.status,
      geconstateerd: indicatie(v.geconstateerd),
      ...documentAndVoorkomen(v),
      maaktDeelUitVan: [...v.maaktDeelUitVan],
    },
    _links: {
      self: link(`${base}/verblijfsobjecten/${v.identificatie}`),
      heeftAlsHoofdAdres: link(`${base}/nummeraanduidingen/${v.heeftAlsHoofdAdres}`),
      ...neven.links,
      maaktDeelUitVan: v.maaktDeelUitVan.map((p) => link(`${base}/panden/${p}`)),
    },
  };
}

/** AdresseerbaarObjectIOHal: exactly one of verblijfsobject, standplaats, ligplaats. */
export function renderAdresseerbaarObject(o: BagObjectRecord, base: string): Json {
  const self = { _links: { self: link(`${base}/adresseerbareobjecten/${o.identificatie}`) } };
  if (o.type === "Verblijfsobject") return { verblijfsobject: renderVerblijfsobject(o, base), ...self };
  const key = o.type === "Standplaats" ? "standplaats" : "ligplaats";
  const neven = nevenadres(o, base);
  return {
    [key]: {
      [key]: {
        type: o.type,
        heeftAlsHoofdAdres: o.heeftAlsHoofdAdres,
        ...neven.body,
        identificatie: o.identificatie,
        domein: `NL.IMBAG.${o.type}`,
        status: o.status,
        geometrie: polygon(o.vlak),
        geconstateerd: indicatie(o.geconstateerd),
        ...documentAndVoorkomen(o),
      },
      _links: {
        self: link(`${base}/${OBJECT_PATH[o.type]}/${o.identificatie}`),
        heeftAlsHoofdAdres: link(`${base}/nummeraanduidingen/${o.heeftAlsHoofdAdres}`),
        ...neven.links,
      },
    },
    ...self,
  };
}

/** PandIOHal */
export function renderPand(p: BagPandRecord, base: string): Json {
  return {
    pand: {
      identificatie: p.identificatie,
      domein: "NL.IMBAG.Pand",
      geometrie: polygon(p.vlak),
      oorspronkelijkBouwjaar: p.oorspronkelijkBouwjaar,
      status: p.status,
      geconstateerd: indicatie(p.geconstateerd),
      ...documentAndVoorkomen(p),
    },
    _links: { self: link(`${base}/panden/${p.identificatie}`) },
  };
}

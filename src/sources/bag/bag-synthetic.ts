import { hash32, type Address, type Municipality } from "../synthetic/index.ts";
import {
  matchesAdresQuery,
  type BagAdresRecord,
  type BagDocument,
  type BagObjectRecord,
  type BagPandRecord,
  type BagRegistry,
  type BagVerblijfsobjectRecord,
  type Gebruiksdoel,
  type RdRing,
} from "./bag-records.ts";
import { createTestObjects } from "./bag-test-objects.ts";

/**
 * The BAG of a synthetic municipality: every address of the municipality is the hoofdadres of a
 * verblijfsobject (identificatie = its adresseerbaarObjectIdentificatie) in a pand, derived from
 * the address index alone, so it costs no memory and is the same on every run. Runs of 10
 * consecutive addresses (one street, one postcode) are split into 1–4 panden; panden are numbered
 * `<code>10` + 10 digits. The objects of the getting-started guide's test cases come on top
 * (bag-test-objects.ts), so its examples work against the simulator.
 */
const BLOCK = 10;
const PANDEN_PER_BLOCK = 4;
const SPLITS: readonly (readonly number[])[] = [[10], [5, 5], [4, 6], [2, 4, 4], [3, 3, 4], [2, 2, 3, 3]];

const pad = (n: number, width: number) => String(n).padStart(width, "0");
const stringHash = (s: string) => [...s].reduce((h, c) => hash32(h, c.codePointAt(0) ?? 0), 0x5eed);

interface Space {
  readonly municipality: Municipality;
  readonly codeNum: number;
  readonly origin: readonly [number, number];
}

const splitOf = (s: Space, block: number) =>
  SPLITS[hash32(block, 0xba9, s.codeNum) % SPLITS.length] ?? [BLOCK];

/** Index of an address of this municipality from its adresseerbaar-object or nummeraanduiding id. */
function indexOf(s: Space, id: string, kind: "01" | "20"): number | undefined {
  if (!/^[0-9]{16}$/.test(id) || !id.startsWith(s.municipality.code + kind)) return undefined;
  const index = Number(id.slice(6)) - 1;
  const address = s.municipality.addressAt(index);
  const found =
    kind === "01" ? address?.adresseerbaarObjectIdentificatie : address?.nummeraanduidingIdentificatie;
  return found === id ? index : undefined;
}

function pandNumberOf(s: Space, index: number): number {
  const block = Math.floor(index / BLOCK);
  let offset = index % BLOCK;
  const split = splitOf(s, block);
  let k = 0;
  while (k < split.length - 1 && offset >= (split[k] ?? BLOCK)) offset -= split[k++] ?? BLOCK;
  return block * PANDEN_PER_BLOCK + k + 1;
}

const pandId = (s: Space, n: number) => `${s.municipality.code}10${pad(n, 10)}`;

function rectangle(s: Space, n: number): RdRing {
  const x = s.origin[0] + (n % 200) * 30;
  const y = s.origin[1] + Math.floor(n / 200) * 30;
  return [
    [x, y],
    [x + 20, y],
    [x + 20, y + 15],
    [x, y + 15],
    [x, y],
  ];
}

function documentFor(s: Space, salt: number, year: number): BagDocument {
  const h = hash32(salt, s.codeNum, 0xd0c);
  const datum = `${year}-${pad(1 + (h % 12), 2)}-${pad(1 + ((h >>> 8) % 28), 2)}`;
  return { documentdatum: datum, documentnummer: `${s.municipality.code}-${year}-${pad(h % 100000, 5)}` };
}

function gebruiksdoelenOf(s: Space, index: number, address: Address): Gebruiksdoel[] {
  const h = hash32(index, 0x9eb, s.codeNum) % 100;
  const doel: Gebruiksdoel =
    h < 78
      ? "woonfunctie"
      : h < 86
        ? "winkelfunctie"
        : h < 90
          ? "bijeenkomstfunctie"
          : h < 96
            ? "kantoorfunctie"
            : "industriefunctie";
  if (doel === "woonfunctie") return [doel];
  // Someone lives here (a flat above the shop): the BAG lists both uses.
  return s.municipality.residentsOf(address).length > 0 ? ["woonfunctie", doel] : [doel];
}

const OPPERVLAKTE: Readonly<Record<string, readonly [number, number]>> = {
  woonfunctie: [35, 180],
  winkelfunctie: [30, 400],
  bijeenkomstfunctie: [50, 300],
  kantoorfunctie: [60, 900],
  industriefunctie: [150, 2500],
};

function adresOf(s: Space, address: Address): BagAdresRecord {
  const code = s.municipality.code;
  return {
    nummeraanduidingIdentificatie: address.nummeraanduidingIdentificatie,
    openbareRuimteNaam: address.officieleStraatnaam,
    korteNaam: address.korteStraatnaam,
    huisnummer: address.huisnummer,
    ...(address.huisletter === undefined ? {} : { huisletter: address.huisletter }),
    ...(address.huisnummertoevoeging === undefined
      ? {}
      : { huisnummertoevoeging: address.huisnummertoevoeging }),
    postcode: address.postcode,
    woonplaatsNaam: address.woonplaats,
    woonplaatsIdentificatie: String(1000 + (hash32(s.codeNum, 0x3b1) % 9000)),
    openbareRuimteIdentificatie: `${code}30${pad(stringHash(address.officieleStraatnaam) % 1e10, 10)}`,
    adresseerbaarObjectIdentificatie: address.adresseerbaarObjectIdentificatie,
  };
}

function verblijfsobjectAt(s: Space, index: number, address: Address): BagVerblijfsobjectRecord {
  const n = pandNumberOf(s, index);
  const gebruiksdoelen = gebruiksdoelenOf(s, index, address);
  const [min, max] = OPPERVLAKTE[gebruiksdoelen[gebruiksdoelen.length - 1] ?? "woonfunctie"] ?? [35, 180];
  const h = hash32(index, 0x0bb, s.codeNum);
  const [x, y] = rectangle(s, n)[0] ?? [0, 0];
  return {
    type: "Verblijfsobject",
    identificatie: address.adresseerbaarObjectIdentificatie,
    heeftAlsHoofdAdres: address.nummeraanduidingIdentificatie,
    heeftAlsNevenAdres: [],
    gebruiksdoelen,
    oppervlakte: min + (h % (max - min + 1)),
    status: "Verblijfsobject in gebruik",
    punt: [x + 2 + (index % BLOCK) * 1.5, y + 7.5],
    maaktDeelUitVan: [pandId(s, n)],
    geconstateerd: false,
    ...documentFor(s, index, 2009 + (h % 15)),
  };
}

function pandAt(s: Space, n: number): BagPandRecord | undefined {
  const block = Math.floor((n - 1) / PANDEN_PER_BLOCK);
  const k = (n - 1) % PANDEN_PER_BLOCK;
  const split = splitOf(s, block);
  const size = split[k];
  if (n < 1 || size === undefined) return undefined;
  const start = block * BLOCK + split.slice(0, k).reduce((a, b) => a + b, 0);
  const verblijfsobjecten: string[] = [];
  for (let i = start; i < start + size; i++) {
    const id = s.municipality.addressAt(i)?.adresseerbaarObjectIdentificatie;
    if (id !== undefined) verblijfsobjecten.push(id);
  }
  if (verblijfsobjecten.length === 0) return undefined;
  const bouwjaar = 1880 + (hash32(n, 0xb0e, s.codeNum) % 144);
  return {
    identificatie: pandId(s, n),
    oorspronkelijkBouwjaar: String(bouwjaar),
    status: "Pand in gebruik",
    vlak: rectangle(s, n),
    geconstateerd: false,
    verblijfsobjecten,
    ...documentFor(s, n + 0x10000000, Math.max(bouwjaar, 2009)),
  };
}

/** The BAG of this municipality plus the getting-started guide's test objects (other gemeenten). */
export function createBagRegistry(municipality: Municipality): BagRegistry {
  const codeNum = Number(municipality.code);
  const s: Space = {
    municipality,
    codeNum,
    origin: [150000 + (hash32(codeNum, 1) % 50000), 300000 + (hash32(codeNum, 2) % 100000)],
  };
  const extra = createTestObjects();
  const atId = (id: string) => {
    const index = indexOf(s, id, "01");
    const address = index === undefined ? undefined : municipality.addressAt(index);
    return index === undefined || address === undefined ? undefined : { index, address };
  };

  return {
    adres(id) {
      const address = municipality.addressByNummeraanduidingId(id);
      return address ? adresOf(s, address) : extra.adressen.get(id);
    },
    zoekAdressen(query) {
      return [
        ...municipality
          .findAddresses({ ...query, postcode: query.postcode.replace(/\s+/g, "").toUpperCase() })
          .map((a) => adresOf(s, a)),
        ...[...extra.adressen.values()],
      ].filter((a) => matchesAdresQuery(a, query));
    },
    adressenVanObject(id) {
      const found = atId(id);
      if (found) return [adresOf(s, found.address)];
      const object = extra.objects.get(id);
      if (!object) return [];
      return [object.heeftAlsHoofdAdres, ...object.heeftAlsNevenAdres].flatMap(
        (n) => extra.adressen.get(n) ?? [],
      );
    },
    object(id): BagObjectRecord | undefined {
      const found = atId(id);
      return found ? verblijfsobjectAt(s, found.index, found.address) : extra.objects.get(id);
    },
    pand(id) {
      if (/^[0-9]{16}$/.test(id) && id.startsWith(`${municipality.code}10`))
        return pandAt(s, Number(id.slice(6)));
      return extra.panden.get(id);
    },
  };
}

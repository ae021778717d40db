import type {
  BagAdresRecord,
  BagObjectRecord,
  BagPandRecord,
  BagVerblijfsobjectRecord,
  Gebruiksdoel,
  RdPoint,
  RdRing,
} from "./bag-records.ts";

/**
 * Stand-ins for the objects whose identifications the Kadaster getting-started guide uses as test
 * cases (bag-getting-started.md "Testgevallen" and its examples), so the guide's URIs answer
 * against the simulator. Identifications and the situation each case illustrates (nevenadres,
 * several panden, standplaats, ligplaats, pand without address, …) are the guide's; the other
 * values are synthetic where the guide does not give them. They lie in other gemeenten than the
 * synthetic municipality (Maastricht, 0935) and so serve as "outside" cases.
 */
export interface TestObjects {
  readonly adressen: ReadonlyMap<string, BagAdresRecord>;
  readonly objects: ReadonlyMap<string, BagObjectRecord>;
  readonly panden: ReadonlyMap<string, BagPandRecord>;
}

interface Place {
  readonly woonplaatsNaam: string;
  readonly woonplaatsIdentificatie: string;
  readonly openbareRuimteNaam: string;
  readonly korteNaam?: string;
  readonly openbareRuimteIdentificatie: string;
  readonly postcode: string;
}

const box = ([x, y]: RdPoint, w = 20, h = 15): RdRing => [
  [x, y],
  [x + w, y],
  [x + w, y + h],
  [x, y + h],
  [x, y],
];
const doc = { documentdatum: "2010-03-16", documentnummer: "CB 16-03-2010" } as const;

export function createTestObjects(): TestObjects {
  const adressen = new Map<string, BagAdresRecord>();
  const objects = new Map<string, BagObjectRecord>();
  const panden = new Map<string, BagPandRecord>();

  const adres = (
    id: string,
    place: Place,
    huisnummer: number,
    objectId: string,
    extra: Partial<
      Pick<BagAdresRecord, "huisletter" | "huisnummertoevoeging" | "nevenadres" | "geconstateerd">
    > = {},
  ) => {
    const { korteNaam, ...rest } = place;
    adressen.set(id, {
      ...rest,
      korteNaam: korteNaam ?? place.openbareRuimteNaam,
      nummeraanduidingIdentificatie: id,
      huisnummer,
      adresseerbaarObjectIdentificatie: objectId,
      ...extra,
    });
  };
  const vbo = (
    id: string,
    hoofd: string,
    pandIds: readonly string[],
    at: RdPoint,
    gebruiksdoelen: readonly Gebruiksdoel[] = ["woonfunctie"],
    oppervlakte = 85,
    extra: Partial<Pick<BagVerblijfsobjectRecord, "heeftAlsNevenAdres" | "geconstateerd">> = {},
  ) =>
    objects.set(id, {
      type: "Verblijfsobject",
      identificatie: id,
      heeftAlsHoofdAdres: hoofd,
      heeftAlsNevenAdres: [],
      gebruiksdoelen,
      oppervlakte,
      status: "Verblijfsobject in gebruik",
      punt: [at[0] + 5, at[1] + 5],
      maaktDeelUitVan: pandIds,
      geconstateerd: false,
      ...doc,
      ...extra,
    });
  const pand = (id: string, bouwjaar: string, at: RdPoint, verblijfsobjecten: readonly string[]) =>
    panden.set(id, {
      identificatie: id,
      oorspronkelijkBouwjaar: bouwjaar,
      status: "Pand in gebruik",
      vlak: box(at),
      geconstateerd: false,
      verblijfsobjecten,
      ...doc,
    });

  // Example "Zoeken op een adres": Dorpsstraat 15 c, 2631 CR Nootdorp (Pijnacker-Nootdorp, 1926).
  const nootdorp: Place = {
    woonplaatsNaam: "Nootdorp",
    woonplaatsIdentificatie: "1142",
    openbareRuimteNaam: "Dorpsstraat",
    openbareRuimteIdentificatie: "1926300000479027",
    postcode: "2631CR",
  };
  adres("1926200000508011", nootdorp, 15, "1926010000508012", { huisletter: "c" });
  vbo("1926010000508012", "1926200000508011", ["1926100000485708"], [88850, 450120]);
  pand("1926100000485708", "1932", [88845, 450115], ["1926010000508012"]);

  // Example "verblijfsobjecten binnen een pand" (Nijmegen, 0268): woonfunctie, 48 m².
  const nijmegen: Place = {
    woonplaatsNaam: "Nijmegen",
    woonplaatsIdentificatie: "1152",
    openbareRuimteNaam: "Hertogstraat",
    openbareRuimteIdentificatie: "0268300000001234",
    postcode: "6511RV",
  };
  adres("0268200000041560", nijmegen, 12, "0268010000036826");
  vbo("0268010000036826", "0268200000041560", ["0268100000021458"], [183000, 425420], ["woonfunctie"], 48);
  pand("0268100000021458", "1911", [182995, 425415], ["0268010000036826"]);

  // Example bounding box (Groningen, 0014): overige gebruiksfunctie, 19 m².
  const groningen = (naam: string, or: string, postcode: string): Place => ({
    woonplaatsNaam: "Groningen",
    woonplaatsIdentificatie: "3594",
    openbareRuimteNaam: naam,
    openbareRuimteIdentificatie: or,
    postcode,
  });
  const noorderhaven = groningen("Noorderhaven", "0014300010100001", "9712VL");
  adres("0014200010900021", noorderhaven, 2, "0014010011089620");
  vbo(
    "0014010011089620",
    "0014200010900021",
    ["0014100010923600"],
    [230900, 582669],
    ["overige gebruiksfunctie"],
    19,
  );
  pand("0014100010923600", "1965", [230895, 582664], ["0014010011089620"]);
  // "Met nevenadres" (object and pand) with the guide's nevenadres 0014200022197986.
  const vismarkt = groningen("Vismarkt", "0014300010100002", "9711KT");
  adres("0014200011067299", vismarkt, 20, "0014010011067299");
  adres("0014200022197986", vismarkt, 21, "0014010011067299", { nevenadres: true });
  vbo(
    "0014010011067299",
    "0014200011067299",
    ["0014100010921152"],
    [233700, 582200],
    ["winkelfunctie"],
    240,
    {
      heeftAlsNevenAdres: ["0014200022197986"],
    },
  );
  pand("0014100010921152", "1890", [233695, 582195], ["0014010011067299"]);
  // "Geconstateerd".
  const oosterstraat = groningen("Oosterstraat", "0014300010100003", "9711NR");
  adres("0014200022188962", oosterstraat, 44, "0014010022188962", { huisletter: "A", geconstateerd: true });
  vbo("0014010022188962", "0014200022188962", ["0014100022188962"], [233900, 581900], ["woonfunctie"], 62, {
    geconstateerd: true,
  });
  pand("0014100022188962", "1925", [233895, 581895], ["0014010022188962"]);

  // "Adres met diakriet in straatnaam, huisnummer, huisletter en huisnummertoevoeging" (0484).
  const alphen: Place = {
    woonplaatsNaam: "Alphen aan den Rijn",
    woonplaatsIdentificatie: "2011",
    openbareRuimteNaam: "Hélène Swarthstraat",
    openbareRuimteIdentificatie: "0484300000012345",
    postcode: "2402KE",
  };
  adres("0484200002040489", alphen, 7, "0484010002040489", { huisletter: "B", huisnummertoevoeging: "2" });
  vbo("0484010002040489", "0484200002040489", ["0484100002040489"], [104000, 462000]);
  pand("0484100002040489", "1978", [103995, 461995], ["0484010002040489"]);

  // "Lange straatnaam" (0417): korteNaam is the NEN 5825 short form of at most 24 characters.
  const laren: Place = {
    woonplaatsNaam: "Laren",
    woonplaatsIdentificatie: "2584",
    openbareRuimteNaam: "Burgemeester van Nispen tot Sevenaerlaan",
    korteNaam: "Burg v Nispen t Sevenrln",
    openbareRuimteIdentificatie: "0417300000000101",
    postcode: "1251KL",
  };
  adres("0417200000000354", laren, 3, "0417010000000354");
  vbo("0417010000000354", "0417200000000354", ["0417100000000354"], [143000, 472000], ["woonfunctie"], 160);
  pand("0417100000000354", "1925", [142995, 471995], ["0417010000000354"]);

  // "Meerdere panden op zelfde adres" / "adresseerbaar object in meerdere panden" (Zwolle, 0193).
  const zwolle: Place = {
    woonplaatsNaam: "Zwolle",
    woonplaatsIdentificatie: "3294",
    openbareRuimteNaam: "Melkmarkt",
    openbareRuimteIdentificatie: "0193300000000501",
    postcode: "8011MC",
  };
  adres("0193200000096680", zwolle, 56, "0193010000096628");
  const zwollePanden = ["0193100000096601", "0193100000096602"];
  vbo("0193010000096628", "0193200000096680", zwollePanden, [203000, 502000], ["winkelfunctie"], 540);
  zwollePanden.forEach((id, i) =>
    pand(id, i === 0 ? "1650" : "1890", [202995 + 20 * i, 501995], ["0193010000096628"]),
  );

  // "Verblijfsobject" (Rotterdam, 0599).
  const rotterdam: Place = {
    woonplaatsNaam: "Rotterdam",
    woonplaatsIdentificatie: "3086",
    openbareRuimteNaam: "Witte de Withstraat",
    openbareRuimteIdentificatie: "0599300000000747",
    postcode: "3012BP",
  };
  adres("0599200000165822", rotterdam, 63, "0599010000165822");
  vbo(
    "0599010000165822",
    "0599200000165822",
    ["0599100000165822"],
    [92400, 436900],
    ["bijeenkomstfunctie"],
    120,
  );
  pand("0599100000165822", "1898", [92395, 436895], ["0599010000165822"]);

  // "Meerdere gebruiksdoelen" (0626).
  const drechterland: Place = {
    woonplaatsNaam: "Oosterblokker",
    woonplaatsIdentificatie: "2660",
    openbareRuimteNaam: "Dorpsweg",
    openbareRuimteIdentificatie: "0626300000000101",
    postcode: "1696AB",
  };
  adres("0626209900006674", drechterland, 101, "0626019900006674");
  vbo(
    "0626019900006674",
    "0626209900006674",
    ["0626109900006674"],
    [140500, 519500],
    ["woonfunctie", "kantoorfunctie", "winkelfunctie"],
    310,
  );
  pand("0626109900006674", "1920", [140495, 519495], ["0626019900006674"]);

  // "Standplaats" (Delft, 0503) and "Pand zonder adres" (Delft).
  const delft: Place = {
    woonplaatsNaam: "Delft",
    woonplaatsIdentificatie: "1009",
    openbareRuimteNaam: "Kleveringweg",
    openbareRuimteIdentificatie: "0503300000000801",
    postcode: "2616LZ",
  };
  adres("0503200000103062", delft, 2, "0503030000103062");
  objects.set("0503030000103062", {
    type: "Standplaats",
    identificatie: "0503030000103062",
    heeftAlsHoofdAdres: "0503200000103062",
    heeftAlsNevenAdres: [],
    status: "Plaats aangewezen",
    vlak: box([85500, 448800], 12, 6),
    geconstateerd: false,
    ...doc,
  });
  pand("0503100000034877", "1985", [85600, 448900], []);

  // "Ligplaats" (0569).
  const ligplaats: Place = {
    woonplaatsNaam: "Leimuiden",
    woonplaatsIdentificatie: "2479",
    openbareRuimteNaam: "Kaagweg",
    openbareRuimteIdentificatie: "0569300000000301",
    postcode: "2451CN",
  };
  adres("0569200000012435", ligplaats, 1, "0569020000012435", { huisletter: "A" });
  objects.set("0569020000012435", {
    type: "Ligplaats",
    identificatie: "0569020000012435",
    heeftAlsHoofdAdres: "0569200000012435",
    heeftAlsNevenAdres: [],
    status: "Plaats aangewezen",
    vlak: box([106700, 472500], 25, 6),
    geconstateerd: false,
    ...doc,
  });

  // "Pand met veel adressen" (Oosterhout, 0826): 24 verblijfsobjecten.
  const oosterhout: Place = {
    woonplaatsNaam: "Oosterhout",
    woonplaatsIdentificatie: "1674",
    openbareRuimteNaam: "Arendshof",
    openbareRuimteIdentificatie: "0826300000000201",
    postcode: "4901AA",
  };
  const veel = Array.from({ length: 24 }, (_, i) => `0826010000100${String(i + 1).padStart(3, "0")}`);
  veel.forEach((id, i) => {
    const nummer = id.replace(/^082601/, "082620");
    adres(nummer, oosterhout, 1 + i, id);
    vbo(id, nummer, ["0826100000000467"], [117000, 404000], ["woonfunctie"], 55 + (i % 4) * 10);
  });
  pand("0826100000000467", "1972", [116995, 403995], veel);

  return { adressen, objects, panden };
}

import { describe, expect, it } from "vitest";
import { createBagRegistry, GEBRUIKSDOELEN, type BagRegistry } from "../../../src/sources/bag/index.ts";
import { createMunicipality } from "../../../src/sources/synthetic/index.ts";

const municipality = createMunicipality({ seed: 3, size: 2000 });
const registry = createBagRegistry(municipality);

function snapshot(r: BagRegistry, count: number) {
  return Array.from({ length: count }, (_, i) => {
    const a = municipality.addressAt(i);
    const object = r.object(a?.adresseerbaarObjectIdentificatie ?? "");
    const pand = object?.type === "Verblijfsobject" ? r.pand(object.maaktDeelUitVan[0] ?? "") : undefined;
    return { adres: r.adres(a?.nummeraanduidingIdentificatie ?? ""), object, pand };
  });
}

describe("BAG synthetic registry", () => {
  it("every address is the hoofdadres of a verblijfsobject in use, in a pand in use that lists it", () => {
    for (let i = 0; i < municipality.addressCount; i++) {
      const a = municipality.addressAt(i);
      if (!a) throw new Error(`address ${i}`);
      const object = registry.object(a.adresseerbaarObjectIdentificatie);
      expect(object).toMatchObject({
        type: "Verblijfsobject",
        identificatie: a.adresseerbaarObjectIdentificatie,
        heeftAlsHoofdAdres: a.nummeraanduidingIdentificatie,
        status: "Verblijfsobject in gebruik",
      });
      if (object?.type !== "Verblijfsobject") throw new Error(`no verblijfsobject at ${i}`);
      expect(object.oppervlakte).toBeGreaterThan(0);
      const [pandId] = object.maaktDeelUitVan;
      expect(pandId).toMatch(/^0935100000[0-9]{6}$/);
      const pand = registry.pand(pandId ?? "");
      expect(pand?.status).toBe("Pand in gebruik");
      expect(pand?.verblijfsobjecten).toContain(object.identificatie);
      expect(Number(pand?.oorspronkelijkBouwjaar)).toBeGreaterThanOrEqual(1880);
    }
  });

  it("several addresses share a pand, and panden differ in size", () => {
    const sizes = new Map<string, number>();
    for (let i = 0; i < municipality.addressCount; i++) {
      const object = registry.object(municipality.addressAt(i)?.adresseerbaarObjectIdentificatie ?? "");
      const pandId = object?.type === "Verblijfsobject" ? object.maaktDeelUitVan[0] : undefined;
      if (pandId) sizes.set(pandId, (sizes.get(pandId) ?? 0) + 1);
    }
    const counts = [...sizes.values()];
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(2);
    expect(new Set(counts).size).toBeGreaterThan(2);
    for (const [id, n] of sizes) expect(registry.pand(id)?.verblijfsobjecten).toHaveLength(n);
  });

  it("mostly woonfunctie, deterministically also winkel-, bijeenkomst-, kantoor- and industriefunctie", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < municipality.addressCount; i++) {
      const object = registry.object(municipality.addressAt(i)?.adresseerbaarObjectIdentificatie ?? "");
      if (object?.type !== "Verblijfsobject") continue;
      for (const d of object.gebruiksdoelen) counts.set(d, (counts.get(d) ?? 0) + 1);
      expect(GEBRUIKSDOELEN).toEqual(expect.arrayContaining([...object.gebruiksdoelen]));
    }
    expect(counts.get("woonfunctie")).toBeGreaterThan(municipality.addressCount * 0.7);
    for (const d of ["winkelfunctie", "bijeenkomstfunctie", "kantoorfunctie", "industriefunctie"])
      expect(counts.get(d), d).toBeGreaterThan(0);
  });

  it("is deterministic: a second registry over an equal municipality gives the same records", () => {
    const again = createBagRegistry(createMunicipality({ seed: 3, size: 2000 }));
    expect(snapshot(again, 300)).toEqual(snapshot(registry, 300));
  });

  it("knows nothing outside its addresses and the getting-started objects", () => {
    expect(registry.object("0935010009999999")).toBeUndefined();
    expect(registry.pand("0935100000999999")).toBeUndefined();
    expect(registry.pand("0935100000000000")).toBeUndefined();
    expect(registry.adres("0935200009999999")).toBeUndefined();
    expect(registry.zoekAdressen({ postcode: "6200AA", huisnummer: 99999 })).toEqual([]);
  });

  it("has the getting-started guide's test objects, internally consistent", () => {
    for (const id of [
      "0484200002040489",
      "0417200000000354",
      "0014200022197986",
      "0014200022188962",
      "0193200000096680",
      "1926200000508011",
    ]) {
      const adres = registry.adres(id);
      expect(adres, id).toBeDefined();
      const object = registry.object(adres?.adresseerbaarObjectIdentificatie ?? "");
      expect([object?.heeftAlsHoofdAdres, ...(object?.heeftAlsNevenAdres ?? [])], id).toContain(id);
    }
    expect(registry.adres("0014200022197986")?.nevenadres).toBe(true);
    expect(registry.adres("0417200000000354")?.korteNaam.length).toBeLessThanOrEqual(24);
    expect(registry.object("0503030000103062")?.type).toBe("Standplaats");
    expect(registry.object("0569020000012435")?.type).toBe("Ligplaats");
    expect(registry.pand("0503100000034877")?.verblijfsobjecten).toEqual([]);
    expect(registry.pand("0826100000000467")?.verblijfsobjecten.length).toBeGreaterThan(10);
    expect(registry.pand("0014100010921152")?.verblijfsobjecten).toEqual(["0014010011067299"]);
    const vbo = registry.object("0193010000096628");
    expect(
      vbo?.type === "Verblijfsobject" && vbo.maaktDeelUitVan.map((p) => registry.pand(p)?.identificatie),
    ).toEqual(["0193100000096601", "0193100000096602"]);
  });
});

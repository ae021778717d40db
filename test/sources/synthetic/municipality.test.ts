import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseBsn } from "../../../src/shared/index.ts";
import { createMunicipality, wellKnown, type Person } from "../../../src/sources/synthetic/index.ts";
import { RVIG_TEST_PERSONS } from "../../../src/sources/synthetic/rvig-test-persons.ts";
import { readTestPersons, TEST_PERSON_BSNS } from "./generate-rvig-test-persons.ts";

const first = (seed: number, n: number) => {
  const m = createMunicipality({ seed, size: n });
  return [...m.persons()].slice(0, n);
};

describe("synthetic municipality", () => {
  it("is deterministic: the same seed gives the same data, another seed other persons", () => {
    expect(first(42, 200)).toEqual(first(42, 200));
    const other = first(43, 200);
    expect(other.map((p) => p.bsn)).toEqual(first(42, 200).map((p) => p.bsn)); // BSNs are structural
    expect(other.map((p) => p.geslachtsnaam + p.geboortedatum)).not.toEqual(
      first(42, 200).map((p) => p.geslachtsnaam + p.geboortedatum),
    );
  });

  it("every generated BSN passes the 11-check and maps back to its person (property over seeds and indices)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 0, max: 999_999 }),
        (seed, index) => {
          const m = createMunicipality({ seed, size: 1_000_000 });
          const p = m.personAt(index);
          expect(p && parseBsn(p.bsn).ok).toBe(true);
          expect(m.personByBsn(p?.bsn ?? "")).toEqual(p);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("BSNs are unique in a municipality of 500 and relations are symmetric and internal", () => {
    const m = createMunicipality({ seed: 9, size: 500 });
    const persons = [...m.persons()];
    expect(new Set(persons.map((p) => p.bsn)).size).toBe(persons.length);
    const by = (b: string) => m.personByBsn(b) as Person;
    for (const p of persons) {
      for (const partner of p.partners) expect(by(partner.bsn).partners.map((x) => x.bsn)).toContain(p.bsn);
      for (const kind of p.kinderen) expect(by(kind).ouders.map((x) => x.bsn)).toContain(p.bsn);
      for (const ouder of p.ouders) expect(by(ouder.bsn).kinderen).toContain(p.bsn);
    }
    const kinds = (f: (p: Person) => boolean) => persons.filter(f).length;
    expect(kinds((p) => p.overlijdensdatum !== undefined)).toBeGreaterThan(0);
    expect(kinds((p) => p.gemeenteVanInschrijving.code !== "0935")).toBeGreaterThan(14);
    expect(kinds((p) => p.voorvoegsel !== undefined)).toBeGreaterThan(0);
    expect(kinds((p) => p.nationaliteiten.some((n) => n.code !== "0001"))).toBeGreaterThan(0);
  });

  it("addresses: Maastricht postcodes 62xx, BAG ids of 16 digits, lookups round-trip", () => {
    const m = createMunicipality({ seed: 9, size: 500 });
    for (let i = 0; i < m.addressCount; i += 7) {
      const a = m.addressAt(i);
      if (!a) throw new Error("missing address");
      expect(a.postcode).toMatch(/^62[0-9]{2}[A-Z]{2}$/);
      expect(a.adresseerbaarObjectIdentificatie).toMatch(/^0935010000[0-9]{6}$/);
      expect(a.nummeraanduidingIdentificatie).toMatch(/^0935200000[0-9]{6}$/);
      expect(a.woonplaats).toBe("Maastricht");
      expect(m.findAddresses({ postcode: a.postcode, huisnummer: a.huisnummer })).toEqual([a]);
      expect(m.addressByAdresseerbaarObjectId(a.adresseerbaarObjectIdentificatie)).toEqual(a);
      expect(m.addressByNummeraanduidingId(a.nummeraanduidingIdentificatie)).toEqual(a);
      for (const r of m.residentsOf(a)) expect(r.verblijfplaats).toMatchObject({ kind: "adres", address: a });
    }
    expect(m.findAddresses({ postcode: "6200AA", huisnummer: 99999 })).toEqual([]);
  });

  it("wellKnown: resident with address and partner, one registered elsewhere, one unknown valid BSN", () => {
    const m = createMunicipality({ seed: 123, size: 500 });
    const resident = m.personByBsn(wellKnown.residentBsn);
    expect(resident?.gemeenteVanInschrijving.code).toBe("0935");
    expect(resident?.overlijdensdatum).toBeUndefined();
    expect(resident?.partners).toHaveLength(1);
    expect(m.residentsOf(wellKnown.residentAddress).map((p) => p.bsn)).toContain(wellKnown.residentBsn);
    expect(m.personByBsn(wellKnown.elsewhereBsn)?.gemeenteVanInschrijving.code).not.toBe("0935");
    expect(parseBsn(wellKnown.unknownBsn).ok).toBe(true);
    expect(m.personByBsn(wellKnown.unknownBsn)).toBeUndefined();
    expect(m.wellKnown).toEqual(wellKnown);
  });

  it("contains the RvIG test persons with name, birth date and gemeente from the test set", () => {
    const m = createMunicipality({ seed: 1, size: 8 });
    for (const row of readTestPersons()) {
      const p = m.personByBsn(row.bsn);
      expect(p?.geslachtsnaam).toBe(row.geslachtsnaam);
      expect(p?.geboortedatum).toBe(row.geboortedatum);
      expect(p?.gemeenteVanInschrijving.code).toBe(row.gemeenteVanInschrijving);
    }
    expect(m.personByBsn("999992077")?.overlijdensdatum).toBe("20151001");
    expect(m.personByBsn("999993483")?.verblijfplaats?.kind).toBe("buitenland");
    expect(RVIG_TEST_PERSONS.map((p) => p.bsn)).toEqual([...TEST_PERSON_BSNS]);
  });

  it("rvig-test-persons.ts has not drifted from the CSV", () => {
    const fromCsv = readTestPersons().map((r) =>
      Object.fromEntries(Object.entries(r).filter(([, v]) => v !== "")),
    );
    expect(RVIG_TEST_PERSONS).toEqual(fromCsv);
  });

  it("scales: a million persons cost no memory up front and any person is generated on demand", () => {
    const m = createMunicipality({ seed: 5, size: 1_000_000 });
    expect(m.personAt(999_999)).toBeDefined();
    expect(m.personAt(1_000_000)).toBeUndefined();
    let n = 0;
    for (const p of m.persons()) {
      if (++n > 10_000) break;
      expect(p.bsn).toMatch(/^[0-9]{9}$/);
    }
  });

  it("refuses impossible sizes", () => {
    expect(() => createMunicipality({ seed: 1, size: 2 })).toThrow(RangeError);
    expect(() => createMunicipality({ seed: 1, size: 5_000_000 })).toThrow(RangeError);
  });
});

import { describe, expect, it } from "vitest";
import { createKvkRegister, KVK_TEST_COMPANIES } from "../../../src/sources/kvk/index.ts";
import { createMunicipality, wellKnown } from "../../../src/sources/synthetic/index.ts";

const municipality = createMunicipality({ seed: 7, size: 2000 });
const register = createKvkRegister(municipality);
const generated = register.companies.filter((c) => !c.kvkTestCompany);
const elfproef = (s: string) => {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(s[i]) * (9 - i);
  return sum % 11 === Number(s[8]);
};

describe("synthetic Handelsregister", () => {
  it("is deterministic: the same municipality gives the same companies, another seed others", () => {
    expect(createKvkRegister(createMunicipality({ seed: 7, size: 2000 })).companies).toEqual(
      register.companies,
    );
    const other = createKvkRegister(createMunicipality({ seed: 8, size: 2000 })).companies;
    expect(other.map((c) => c.naam)).not.toEqual(register.companies.map((c) => c.naam));
  });

  it.each([
    ["68750110", "Test BV Donald", "BeslotenVennootschap", "000037178598"],
    ["69599084", "Test EMZ Dagobert", "Eenmanszaak", "000038509504"],
    ["69599068", "Test Stichting Bolderbast", "Stichting", undefined],
    ["68727720", "Test NV Katrien", "NaamlozeVennootschap", undefined],
    ["59581883", "Kamer van Koophandel", "PubliekrechtelijkeRechtspersoon", "000015063097"],
  ])("includes KVK's test company %s (%s)", (kvkNummer, naam, rechtsvorm, hoofdvestiging) => {
    const c = register.byKvkNummer(kvkNummer);
    expect(c).toMatchObject({ naam, rechtsvorm, kvkTestCompany: true });
    if (hoofdvestiging) expect(c?.vestigingen[0]?.vestigingsnummer).toBe(hoofdvestiging);
    expect(KVK_TEST_COMPANIES.map((t) => t.kvkNummer)).toContain(kvkNummer);
  });

  it("has well-formed, unique numbers: 8-digit KvK, 12-digit vestiging, RSINs passing the 11-check", () => {
    const kvk = register.companies.map((c) => c.kvkNummer);
    const vestigingen = register.companies.flatMap((c) => c.vestigingen.map((v) => v.vestigingsnummer));
    expect(new Set(kvk).size).toBe(kvk.length);
    expect(new Set(vestigingen).size).toBe(vestigingen.length);
    expect(kvk.every((n) => /^[0-9]{8}$/.test(n))).toBe(true);
    expect(vestigingen.every((n) => /^[0-9]{12}$/.test(n))).toBe(true);
    const rsins = register.companies.flatMap((c) => (c.rsin ? [c.rsin] : []));
    expect(rsins.length).toBeGreaterThan(10);
    expect(rsins.every(elfproef)).toBe(true);
    expect(register.companies.filter((c) => c.rechtsvorm === "Eenmanszaak").every((c) => !c.rsin)).toBe(true);
    expect(register.byKvkNummer(register.wellKnown.unknownKvkNummer)).toBeUndefined();
  });

  it("puts generated vestigingen at municipality addresses with their BAG ids", () => {
    for (const v of generated.flatMap((c) => c.vestigingen)) {
      const address = municipality.addressByAdresseerbaarObjectId(
        v.adres.adresseerbaarObjectIdentificatie ?? "",
      );
      expect(address).toMatchObject({ postcode: v.adres.postcode, huisnummer: v.adres.huisnummer });
    }
  });

  it("gives every eenmanszaak a living adult resident of the municipality as eigenaar", () => {
    const eenmanszaken = generated.filter((c) => c.rechtsvorm === "Eenmanszaak");
    expect(eenmanszaken.length).toBeGreaterThan(10);
    for (const c of eenmanszaken) {
      const p = municipality.personByBsn(c.eigenaarBsn ?? "");
      expect(p?.overlijdensdatum).toBeUndefined();
      expect(p?.gemeenteVanInschrijving.code).toBe(municipality.code);
    }
    expect(register.wellKnown.eigenaarBsn).toBe(wellKnown.residentBsn);
    expect(register.ownedBy(wellKnown.residentBsn).map((c) => c.kvkNummer)).toContain(
      register.wellKnown.eenmanszaakKvkNummer,
    );
  });

  it("has a mix of rechtsvormen and SBI activities, with horeca (5610, 5630)", () => {
    const vormen = new Set(generated.map((c) => c.rechtsvorm));
    expect([...vormen]).toEqual(
      expect.arrayContaining(["Eenmanszaak", "BeslotenVennootschap", "VennootschapOnderFirma"]),
    );
    const codes = new Set(generated.flatMap((c) => c.sbiActiviteiten.map((s) => s.sbiCode)));
    expect([...codes]).toEqual(expect.arrayContaining(["5610", "5630", "4120", "4711"]));
    expect(register.byKvkNummer(register.wellKnown.eenmanszaakKvkNummer)?.sbiActiviteiten[0]?.sbiCode).toBe(
      "5610",
    );
    expect(register.byKvkNummer(register.wellKnown.horecaKvkNummer)?.sbiActiviteiten[0]?.sbiCode).toBe(
      "5630",
    );
    expect(generated.every((c) => c.sbiActiviteiten.filter((s) => s.indHoofdactiviteit).length === 1)).toBe(
      true,
    );
  });

  it("finds companies by vestigingsnummer and address, and knows a free address", () => {
    const cafe = register.byKvkNummer(register.wellKnown.horecaKvkNummer);
    const neven = cafe?.vestigingen[1];
    expect(neven?.hoofdvestiging).toBe(false);
    expect(register.byVestigingsnummer(neven?.vestigingsnummer ?? "")?.company).toBe(cafe);
    const a = register.wellKnown.vestigingAddress;
    expect(register.vestigingenAt(a.postcode.toLowerCase(), a.huisnummer).map((v) => v.kvkNummer)).toContain(
      register.wellKnown.eenmanszaakKvkNummer,
    );
    const free = register.wellKnown.addressWithoutVestiging;
    expect(register.vestigingenAt(free.postcode, free.huisnummer)).toEqual([]);
    expect(register.byKvkNummer(register.wellKnown.inactiveKvkNummer)?.datumEinde).toMatch(/^[0-9]{8}$/);
  });
});

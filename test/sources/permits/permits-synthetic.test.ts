import { describe, expect, it } from "vitest";
import { createKvkRegister } from "../../../src/sources/kvk/index.ts";
import {
  createPermitRegister,
  DEFAULT_ZAAKTYPE_RULES,
  permitKindOf,
  type PermitZaakRecord,
} from "../../../src/sources/permits/index.ts";
import { createMunicipality, wellKnown } from "../../../src/sources/synthetic/index.ts";

const municipality = createMunicipality({ seed: 7, size: 2000 });
const kvk = createKvkRegister(municipality);
const register = createPermitRegister(municipality, kvk);
const zaken = [...register.zaken()];
const betrokkenen = <T extends PermitZaakRecord["rollen"][number]["betrokkene"]["type"]>(
  z: PermitZaakRecord,
  type: T,
) => z.rollen.map((r) => r.betrokkene).filter((b) => b.type === type);

describe("synthetic permit system", () => {
  it("is deterministic: the same municipality gives the same zaken, another seed others", () => {
    const again = [...createPermitRegister(createMunicipality({ seed: 7, size: 2000 }), kvk).zaken()];
    expect(again).toEqual(zaken);
    const otherMunicipality = createMunicipality({ seed: 8, size: 2000 });
    const other = [...createPermitRegister(otherMunicipality, createKvkRegister(otherMunicipality)).zaken()];
    expect(other.map((z) => z.uuid)).not.toEqual(zaken.map((z) => z.uuid));
  });

  it("has every kind of permit case, and zaken that are no permit", () => {
    const kinds = new Set(zaken.map((z) => z.zaaktype.kind));
    expect(kinds).toEqual(
      new Set([
        "horecavergunning",
        "exploitatievergunning",
        "omgevingsvergunning",
        "parkeervergunning",
        "boeteAlcoholwet",
        "overig",
      ]),
    );
  });

  it("has unique uuids and identificaties, and finds each zaak, rol and zaakobject by its uuid", () => {
    expect(new Set(zaken.map((z) => z.uuid)).size).toBe(zaken.length);
    expect(new Set(zaken.map((z) => z.identificatie)).size).toBe(zaken.length);
    for (const z of zaken) {
      expect(register.zaak(z.uuid)).toEqual(z);
      for (const part of [...z.rollen, ...z.objecten]) {
        expect(register.zaakVan(part.uuid)?.uuid).toBe(z.uuid);
        expect(register.zaak(part.uuid)).toBeUndefined();
      }
    }
    expect(register.zaak("00000000-0000-4000-8000-010000000000")).toBeUndefined();
  });

  it("is consistent with the municipality: persons live at the address their zaak is about", () => {
    for (const z of zaken.filter((x) => betrokkenen(x, "vestiging").length === 0)) {
      const [person] = betrokkenen(z, "natuurlijk_persoon");
      const [object] = z.objecten;
      if (person?.type !== "natuurlijk_persoon" || !object)
        throw new Error("expected a person and an object");
      expect(municipality.personByBsn(person.person.bsn)).toEqual(person.person);
      expect(person.person.verblijfplaats).toMatchObject({ kind: "adres", address: object.address });
      expect(
        municipality.addressByAdresseerbaarObjectId(object.address.adresseerbaarObjectIdentificatie),
      ).toEqual(object.address);
      expect(register.zakenVanBsn(person.person.bsn)).toContainEqual(z);
      expect(register.zakenBijObject(object.address.adresseerbaarObjectIdentificatie)).toContainEqual(z);
    }
  });

  it("is consistent with the Handelsregister: horeca vestigingen (SBI 56xx) at their BAG object", () => {
    const companyZaken = zaken.filter((z) => betrokkenen(z, "vestiging").length > 0);
    expect(companyZaken.length).toBeGreaterThan(20);
    for (const z of companyZaken) {
      const [v] = betrokkenen(z, "vestiging");
      if (v?.type !== "vestiging") throw new Error("expected a vestiging");
      const company = kvk.byKvkNummer(v.company.kvkNummer);
      expect(company?.vestigingen).toContainEqual(v.vestiging);
      expect(company?.sbiActiviteiten.some((s) => s.sbiCode.startsWith("56"))).toBe(true);
      expect(z.objecten.map((o) => o.address.adresseerbaarObjectIdentificatie)).toEqual([
        v.vestiging.adres.adresseerbaarObjectIdentificatie,
      ]);
      const nnp = betrokkenen(z, "niet_natuurlijk_persoon");
      expect(nnp.map((b) => b.type === "niet_natuurlijk_persoon" && b.company.rsin)).toEqual(
        company?.rsin ? [company.rsin] : [],
      );
      const eigenaar = betrokkenen(z, "natuurlijk_persoon");
      expect(eigenaar.map((b) => b.type === "natuurlijk_persoon" && b.person.bsn)).toEqual(
        company?.eigenaarBsn ? [company.eigenaarBsn] : [],
      );
      expect(register.zakenVanVestiging(v.vestiging.vestigingsnummer)).toContainEqual(z);
      if (company?.rsin) expect(register.zakenVanRsin(company.rsin)).toContainEqual(z);
    }
    const horeca = kvk.companies.filter(
      (c) => !c.kvkTestCompany && c.sbiActiviteiten.some((s) => s.sbiCode.startsWith("56")),
    );
    const withPermit = horeca.filter((c) =>
      register
        .zakenVanVestiging(c.vestigingen[0]?.vestigingsnummer ?? "")
        .some((z) => z.zaaktype.kind === "horecavergunning"),
    );
    expect(withPermit.length / horeca.length).toBeGreaterThan(0.8);
  });

  it("has dates in order and a zaaktype version valid on the start date", () => {
    for (const z of zaken) {
      expect(z.startdatum <= z.einddatumGepland && z.einddatumGepland <= z.uiterlijkeEinddatumAfdoening).toBe(
        true,
      );
      if (z.einddatum) expect(z.einddatum >= z.startdatum).toBe(true);
      expect(z.zaaktype.beginGeldigheid <= z.startdatum).toBe(true);
      if (z.zaaktype.eindeGeldigheid) expect(z.startdatum <= z.zaaktype.eindeGeldigheid).toBe(true);
      expect(z.omschrijving.length).toBeLessThanOrEqual(80);
    }
  });

  it("has the well-known subjects the demo walk relies on", () => {
    const w = register.wellKnown;
    const kinds = (list: PermitZaakRecord[]) => new Set(list.map((z) => z.zaaktype.kind));
    expect(w.residentBsn).toBe(wellKnown.residentBsn);
    expect(w.residentBsn).toBe("924691347");
    expect(w.objectWithOmgevingsvergunning).toBe("0935010000000001");
    for (const kind of ["omgevingsvergunning", "horecavergunning", "exploitatievergunning"])
      expect(kinds(register.zakenVanBsn(w.residentBsn)).has(kind as never), kind).toBe(true);
    expect(kinds(register.zakenVanBsn(w.bsnWithParkeervergunning)).has("parkeervergunning")).toBe(true);
    expect(register.zakenVanBsn(w.bsnWithoutPermits)).toEqual([]);
    expect(municipality.personByBsn(w.bsnWithoutPermits)?.verblijfplaats?.kind).toBe("adres");
    expect(w.horecaKvkNummerWithPermit).toBe(kvk.wellKnown.horecaKvkNummer);
    expect(w.eenmanszaakKvkNummerWithPermit).toBe(kvk.wellKnown.eenmanszaakKvkNummer);
    expect(kvk.byKvkNummer(w.eenmanszaakKvkNummerWithPermit)?.eigenaarBsn).toBe(w.residentBsn);
    for (const kind of ["horecavergunning", "exploitatievergunning", "boeteAlcoholwet"]) {
      expect(kinds(register.zakenVanRsin(w.horecaRsin)).has(kind as never), kind).toBe(true);
      expect(kinds(register.zakenVanVestiging(w.horecaVestigingsnummer)).has(kind as never), kind).toBe(true);
      expect(kinds(register.zakenBijObject(w.objectWithHorecavergunning)).has(kind as never), kind).toBe(
        true,
      );
    }
    const eenmanszaak =
      kvk.byKvkNummer(w.eenmanszaakKvkNummerWithPermit)?.vestigingen[0]?.vestigingsnummer ?? "";
    expect(kinds(register.zakenVanVestiging(eenmanszaak)).has("horecavergunning")).toBe(true);
    expect(kinds(register.zakenBijObject(w.objectWithOmgevingsvergunning)).has("omgevingsvergunning")).toBe(
      true,
    );
    expect(register.zakenBijObject(w.objectWithoutPermits)).toEqual([]);
    const quiet = kvk.byKvkNummer(w.kvkNummerWithoutPermits);
    expect(quiet?.vestigingen.flatMap((v) => register.zakenVanVestiging(v.vestigingsnummer))).toEqual([]);
  });

  it("maps every zaaktype of its catalogue to its kind with the default table", () => {
    for (const t of register.zaaktypen)
      expect(permitKindOf(t, DEFAULT_ZAAKTYPE_RULES), t.omschrijving).toBe(t.kind);
  });

  it("builds a 500-person municipality's permit system in well under a second", () => {
    const small = createMunicipality({ seed: 1, size: 500 });
    const smallKvk = createKvkRegister(small);
    const started = performance.now();
    const built = createPermitRegister(small, smallKvk);
    expect(performance.now() - started).toBeLessThan(500);
    expect(built.zakenVanBsn(small.wellKnown.residentBsn).length).toBeGreaterThan(0);
  });
});

describe("the zaaktype table", () => {
  it.each([
    [{ identificatie: "ZT-0042", omschrijving: "Drank- en horecavergunning" }, "horecavergunning"],
    [{ identificatie: "ZT-0043", omschrijving: "Alcoholwetvergunning" }, "horecavergunning"],
    [{ identificatie: "ZT-0044", omschrijving: "Exploitatievergunning horeca" }, "exploitatievergunning"],
    [{ identificatie: "ZT-0045", omschrijving: "Bestuurlijke boete Alcoholwet" }, "boeteAlcoholwet"],
    [{ identificatie: "ZT-0046", omschrijving: "Last onder dwangsom Alcoholwet" }, "overig"],
    [
      { identificatie: "ZT-0047", omschrijving: "Omgevingsvergunning beperkte milieutoets" },
      "omgevingsvergunning",
    ],
    [{ identificatie: "ZT-0048", omschrijving: "Parkeervergunning bedrijven" }, "parkeervergunning"],
    [{ identificatie: "ZT-0049", omschrijving: "Evenementenvergunning" }, "overig"],
    // The identificatie decides before any omschrijving.
    [{ identificatie: "parkeervergunning", omschrijving: "Horecavergunning" }, "parkeervergunning"],
  ] as const)("%o is %s", (zaaktype, kind) => {
    expect(permitKindOf(zaaktype)).toBe(kind);
  });

  it("takes a municipality's own table", () => {
    const rules = [{ kind: "horecavergunning", identificaties: ["ZT-0042"], omschrijving: /^$/ }] as const;
    expect(permitKindOf({ identificatie: "zt-0042", omschrijving: "Vergunning" }, rules)).toBe(
      "horecavergunning",
    );
    expect(permitKindOf({ identificatie: "ZT-0043", omschrijving: "Parkeervergunning" }, rules)).toBe(
      "overig",
    );
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import type { LoadedPolicySet } from "../../src/policy/index.ts";
import { fieldPaths, leafPaths, loadSpec } from "../utils/openapi-fields.ts";
import { loadOk } from "./policy-fixtures.ts";

let policy: LoadedPolicySet;
beforeAll(async () => {
  policy = await loadOk();
});
const specLeaves = () =>
  leafPaths(
    fieldPaths(loadSpec("brp-personen-v2.openapi.yaml"), "Persoon", ["Waardetabel", "AbstractDatum"]),
  );

describe("BRP field catalogue against the BRP Personen v2 spec", () => {
  it("classifies every field of the spec (nothing unclassified)", () => {
    const listed = new Set(policy.catalogue.paths("brp"));
    expect(specLeaves().filter((p) => !listed.has(p))).toEqual([]);
  });

  it("lists no field the spec does not have (nothing unknown)", () => {
    const spec = new Set(specLeaves());
    expect(policy.catalogue.paths("brp").filter((p) => !spec.has(p))).toEqual([]);
  });

  it.each([
    ["burgerservicenummer", "identifier"],
    ["aNummer", "identifier"],
    ["nationaliteiten.nationaliteit", "sensitive"],
    ["verblijfstitel.aanduiding", "sensitive"],
    ["gezag", "sensitive"],
    ["indicatieCurateleRegister", "sensitive"],
    ["naam.geslachtsnaam", "personal"],
    ["geboorte.datum", "personal"],
    ["verblijfplaats.verblijfadres.postcode", "personal"],
    ["partners.naam.geslachtsnaam", "personal"],
  ])("%s is %s", (path, cls) => {
    expect(policy.catalogue.classOf("brp", path)).toBe(cls);
  });

  it("has no special-category (GDPR art. 9) field in the BRP", () => {
    expect(
      policy.catalogue.paths("brp").filter((p) => policy.catalogue.classOf("brp", p) === "special"),
    ).toEqual([]);
  });

  it("marks exactly the automatically delivered fields", () => {
    const auto = policy.catalogue.paths("brp").filter((p) => policy.catalogue.entry("brp", p)?.autoDelivered);
    const expected = specLeaves().filter(
      (p) =>
        p.split(".").includes("inOnderzoek") ||
        p === "geheimhoudingPersoonsgegevens" ||
        /^(opschortingBijhouding|rni|verificatie)\./.test(p),
    );
    expect(auto.sort()).toEqual(expected.sort());
  });

  it("finds the unit of a deeper path and the units under a container", () => {
    expect(policy.catalogue.unitFor("brp", "geboorte.datum.jaar")).toBe("geboorte.datum");
    expect(policy.catalogue.unitFor("brp", "naam")).toBeUndefined();
    expect(policy.catalogue.grantableUnder("brp", "geboorte")).toEqual([
      "geboorte.datum",
      "geboorte.land",
      "geboorte.plaats",
    ]);
    expect(policy.catalogue.unitsUnder("brp", "geboorte")).toContain("geboorte.inOnderzoek.datum");
    expect(policy.catalogue.unitsUnder("brp", "beroep")).toEqual([]);
  });
});

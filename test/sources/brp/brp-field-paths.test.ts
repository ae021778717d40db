import { describe, expect, it } from "vitest";
import { PERSOON_BEPERKT_FIELD_PATHS, PERSOON_FIELD_PATHS } from "../../../src/sources/brp/index.ts";
import { fieldPaths, loadSpec } from "../../utils/openapi-fields.ts";

describe("brp-field-paths.ts (generated) has not drifted from the spec", () => {
  const doc = loadSpec("brp-personen-v2.openapi.yaml");
  it("Persoon paths", () => {
    expect(PERSOON_FIELD_PATHS).toEqual(fieldPaths(doc, "Persoon", ["Waardetabel", "AbstractDatum"]));
  });
  it("PersoonBeperkt paths (plus gezag of GezagPersoonBeperkt)", () => {
    const beperkt = fieldPaths(doc, "PersoonBeperkt", ["Waardetabel", "AbstractDatum"]);
    const gezag = fieldPaths(doc, "GezagPersoonBeperkt", ["Waardetabel", "AbstractDatum"]);
    expect(PERSOON_BEPERKT_FIELD_PATHS).toEqual(gezag);
    expect(beperkt.every((p) => PERSOON_BEPERKT_FIELD_PATHS.includes(p))).toBe(true);
    expect(PERSOON_FIELD_PATHS).toContain("verblijfplaats.verblijfadres.postcode");
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import type { LoadedPolicySet } from "../../src/policy/index.ts";
import { WOZ_FIELDS } from "../../src/sources/woz/index.ts";
import { fieldPaths, leafPaths, loadSpec } from "../utils/openapi-fields.ts";
import { loadOk } from "./policy-fixtures.ts";

let policy: LoadedPolicySet;
beforeAll(async () => {
  policy = await loadOk();
});

const SPEC = "woz-bevragen.openapi.yaml";
/** The owner and occupant: personal data the gateway never asks for (policies/catalogue/woz.yaml). */
const NEVER = ["belanghebbendeEigenaar", "belanghebbendeGebruiker"];
const specLeaves = () =>
  leafPaths(fieldPaths(loadSpec(SPEC), "WozObject")).filter((p) => !NEVER.includes(p.split(".")[0] ?? ""));

describe("WOZ field catalogue against the WOZ Bevragen spec", () => {
  it("classifies every field of schema WozObject but the belanghebbenden", () => {
    const listed = new Set(policy.catalogue.paths("woz"));
    expect(specLeaves().filter((p) => !listed.has(p))).toEqual([]);
  });

  it("lists no field the spec does not have, and never an owner or occupant", () => {
    const spec = new Set(specLeaves());
    expect(policy.catalogue.paths("woz").filter((p) => !spec.has(p))).toEqual([]);
    expect(
      policy.catalogue.paths("woz").filter((p) => /belanghebbende|burgerservicenummer|kvkNummer/.test(p)),
    ).toEqual([]);
  });

  it("the client asks the API for exactly the catalogued properties", () => {
    const tops = new Set(policy.catalogue.paths("woz").map((p) => p.split(".")[0]));
    expect([...WOZ_FIELDS].sort()).toEqual([...tops].sort());
  });

  it.each([
    ["identificatie", "open"],
    ["aanduiding.postcode", "open"],
    ["waarden.vastgesteldeWaarde", "open"],
    ["waarden.waardepeildatum", "open"],
    ["kadastraalOnroerendeZaken.aanduiding.perceelnummer", "open"],
    ["waarden.beschikkingsStatussen", "personal"],
    ["waarden.indicatieBezwaarBeroep", "personal"],
  ])("%s is %s", (path, cls) => {
    expect(policy.catalogue.classOf("woz", path)).toBe(cls);
  });

  it("the model policy's open WOZ rule releases no closed field", () => {
    const rule = policy.rules.find((r) => r.id === "woz.open.analyst");
    expect(rule?.maxUnits.length).toBeGreaterThan(10);
    expect(rule?.maxUnits.filter((u) => policy.catalogue.classOf("woz", u) !== "open")).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { brpSpec } from "./brp-contract.ts";

const ok = { valid: true };
const persoon = {
  burgerservicenummer: "999993653",
  geboorte: { datum: { type: "Datum", datum: "1985-12-01", langFormaat: "1 december 1985" } },
  verblijfplaats: { type: "Adres", verblijfadres: { postcode: "3077AW", huisnummer: 31 } },
};
const response = (p: unknown) => ({ type: "RaadpleegMetBurgerservicenummer", personen: [p] });
const json = "application/json; charset=utf-8";

describe("openapi-validate on BRP Personen (discriminator + allOf back-references)", () => {
  it("accepts a correct request and response", () => {
    const body = {
      type: "RaadpleegMetBurgerservicenummer",
      burgerservicenummer: ["999993653"],
      fields: ["naam"],
    };
    expect(brpSpec.validateRequest("/personen", "post", json, body)).toEqual(ok);
    expect(brpSpec.validateResponse("/personen", "post", 200, json, response(persoon))).toEqual(ok);
  });

  it.each([
    [
      "ZoekMetGeslachtsnaamEnGeboortedatum",
      {
        geslachtsnaam: "Käster",
        geboortedatum: "1983-05-26",
        voornamen: "jan*",
        voorvoegsel: "van",
        geslacht: "v",
        gemeenteVanInschrijving: "0935",
        inclusiefOverledenPersonen: true,
      },
    ],
    [
      "ZoekMetPostcodeEnHuisnummer",
      {
        postcode: "6211 ab",
        huisnummer: 12,
        huisletter: "a",
        huisnummertoevoeging: "bis",
        geslachtsnaam: "Maassen",
        geboortedatum: "1983-05-26",
      },
    ],
  ])("accepts a %s request and its PersoonBeperkt response", (type, params) => {
    const body = { type, ...params, fields: ["burgerservicenummer"] };
    expect(brpSpec.validateRequest("/personen", "post", json, body)).toEqual(ok);
    const answer = { type, personen: [{ burgerservicenummer: "999993653" }] };
    expect(brpSpec.validateResponse("/personen", "post", 200, json, answer)).toEqual(ok);
    const wrong = { type, personen: [{ burgerservicenummer: "99999365" }] };
    expect(brpSpec.validateResponse("/personen", "post", 200, json, wrong).valid).toBe(false);
  });

  it.each([
    [
      "a BSN of 8 digits",
      { type: "RaadpleegMetBurgerservicenummer", burgerservicenummer: ["12345678"], fields: ["naam"] },
    ],
    [
      "21 BSNs",
      {
        type: "RaadpleegMetBurgerservicenummer",
        burgerservicenummer: Array(21).fill("999993653"),
        fields: ["naam"],
      },
    ],
    [
      "no fields",
      { type: "RaadpleegMetBurgerservicenummer", burgerservicenummer: ["999993653"], fields: [] },
    ],
    ["an unknown type", { type: "RaadpleegMetIets", burgerservicenummer: ["999993653"], fields: ["naam"] }],
    [
      "a postcode query without huisnummer",
      { type: "ZoekMetPostcodeEnHuisnummer", postcode: "6211AB", fields: ["naam"] },
    ],
  ])("rejects a request with %s", (_name, body) => {
    expect(brpSpec.validateRequest("/personen", "post", json, body).valid).toBe(false);
  });

  it.each([
    ["a Datum without datum", { ...persoon, geboorte: { datum: { type: "Datum", langFormaat: "x" } } }],
    [
      "a JaarDatum with a string jaar",
      { ...persoon, geboorte: { datum: { type: "JaarDatum", jaar: "1985", langFormaat: "1985" } } },
    ],
    [
      "an Adres with a string huisnummer",
      { ...persoon, verblijfplaats: { type: "Adres", verblijfadres: { huisnummer: "31" } } },
    ],
    ["a verblijfplaats without type", { ...persoon, verblijfplaats: { verblijfadres: { huisnummer: 31 } } }],
    ["a nationaliteit of unknown type", { ...persoon, nationaliteiten: [{ type: "Iets" }] }],
  ])("rejects a response with %s", (_name, p) => {
    expect(brpSpec.validateResponse("/personen", "post", 200, json, response(p)).valid).toBe(false);
  });

  it("rejects a response body of the wrong discriminated type and a problem without the right shape", () => {
    expect(
      brpSpec.validateResponse("/personen", "post", 200, json, { type: "Onbekend", personen: [] }).valid,
    ).toBe(false);
    expect(
      brpSpec.validateResponse("/personen", "post", 400, "application/problem+json", { status: "400" }).valid,
    ).toBe(false);
    expect(brpSpec.validateResponse("/personen", "post", 200, "text/html", "<html>").valid).toBe(false);
  });
});

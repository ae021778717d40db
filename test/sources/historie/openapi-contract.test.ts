import { describe, expect, it } from "vitest";
import { historieQueryBody } from "../../../src/sources/historie/index.ts";
import { wellKnown } from "../../../src/sources/synthetic/index.ts";
import { bewoningSpec, expectTrafficMatchesSpec, historieSpec } from "./closed-brp-contract.ts";

const ok = { valid: true };
const jsonUtf8 = "application/json; charset=utf-8";
const datum = { type: "Datum", datum: "2020-01-01", langFormaat: "1 januari 2020" };
const bewoner = { burgerservicenummer: "999993653", naam: { volledigeNaam: "Suzanne Moulin" } };
const bewoning = {
  adresseerbaarObjectIdentificatie: "0935010000000001",
  periode: { datumVan: "2020-01-01", datumTot: "2020-01-02" },
  bewoners: [bewoner],
  mogelijkeBewoners: [],
};

describe("the contract validators reject wrong bodies (so the traffic checks can fail)", () => {
  it("Bewoning: accepts the client's two request types and a correct answer", () => {
    const peildatum = {
      type: "BewoningMetPeildatum",
      peildatum: "2020-01-01",
      adresseerbaarObjectIdentificatie: "0935010000000001",
    };
    expect(bewoningSpec.validateRequest("/bewoningen", "post", jsonUtf8, peildatum)).toEqual(ok);
    expect(
      bewoningSpec.validateRequest("/bewoningen", "post", jsonUtf8, {
        type: "BewoningMetPeriode",
        datumVan: "2020-01-01",
        datumTot: "2021-01-01",
        adresseerbaarObjectIdentificatie: "0935010000000001",
      }),
    ).toEqual(ok);
    expect(
      bewoningSpec.validateResponse("/bewoningen", "post", 200, jsonUtf8, { bewoningen: [bewoning] }),
    ).toEqual(ok);
  });

  it.each([
    [
      "an unknown type",
      {
        type: "BewoningOpAdres",
        adresseerbaarObjectIdentificatie: "0935010000000001",
        peildatum: "2020-01-01",
      },
    ],
    ["no peildatum", { type: "BewoningMetPeildatum", adresseerbaarObjectIdentificatie: "0935010000000001" }],
    [
      "16 zeros",
      {
        type: "BewoningMetPeildatum",
        adresseerbaarObjectIdentificatie: "0000000000000000",
        peildatum: "2020-01-01",
      },
    ],
    [
      "a peildatum without dashes",
      {
        type: "BewoningMetPeildatum",
        adresseerbaarObjectIdentificatie: "0935010000000001",
        peildatum: "20200101",
      },
    ],
  ])("Bewoning: rejects a request with %s", (_n, body) => {
    expect(bewoningSpec.validateRequest("/bewoningen", "post", jsonUtf8, body).valid).toBe(false);
  });

  it.each([
    ["a numeric BSN", { bewoningen: [{ ...bewoning, bewoners: [{ burgerservicenummer: 999993653 }] }] }],
    ["101 bewoners", { bewoningen: [{ ...bewoning, bewoners: Array(101).fill(bewoner) }] }],
    ["a periode datum that is no date", { bewoningen: [{ ...bewoning, periode: { datumVan: "1 jan" } }] }],
    [
      "a geboortedatum without type",
      { bewoningen: [{ ...bewoning, bewoners: [{ geboorte: { datum: { datum: "2000-01-01" } } }] }] },
    ],
  ])("Bewoning: rejects a response with %s", (_n, body) => {
    expect(bewoningSpec.validateResponse("/bewoningen", "post", 200, jsonUtf8, body).valid).toBe(false);
  });

  it("Historie: accepts the client's request bodies and a correct answer", () => {
    for (const moment of [{ peildatum: "2020-01-01" }, { van: "2020-01-01", tot: "2021-01-01" }])
      expect(
        historieSpec.validateRequest(
          "/verblijfplaatshistorie",
          "post",
          "application/json",
          historieQueryBody(wellKnown.residentBsn, moment),
        ),
      ).toEqual(ok);
    const adres = {
      type: "Adres",
      datumVan: datum,
      adresseerbaarObjectIdentificatie: "0935010000000001",
      verblijfadres: { huisnummer: 1, postcode: "6200AA" },
    };
    expect(
      historieSpec.validateResponse("/verblijfplaatshistorie", "post", 200, "application/json", {
        verblijfplaatsen: [adres],
      }),
    ).toEqual(ok);
  });

  it.each([
    ["no BSN", { type: "RaadpleegMetPeildatum", peildatum: "2020-01-01" }],
    [
      "a BSN of 8 digits",
      { type: "RaadpleegMetPeildatum", burgerservicenummer: "12345678", peildatum: "2020-01-01" },
    ],
    [
      "a period without datumTot",
      { type: "RaadpleegMetPeriode", burgerservicenummer: "999993653", datumVan: "2020-01-01" },
    ],
  ])("Historie: rejects a request with %s", (_n, body) => {
    expect(
      historieSpec.validateRequest("/verblijfplaatshistorie", "post", "application/json", body).valid,
    ).toBe(false);
  });

  it.each([
    ["a verblijfplaats of unknown type", { verblijfplaatsen: [{ type: "Kasteel" }] }],
    ["a string huisnummer", { verblijfplaatsen: [{ type: "Adres", verblijfadres: { huisnummer: "1" } }] }],
    [
      "a Datum without datum",
      { verblijfplaatsen: [{ type: "Adres", datumVan: { type: "Datum", langFormaat: "x" } }] },
    ],
    [
      "a 15-digit object id",
      { verblijfplaatsen: [{ type: "Adres", adresseerbaarObjectIdentificatie: "093501000000001" }] },
    ],
  ])("Historie: rejects a response with %s", (_n, body) => {
    expect(
      historieSpec.validateResponse("/verblijfplaatshistorie", "post", 200, "application/json", body).valid,
    ).toBe(false);
  });

  it("problems: a wrong shape, a wrong content type and a free-text code are rejected; the traffic check fails on them", () => {
    expect(
      historieSpec.validateResponse("/verblijfplaatshistorie", "post", 400, "application/problem+json", {
        status: "400",
      }).valid,
    ).toBe(false);
    expect(bewoningSpec.validateResponse("/bewoningen", "post", 200, "text/html", "<html>").valid).toBe(
      false,
    );
    expect(
      bewoningSpec.validateResponse("/bewoningen", "post", 503, "application/problem+json", {
        code: "niet beschikbaar!",
      }).valid,
    ).toBe(false);
    const recorded = {
      method: "POST",
      path: "/lap/api/brp/verblijfplaatshistorie",
      headers: {},
      body: { type: "RaadpleegMetPeildatum", burgerservicenummer: "1", peildatum: "2020-01-01" },
      status: 200,
      response: { contentType: "application/json", body: { verblijfplaatsen: [] } },
    };
    expect(() => expectTrafficMatchesSpec("historie", [recorded])).toThrow();
    expect(
      expectTrafficMatchesSpec("historie", [
        { ...recorded, body: historieQueryBody(wellKnown.residentBsn, { peildatum: "2020-01-01" }) },
      ]),
    ).toBe(2);
  });

  it("the one forgiven spec defect is exactly Bewoning's 32-character parameter name", () => {
    const problem = (name: string) => ({
      method: "POST",
      path: "/haalcentraal/api/bewoning/bewoningen",
      headers: {},
      body: undefined,
      status: 400,
      response: {
        contentType: "application/problem+json",
        body: {
          status: 400,
          code: "paramsValidation",
          invalidParams: [{ name, code: "required", reason: "Parameter is verplicht." }],
        },
      },
    });
    expect(expectTrafficMatchesSpec("bewoning", [problem("adresseerbaarObjectIdentificatie")])).toBe(1);
    expect(() =>
      expectTrafficMatchesSpec("bewoning", [problem("eenVeelTeLangeParameterNaamVanMeerDan30")]),
    ).toThrow();
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createBrpClient, startBrpSimulator, type BrpSimulator } from "../../../src/sources/brp/index.ts";
import { createMunicipality, type Person } from "../../../src/sources/synthetic/index.ts";
import { brpSpec, expectTrafficMatchesSpec } from "./brp-contract.ts";

/*
 * ZoekMetGeslachtsnaamEnGeboortedatum and ZoekMetPostcodeEnHuisnummer, client ↔ simulator over
 * HTTP. Every request and answer is validated against the reference spec after each test.
 */
const municipality = createMunicipality({ seed: 1, size: 200 });
const API_KEY = "test-key";
let sim: BrpSimulator;
const client = () =>
  createBrpClient({ baseUrl: sim.url, auth: { kind: "apiKey", apiKey: API_KEY }, timeoutMs: 2000 });
const json = "application/json; charset=utf-8";

const person = (bsn: string): Person => {
  const p = municipality.personByBsn(bsn);
  if (!p) throw new Error(`fixture ${bsn} missing`);
  return p;
};
const iso = (gba: string) => `${gba.slice(0, 4)}-${gba.slice(4, 6)}-${gba.slice(6)}`;
const resident = person(municipality.wellKnown.residentBsn);
const address = municipality.wellKnown.residentAddress;
/** Zoë Dautzenberg: a first name with a diacritic. */
const zoe = person("955003787");
/** d' Hondt: a voorvoegsel. */
const hondt = person("977780284");
/** Deceased, with an address in the municipality. */
const deceased = person("906938806");

const post = (body: unknown) =>
  fetch(`${sim.url}/personen`, {
    method: "POST",
    headers: { "content-type": json, "x-api-key": API_KEY },
    body: JSON.stringify(body),
  });
const bsnsOf = async (body: unknown): Promise<string[]> => {
  const res = await post(body);
  expect(res.status).toBe(200);
  const answer = (await res.json()) as { type: string; personen: { burgerservicenummer: string }[] };
  expect(answer.type).toBe((body as { type: string }).type);
  return answer.personen.map((p) => p.burgerservicenummer).sort();
};
const byName = (extra: Record<string, unknown>) => ({
  type: "ZoekMetGeslachtsnaamEnGeboortedatum",
  fields: ["burgerservicenummer"],
  ...extra,
});
const byAddress = (extra: Record<string, unknown>) => ({
  type: "ZoekMetPostcodeEnHuisnummer",
  fields: ["burgerservicenummer"],
  ...extra,
});

beforeAll(async () => {
  sim = await startBrpSimulator({ municipality, apiKey: API_KEY });
});
afterEach(() => {
  expectTrafficMatchesSpec(sim.requests);
  sim.clearRequests();
});
afterAll(() => sim.close());

describe("BRP client: the two search types", () => {
  it("ZoekMetGeslachtsnaamEnGeboortedatum sends the type, the parameters and only the fields asked", async () => {
    const result = await client().zoek(
      {
        type: "ZoekMetGeslachtsnaamEnGeboortedatum",
        geslachtsnaam: resident.geslachtsnaam,
        geboortedatum: iso(resident.geboortedatum),
        voornamen: undefined,
      },
      ["burgerservicenummer"],
    );
    expect(result).toEqual({ ok: true, value: [{ burgerservicenummer: resident.bsn }] });
    const [req] = sim.requests;
    expect(req?.body).toEqual({
      type: "ZoekMetGeslachtsnaamEnGeboortedatum",
      geslachtsnaam: resident.geslachtsnaam,
      geboortedatum: iso(resident.geboortedatum),
      fields: ["burgerservicenummer"],
    });
    expect(req?.headers).toMatchObject({ "content-type": json, "x-api-key": API_KEY });
  });

  it("ZoekMetPostcodeEnHuisnummer answers the living residents, PersoonBeperkt", async () => {
    const result = await client().zoek(
      { type: "ZoekMetPostcodeEnHuisnummer", postcode: address.postcode, huisnummer: address.huisnummer },
      ["burgerservicenummer", "naam.geslachtsnaam"],
    );
    const living = municipality
      .residentsOf(address)
      .filter((p) => !p.overlijdensdatum)
      .map((p) => p.bsn);
    expect(result.ok && result.value.map((p) => p.burgerservicenummer).sort()).toEqual(living.sort());
    expect(result.ok && Object.keys(result.value[0] ?? {}).sort()).toEqual(["burgerservicenummer", "naam"]);
  });

  it.each([
    ["an invalid postcode", { type: "ZoekMetPostcodeEnHuisnummer", postcode: "0200AA", huisnummer: 1 }],
    ["a huisnummer of 0", { type: "ZoekMetPostcodeEnHuisnummer", postcode: "6200AA", huisnummer: 0 }],
    [
      "a date that does not exist",
      { type: "ZoekMetGeslachtsnaamEnGeboortedatum", geslachtsnaam: "Jansen", geboortedatum: "2026-02-30" },
    ],
    [
      "a leading wildcard",
      { type: "ZoekMetGeslachtsnaamEnGeboortedatum", geslachtsnaam: "*sen", geboortedatum: "1983-05-26" },
    ],
    [
      "an empty geslachtsnaam",
      { type: "ZoekMetGeslachtsnaamEnGeboortedatum", geslachtsnaam: "", geboortedatum: "1983-05-26" },
    ],
  ] as const)("refuses %s before any call", async (_name, vraag) => {
    expect(await client().zoek(vraag, ["burgerservicenummer"])).toEqual({
      ok: false,
      error: { kind: "rejected", reason: "invalid_query" },
    });
    expect(sim.requests).toHaveLength(0);
  });

  it("an upstream failure is an error value, and an answer of another type is malformed", async () => {
    sim.setFault("http503");
    const vraag = {
      type: "ZoekMetPostcodeEnHuisnummer",
      postcode: address.postcode,
      huisnummer: address.huisnummer,
    } as const;
    const failed = await client().zoek(vraag, ["burgerservicenummer"]);
    sim.setFault("none");
    expect(failed).toMatchObject({ ok: false, error: { kind: "unavailable" } });
    const other = createBrpClient({
      baseUrl: "http://unused.invalid",
      auth: { kind: "apiKey", apiKey: API_KEY },
      timeoutMs: 2000,
      fetch: () =>
        Promise.resolve(
          new Response(JSON.stringify({ type: "RaadpleegMetBurgerservicenummer", personen: [] }), {
            headers: { "content-type": json },
          }),
        ),
    });
    expect(await other.zoek(vraag, ["burgerservicenummer"])).toMatchObject({
      ok: false,
      error: { kind: "malformed" },
    });
  });
});

describe("BRP simulator: ZoekMetGeslachtsnaamEnGeboortedatum", () => {
  const zoeDate = iso(zoe.geboortedatum);

  it("matches the whole geslachtsnaam without regard to case or diacritics, either way", async () => {
    for (const geslachtsnaam of ["Dautzenberg", "dautzenberg", "DAUTZENBERG", "Dautzenbérg"])
      expect(await bsnsOf(byName({ geslachtsnaam, geboortedatum: zoeDate }))).toEqual([zoe.bsn]);
    expect(await bsnsOf(byName({ geslachtsnaam: "Dautzen", geboortedatum: zoeDate }))).toEqual([]);
    expect(await bsnsOf(byName({ geslachtsnaam: "Dautzenberg", geboortedatum: "2006-10-10" }))).toEqual([]);
  });

  it("voornamen narrows, whole or with a trailing wildcard, ignoring case and diacritics", async () => {
    for (const voornamen of ["Zoë", "zoe", "ZOË", "zo*"])
      expect(
        await bsnsOf(byName({ geslachtsnaam: "dautzenberg", geboortedatum: zoeDate, voornamen })),
      ).toEqual([zoe.bsn]);
    expect(
      await bsnsOf(byName({ geslachtsnaam: "dautzenberg", geboortedatum: zoeDate, voornamen: "Zo" })),
    ).toEqual([]);
  });

  it("a trailing wildcard after three letters matches any rest of the geslachtsnaam", async () => {
    expect(await bsnsOf(byName({ geslachtsnaam: "dau*", geboortedatum: zoeDate }))).toEqual([zoe.bsn]);
    expect(await bsnsOf(byName({ geslachtsnaam: "dax*", geboortedatum: zoeDate }))).toEqual([]);
  });

  it("voorvoegsel and geslacht narrow; without voorvoegsel, one with a voorvoegsel is found", async () => {
    const q = { geslachtsnaam: "hondt", geboortedatum: iso(hondt.geboortedatum) };
    expect(await bsnsOf(byName(q))).toEqual([hondt.bsn]);
    expect(await bsnsOf(byName({ ...q, voorvoegsel: "D'" }))).toEqual([hondt.bsn]);
    expect(await bsnsOf(byName({ ...q, voorvoegsel: "van" }))).toEqual([]);
    expect(await bsnsOf(byName({ ...q, geslacht: hondt.geslacht.toLowerCase() }))).toEqual([hondt.bsn]);
    expect(await bsnsOf(byName({ ...q, geslacht: hondt.geslacht === "V" ? "M" : "V" }))).toEqual([]);
  });

  it("finds a deceased person only with inclusiefOverledenPersonen", async () => {
    const q = { geslachtsnaam: deceased.geslachtsnaam, geboortedatum: iso(deceased.geboortedatum) };
    expect(await bsnsOf(byName(q))).not.toContain(deceased.bsn);
    expect(await bsnsOf(byName({ ...q, inclusiefOverledenPersonen: true }))).toContain(deceased.bsn);
  });

  it("gemeenteVanInschrijving narrows to the municipality of registration", async () => {
    const q = { geslachtsnaam: zoe.geslachtsnaam, geboortedatum: zoeDate };
    expect(await bsnsOf(byName({ ...q, gemeenteVanInschrijving: "0935" }))).toEqual([zoe.bsn]);
    expect(await bsnsOf(byName({ ...q, gemeenteVanInschrijving: "0363" }))).toEqual([]);
  });

  it("answers PersoonBeperkt fields and refuses a Persoon-only field", async () => {
    const res = await post({
      ...byName({ geslachtsnaam: zoe.geslachtsnaam, geboortedatum: zoeDate }),
      fields: ["naam.voornamen", "geboorte.datum"],
    });
    const body = (await res.json()) as { personen: unknown[] };
    expect(body.personen).toEqual([
      {
        naam: { voornamen: zoe.voornamen },
        geboorte: { datum: { type: "Datum", datum: zoeDate, langFormaat: expect.any(String) as string } },
      },
    ]);
    const refused = await post({
      ...byName({ geslachtsnaam: zoe.geslachtsnaam, geboortedatum: zoeDate }),
      fields: ["verblijfplaats"],
    });
    expect(refused.status).toBe(400);
  });
});

describe("BRP simulator: ZoekMetPostcodeEnHuisnummer", () => {
  const residents = municipality.residentsOf(address).filter((p) => !p.overlijdensdatum);
  const spaced = `${address.postcode.slice(0, 4)} ${address.postcode.slice(4).toLowerCase()}`;

  it("normalises the postcode (space, case) and narrows by geslachtsnaam and geboortedatum", async () => {
    const all = residents.map((p) => p.bsn).sort();
    expect(all.length).toBeGreaterThan(1);
    expect(await bsnsOf(byAddress({ postcode: spaced, huisnummer: address.huisnummer }))).toEqual(all);
    expect(
      await bsnsOf(
        byAddress({
          postcode: spaced,
          huisnummer: address.huisnummer,
          geslachtsnaam: "DAUTZENBERG",
          geboortedatum: iso(resident.geboortedatum),
        }),
      ),
    ).toEqual([resident.bsn]);
    expect(
      await bsnsOf(byAddress({ postcode: address.postcode, huisnummer: address.huisnummer + 1000 })),
    ).toEqual([]);
  });

  it("a huisletter the address does not have finds nobody", async () => {
    expect(
      await bsnsOf(
        byAddress({ postcode: address.postcode, huisnummer: address.huisnummer, huisletter: "Z" }),
      ),
    ).toEqual([]);
  });

  it("finds a deceased resident only with inclusiefOverledenPersonen", async () => {
    const v = deceased.verblijfplaats;
    if (v?.kind !== "adres") throw new Error("fixture: the deceased person has an address");
    const q = { postcode: v.address.postcode, huisnummer: v.address.huisnummer };
    expect(await bsnsOf(byAddress(q))).not.toContain(deceased.bsn);
    expect(await bsnsOf(byAddress({ ...q, inclusiefOverledenPersonen: true }))).toContain(deceased.bsn);
  });
});

describe("BRP simulator: 400 with the spec's problem+json", () => {
  const problemOf = async (body: unknown) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    return (await res.json()) as {
      code: string;
      invalidParams: { name: string; code: string }[];
    };
  };
  const params = (p: { invalidParams: { name: string; code: string }[] }) =>
    p.invalidParams.map((i) => `${i.name}:${i.code}`).sort();

  it("missing or empty required parameters: paramsCombination naming each", async () => {
    const none = await problemOf(byName({}));
    expect(none.code).toBe("paramsCombination");
    expect(params(none)).toEqual(["geboortedatum:required", "geslachtsnaam:required"]);
    const empty = await problemOf(byAddress({ postcode: "", huisnummer: 1 }));
    expect(empty.code).toBe("paramsCombination");
    expect(params(empty)).toEqual(["postcode:required"]);
  });

  it.each([
    ["geslachtsnaam", byName({ geslachtsnaam: "<script>", geboortedatum: "1983-05-26" }), "pattern"],
    ["geslachtsnaam", byName({ geslachtsnaam: "gr*", geboortedatum: "1983-05-26" }), "pattern"],
    ["geslachtsnaam", byName({ geslachtsnaam: "gr*o*", geboortedatum: "1983-05-26" }), "pattern"],
    ["geboortedatum", byName({ geslachtsnaam: "Maassen", geboortedatum: "19830526" }), "date"],
    ["geslacht", byName({ geslachtsnaam: "Maassen", geboortedatum: "1983-05-26", geslacht: "X" }), "pattern"],
    [
      "voorvoegsel",
      byName({ geslachtsnaam: "Maassen", geboortedatum: "1983-05-26", voorvoegsel: "van der van de" }),
      "pattern",
    ],
    [
      "inclusiefOverledenPersonen",
      byName({ geslachtsnaam: "Maassen", geboortedatum: "1983-05-26", inclusiefOverledenPersonen: "ja" }),
      "boolean",
    ],
    [
      "gemeenteVanInschrijving",
      byName({ geslachtsnaam: "Maassen", geboortedatum: "1983-05-26", gemeenteVanInschrijving: "935" }),
      "pattern",
    ],
    ["postcode", byAddress({ postcode: "6200 A", huisnummer: 1 }), "pattern"],
    ["huisnummer", byAddress({ postcode: "6200AA", huisnummer: "1" }), "integer"],
    ["huisnummer", byAddress({ postcode: "6200AA", huisnummer: 100000 }), "maximum"],
    ["huisletter", byAddress({ postcode: "6200AA", huisnummer: 1, huisletter: "AB" }), "pattern"],
    [
      "huisnummertoevoeging",
      byAddress({ postcode: "6200AA", huisnummer: 1, huisnummertoevoeging: "abcde" }),
      "pattern",
    ],
    ["voornamen", byAddress({ postcode: "6200AA", huisnummer: 1, voornamen: "Jan" }), "unknownParam"],
    ["naam", byAddress({ postcode: "6200AA", huisnummer: 1, "<naam>": "x" }), "unknownParam"],
  ])("%s (%#): paramsValidation", async (name, body, code) => {
    // The spec itself refuses these requests too (except the unknown parameter, which it allows).
    if (code !== "unknownParam")
      expect(brpSpec.validateRequest("/personen", "post", json, body).valid).toBe(false);
    const problem = await problemOf(body);
    expect(problem.code).toBe("paramsValidation");
    expect(params(problem)).toEqual([`${name}:${code}`]);
  });
});

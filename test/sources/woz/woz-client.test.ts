import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createKvkRegister } from "../../../src/sources/kvk/index.ts";
import { createMunicipality } from "../../../src/sources/synthetic/index.ts";
import {
  createWozClient,
  startWozSimulator,
  WOZ_BASE_PATH,
  WOZ_FIELDS,
  type WozFault,
  type WozSimulator,
} from "../../../src/sources/woz/index.ts";
import { FAULTS } from "../../utils/source-simulators.ts";
import { expectWozTrafficMatchesSpec } from "./woz-contract.ts";

const municipality = createMunicipality({ seed: 1, size: 200 });
const kvkRegister = createKvkRegister(municipality);
const resident = municipality.wellKnown.residentAddress;
const API_KEY = "woz-test-key";
const YEAR = 2026;
let sim: WozSimulator;
let checks = 0;
const client = (timeoutMs = 2000) =>
  createWozClient({ baseUrl: sim.url, auth: { kind: "apiKey", apiKey: API_KEY }, timeoutMs });
const raw = (path: string, headers: Record<string, string> = { "X-Api-Key": API_KEY }) =>
  fetch(sim.url + path, { headers });

beforeAll(async () => {
  sim = await startWozSimulator({ municipality, kvkRegister, apiKey: API_KEY, year: YEAR });
});
afterEach(() => {
  sim.setFault("none");
  checks += expectWozTrafficMatchesSpec(sim.requests);
  sim.clearRequests();
});
afterAll(async () => {
  await sim.close();
  // The contract check ran on real traffic, not on nothing.
  expect(checks).toBeGreaterThan(25);
});

describe("WOZ client ↔ simulator", () => {
  it("by address: GET /wozobjecten with postcode, huisnummer and fields, HAL JSON, X-Api-Key", async () => {
    const result = await client().zoekWozObjecten({
      postcode: resident.postcode.toLowerCase().replace(/^(....)/, "$1 "),
      huisnummer: resident.huisnummer,
      huisletter: resident.huisletter,
      huisnummertoevoeging: resident.huisnummertoevoeging,
    });
    expect(result).toMatchObject({
      ok: true,
      value: [
        {
          aanduiding: {
            postcode: resident.postcode,
            huisnummer: resident.huisnummer,
            nummeraanduidingIdentificatie: resident.nummeraanduidingIdentificatie,
          },
          adresseerbaarObjectIdentificaties: [resident.adresseerbaarObjectIdentificatie],
          verantwoordelijkeGemeente: { code: municipality.code },
        },
      ],
    });
    const [req] = sim.requests;
    expect(req?.path).toBe(`${WOZ_BASE_PATH}/wozobjecten`);
    expect(req?.query).toMatchObject({
      postcode: resident.postcode,
      huisnummer: String(resident.huisnummer),
      fields: WOZ_FIELDS.join(","),
    });
    expect(req?.headers).toMatchObject({ accept: "application/hal+json", "x-api-key": API_KEY });
  });

  it("never asks for, and so never receives, the owner or occupant", async () => {
    const result = await client().zoekWozObjecten({
      adresseerbaarObjectIdentificatie: resident.adresseerbaarObjectIdentificatie,
    });
    expect(result.ok && result.value.length).toBe(1);
    expect(String(sim.requests[0]?.query["fields"])).not.toMatch(/belanghebbende/);
    expect(JSON.stringify(sim.requests[0]?.response.body)).not.toMatch(/belanghebbende|burgerservicenummer/);
  });

  it("by nummeraanduiding and by WOZ-objectnummer find the same object", async () => {
    const byNummer = await client().zoekWozObjecten({
      nummeraanduidingIdentificatie: resident.nummeraanduidingIdentificatie,
    });
    const id = byNummer.ok ? byNummer.value[0]?.identificatie : undefined;
    expect(id).toMatch(new RegExp(`^${municipality.code}[0-9]{8}$`));
    const one = await client().wozObject(id ?? "");
    expect(one).toMatchObject({ ok: true, value: { identificatie: id } });
    expect(sim.requests[1]?.path).toBe(`${WOZ_BASE_PATH}/wozobjecten/${id}`);
  });

  it("an unknown object is an empty list or null, not a failure", async () => {
    expect(await client().zoekWozObjecten({ postcode: "9999ZZ", huisnummer: 1 })).toEqual({
      ok: true,
      value: [],
    });
    expect(await client().wozObject("000000000001")).toEqual({ ok: true, value: null });
  });

  it.each([
    [{ postcode: "0123AB", huisnummer: 1 }, "invalid_postcode"],
    [{ postcode: "6211AB", huisnummer: 0 }, "invalid_huisnummer"],
    [{ postcode: "6211AB", huisnummer: 1, huisletter: "ab" }, "invalid_huisletter"],
    [{ postcode: "6211AB", huisnummer: 1, huisnummertoevoeging: "toolong" }, "invalid_huisnummertoevoeging"],
    [{ adresseerbaarObjectIdentificatie: "093501" }, "invalid_identificatie"],
    [{ nummeraanduidingIdentificatie: "x".repeat(16) }, "invalid_identificatie"],
  ])("refuses %j before any call (%s)", async (vraag, reason) => {
    expect(await client().zoekWozObjecten(vraag)).toEqual({ ok: false, error: { kind: "rejected", reason } });
    expect(sim.requestCount()).toBe(0);
  });

  it("refuses a WOZ-objectnummer that is not 12 digits before any call", async () => {
    expect(await client().wozObject("12345")).toEqual({
      ok: false,
      error: { kind: "rejected", reason: "invalid_identificatie" },
    });
    expect(sim.requestCount()).toBe(0);
  });

  it("a wrong API key is unauthorized, with the spec's problem+json", async () => {
    const wrong = createWozClient({
      baseUrl: sim.url,
      auth: { kind: "apiKey", apiKey: "nope" },
      timeoutMs: 2000,
    });
    const result = await wrong.wozObject("000000000001");
    expect(result).toMatchObject({ ok: false, error: { kind: "unauthorized" } });
    expect(sim.requests[0]?.response).toMatchObject({
      contentType: "application/problem+json",
      body: { status: 401, code: "authentication" },
    });
  });

  it.each(FAULTS)("fault %s is a failure, never an empty answer", async (fault: WozFault) => {
    sim.setFault(fault);
    const result = await client(300).zoekWozObjecten({
      postcode: resident.postcode,
      huisnummer: resident.huisnummer,
    });
    expect(result.ok).toBe(false);
  });
});

describe("WOZ simulator", () => {
  it("without fields it answers every property, owners linked to the BRP and the Handelsregister", async () => {
    const owners = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const a = municipality.addressAt(i);
      if (!a) continue;
      const res = await raw(
        `/wozobjecten?adresseerbaarObjectIdentificatie=${a.adresseerbaarObjectIdentificatie}`,
      );
      const body = (await res.json()) as {
        _embedded: { wozObjecten: { belanghebbendeEigenaar?: Record<string, string> }[] };
      };
      for (const o of body._embedded.wozObjecten) {
        const e = o.belanghebbendeEigenaar;
        if (e?.["burgerservicenummer"]) {
          expect(municipality.personByBsn(e["burgerservicenummer"])).toBeDefined();
          owners.add("persoon");
        }
        if (e?.["kvkNummer"]) {
          expect(kvkRegister.byKvkNummer(e["kvkNummer"])?.rsin).toBe(e["rsin"]);
          owners.add("onderneming");
        }
      }
    }
    expect(owners).toEqual(new Set(["persoon", "onderneming"]));
  });

  it("finds objects by their owner's KvK number", async () => {
    const owned = kvkRegister.companies
      .filter((c) => c.rsin !== undefined && !c.kvkTestCompany)
      .find((c) => sim.registry.byEigenaar({ kvkNummer: c.kvkNummer }).length > 0);
    expect(owned).toBeDefined();
    const res = await raw(`/wozobjecten?kvkNummer=${owned?.kvkNummer}`);
    const body = (await res.json()) as { _embedded: { wozObjecten: unknown[] } };
    expect(body._embedded.wozObjecten.length).toBeGreaterThan(0);
    const byRsin = await raw(`/wozobjecten?rsin=${owned?.rsin}`);
    expect(
      ((await byRsin.json()) as { _embedded: { wozObjecten: unknown[] } })._embedded.wozObjecten,
    ).toEqual(body._embedded.wozObjecten);
  });

  it.each([
    ["", "paramsRequired"],
    ["?postcode=6211AB", "paramsValidation"],
    ["?postcode=6211AB&huisnummer=1&kvkNummer=12345678", "paramsCombination"],
    ["?postcode=6211ab&huisnummer=1", "paramsValidation"],
    ["?postcode=6211AB&huisnummer=1&fields=identificatie,geheim", "paramsValidation"],
    ["?postcode=6211AB&huisnummer=1&onbekend=1", "paramsValidation"],
  ])("GET /wozobjecten%s is a 400 (%s)", async (query, code) => {
    const res = await raw(`/wozobjecten${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await res.json()).toMatchObject({ status: 400, code });
  });

  it("answers 404 for an unknown WOZ object and 406 for an unsupported Accept", async () => {
    expect((await raw("/wozobjecten/000000000001")).status).toBe(404);
    const res = await raw("/wozobjecten/000000000001", { "X-Api-Key": API_KEY, Accept: "application/xml" });
    expect(res.status).toBe(406);
  });

  it("pages a search: pageSize and the next link", async () => {
    const street = municipality.findAddresses({
      postcode: resident.postcode,
      huisnummer: resident.huisnummer,
    });
    expect(street.length).toBeGreaterThan(0);
    const res = await raw(
      `/wozobjecten?postcode=${resident.postcode}&huisnummer=${resident.huisnummer}&pageSize=1`,
    );
    expect(res.headers.get("x-pagination-limit")).toBe("1");
    expect(
      ((await res.json()) as { _embedded: { wozObjecten: unknown[] } })._embedded.wozObjecten,
    ).toHaveLength(1);
  });
});

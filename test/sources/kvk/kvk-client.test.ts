import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { KvkNummer } from "../../../src/shared/index.ts";
import {
  createKvkClient,
  startKvkSimulator,
  type KvkFault,
  type KvkSimulator,
} from "../../../src/sources/kvk/index.ts";
import { createMunicipality } from "../../../src/sources/synthetic/index.ts";
import { expectKvkTrafficMatchesSpec } from "./kvk-contract.ts";

const municipality = createMunicipality({ seed: 11, size: 1200 });
const API_KEY = "kvk-test-key";
let sim: KvkSimulator;
const client = (timeoutMs = 2000) =>
  createKvkClient({ baseUrl: sim.url, auth: { kind: "apiKey", apiKey: API_KEY }, timeoutMs });
const kvk = (n: string) => n as KvkNummer;
const raw = (pathAndQuery: string, apikey = API_KEY) =>
  fetch(sim.url.replace(/\/api$/, "") + pathAndQuery, { headers: { apikey } });

beforeAll(async () => {
  sim = await startKvkSimulator({ municipality, apiKey: API_KEY });
});
afterEach(() => {
  sim.setFault("none");
  const requests = [...sim.requests];
  sim.clearRequests();
  expectKvkTrafficMatchesSpec(requests);
});
afterAll(() => sim.close());

describe("Zoeken v2: client ↔ simulator", () => {
  it("searches by KvK number with the apikey header and gets every vestiging of the company", async () => {
    const result = await client().zoeken({ kvkNummer: "69599084" });
    expect(result).toMatchObject({
      ok: true,
      value: {
        totaal: 2,
        resultaten: [
          {
            kvkNummer: "69599084",
            vestigingsnummer: "000038509504",
            naam: "Test EMZ Dagobert",
            type: "hoofdvestiging",
          },
          { vestigingsnummer: "000038509520", type: "nevenvestiging" },
        ],
      },
    });
    const [req] = sim.requests;
    expect(req?.path).toBe("/api/v2/zoeken");
    expect(req?.query).toEqual({ kvkNummer: ["69599084"], pagina: ["1"], resultatenPerPagina: ["10"] });
    expect(req?.headers).toEqual({ apikey: API_KEY, accept: "application/json, application/hal+json" });
  });

  it("maps KVK's 404 'no results' to an empty result, never an error", async () => {
    const result = await client().zoeken({ kvkNummer: sim.register.wellKnown.unknownKvkNummer });
    expect(result).toEqual({
      ok: true,
      value: { totaal: 0, pagina: 1, resultatenPerPagina: 10, resultaten: [] },
    });
    expect(sim.requests[0]).toMatchObject({
      status: 404,
      response: { contentType: "application/json", body: { fout: [{ code: "IPD5200" }] } },
    });
  });

  it("treats a 404 that is not in KVK's format (wrong base URL) as an error, not as no results", async () => {
    const wrong = createKvkClient({
      baseUrl: sim.url + "/verkeerd",
      auth: { kind: "apiKey", apiKey: API_KEY },
      timeoutMs: 2000,
    });
    expect(await wrong.zoeken({ kvkNummer: "69599084" })).toEqual({
      ok: false,
      error: { kind: "rejected", status: 404, reason: "http_404" },
    });
    expect(await wrong.basisprofiel(kvk("69599084"))).toMatchObject({ ok: false, error: { status: 404 } });
  });

  it("searches by postcode and huisnummer (then KVK shows them) and filters on type", async () => {
    const a = sim.register.wellKnown.vestigingAddress;
    const result = await client().zoeken({
      postcode: a.postcode.toLowerCase(),
      huisnummer: a.huisnummer,
      type: ["hoofdvestiging", "nevenvestiging"],
    });
    expect(result.ok && result.value.resultaten.map((r) => r.kvkNummer)).toContain(
      sim.register.wellKnown.eenmanszaakKvkNummer,
    );
    expect(result.ok && result.value.resultaten[0]?.adres?.binnenlandsAdres).toMatchObject({
      postcode: a.postcode,
      huisnummer: a.huisnummer,
    });
    expect(sim.requests[0]?.query["type"]).toEqual(["hoofdvestiging", "nevenvestiging"]);
    expect(sim.requests[0]?.query["postcode"]).toEqual([a.postcode]);
  });

  it("finds the rechtspersoon of a BV by RSIN, and an inactive registration only when asked", async () => {
    const cafe = sim.register.byKvkNummer(sim.register.wellKnown.horecaKvkNummer);
    const byRsin = await client().zoeken({ rsin: cafe?.rsin ?? "", type: ["rechtspersoon"] });
    expect(byRsin).toMatchObject({
      ok: true,
      value: { totaal: 1, resultaten: [{ type: "rechtspersoon", rsin: cafe?.rsin }] },
    });
    const inactive = sim.register.wellKnown.inactiveKvkNummer;
    expect(await client().zoeken({ kvkNummer: inactive })).toMatchObject({ ok: true, value: { totaal: 0 } });
    const withInactive = await client().zoeken({ kvkNummer: inactive, inclusiefInactieveRegistraties: true });
    expect(withInactive.ok && withInactive.value.resultaten.every((r) => r.actief === "Nee")).toBe(true);
    expect(withInactive.ok && withInactive.value.totaal).toBeGreaterThan(0);
  });

  it("follows the pages to the end when asked, and fetches one page otherwise", async () => {
    const all = await client().zoeken(
      { plaats: municipality.name, resultatenPerPagina: 7 },
      { allPages: true },
    );
    if (!all.ok) throw new Error("expected results");
    const expected = sim.register.companies
      .filter((c) => !c.datumEinde)
      .flatMap((c) => [...(c.rsin ? [c.vestigingen[0]] : []), ...c.vestigingen])
      .filter((v) => v?.adres.plaats === municipality.name).length;
    expect(all.value.totaal).toBe(expected);
    expect(all.value.resultaten).toHaveLength(expected);
    expect(sim.requests.map((r) => r.query["pagina"]?.[0])).toEqual(
      Array.from({ length: Math.ceil(expected / 7) }, (_, i) => String(i + 1)),
    );
    const keys = all.value.resultaten.map((r) => `${r.kvkNummer}|${r.vestigingsnummer ?? r.type}`);
    expect(new Set(keys).size).toBe(expected);
    sim.clearRequests();
    const one = await client().zoeken({ plaats: municipality.name, resultatenPerPagina: 7, pagina: 2 });
    expect(one.ok && one.value.resultaten).toEqual(all.value.resultaten.slice(7, 14));
    expect(sim.requests).toHaveLength(1);
  });

  it.each([
    ["a postcode without huisnummer", { postcode: "6211AB" }],
    ["a huisnummer without postcode", { huisnummer: 3 }],
    ["a huisletter without huisnummer", { kvkNummer: "69599084", huisletter: "A" }],
    ["a KvK number of 7 digits", { kvkNummer: "6959908" }],
    ["101 results per page", { naam: "Test", resultatenPerPagina: 101 }],
    ["an unknown type", { naam: "Test", type: ["filiaal"] }],
  ])("refuses %s before any call", async (_name, params) => {
    const result = await client().zoeken(params as never);
    expect(result).toEqual({ ok: false, error: { kind: "rejected", reason: "invalid_parameters" } });
    expect(sim.requests).toHaveLength(0);
  });

  it.each([
    ["/api/v2/zoeken?postcode=6211AB", "postcode"],
    ["/api/v2/zoeken?kvkNummer=123", "kvkNummer"],
    ["/api/v2/zoeken?naam=x&resultatenPerPagina=0", "resultatenPerPagina"],
    ["/api/v2/zoeken?foo=bar", "foo"],
    ["/api/v2/zoeken", undefined],
  ])("the simulator answers %s with 400 in KVK's error format", async (path, parameter) => {
    const response = await raw(path);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { fout: { code: string; omschrijving: string }[] };
    expect(body.fout).toHaveLength(1);
    if (parameter) expect(body.fout[0]?.omschrijving).toContain(parameter);
  });
});

describe("Basisprofiel v1 and Vestigingsprofiel v1: client ↔ simulator", () => {
  it("returns the basisprofiel with embedded eigenaar and hoofdvestiging", async () => {
    const w = sim.register.wellKnown;
    const result = await client().basisprofiel(w.eenmanszaakKvkNummer);
    const company = sim.register.byKvkNummer(w.eenmanszaakKvkNummer);
    expect(result).toMatchObject({
      ok: true,
      value: {
        kvkNummer: w.eenmanszaakKvkNummer,
        naam: company?.naam,
        sbiActiviteiten: expect.arrayContaining([
          { sbiCode: "5610", sbiOmschrijving: "Restaurants", indHoofdactiviteit: "Ja" },
        ]),
        _embedded: {
          eigenaar: { rechtsvorm: "Eenmanszaak" },
          hoofdvestiging: {
            vestigingsnummer: company?.vestigingen[0]?.vestigingsnummer,
            indHoofdvestiging: "Ja",
          },
        },
      },
    });
    // KVK never shows the owner's BSN.
    expect(JSON.stringify(result)).not.toContain(w.eigenaarBsn);
    expect(sim.requests[0]).toMatchObject({
      path: `/api/v1/basisprofielen/${w.eenmanszaakKvkNummer}`,
      query: {},
    });
  });

  it("answers an unknown KvK number and an unknown vestiging with null (KVK's 404)", async () => {
    expect(await client().basisprofiel(sim.register.wellKnown.unknownKvkNummer)).toEqual({
      ok: true,
      value: null,
    });
    expect(await client().vestigingen(sim.register.wellKnown.unknownKvkNummer)).toEqual({
      ok: true,
      value: null,
    });
    expect(await client().vestigingsprofiel("000000000001")).toEqual({ ok: true, value: null });
    expect(sim.requests.map((r) => r.status)).toEqual([404, 404, 404]);
  });

  it("lists the vestigingen and returns a vestigingsprofiel with its address", async () => {
    const cafe = sim.register.byKvkNummer(sim.register.wellKnown.horecaKvkNummer);
    const list = await client().vestigingen(sim.register.wellKnown.horecaKvkNummer);
    expect(list).toMatchObject({ ok: true, value: { totaalAantalVestigingen: 2 } });
    const neven = cafe?.vestigingen[1];
    const profile = await client().vestigingsprofiel(neven?.vestigingsnummer ?? "");
    expect(profile).toMatchObject({
      ok: true,
      value: {
        kvkNummer: cafe?.kvkNummer,
        indHoofdvestiging: "Nee",
        adressen: [{ postcode: neven?.adres.postcode, huisnummer: neven?.adres.huisnummer }],
      },
    });
  });

  it("the simulator serves geoData with the BAG ids, /eigenaar and /hoofdvestiging", async () => {
    const w = sim.register.wellKnown;
    const company = sim.register.byKvkNummer(w.eenmanszaakKvkNummer);
    const nr = company?.vestigingen[0]?.vestigingsnummer ?? "";
    const profile = (await (await raw(`/api/v1/vestigingsprofielen/${nr}?geoData=true`)).json()) as {
      adressen: { geoData?: { addresseerbaarObjectId?: string } }[];
    };
    expect(profile.adressen[0]?.geoData?.addresseerbaarObjectId).toBe(
      w.vestigingAddress.adresseerbaarObjectIdentificatie,
    );
    expect((await raw(`/api/v1/basisprofielen/${w.eenmanszaakKvkNummer}/eigenaar`)).status).toBe(200);
    expect((await raw(`/api/v1/basisprofielen/${w.eenmanszaakKvkNummer}/hoofdvestiging`)).status).toBe(200);
    expect((await raw(`/api/v1/basisprofielen/1234`)).status).toBe(400);
    expect((await raw(`/api/v1/vestigingsprofielen/${nr}?geoData=ja`)).status).toBe(400);
  });

  it("refuses malformed numbers before any call, and an answer about another registration", async () => {
    expect(await client().basisprofiel(kvk("1234567"))).toEqual({
      ok: false,
      error: { kind: "rejected", reason: "invalid_kvk_nummer" },
    });
    expect(await client().vestigingsprofiel("12/../3")).toMatchObject({
      ok: false,
      error: { kind: "rejected" },
    });
    expect(sim.requests).toHaveLength(0);
    const lying = createKvkClient({
      baseUrl: sim.url,
      auth: { kind: "apiKey", apiKey: API_KEY },
      timeoutMs: 2000,
      fetch: (url, init) => fetch(String(url).replace("69599084", "68750110"), init),
    });
    expect(await lying.basisprofiel(kvk("69599084"))).toEqual({
      ok: false,
      error: { kind: "malformed", status: 200, reason: "identifier_mismatch" },
    });
  });
});

describe("failures", () => {
  it("is unauthorized without the apikey or with a wrong one", async () => {
    const none = createKvkClient({ baseUrl: sim.url, auth: { kind: "none" }, timeoutMs: 2000 });
    expect(await none.zoeken({ kvkNummer: "69599084" })).toEqual({
      ok: false,
      error: { kind: "unauthorized", status: 401, reason: "http_401" },
    });
    const wrong = createKvkClient({
      baseUrl: sim.url,
      auth: { kind: "apiKey", apiKey: "nope" },
      timeoutMs: 2000,
    });
    expect(await wrong.basisprofiel(kvk("69599084"))).toMatchObject({
      ok: false,
      error: { kind: "unauthorized" },
    });
    expect(sim.requests.map((r) => r.status)).toEqual([401, 401]);
  });

  const cases: [KvkFault, object][] = [
    ["http500", { kind: "unavailable", status: 500, reason: "http_500" }],
    ["http503", { kind: "unavailable", status: 503, reason: "http_503" }],
    ["timeout", { kind: "timeout", reason: "timeout" }],
    ["reset", { kind: "unavailable", reason: "network_error" }],
    ["malformed", { kind: "malformed", status: 200, reason: "invalid_json" }],
    ["wrongContentType", { kind: "malformed", status: 200, reason: "unexpected_content_type" }],
  ];
  it.each(cases)(
    "%s is the SourceError %o on every endpoint, never an empty result",
    async (fault, error) => {
      sim.setFault(fault);
      const c = client(150);
      const results = [
        await c.zoeken({ kvkNummer: "69599084" }),
        await c.zoeken({ naam: "Test" }, { allPages: true }),
        await c.basisprofiel(kvk("69599084")),
        await c.vestigingen(kvk("69599084")),
        await c.vestigingsprofiel("000038509504"),
      ];
      for (const r of results) {
        expect(r).toEqual({ ok: false, error });
        // Errors never carry upstream bodies: only kind, status and a reason code.
        if (!r.ok)
          expect(Object.keys(r.error).every((k) => ["kind", "status", "reason"].includes(k))).toBe(true);
      }
      expect(sim.requests).toHaveLength(5);
    },
  );

  it("a body that does not match the schema is malformed", async () => {
    const c = createKvkClient({
      baseUrl: sim.url,
      auth: { kind: "apiKey", apiKey: API_KEY },
      timeoutMs: 2000,
      fetch: async () =>
        new Response(JSON.stringify({ pagina: 1, resultatenPerPagina: 10, totaal: "veel" }), {
          headers: { "content-type": "application/json" },
        }),
    });
    expect(await c.zoeken({ kvkNummer: "69599084" })).toEqual({
      ok: false,
      error: { kind: "malformed", status: 200, reason: "schema_mismatch" },
    });
  });
});

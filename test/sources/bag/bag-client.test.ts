import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  BAG_BASE_PATH,
  createBagClient,
  startBagSimulator,
  type BagFault,
  type BagSimulator,
} from "../../../src/sources/bag/index.ts";
import { createMunicipality } from "../../../src/sources/synthetic/index.ts";
import { expectBagTrafficMatchesSpec } from "./bag-contract.ts";

const municipality = createMunicipality({ seed: 1, size: 200 });
const resident = municipality.wellKnown.residentAddress;
const API_KEY = "bag-test-key";
let sim: BagSimulator;
let checks = 0;
const client = (timeoutMs = 2000) =>
  createBagClient({ baseUrl: sim.url, auth: { kind: "apiKey", apiKey: API_KEY }, timeoutMs });
const raw = (path: string, headers: Record<string, string> = { "X-Api-Key": API_KEY }) =>
  fetch(sim.url + path, { headers });

beforeAll(async () => {
  sim = await startBagSimulator({ municipality, apiKey: API_KEY });
});
afterEach(() => {
  sim.setFault("none");
  checks += expectBagTrafficMatchesSpec(sim.requests);
  sim.clearRequests();
});
afterAll(async () => {
  await sim.close();
  // The contract check ran on real traffic, not on nothing.
  expect(checks).toBeGreaterThan(40);
});

describe("BAG client ↔ simulator", () => {
  it("serves the production base path", () => {
    expect(new URL(sim.url).pathname).toBe("/lvbag/individuelebevragingen/v2");
  });

  it("zoekAdressen: GET /adressen with postcode and huisnummer, HAL JSON, X-Api-Key", async () => {
    const result = await client().zoekAdressen({
      postcode: resident.postcode,
      huisnummer: resident.huisnummer,
    });
    expect(result).toMatchObject({
      ok: true,
      value: [
        {
          nummeraanduidingIdentificatie: resident.nummeraanduidingIdentificatie,
          adresseerbaarObjectIdentificatie: resident.adresseerbaarObjectIdentificatie,
          openbareRuimteNaam: resident.officieleStraatnaam,
          woonplaatsNaam: "Maastricht",
          postcode: resident.postcode,
        },
      ],
    });
    const [req] = sim.requests;
    expect(req?.path).toBe(`${BAG_BASE_PATH}/adressen`);
    expect(req?.query).toMatchObject({
      postcode: resident.postcode,
      huisnummer: String(resident.huisnummer),
    });
    expect(req?.headers).toMatchObject({ accept: "application/hal+json", "x-api-key": API_KEY });
    expect(req?.response.contentType).toBe("application/hal+json");
    expect(req?.response.body).toMatchObject({
      _links: { self: { href: expect.stringContaining("/adressen?") } },
    });
  });

  it("zoekAdressen normalises the postcode and sends letter, toevoeging and exacteMatch", async () => {
    const result = await client().zoekAdressen({
      postcode: "2631 cr",
      huisnummer: 15,
      huisletter: "C",
      exacteMatch: true,
    });
    expect(result).toMatchObject({
      ok: true,
      value: [{ nummeraanduidingIdentificatie: "1926200000508011" }],
    });
    expect(sim.requests[0]?.query).toMatchObject({
      postcode: "2631CR",
      huisletter: "C",
      exacteMatch: "true",
    });
  });

  it("a search without results is an empty list (the simulator sends an empty _embedded)", async () => {
    const result = await client().zoekAdressen({ postcode: "6299ZZ", huisnummer: 99999 });
    expect(result).toEqual({ ok: true, value: [] });
    expect(sim.requests[0]?.response.body).toMatchObject({ _embedded: { adressen: [] } });
  });

  it("adressenVanObject: GET /adressen?adresseerbaarObjectIdentificatie, the object's addresses", async () => {
    const found = await client().adressenVanObject("0935010000000001");
    expect(found.ok && found.value.map((a) => a.adresseerbaarObjectIdentificatie)).toEqual([
      "0935010000000001",
    ]);
    expect(found.ok && found.value[0]).toMatchObject({ postcode: "6200AA", huisnummer: 91 });
    expect(sim.requests[0]?.query).toMatchObject({ adresseerbaarObjectIdentificatie: "0935010000000001" });
    expect(await client().adressenVanObject("0935019999999999")).toEqual({ ok: true, value: [] });
    expect(await client().adressenVanObject("0935100000000001")).toMatchObject({
      ok: false,
      error: { kind: "rejected", reason: "invalid_identificatie" },
    });
  });

  it("adresseerbaarObject, verblijfsobject and pand, with Accept-Crs", async () => {
    const c = client();
    const object = await c.adresseerbaarObject(resident.adresseerbaarObjectIdentificatie);
    expect(object).toMatchObject({
      ok: true,
      value: {
        type: "Verblijfsobject",
        identificatie: resident.adresseerbaarObjectIdentificatie,
        heeftAlsHoofdAdres: resident.nummeraanduidingIdentificatie,
        status: "Verblijfsobject in gebruik",
      },
    });
    const vbo = await c.verblijfsobject(resident.adresseerbaarObjectIdentificatie);
    expect(vbo.ok && vbo.value?.gebruiksdoelen.length).toBeGreaterThan(0);
    const pandId = vbo.ok ? vbo.value?.maaktDeelUitVan[0] : undefined;
    expect(pandId).toMatch(/^0935100000[0-9]{6}$/);
    const pand = await c.pand(pandId ?? "");
    expect(pand).toMatchObject({ ok: true, value: { identificatie: pandId, status: "Pand in gebruik" } });
    expect(pand.ok && pand.value?.oorspronkelijkBouwjaar).toMatch(/^[0-9]{4}$/);
    expect(
      sim.requests.map((r) => [r.path.replace(BAG_BASE_PATH, "").split("/")[1], r.headers["accept-crs"]]),
    ).toEqual([
      ["adresseerbareobjecten", "epsg:28992"],
      ["verblijfsobjecten", "epsg:28992"],
      ["panden", "epsg:28992"],
    ]);
  });

  it("the getting-started test cases answer: standplaats, ligplaats, several gebruiksdoelen, pand without address", async () => {
    const c = client();
    expect(await c.adresseerbaarObject("0503030000103062")).toMatchObject({
      ok: true,
      value: { type: "Standplaats" },
    });
    expect(await c.adresseerbaarObject("0569020000012435")).toMatchObject({
      ok: true,
      value: { type: "Ligplaats" },
    });
    expect(await c.verblijfsobject("0626019900006674")).toMatchObject({
      ok: true,
      value: { gebruiksdoelen: ["woonfunctie", "kantoorfunctie", "winkelfunctie"] },
    });
    expect(await c.adresseerbaarObject("0193010000096628")).toMatchObject({
      ok: true,
      value: { maaktDeelUitVan: ["0193100000096601", "0193100000096602"] },
    });
    expect(await c.adresseerbaarObject("0014010011067299")).toMatchObject({
      ok: true,
      value: { heeftAlsNevenAdres: ["0014200022197986"] },
    });
    expect(await c.pand("0503100000034877")).toMatchObject({
      ok: true,
      value: { identificatie: "0503100000034877" },
    });
    expect(await c.pand("0826100000000467")).toMatchObject({ ok: true });
  });

  it.each([
    ["adresseerbaarObject", "0935010009999999"],
    ["verblijfsobject", "0935010009999999"],
    ["pand", "0935100000999999"],
  ] as const)("%s: an unknown id (404 problem+json) is ok(null)", async (method, id) => {
    expect(await client()[method](id)).toEqual({ ok: true, value: null });
    expect(sim.requests.map((r) => [r.status, r.response.contentType])).toEqual([
      [404, "application/problem+json"],
    ]);
  });

  it("a standplaats id is no verblijfsobject id: refused before the call (the simulator would answer 400)", async () => {
    expect(await client().verblijfsobject("0503030000103062")).toEqual({
      ok: false,
      error: { kind: "rejected", reason: "invalid_identificatie" },
    });
    expect(sim.requests).toHaveLength(0);
    expect((await raw("/verblijfsobjecten/0503030000103062")).status).toBe(400);
  });

  it("refuses invalid input before any call", async () => {
    const c = client();
    expect(await c.pand("0935010000000001")).toEqual({
      ok: false,
      error: { kind: "rejected", reason: "invalid_identificatie" },
    });
    expect(await c.zoekAdressen({ postcode: "0200AA", huisnummer: 1 })).toMatchObject({
      ok: false,
      error: { reason: "invalid_postcode" },
    });
    expect(await c.zoekAdressen({ postcode: "6200AA", huisnummer: 0 })).toMatchObject({
      error: { reason: "invalid_huisnummer" },
    });
    expect(sim.requests).toHaveLength(0);
  });

  it("a missing or wrong API key is unauthorized (401 problem+json)", async () => {
    for (const auth of [{ kind: "none" } as const, { kind: "apiKey", apiKey: "wrong" } as const]) {
      const c = createBagClient({ baseUrl: sim.url, auth, timeoutMs: 2000 });
      expect(await c.pand("0935100000000001")).toEqual({
        ok: false,
        error: { kind: "unauthorized", status: 401, reason: "http_401" },
      });
    }
    expect(sim.requests.map((r) => [r.status, r.response.contentType])).toEqual([
      [401, "application/problem+json"],
      [401, "application/problem+json"],
    ]);
  });

  it.each([
    ["http500", { kind: "unavailable", status: 500, reason: "http_500" }],
    ["http503", { kind: "unavailable", status: 503, reason: "http_503" }],
    ["reset", { kind: "unavailable", reason: "network_error" }],
    ["malformed", { kind: "malformed", status: 200, reason: "invalid_json" }],
    ["wrongContentType", { kind: "malformed", status: 200, reason: "unexpected_content_type" }],
  ] as const)("fault %s → %o on every endpoint", async (fault: BagFault, error) => {
    sim.setFault(fault);
    const c = client();
    const results = await Promise.all([
      c.zoekAdressen({ postcode: resident.postcode, huisnummer: resident.huisnummer }),
      c.adresseerbaarObject(resident.adresseerbaarObjectIdentificatie),
      c.verblijfsobject(resident.adresseerbaarObjectIdentificatie),
      c.pand("0935100000000001"),
    ]);
    expect(results).toEqual(Array(4).fill({ ok: false, error }));
  });

  it("fault timeout → timeout (the hanging request is ended by the client's abort)", async () => {
    sim.setFault("timeout");
    const received = sim.nextRequest();
    expect(await client(100).pand("0935100000000001")).toEqual({
      ok: false,
      error: { kind: "timeout", reason: "timeout" },
    });
    expect((await received).status).toBe(0);
  });
});

describe("BAG simulator protocol details (raw HTTP)", () => {
  it("412 problem+json without Accept-Crs on the endpoints with geometry; 406 for another CRS", async () => {
    for (const path of [
      "/panden/0935100000000001",
      "/verblijfsobjecten/0935010000000001",
      "/adresseerbareobjecten/0935010000000001",
    ]) {
      const res = await raw(path);
      expect(res.status).toBe(412);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(await res.json()).toMatchObject({ status: 412, code: "preconditionFailed" });
    }
    const other = await raw("/panden/0935100000000001", { "X-Api-Key": API_KEY, "Accept-Crs": "epsg:4326" });
    expect(other.status).toBe(406);
    const ok = await raw("/panden/0935100000000001", { "X-Api-Key": API_KEY, "Accept-Crs": "epsg:28992" });
    expect([ok.status, ok.headers.get("content-crs"), ok.headers.get("api-version")]).toEqual([
      200,
      "epsg:28992",
      "2.0.0",
    ]);
    await ok.body?.cancel();
  });

  it.each([
    ["/adressen?postcode=0200AA&huisnummer=1", "postcode"],
    ["/adressen?postcode=6200AA&huisnummer=abc", "huisnummer"],
    ["/adressen?postcode=6200AA&huisnummer=1&huisletter=AB", "huisletter"],
    ["/adressen?postcode=6200AA&huisnummer=1&exacteMatch=ja", "exacteMatch"],
    ["/adressen?postcode=6200AA&huisnummer=1&foo=bar", "foo"],
    ["/adressen?adresseerbaarObjectIdentificatie=123", "adresseerbaarObjectIdentificatie"],
    ["/adressen/123", "identificatie"],
  ])("400 problem+json with invalid-params for %s", async (path, name) => {
    const res = await raw(path);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ status: 400, "invalid-params": [{ name }] });
  });

  it("400 for a search without parameters or with an incomplete combination", async () => {
    for (const [path, code] of [
      ["/adressen", "paramsRequired"],
      ["/adressen?postcode=6200AA", "paramsCombination"],
      ["/adressen?huisnummer=1&adresseerbaarObjectIdentificatie=0935010000000001", "paramsCombination"],
    ] as const) {
      const res = await raw(path);
      expect([res.status, ((await res.json()) as { code: string }).code]).toEqual([400, code]);
    }
  });

  it("finds the addresses of an adresseerbaar object (hoofdadres and nevenadres) and of a pand", async () => {
    const byObject = await raw("/adressen?adresseerbaarObjectIdentificatie=0014010011067299");
    const body = (await byObject.json()) as {
      _embedded: { adressen: { nummeraanduidingIdentificatie: string }[] };
    };
    expect(body._embedded.adressen.map((a) => a.nummeraanduidingIdentificatie)).toEqual([
      "0014200011067299",
      "0014200022197986",
    ]);
    const byPand = await raw("/adressen?pandIdentificatie=0826100000000467&pageSize=100");
    expect(((await byPand.json()) as typeof body)._embedded.adressen).toHaveLength(24);
  });

  it("GET /adressen/{id} answers the address, 404 for an unknown one; unknown paths are 404", async () => {
    const res = await raw("/adressen/0484200002040489");
    expect(await res.json()).toMatchObject({
      openbareRuimteNaam: "Hélène Swarthstraat",
      huisletter: "B",
      huisnummertoevoeging: "2",
      _links: { self: { href: `${sim.url}/adressen/0484200002040489` } },
    });
    expect((await raw("/adressen/0935200009999999")).status).toBe(404);
    const unknown = await raw("/woonplaatsen/2100");
    expect([unknown.status, unknown.headers.get("content-type")]).toEqual([404, "application/problem+json"]);
  });

  it("exacteMatch: without it huisnummer 15 finds 15 c, with it only an address without letter", async () => {
    const fuzzy = await raw("/adressen?postcode=2631CR&huisnummer=15");
    expect(((await fuzzy.json()) as { _embedded: { adressen: unknown[] } })._embedded.adressen).toHaveLength(
      1,
    );
    const exact = await raw("/adressen?postcode=2631CR&huisnummer=15&exacteMatch=true");
    expect(((await exact.json()) as { _embedded: { adressen: unknown[] } })._embedded.adressen).toHaveLength(
      0,
    );
  });
});

describe("BAG client response handling (fake fetch)", () => {
  const withBody =
    (body: unknown, status = 200, contentType = "application/hal+json"): typeof fetch =>
    async () =>
      new Response(JSON.stringify(body), { status, headers: { "Content-Type": contentType } });
  const fake = (f: typeof fetch) =>
    createBagClient({ baseUrl: "http://bag.test/v2", auth: { kind: "none" }, timeoutMs: 1000, fetch: f });

  it.each([
    ["no _embedded", { _links: { self: { href: "x" } } }],
    ["an empty _embedded", { _embedded: {} }],
    ["an empty adressen list", { _embedded: { adressen: [] } }],
  ])("a search result with %s is an empty list", async (_name, body) => {
    expect(await fake(withBody(body)).zoekAdressen({ postcode: "6200AA", huisnummer: 1 })).toEqual({
      ok: true,
      value: [],
    });
  });

  it.each([
    ["zoekAdressen", { _embedded: { adressen: [{ huisnummer: "1", nummeraanduidingIdentificatie: "x" }] } }],
    ["pand", { pand: { identificatie: "0935100000000001", oorspronkelijkBouwjaar: 1990, status: "x" } }],
    ["adresseerbaarObject", { _links: {} }],
    ["verblijfsobject", { verblijfsobject: { type: "Verblijfsobject", identificatie: "0935010000000001" } }],
  ] as const)(
    "%s: a body that does not match the schema is malformed, no upstream text leaks",
    async (method, body) => {
      const c = fake(withBody(body));
      const result =
        method === "zoekAdressen"
          ? await c.zoekAdressen({ postcode: "6200AA", huisnummer: 1 })
          : await c[method](method === "pand" ? "0935100000000001" : "0935010000000001");
      expect(result).toEqual({
        ok: false,
        error: { kind: "malformed", status: 200, reason: "schema_mismatch" },
      });
    },
  );

  it("a 404 on the search (undocumented there) is an error, not 'nothing found'", async () => {
    expect(
      await fake(withBody({ status: 404 }, 404, "application/problem+json")).zoekAdressen({
        postcode: "6200AA",
        huisnummer: 1,
      }),
    ).toEqual({ ok: false, error: { kind: "rejected", status: 404, reason: "http_404" } });
  });
});

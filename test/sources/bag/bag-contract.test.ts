import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBagClient, startBagSimulator, type BagSimulator } from "../../../src/sources/bag/index.ts";
import { createMunicipality } from "../../../src/sources/synthetic/index.ts";
import { loadSpec } from "../../utils/openapi-fields.ts";
import {
  BAG_SPECS,
  expectBagTrafficMatchesSpec,
  KORTNAAM_ERRATUM,
  validateBagRequest,
  validateBagResponse,
} from "./bag-contract.ts";

const municipality = createMunicipality({ seed: 7, size: 400 });
let sim: BagSimulator;
beforeAll(async () => {
  sim = await startBagSimulator({ municipality, apiKey: "k" });
});
afterAll(() => sim.close());

const HAL = "application/hal+json";
const PROBLEM = "application/problem+json";

/** One real answer per endpoint, taken from the simulator. */
async function sample(path: string): Promise<Record<string, unknown>> {
  const res = await fetch(sim.url + path, { headers: { "X-Api-Key": "k", "Accept-Crs": "epsg:28992" } });
  return (await res.json()) as Record<string, unknown>;
}

describe("BAG contract: the validator itself", () => {
  it("the Adres kortNaam erratum is still in the spec (else drop KORTNAAM_ERRATUM)", () => {
    const adres = loadSpec(BAG_SPECS["adressen"] ?? "").components.schemas["Adres"];
    expect(adres?.["required"]).toContain("kortNaam");
    expect(Object.keys(adres?.properties ?? {})).toContain("korteNaam");
    expect(KORTNAAM_ERRATUM).toContain("kortNaam");
  });

  it.each([
    ["/adressen/0935200000000001", (b: Record<string, unknown>) => ({ ...b, huisnummer: "1" })],
    ["/adressen/0935200000000001", (b: Record<string, unknown>) => ({ ...b, postcode: "6200 AA" })],
    ["/adressen/0935200000000001", ({ woonplaatsNaam: _w, ...b }: Record<string, unknown>) => b],
    [
      "/verblijfsobjecten/0935010000000001",
      (b: Record<string, unknown>) => ({
        ...b,
        verblijfsobject: { ...(b["verblijfsobject"] as object), gebruiksdoelen: ["horeca"] },
      }),
    ],
    [
      "/verblijfsobjecten/0935010000000001",
      (b: Record<string, unknown>) => ({
        ...b,
        verblijfsobject: { ...(b["verblijfsobject"] as object), oppervlakte: "12" },
      }),
    ],
    [
      "/panden/0935100000000001",
      (b: Record<string, unknown>) => ({
        ...b,
        pand: { ...(b["pand"] as object), oorspronkelijkBouwjaar: 1990 },
      }),
    ],
    [
      "/panden/0935100000000001",
      (b: Record<string, unknown>) => ({ ...b, pand: { ...(b["pand"] as object), status: "Gebouwd" } }),
    ],
    [
      "/adresseerbareobjecten/0935010000000001",
      (b: Record<string, unknown>) => ({
        ...b,
        verblijfsobject: {
          verblijfsobject: {
            ...((b["verblijfsobject"] as Record<string, object>)["verblijfsobject"] ?? {}),
            identificatie: "0935100000000001",
          },
        },
      }),
    ],
  ])("accepts the real %s answer and rejects a corrupted one", async (path, corrupt) => {
    const body = await sample(path);
    expect(validateBagResponse(path, 200, HAL, body)).toEqual({ valid: true });
    expect(validateBagResponse(path, 200, HAL, corrupt(body)).valid).toBe(false);
  });

  it("rejects a problem without the Error shape and a 200 of the wrong content type", () => {
    expect(validateBagResponse("/panden/0935100000000001", 404, PROBLEM, { status: "404" }).valid).toBe(
      false,
    );
    expect(validateBagResponse("/panden/0935100000000001", 200, "text/html", "<html>").valid).toBe(false);
    expect(
      validateBagResponse("/adressen", 400, PROBLEM, {
        type: "https://example.org/x",
        title: "t",
        status: 400,
        detail: "d",
        instance: "https://example.org/i",
        "invalid-params": [{ name: "postcode" }],
      }).valid,
    ).toBe(false);
  });

  it("checks request parameters: unknown, mistyped, wrong pattern, wrong Accept-Crs", () => {
    expect(validateBagRequest("/adressen", { postcode: "6200AA", huisnummer: "1" }, {})).toEqual({
      valid: true,
    });
    for (const query of [
      { postcode: "6200AA", huisnummer: "1", foo: "x" },
      { postcode: "0200AA", huisnummer: "1" },
      { postcode: "6200AA", huisnummer: "één" },
      { postcode: "6200AA", huisnummer: "1", exacteMatch: "ja" },
      { postcode: "6200AA", huisnummer: "1", pageSize: "500" },
    ])
      expect(validateBagRequest("/adressen", query, {}).valid, JSON.stringify(query)).toBe(false);
    expect(validateBagRequest("/panden/0935010000000001", {}, {}).valid).toBe(false);
    expect(validateBagRequest("/panden/0935100000000001", {}, { "accept-crs": "epsg:4326" }).valid).toBe(
      false,
    );
    expect(validateBagRequest("/panden/0935100000000001", {}, { "accept-crs": "epsg:28992" })).toEqual({
      valid: true,
    });
  });
});

describe("BAG contract: client traffic and every simulator answer", () => {
  it("every request of the client and every answer (200, 400, 401, 404, 406, 412, 500, 503) matches the specs", async () => {
    const c = createBagClient({ baseUrl: sim.url, auth: { kind: "apiKey", apiKey: "k" }, timeoutMs: 2000 });
    for (let i = 0; i < 30; i++) {
      const a = municipality.addressAt(i * 13);
      if (!a) continue;
      await c.zoekAdressen({
        postcode: a.postcode,
        huisnummer: a.huisnummer,
        huisletter: a.huisletter,
        huisnummertoevoeging: a.huisnummertoevoeging,
        exacteMatch: true,
      });
      const object = await c.verblijfsobject(a.adresseerbaarObjectIdentificatie);
      await c.adresseerbaarObject(a.adresseerbaarObjectIdentificatie);
      if (object.ok && object.value) await c.pand(object.value.maaktDeelUitVan[0] ?? "");
    }
    for (const id of [
      "0599010000165822",
      "0503030000103062",
      "0569020000012435",
      "0626019900006674",
      "0014010011067299",
      "0193010000096628",
      "0014010011089620",
      "0268010000036826",
    ])
      await c.adresseerbaarObject(id);
    for (const id of ["0826100000000467", "0014100010921152", "0503100000034877", "0935109999999999"])
      await c.pand(id);
    for (const id of [
      "0484200002040489",
      "0417200000000354",
      "0014200022197986",
      "0014200022188962",
      "0193200000096680",
    ])
      await fetch(`${sim.url}/adressen/${id}`, { headers: { "X-Api-Key": "k" } });
    await c.zoekAdressen({ postcode: "2631CR", huisnummer: 15, huisletter: "c" });
    await c.zoekAdressen({ postcode: "9999ZZ", huisnummer: 1 });
    await c.adressenVanObject("0935010000000001");
    await c.adressenVanObject("0935019999999999");
    const raw = (path: string, headers: Record<string, string> = { "X-Api-Key": "k" }) =>
      fetch(sim.url + path, { headers }).then((r) => r.text());
    await raw("/adressen?postcode=0200AA&huisnummer=1");
    await raw("/adressen");
    await raw("/panden/0935100000000001");
    await raw("/panden/0935100000000001", { "X-Api-Key": "k", "Accept-Crs": "epsg:4326" });
    await raw("/adressen/0935200009999999");
    await createBagClient({ baseUrl: sim.url, auth: { kind: "none" }, timeoutMs: 2000 }).pand(
      "0935100000000001",
    );
    for (const fault of ["http500", "http503"] as const) {
      sim.setFault(fault);
      await c.zoekAdressen({ postcode: "6200AA", huisnummer: 1 });
      await c.pand("0935100000000001");
    }
    sim.setFault("none");
    const statuses = new Set(sim.requests.map((r) => r.status));
    expect([...statuses].sort()).toEqual([200, 400, 401, 404, 406, 412, 500, 503]);
    expect(expectBagTrafficMatchesSpec(sim.requests)).toBeGreaterThan(200);
  });
});

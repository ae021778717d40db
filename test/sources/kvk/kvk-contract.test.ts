import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKvkClient, startKvkSimulator, type KvkSimulator } from "../../../src/sources/kvk/index.ts";
import { createMunicipality } from "../../../src/sources/synthetic/index.ts";
import { expectKvkTrafficMatchesSpec, kvkSpecs, validateGetRequest } from "./kvk-contract.ts";

const municipality = createMunicipality({ seed: 2, size: 600 });
let sim: KvkSimulator;
const json = "application/json";
const hal = "application/hal+json";

beforeAll(async () => {
  sim = await startKvkSimulator({ municipality, apiKey: "k" });
});
afterAll(() => sim.close());

describe("KVK contract: every client request and simulator answer matches the three specs", () => {
  it("for every company: zoeken, basisprofiel, vestigingen and every vestigingsprofiel", async () => {
    const c = createKvkClient({ baseUrl: sim.url, auth: { kind: "apiKey", apiKey: "k" }, timeoutMs: 5000 });
    for (const company of sim.register.companies) {
      expect(
        (await c.zoeken({ kvkNummer: company.kvkNummer, inclusiefInactieveRegistraties: true })).ok,
      ).toBe(true);
      expect((await c.basisprofiel(company.kvkNummer)).ok).toBe(true);
      expect((await c.vestigingen(company.kvkNummer)).ok).toBe(true);
      for (const v of company.vestigingen)
        expect((await c.vestigingsprofiel(v.vestigingsnummer)).ok).toBe(true);
    }
    const a = sim.register.wellKnown.vestigingAddress;
    await c.zoeken({ postcode: a.postcode, huisnummer: a.huisnummer, type: ["hoofdvestiging"] });
    await c.zoeken({ naam: "Test", straatnaam: "a", plaats: "Amsterdam", pagina: 1, resultatenPerPagina: 1 });
    await c.zoeken({ naam: "e" }, { allPages: true });
    await c.zoeken({ kvkNummer: sim.register.wellKnown.unknownKvkNummer });
    await c.basisprofiel(sim.register.wellKnown.unknownKvkNummer);
    const statuses = new Set(sim.requests.map((r) => r.status));
    expect([...statuses].sort()).toEqual([200, 404]);
    expect(expectKvkTrafficMatchesSpec(sim.requests)).toBe(2 * sim.requests.length);
    sim.clearRequests();
  });

  it("for 400 and 401 answers in KVK's error format", async () => {
    const base = sim.url.replace(/\/api$/, "");
    await fetch(`${base}/api/v2/zoeken?huisnummer=3`, { headers: { apikey: "k" } });
    await fetch(`${base}/api/v1/basisprofielen/123`, { headers: { apikey: "k" } });
    await fetch(`${base}/api/v1/basisprofielen/69599084`);
    await fetch(`${base}/api/v2/zoeken?naam=x`, { headers: { apikey: "wrong" } });
    expect(sim.requests.map((r) => r.status)).toEqual([400, 400, 401, 401]);
    expect(expectKvkTrafficMatchesSpec(sim.requests)).toBe(4);
    sim.clearRequests();
  });
});

describe("the contract check can fail", () => {
  it("rejects requests with parameters outside the spec", () => {
    expect(validateGetRequest("/api/v2/zoeken", { kvkNummer: ["69599084"], pagina: ["1"] })).toEqual({
      valid: true,
    });
    for (const query of [
      { kvkNummer: ["6959908"] },
      { huisnummer: ["drie"] },
      { resultatenPerPagina: ["101"] },
      { type: ["filiaal"] },
      { inclusiefInactieveRegistraties: ["ja"] },
      { zoekterm: ["x"] },
    ])
      expect(validateGetRequest("/api/v2/zoeken", query).valid, JSON.stringify(query)).toBe(false);
    expect(validateGetRequest("/api/v1/basisprofielen/1234", {}).valid).toBe(false);
    expect(validateGetRequest("/api/v1/vestigingsprofielen/000038509504", { geoData: ["true"] })).toEqual({
      valid: true,
    });
    expect(validateGetRequest("/api/v1/vestigingsprofielen/38509504", {}).valid).toBe(false);
  });

  it("rejects wrong response bodies", () => {
    const z = kvkSpecs.zoeken;
    expect(z.validateResponse("/zoeken", "get", 200, json, { pagina: 1, totaal: 0, resultaten: [] })).toEqual(
      {
        valid: true,
      },
    );
    expect(z.validateResponse("/zoeken", "get", 200, json, { totaal: "1" }).valid).toBe(false);
    expect(
      z.validateResponse("/zoeken", "get", 200, json, {
        resultaten: [{ adres: { binnenlandsAdres: { huisnummer: "3" } } }],
      }).valid,
    ).toBe(false);
    expect(z.validateResponse("/zoeken", "get", 200, json, { links: [{ href: "geen uri" }] }).valid).toBe(
      false,
    );
    expect(z.validateResponse("/zoeken", "get", 404, json, { fout: [{ code: 5200 }] }).valid).toBe(false);
    expect(z.validateResponse("/zoeken", "get", 404, json, { fout: "niets" }).valid).toBe(false);
    expect(z.validateResponse("/zoeken", "get", 200, "text/html", "<html>").valid).toBe(false);
    const b = kvkSpecs.basisprofiel;
    expect(
      b.validateResponse("/basisprofielen/69599084", "get", 200, json, { totaalWerkzamePersonen: "2" }).valid,
    ).toBe(false);
    expect(
      b.validateResponse("/basisprofielen/69599084", "get", 200, hal, {
        _embedded: { eigenaar: { adressen: {} } },
      }).valid,
    ).toBe(false);
    expect(
      b.validateResponse("/basisprofielen/69599084", "get", 404, hal, { fout: [{ omschrijving: 1 }] }).valid,
    ).toBe(false);
    const v = kvkSpecs.vestigingsprofiel;
    expect(
      v.validateResponse("/v1/vestigingsprofielen/000038509504", "get", 200, hal, {
        sbiActiviteiten: [{ sbiCode: 5610 }],
      }).valid,
    ).toBe(false);
  });
});

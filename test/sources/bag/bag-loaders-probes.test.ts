import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { err, ok } from "../../../src/shared/index.ts";
import {
  BAG_PROBES,
  bagTerritory,
  createBagClient,
  createBagLoaders,
  createLimiter,
  runBagProbe,
  startBagSimulator,
  type BagClient,
  type BagFault,
  type BagObjectQuery,
  type BagSimulator,
} from "../../../src/sources/bag/index.ts";
import { createMunicipality } from "../../../src/sources/synthetic/index.ts";
import { expectBagTrafficMatchesSpec } from "./bag-contract.ts";

const municipality = createMunicipality({ seed: 1, size: 200 });
const resident = municipality.wellKnown.residentAddress;
const options = { municipalityCode: "0935" };
let sim: BagSimulator;
// A generous timeout for answers (a cold first request on a loaded CI machine can take long);
// a short one only where the timeout fault itself is exercised.
const loaders = (timeoutMs = 5000) =>
  createBagLoaders(createBagClient({ baseUrl: sim.url, auth: { kind: "apiKey", apiKey: "k" }, timeoutMs }));

beforeAll(async () => {
  sim = await startBagSimulator({ municipality, apiKey: "k" });
});
afterEach(() => {
  sim.setFault("none");
  expectBagTrafficMatchesSpec(sim.requests);
  sim.clearRequests();
});
afterAll(() => sim.close());

const inside: BagObjectQuery = { postcode: resident.postcode, huisnummer: resident.huisnummer };
const insideById: BagObjectQuery = {
  adresseerbaarObjectIdentificatie: resident.adresseerbaarObjectIdentificatie,
};
/** Getting-started objects of other gemeenten: Nootdorp (1926) by address, Rotterdam (0599) by id. */
const outside: BagObjectQuery = { postcode: "2631 CR", huisnummer: 15, huisletter: "C" };
const outsideById: BagObjectQuery = { adresseerbaarObjectIdentificatie: "0599010000165822" };
const missing: BagObjectQuery = { postcode: "6200AA", huisnummer: 99999 };
const missingById: BagObjectQuery = { adresseerbaarObjectIdentificatie: "0935010009999999" };
/** 15 exists only as 15 c: the probe answers for exactly the address asked. */
const withoutLetter: BagObjectQuery = { postcode: "2631CR", huisnummer: 15 };

describe("BAG probes", () => {
  it("lists its probes", () => {
    expect(BAG_PROBES.map((p) => p.id)).toEqual(["bag.adresBestaat", "bag.binnenGemeente"]);
  });

  it.each([
    ["inside, by address", "HIT", "HIT", inside],
    ["inside, by id", "HIT", "HIT", insideById],
    ["outside (Nootdorp), by address", "HIT", "NO_HIT", outside],
    ["outside (Rotterdam), by id", "HIT", "NO_HIT", outsideById],
    ["non-existent, by address", "NO_HIT", "NO_HIT", missing],
    ["non-existent, by id", "NO_HIT", "NO_HIT", missingById],
    ["a huisnummer that exists only with a letter", "NO_HIT", "NO_HIT", withoutLetter],
  ] as const)("%s: adresBestaat %s, binnenGemeente %s", async (_name, bestaat, binnen, query) => {
    const l = loaders();
    expect((await runBagProbe(l, query, "bag.adresBestaat", options)).result).toBe(bestaat);
    expect((await runBagProbe(l, query, "bag.binnenGemeente", options)).result).toBe(binnen);
  });

  it("the same address is inside for its own gemeente only", async () => {
    expect(await bagTerritory(loaders(), outside, { municipalityCode: "1926" })).toEqual(ok(true));
    expect(await bagTerritory(loaders(), inside, { municipalityCode: "1926" })).toEqual(ok(false));
  });

  it.each(["http500", "http503", "timeout", "reset", "malformed", "wrongContentType"] as const)(
    "fault %s → UNKNOWN with a reason, never NO_HIT, for every probe and query",
    async (fault: BagFault) => {
      sim.setFault(fault);
      for (const query of [inside, insideById, missing, outsideById])
        for (const { id } of BAG_PROBES) {
          const answer = await runBagProbe(loaders(fault === "timeout" ? 150 : 5000), query, id, options);
          expect(answer.result, `${id} ${JSON.stringify(query)}`).toBe("UNKNOWN");
          expect(answer.reason).toMatch(/^[a-z_0-9]+$/);
        }
    },
  );

  it("an unauthorized call and invalid input are UNKNOWN too", async () => {
    const noKey = createBagLoaders(
      createBagClient({ baseUrl: sim.url, auth: { kind: "none" }, timeoutMs: 1000 }),
    );
    expect(await runBagProbe(noKey, inside, "bag.adresBestaat", options)).toEqual({
      result: "UNKNOWN",
      reason: "http_401",
    });
    expect(
      await runBagProbe(
        loaders(),
        { adresseerbaarObjectIdentificatie: "123" },
        "bag.binnenGemeente",
        options,
      ),
    ).toEqual({ result: "UNKNOWN", reason: "invalid_identificatie" });
  });
});

describe("BAG loaders", () => {
  it("dedupe keys within a request: one upstream call per distinct object or address", async () => {
    const l = loaders();
    await Promise.all([
      l.adresseerbaarObject.load(resident.adresseerbaarObjectIdentificatie),
      l.adresseerbaarObject.load(resident.adresseerbaarObjectIdentificatie),
      l.adressen.load({ postcode: resident.postcode, huisnummer: resident.huisnummer }),
      l.adressen.load({ postcode: resident.postcode.toLowerCase(), huisnummer: resident.huisnummer }),
      l.pand.load("0935100000000001"),
    ]);
    await l.pand.load("0935100000000001");
    expect(sim.requests.map((r) => r.path.split("/").slice(4, 5)[0]).sort()).toEqual([
      "adresseerbareobjecten",
      "adressen",
      "panden",
    ]);
  });

  it("never have more than 8 calls in flight, and run them all", async () => {
    let running = 0;
    let peak = 0;
    const pending: (() => void)[] = [];
    let notify: (() => void) | undefined;
    const call = () =>
      new Promise<ReturnType<typeof ok<null>>>((resolve) => {
        running++;
        peak = Math.max(peak, running);
        pending.push(() => {
          running--;
          resolve(ok(null));
        });
        notify?.();
      });
    const fake: BagClient = {
      zoekAdressen: async () => err({ kind: "rejected", reason: "unused" }),
      adressenVanObject: async () => err({ kind: "rejected", reason: "unused" }),
      adresseerbaarObject: call,
      verblijfsobject: call,
      pand: call,
    };
    const l = createBagLoaders(fake);
    const ids = Array.from({ length: 20 }, (_, i) => `0935100000${String(i + 1).padStart(6, "0")}`);
    const all = Promise.all([
      ...ids.map((id) => l.pand.load(id)),
      l.verblijfsobject.load("0935010000000001"),
    ]);
    let released = 0;
    while (released < 21) {
      while (pending.length === 0) await new Promise<void>((resolve) => (notify = resolve));
      expect(running).toBeLessThanOrEqual(8);
      pending.shift()?.();
      released++;
    }
    expect(await all).toHaveLength(21);
    expect(peak).toBe(8);
  });

  it("createLimiter releases its slot when a task throws", async () => {
    const limit = createLimiter(1);
    await expect(limit(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await limit(async () => 42)).toBe(42);
  });
});

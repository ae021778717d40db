import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createMunicipality } from "../../../src/sources/synthetic/index.ts";
import {
  createWozClient,
  createWozLoaders,
  currentWaardepeildatum,
  runWozProbe,
  startWozSimulator,
  WOZ_PROBES,
  type WozProbeId,
  type WozSimulator,
} from "../../../src/sources/woz/index.ts";
import { FAULTS } from "../../utils/source-simulators.ts";
import { expectWozTrafficMatchesSpec } from "./woz-contract.ts";

const municipality = createMunicipality({ seed: 3, size: 300 });
const YEAR = 2026;
const TODAY = `${YEAR}-06-15`;
let sim: WozSimulator;
const loaders = (timeoutMs = 2000) =>
  createWozLoaders(createWozClient({ baseUrl: sim.url, auth: { kind: "none" }, timeoutMs }));
const probe = (id: WozProbeId, query: Parameters<typeof runWozProbe>[1], timeoutMs?: number) =>
  runWozProbe(loaders(timeoutMs), query, id, { peildatum: TODAY });
const IDS = WOZ_PROBES.map((p) => p.id);

beforeAll(async () => {
  sim = await startWozSimulator({ municipality, year: YEAR });
});
afterEach(() => {
  sim.setFault("none");
  expectWozTrafficMatchesSpec(sim.requests);
  sim.clearRequests();
});
afterAll(() => sim.close());

const byId = (id: string) => ({ adresseerbaarObjectIdentificatie: id });
const withValue = () => sim.registry.wellKnown.withCurrentValue;
const withoutValue = () => sim.registry.wellKnown.withoutCurrentValue;

describe("the peildatum rule (Wet WOZ art. 18 lid 2)", () => {
  it.each([
    ["2026-01-01", "2025-01-01"],
    ["2026-12-31", "2025-01-01"],
    ["2027-02-28", "2026-01-01"],
  ])("on %s the current value has waardepeildatum %s", (today, peildatum) => {
    expect(currentWaardepeildatum(today)).toBe(peildatum);
  });
});

describe("WOZ probes", () => {
  it("lists its probes", () => {
    expect(IDS).toEqual(["woz.objectBekend", "woz.waardeBekend"]);
  });

  it("an object with a value for the current tijdvak: HIT for both, by BAG id and by address", async () => {
    const o = withValue();
    const id = o.adresseerbaarObjectIdentificaties[0] ?? "";
    const { postcode, huisnummer, huisletter, huisnummertoevoeging } = o.aanduiding;
    for (const query of [byId(id), { postcode, huisnummer, huisletter, huisnummertoevoeging }])
      for (const p of IDS)
        expect(await probe(p, query), `${p} ${JSON.stringify(query)}`).toMatchObject({ result: "HIT" });
  });

  it("an object whose current value is not fixed yet: known, but no value (NO_HIT)", async () => {
    const id = withoutValue().adresseerbaarObjectIdentificaties[0] ?? "";
    expect(await probe("woz.objectBekend", byId(id))).toEqual({ result: "HIT", reason: "found" });
    expect(await probe("woz.waardeBekend", byId(id))).toEqual({
      result: "NO_HIT",
      reason: "no_current_value",
    });
  });

  it("last year's value does not count for this year", async () => {
    const id = withValue().adresseerbaarObjectIdentificaties[0] ?? "";
    const later = await runWozProbe(loaders(), byId(id), "woz.waardeBekend", {
      peildatum: `${YEAR + 1}-01-02`,
    });
    expect(later).toEqual({ result: "NO_HIT", reason: "no_current_value" });
  });

  it("an object the WOZ does not know is NO_HIT for both", async () => {
    for (const p of IDS) {
      expect(await probe(p, { postcode: "9999ZZ", huisnummer: 1 })).toEqual({
        result: "NO_HIT",
        reason: "not_found",
      });
      expect(await probe(p, byId(`${municipality.code}019999999999`))).toMatchObject({ result: "NO_HIT" });
    }
  });

  it("by address only an exact match counts: 15 is not answered by 15a", async () => {
    const lettered = Array.from({ length: municipality.addressCount }, (_, i) =>
      municipality.addressAt(i),
    ).find(
      (a) =>
        a?.huisletter !== undefined &&
        municipality
          .findAddresses({ postcode: a.postcode, huisnummer: a.huisnummer })
          .every((b) => b.huisletter !== undefined),
    );
    expect(lettered).toBeDefined();
    const query = { postcode: lettered?.postcode ?? "", huisnummer: lettered?.huisnummer ?? 0 };
    expect(await probe("woz.objectBekend", query)).toEqual({ result: "NO_HIT", reason: "not_found" });
    expect(sim.requests.at(-1)?.status).toBe(200);
  });

  it.each(FAULTS.flatMap((f) => IDS.map((p) => [f, p] as const)))(
    "fault %s: %s is UNKNOWN, never NO_HIT",
    async (fault, p) => {
      sim.setFault(fault);
      const answer = await probe(p, byId(withValue().adresseerbaarObjectIdentificaties[0] ?? ""), 300);
      expect(answer.result).toBe("UNKNOWN");
      expect(answer.reason).not.toBe("not_found");
    },
  );

  it("invalid input is UNKNOWN without any call", async () => {
    for (const p of IDS) {
      expect(await probe(p, byId("0935"))).toEqual({ result: "UNKNOWN", reason: "invalid_identificatie" });
      expect(await probe(p, { postcode: "12", huisnummer: 1 })).toEqual({
        result: "UNKNOWN",
        reason: "invalid_postcode",
      });
    }
    expect(sim.requestCount()).toBe(0);
  });
});

describe("WOZ loaders", () => {
  it("dedupe within a request: both probes and both spellings of an address are one call", async () => {
    const l = loaders();
    const { postcode, huisnummer, huisletter, huisnummertoevoeging } = withValue().aanduiding;
    const spelled = `${postcode.slice(0, 4)} ${postcode.slice(4).toLowerCase()}`;
    const answers = await Promise.all([
      runWozProbe(l, { postcode, huisnummer, huisletter, huisnummertoevoeging }, "woz.objectBekend", {
        peildatum: TODAY,
      }),
      runWozProbe(
        l,
        { postcode: spelled, huisnummer, huisletter, huisnummertoevoeging },
        "woz.waardeBekend",
        {
          peildatum: TODAY,
        },
      ),
    ]);
    expect(answers.map((a) => a.result)).toEqual(["HIT", "HIT"]);
    expect(sim.requestCount()).toBe(1);
  });

  it("cache nothing across requests: new loaders ask again", async () => {
    const id = byId(withValue().adresseerbaarObjectIdentificaties[0] ?? "");
    await probe("woz.objectBekend", id);
    await probe("woz.objectBekend", id);
    expect(sim.requestCount()).toBe(2);
  });

  it("never have more than the limit of calls in flight, and run them all", async () => {
    const l = createWozLoaders(
      createWozClient({ baseUrl: sim.url, auth: { kind: "none" }, timeoutMs: 2000 }),
      {
        maxConcurrent: 2,
      },
    );
    sim.setFault("timeout");
    const ids = Array.from(
      { length: 5 },
      (_, i) => municipality.addressAt(i)?.adresseerbaarObjectIdentificatie ?? "",
    );
    const pending = Promise.all(ids.map((id) => l.zoek.load(byId(id))));
    await sim.nextRequest();
    await sim.nextRequest();
    expect(sim.requestCount()).toBe(2);
    sim.setFault("none");
    await sim.close();
    sim = await startWozSimulator({ municipality, year: YEAR });
    const results = await pending;
    expect(results.every((r) => !r.ok)).toBe(true);
  });
});

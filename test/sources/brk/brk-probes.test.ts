import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  BRK_PROBES,
  createBrkClient,
  createBrkLoaders,
  runBrkProbe,
  startBrkSimulator,
  type BrkProbeId,
  type BrkProbeSubject,
  type BrkSimulator,
} from "../../../src/sources/brk/index.ts";
import { SIMULATOR_FAULTS } from "../../../src/sources/http/index.ts";
import { createKvkRegister } from "../../../src/sources/kvk/index.ts";
import { createMunicipality, type Address } from "../../../src/sources/synthetic/index.ts";
import { expectBrkTrafficMatchesSpec } from "./brk-contract.ts";

const municipality = createMunicipality({ seed: 11, size: 400 });
let sim: BrkSimulator;
const loaders = (timeoutMs = 5000) =>
  createBrkLoaders(createBrkClient({ baseUrl: sim.url, auth: { kind: "apiKey", apiKey: "k" }, timeoutMs }));
const adresOf = (a: Address) => ({
  postcode: a.postcode,
  huisnummer: a.huisnummer,
  huisletter: a.huisletter,
  huisnummertoevoeging: a.huisnummertoevoeging,
});
const at = (a: Address): BrkProbeSubject => ({ kind: "adres", adres: adresOf(a) });
const wk = () => sim.register.wellKnown;
const IDS = BRK_PROBES.map((p) => p.id);

beforeAll(async () => {
  sim = await startBrkSimulator({ municipality, kvkRegister: createKvkRegister(municipality), apiKey: "k" });
});
afterEach(() => {
  sim.setFault("none");
  expectBrkTrafficMatchesSpec(sim.requests);
  sim.clearRequests();
});
afterAll(() => sim.close());

describe("BRK probes", () => {
  it.each(IDS)(
    "%s: HIT on the encumbered parcel, NO_HIT on the unencumbered one (except ownership)",
    async (id) => {
      expect((await runBrkProbe(loaders(), at(wk().encumberedAddress), id)).result).toBe("HIT");
      const clean = await runBrkProbe(loaders(), at(wk().unencumberedAddress), id);
      expect(clean.result).toBe(id === "brk.eigendomBekend" ? "HIT" : "NO_HIT");
    },
  );

  it.each<[BrkProbeId, "HIT" | "NO_HIT"]>([
    ["brk.eigendomBekend", "HIT"],
    ["brk.hypotheekBekend", "HIT"],
  ])("a person: %s is %s for the owner, NO_HIT for someone who owns nothing", async (id, owner) => {
    expect((await runBrkProbe(loaders(), { kind: "persoon", bsn: wk().ownerBsn }, id)).result).toBe(owner);
    expect((await runBrkProbe(loaders(), { kind: "persoon", bsn: wk().nonOwnerBsn }, id)).result).toBe(
      "NO_HIT",
    );
  });

  it("an address the Kadaster does not know is NO_HIT: the API's empty collection", async () => {
    const answer = await runBrkProbe(
      loaders(),
      { kind: "adres", adres: { postcode: "9999ZZ", huisnummer: 1 } },
      "brk.eigendomBekend",
    );
    expect(answer).toEqual({ result: "NO_HIT", reason: "not_found" });
  });

  it.each(IDS)("%s: invalid input is UNKNOWN without any call", async (id) => {
    expect(await runBrkProbe(loaders(), { kind: "persoon", bsn: "123456789" }, id)).toEqual({
      result: "UNKNOWN",
      reason: "invalid_input",
    });
    expect(
      await runBrkProbe(loaders(), { kind: "adres", adres: { postcode: "62", huisnummer: 1 } }, id),
    ).toEqual({
      result: "UNKNOWN",
      reason: "invalid_input",
    });
    expect(sim.requestCount()).toBe(0);
  });

  const faults = SIMULATOR_FAULTS.filter((f) => f !== "none");
  describe.each(faults)("under fault %s", (fault) => {
    it.each(IDS)("%s is UNKNOWN for a person and an object, never NO_HIT", async (id) => {
      sim.setFault(fault);
      const timeoutMs = fault === "timeout" ? 150 : 5000;
      for (const subject of [
        { kind: "persoon", bsn: wk().nonOwnerBsn } as const,
        at(wk().unencumberedAddress),
      ]) {
        const answer = await runBrkProbe(loaders(timeoutMs), subject, id);
        expect(answer.result, JSON.stringify(subject)).toBe("UNKNOWN");
        expect(answer.reason).not.toBe("not_found");
      }
    });
  });

  it("brk.beperkingBekend: a failing public-law lookup without a private restriction is UNKNOWN", async () => {
    // The zaak search succeeds, the public-law restrictions call after it fails.
    const l = loaders();
    await l.zakenOpAdres.load(adresOf(wk().unencumberedAddress));
    sim.setFault("http503");
    const answer = await runBrkProbe(l, at(wk().unencumberedAddress), "brk.beperkingBekend");
    expect(answer).toEqual({ result: "UNKNOWN", reason: "http_503" });
  });
});

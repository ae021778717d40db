import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseBsn, type Bsn } from "../../../src/shared/index.ts";
import {
  BRP_PROBES,
  BRP_VERIFY_FIELDS,
  brpTerritory,
  createBrpClient,
  createBrpLoaders,
  runBrpProbe,
  startBrpSimulator,
  verifyWithBrp,
  type BrpSimulator,
} from "../../../src/sources/brp/index.ts";
import { createMunicipality, wellKnown } from "../../../src/sources/synthetic/index.ts";
import { expectTrafficMatchesSpec } from "./brp-contract.ts";

const municipality = createMunicipality({ seed: 3, size: 100 });
const opts = { municipalityCode: "0935" };
let sim: BrpSimulator;
// Generous for answers (a cold request on a loaded CI machine can be slow); short only where the
// timeout fault itself is exercised.
const loaders = (timeoutMs = 5000) =>
  createBrpLoaders(createBrpClient({ baseUrl: sim.url, auth: { kind: "none" }, timeoutMs }));
const bsn = (s: string): Bsn => {
  const r = parseBsn(s);
  if (!r.ok) throw new Error("fixture");
  return r.value;
};

beforeAll(async () => {
  sim = await startBrpSimulator({ municipality });
});
afterEach(() => {
  sim.setFault("none");
  expectTrafficMatchesSpec(sim.requests);
  sim.clearRequests();
});
afterAll(() => sim.close());

describe("loaders", () => {
  it("batches 50 loads with the same fields into 3 calls, separate field sets separately", async () => {
    const l = loaders();
    const keys = Array.from({ length: 50 }, (_, i) => municipality.personAt(i)?.bsn as Bsn);
    const results = await Promise.all([
      ...keys.map((b) => l.persoon.load({ bsn: b, fields: ["naam", "burgerservicenummer"] })),
      ...keys.slice(0, 3).map((b) => l.persoon.load({ bsn: b, fields: ["burgerservicenummer", "naam"] })),
      l.persoon.load({ bsn: wellKnown.unknownBsn, fields: ["geboorte"] }),
    ]);
    expect(
      sim.requests
        .map((r) => (r.body as { burgerservicenummer: string[] }).burgerservicenummer.length)
        .sort(),
    ).toEqual([1, 10, 20, 20]);
    expect(results.slice(0, 53).every((r) => r.ok && r.value !== null)).toBe(true);
    expect(results[53]).toEqual({ ok: true, value: null });
    expect(
      sim.requests.find((r) => (r.body as { fields: string[] }).fields.includes("geboorte"))?.body,
    ).toMatchObject({
      fields: ["burgerservicenummer", "geboorte"],
    });
  });

  it("an upstream error is the result of every key of that call, never null", async () => {
    sim.setFault("http503");
    const l = loaders();
    const results = await Promise.all(
      [wellKnown.residentBsn, wellKnown.unknownBsn].map((b) => l.persoon.load({ bsn: b, fields: ["naam"] })),
    );
    expect(results).toEqual(
      [0, 1].map(() => ({ ok: false, error: { kind: "unavailable", status: 503, reason: "http_503" } })),
    );
  });
});

describe("probes", () => {
  it("declares both probes with descriptions", () => {
    expect(BRP_PROBES.map((p) => p.id)).toEqual(["brp.ingeschreven", "brp.binnenGemeente"]);
    expect(BRP_PROBES.every((p) => p.description.length > 10)).toBe(true);
  });

  it.each([
    ["resident", wellKnown.residentBsn, "HIT", "HIT"],
    ["registered elsewhere", wellKnown.elsewhereBsn, "HIT", "NO_HIT"],
    ["unknown", wellKnown.unknownBsn, "NO_HIT", "NO_HIT"],
  ] as const)("%s: ingeschreven %s, binnenGemeente %s", async (_n, b, ingeschreven, binnen) => {
    const l = loaders();
    expect((await runBrpProbe(l, b, "brp.ingeschreven", opts)).result).toBe(ingeschreven);
    expect((await runBrpProbe(l, b, "brp.binnenGemeente", opts)).result).toBe(binnen);
    expect(sim.requests.map((r) => (r.body as { fields: string[] }).fields)).toEqual([
      ["burgerservicenummer"],
      ["burgerservicenummer", "gemeenteVanInschrijving"],
    ]);
    expect(await brpTerritory(l, b, opts)).toEqual({ ok: true, value: binnen === "HIT" });
  });

  it.each(["http500", "http503", "timeout", "reset", "malformed", "wrongContentType"] as const)(
    "fault %s: every probe is UNKNOWN, never NO_HIT, for every BSN",
    async (fault) => {
      sim.setFault(fault);
      for (const b of [wellKnown.residentBsn, wellKnown.unknownBsn]) {
        for (const probe of BRP_PROBES) {
          const answer = await runBrpProbe(loaders(fault === "timeout" ? 150 : 5000), b, probe.id, opts);
          expect(answer.result).toBe("UNKNOWN");
          expect(answer.reason).toMatch(/^[a-z0-9_]+$/);
        }
      }
      expect((await brpTerritory(loaders(), wellKnown.residentBsn, opts)).ok).toBe(false);
    },
  );
});

describe("verify", () => {
  const resident = municipality.personByBsn(wellKnown.residentBsn);
  if (!resident?.verblijfplaats || resident.verblijfplaats.kind !== "adres") throw new Error("fixture");
  const g = resident.geboortedatum;
  const full = {
    geslachtsnaam: resident.geslachtsnaam.toUpperCase(),
    voorvoegsel: resident.voorvoegsel,
    voornamen: `  ${resident.voornamen.normalize("NFD").replace(/\p{M}/gu, "")} `,
    geboortedatum: `${g.slice(0, 4)}-${g.slice(4, 6)}-${g.slice(6)}`,
    postcode: `${resident.verblijfplaats.address.postcode.slice(0, 4)} ${resident.verblijfplaats.address.postcode.slice(4).toLowerCase()}`,
    huisnummer: resident.verblijfplaats.address.huisnummer,
  };

  it("MATCH when everything agrees (normalised), and it fetches only verify fields", async () => {
    expect(await verifyWithBrp(loaders(), wellKnown.residentBsn, full)).toEqual({
      overall: "MATCH",
      naam: "MATCH",
      geboortedatum: "MATCH",
      adres: "MATCH",
    });
    const fields = (sim.requests[0]?.body as { fields: string[] }).fields;
    expect(
      fields.filter((f) => f !== "burgerservicenummer").every((f) => BRP_VERIFY_FIELDS.includes(f)),
    ).toBe(true);
  });

  it("NO_MATCH per element, null for elements not given, and no BRP values in the answer", async () => {
    const v = await verifyWithBrp(loaders(), wellKnown.residentBsn, {
      geslachtsnaam: "Anders",
      geboortedatum: full.geboortedatum,
    });
    expect(v).toEqual({ overall: "NO_MATCH", naam: "NO_MATCH", geboortedatum: "MATCH", adres: null });
    expect(JSON.stringify(v)).not.toContain(resident.geslachtsnaam);
    expect(
      (sim.requests[0]?.body as { fields: string[] }).fields.some((f) => f.startsWith("verblijfplaats")),
    ).toBe(false);
    expect(
      (await verifyWithBrp(loaders(), wellKnown.residentBsn, { ...full, huisnummer: full.huisnummer + 1 }))
        .adres,
    ).toBe("NO_MATCH");
  });

  it("unknown person: NO_MATCH for every given element", async () => {
    expect(
      await verifyWithBrp(loaders(), wellKnown.unknownBsn, { geslachtsnaam: "X", postcode: "6211AB" }),
    ).toEqual({
      overall: "NO_MATCH",
      naam: "NO_MATCH",
      geboortedatum: null,
      adres: "NO_MATCH",
    });
  });

  it("a partial BRP birth date is UNKNOWN (test person 999990482 has only a year)", async () => {
    const v = await verifyWithBrp(loaders(), bsn("999990482"), {
      geboortedatum: "1999-01-01",
      geslachtsnaam: "do Livramento de La Salete Jansz.",
    });
    expect(v).toEqual({ overall: "UNKNOWN", naam: "MATCH", geboortedatum: "UNKNOWN", adres: null });
  });

  it.each(["http500", "timeout", "malformed"] as const)(
    "upstream failure %s: UNKNOWN everywhere",
    async (fault) => {
      sim.setFault(fault);
      expect(
        await verifyWithBrp(loaders(fault === "timeout" ? 150 : 5000), wellKnown.residentBsn, full),
      ).toEqual({
        overall: "UNKNOWN",
        naam: "UNKNOWN",
        geboortedatum: "UNKNOWN",
        adres: "UNKNOWN",
      });
    },
  );
});

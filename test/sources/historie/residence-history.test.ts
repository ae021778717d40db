import { describe, expect, it } from "vitest";
import {
  createMunicipality,
  createResidenceHistory,
  MAX_EARLIER_PERIODS,
  periodBounds,
  wellKnown,
  type ResidencePeriod,
} from "../../../src/sources/synthetic/index.ts";

const municipality = createMunicipality({ seed: 7, size: 400 });
const history = createResidenceHistory(municipality);
const addressOf = (p: ResidencePeriod) => (p.place.kind === "adres" ? p.place.address.id : undefined);

describe("synthetic residence history", () => {
  it("starts with the current verblijfplaats (open end) and has contiguous earlier periods, newest first", () => {
    let earlier = 0;
    let outside = 0;
    for (const person of municipality.persons()) {
      const periods = history.historyOf(person.bsn) ?? [];
      const [current, ...rest] = periods;
      const v = person.verblijfplaats;
      if (!v) {
        expect(periods).toEqual([]);
        continue;
      }
      expect(current?.datumTot).toBeUndefined();
      if (v.kind === "adres") {
        expect(current?.place).toEqual({ kind: "adres", address: v.address });
        expect(current?.datumVan).toBe(v.datumVan);
      }
      expect(rest.length).toBeLessThanOrEqual(MAX_EARLIER_PERIODS);
      periods.slice(1).forEach((p, i) => {
        expect(p.datumTot, person.bsn).toBe(periods[i]?.datumVan);
        expect(p.datumTot && p.datumVan < p.datumTot).toBe(true);
        expect(addressOf(p) === undefined || addressOf(p) !== addressOf(periods[i] as ResidencePeriod)).toBe(
          true,
        );
      });
      earlier += rest.length;
      outside += rest.filter((p) => p.gemeenteVanInschrijving.code !== municipality.code).length;
    }
    expect(earlier).toBeGreaterThan(200);
    expect(outside).toBeGreaterThan(20);
    expect(outside).toBeLessThan(earlier);
    expect(history.historyOf(wellKnown.unknownBsn)).toBeUndefined();
  });

  it("the lazy inverse (occupancyOf) lists exactly the periods a scan over all persons finds", () => {
    const scanned = new Map<string, string[]>();
    for (const person of municipality.persons())
      for (const p of history.historyOf(person.bsn) ?? []) {
        const id = addressOf(p);
        if (
          id === undefined ||
          p.place.kind !== "adres" ||
          p.place.address.gemeenteCode !== municipality.code
        )
          continue;
        if (municipality.addressByNummeraanduidingId(id)?.id !== id) continue;
        scanned.set(id, [...(scanned.get(id) ?? []), `${person.bsn}@${p.datumVan}`]);
      }
    let total = 0;
    for (let i = 0; i < municipality.addressCount; i++) {
      const address = municipality.addressAt(i);
      if (!address) throw new Error("fixture");
      const found = history.occupancyOf(address).map((o) => `${o.person.bsn}@${o.period.datumVan}`);
      expect(found.sort(), address.id).toEqual((scanned.get(address.id) ?? []).sort());
      total += found.length;
    }
    expect(total).toBeGreaterThan(municipality.size);
  });

  it("is deterministic per seed, different across seeds, and needs no scan for a million persons", () => {
    const json = (seed: number) => {
      const m = createMunicipality({ seed, size: 400 });
      const h = createResidenceHistory(m);
      return JSON.stringify([...m.persons()].map((p) => h.historyOf(p.bsn)));
    };
    expect(json(7)).toBe(json(7));
    expect(json(7)).not.toBe(json(8));
    const big = createMunicipality({ seed: 1, size: 1_000_000 });
    const bigHistory = createResidenceHistory(big);
    const started = performance.now();
    for (let i = 0; i < 200; i++)
      bigHistory.occupancyOf(big.addressAt(i * 4999) ?? big.wellKnown.residentAddress);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("periodBounds: a partly unknown start is an interval", () => {
    const base = {
      place: { kind: "buitenland", land: { code: "5010" } },
      gemeenteVanInschrijving: { code: "1999" },
    } as const;
    expect(periodBounds({ ...base, datumVan: "19800000", datumTot: "19900101" })).toEqual({
      vanEarliest: "1980-01-01",
      vanLatest: "1980-12-31",
      tot: "1990-01-01",
    });
    expect(periodBounds({ ...base, datumVan: "19800200" })).toEqual({
      vanEarliest: "1980-02-01",
      vanLatest: "1980-02-29",
    });
    expect(periodBounds({ ...base, datumVan: "19800215" })).toEqual({
      vanEarliest: "1980-02-15",
      vanLatest: "1980-02-15",
    });
  });
});

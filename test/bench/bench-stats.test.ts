import { describe, expect, it } from "vitest";
import {
  countsDelta,
  floorMs,
  formatCounts,
  formatSpread,
  formatTable,
  median,
  minimumCalls,
  pairedRatios,
  pctChange,
  percentile,
  replayable,
  spread,
  total,
  type Counts,
} from "../../bench/bench-stats.ts";

const counts = (c: Partial<Counts>): Counts => ({
  brp: 0,
  bag: 0,
  kvk: 0,
  brk: 0,
  bewoning: 0,
  historie: 0,
  permits: 0,
  woz: 0,
  ...c,
});

describe("bench statistics (issue 15)", () => {
  it.each([
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[7], 7],
  ])("median of %j is %d", (xs, m) => {
    expect(median(xs)).toBe(m);
  });

  it("median of nothing is NaN, and the input is left unsorted", () => {
    expect(median([])).toBeNaN();
    const xs = [3, 1, 2];
    median(xs);
    expect(xs).toEqual([3, 1, 2]);
  });

  it("spread is median, min and max over the repeats", () => {
    expect(spread([5, 1, 9, 3])).toEqual({ median: 4, min: 1, max: 9 });
  });

  it("pairs ratios per repeat before taking their spread", () => {
    // Per pair 0.5, 0.25, 0.5: the pairs' ratio, not the ratio of the medians (300/400 = 0.75).
    expect(pairedRatios([100, 200, 300], [200, 800, 600])).toEqual({ median: 0.5, min: 0.25, max: 0.5 });
    expect(() => pairedRatios([1, 2], [1])).toThrow(RangeError);
  });

  it("formats a spread with its range", () => {
    expect(formatSpread({ median: 0.123, min: 0.1, max: 0.15 })).toBe("0.12× (0.10–0.15)");
  });

  it("takes the nearest-rank percentile", () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile(xs, 100)).toBe(100);
    expect(percentile([], 50)).toBeNaN();
  });

  it("percentage change", () => {
    expect(pctChange(200, 210)).toBeCloseTo(5);
    expect(pctChange(200, 180)).toBeCloseTo(-10);
  });
});

describe("request counting from the simulators' logs", () => {
  it("counts per source between two readings and leaves out sources not asked", () => {
    const delta = countsDelta(counts({ brp: 10, permits: 4 }), counts({ brp: 12, historie: 1, permits: 6 }));
    expect(delta).toEqual({ brp: 2, historie: 1, permits: 2 });
    expect(total(delta)).toBe(5);
    expect(formatCounts(delta)).toBe("brp 2, historie 1, permits 2");
    expect(formatCounts(delta, 4)).toBe("brp 0.50, historie 0.25, permits 0.50");
    expect(formatCounts({})).toBe("none");
  });

  it("turns a recorded request back into the same request, without the trace header", () => {
    expect(
      replayable("http://127.0.0.1:9", {
        method: "GET",
        path: "/zaken/api/v1/zaken",
        query: { inpBsn: "999993653", expand: ["a", "b"] },
        headers: { accept: "application/json", traceparent: "00-abc-def-01", "x-api-key": "k" },
      }),
    ).toEqual({
      method: "GET",
      url: "http://127.0.0.1:9/zaken/api/v1/zaken?inpBsn=999993653&expand=a&expand=b",
      headers: { accept: "application/json", "x-api-key": "k" },
    });
    const body = {
      type: "RaadpleegMetBurgerservicenummer",
      burgerservicenummer: ["999993653"],
      fields: ["naam"],
    };
    expect(
      replayable("http://127.0.0.1:9", {
        method: "POST",
        path: "/haalcentraal/api/brp/personen",
        headers: { "content-type": "application/json" },
        body,
      }),
    ).toEqual({
      method: "POST",
      url: "http://127.0.0.1:9/haalcentraal/api/brp/personen",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  });
});

describe("bulk minimum and floor", () => {
  it("the BRP one call per 20 BSNs, every other source one per subject", () => {
    expect(minimumCalls(1000, ["brp", "historie", "permits"])).toEqual({
      brp: 50,
      historie: 1000,
      permits: 1000,
    });
    expect(minimumCalls(101, ["brp"])).toEqual({ brp: 6 });
  });

  it("adds the calls an API forces beyond one per subject, for the sources asked only", () => {
    expect(minimumCalls(100, ["brp", "brk"], { brk: 34, woz: 5 })).toEqual({ brp: 5, brk: 134 });
  });

  it("the floor is the slowest source: calls × latency ÷ concurrency", () => {
    expect(floorMs({ brp: 50, historie: 1000 }, { brp: 4, historie: 2 }, 8)).toBe(250);
    expect(floorMs({}, {}, 8)).toBe(0);
  });
});

describe("summary table", () => {
  it("marks met, missed and not measured", () => {
    const table = formatTable([
      { target: "P1 a/b ≥ 0.5×", measured: "0.61×", met: true },
      { target: "P4", measured: "900 records/s", met: false },
      { target: "P2", measured: "skipped", met: undefined },
    ]);
    const lines = table.split("\n");
    expect(lines).toHaveLength(5);
    expect(lines[2]).toMatch(/^P1 a\/b ≥ 0\.5×\s+0\.61×\s+met$/);
    expect(lines[3]).toMatch(/MISSED$/);
    expect(lines[4]).toMatch(/—$/);
  });
});

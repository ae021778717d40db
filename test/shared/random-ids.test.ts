import { describe, expect, it } from "vitest";
import { newSpanId, newTraceId } from "../../src/shared/random-ids.ts";

describe("trace and span ids from the random pool (issue 15)", () => {
  it("are lower-case hex of 16 and 8 bytes, never all zeros", () => {
    for (let i = 0; i < 2_000; i++) {
      expect(newTraceId()).toMatch(/^(?!0+$)[0-9a-f]{32}$/);
      expect(newSpanId()).toMatch(/^(?!0+$)[0-9a-f]{16}$/);
    }
  });

  it("never repeat, across many refills of the pool", () => {
    // 4 KiB per refill: 100,000 span ids use ~200 refills; a reused byte range would repeat ids.
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) seen.add(newSpanId());
    for (let i = 0; i < 20_000; i++) seen.add(newTraceId());
    expect(seen.size).toBe(120_000);
  });
});

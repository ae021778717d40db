import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoSources, type DemoSimulators } from "../../../src/app/upstreams.ts";
import { loadConfig } from "../../../src/config/index.ts";
import { DEFAULT_REQUEST_LOG_SIZE, createRequestLog } from "../../../src/sources/http/index.ts";
import { createMunicipality } from "../../../src/sources/synthetic/index.ts";

describe("request log of the simulators (issue 15, P5)", () => {
  it("keeps the newest `size` requests, oldest first, and counts every one", () => {
    const log = createRequestLog<number>(3);
    for (let i = 1; i <= 7; i++) log.record(i);
    expect(log.requests).toEqual([5, 6, 7]);
    expect(log.count).toBe(7);
    log.clear();
    expect(log.requests).toEqual([]);
    expect(log.count).toBe(0);
    log.record(8);
    expect([log.requests, log.count]).toEqual([[8], 1]);
  });

  it("is bounded by default and refuses a size that is not a positive integer", () => {
    const log = createRequestLog<number>();
    for (let i = 0; i < DEFAULT_REQUEST_LOG_SIZE + 5; i++) log.record(i);
    expect(log.requests).toHaveLength(DEFAULT_REQUEST_LOG_SIZE);
    expect(log.requests[0]).toBe(5);
    expect(log.count).toBe(DEFAULT_REQUEST_LOG_SIZE + 5);
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => createRequestLog(bad)).toThrow(RangeError);
  });

  it("resolves nextRequest also once the log is full", async () => {
    const log = createRequestLog<number>(1);
    log.record(1);
    const next = log.nextRequest();
    log.record(2);
    await expect(next).resolves.toBe(2);
  });
});

describe("the demo simulators with SIMULATOR_REQUEST_LOG_SIZE", () => {
  const SIZE = 3;
  const N = 8;
  const closers: (() => Promise<void>)[] = [];
  let sims: DemoSimulators;

  beforeAll(async () => {
    const loaded = loadConfig({ DEMO_MODE: "true", SIMULATOR_REQUEST_LOG_SIZE: String(SIZE) });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
    expect(loaded.value.simulatorRequestLogSize).toBe(SIZE);
    const started = await startDemoSources(loaded.value, createMunicipality({ seed: 1, size: 100 }), (c) =>
      closers.push(c),
    );
    sims = started.simulators;
  });
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
  });

  it("defaults to 1,000", () => {
    const loaded = loadConfig({ DEMO_MODE: "true" });
    expect(loaded.ok && loaded.value.simulatorRequestLogSize).toBe(1000);
    expect(loadConfig({ DEMO_MODE: "true", SIMULATOR_REQUEST_LOG_SIZE: "0" }).ok).toBe(false);
  });

  it("every simulator keeps SIZE requests after N > SIZE, and counts N", async () => {
    for (const [name, sim] of Object.entries(sims)) {
      for (let i = 0; i < N; i++) await fetch(`${sim.url}/no-such-resource-${i}`);
      expect([name, sim.requests.length, sim.requestCount()]).toEqual([name, SIZE, N]);
      expect(sim.requests.at(-1)?.path).toMatch(new RegExp(`/no-such-resource-${N - 1}$`));
      sim.clearRequests();
      expect([name, sim.requests.length, sim.requestCount()]).toEqual([name, 0, 0]);
    }
  });
});

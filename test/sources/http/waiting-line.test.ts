import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Bsn } from "../../../src/shared/index.ts";
import {
  createHistorieClient,
  createHistorieLoaders,
  runHistorieProbe,
  startHistorieSimulator,
  type HistorieSimulator,
} from "../../../src/sources/historie/index.ts";
import { bindTraceSignal, runInTrace } from "../../../src/context/index.ts";
import {
  createSourceResilience,
  createUpstreamJson,
  type FetchLike,
  type SourceResilienceOptions,
} from "../../../src/sources/http/index.ts";
import { z } from "zod";
import { createMunicipality } from "../../../src/sources/synthetic/index.ts";
import { answer, failure, gatedUpstream } from "./fake-upstream.ts";

/**
 * Issue 15 (P3): the waiting line in front of each source's bulkhead. Bulk work waits for a slot
 * instead of overflowing; a waiter that runs out of time or whose request is aborted is UNKNOWN,
 * never NO_HIT; the calls in flight never exceed the bulkhead.
 */
const resilience = (options: Partial<SourceResilienceOptions> = {}) =>
  createSourceResilience({
    source: "test",
    maxConcurrent: 2,
    retries: 0,
    breaker: { consecutiveFailures: 1, halfOpenAfterMs: 30_000 },
    ...options,
  });
const idempotent = { idempotent: true };

afterEach(() => {
  vi.useRealTimers();
});

describe("1,000 probes in one go against a healthy, slow upstream", () => {
  const municipality = createMunicipality({ seed: 1, size: 1000 });
  const bsns = [...municipality.persons()].slice(0, 1000).map((p) => p.bsn as Bsn);
  let sim: HistorieSimulator;
  beforeAll(async () => {
    sim = await startHistorieSimulator({ municipality });
  });
  afterAll(() => sim.close());

  /** The probes through the gateway's defaults (8 in flight), each call ~2 ms slower than it is. */
  async function probeAll(queueSize?: number) {
    let inFlight = 0;
    let maxInFlight = 0;
    const slow: FetchLike = async (input, init) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, 2)); // latency, not synchronisation
        return await fetch(input, init);
      } finally {
        inFlight--;
      }
    };
    const protection = createSourceResilience({
      source: "historie",
      maxConcurrent: 8,
      ...(queueSize === undefined ? {} : { queueSize }),
      retries: 2,
      breaker: { consecutiveFailures: 5, halfOpenAfterMs: 30_000 },
    });
    const loaders = createHistorieLoaders(
      createHistorieClient({
        baseUrl: sim.url,
        auth: { kind: "none" },
        timeoutMs: 5000,
        fetch: slow,
        resilience: protection,
      }),
    );
    sim.clearRequests();
    const answers = await Promise.all(
      bsns.map((bsn) =>
        runHistorieProbe(loaders, bsn, "historie.eerderAdresInGemeente", {
          municipalityCode: municipality.code,
          peildatum: "2025-06-01",
        }),
      ),
    );
    return { answers, maxInFlight, calls: sim.requestCount(), state: protection.state() };
  }

  it("all wait their turn: no UNKNOWN, one call each, never more than 8 in flight", async () => {
    const { answers, maxInFlight, calls, state } = await probeAll();
    expect(answers.filter((a) => a.result === "UNKNOWN")).toEqual([]);
    expect(answers.filter((a) => a.result === "HIT").length).toBeGreaterThan(0);
    expect(calls).toBe(1000);
    expect(maxInFlight).toBeLessThanOrEqual(8);
    expect(state).toMatchObject({ circuit: "closed", inFlight: 0, queued: 0 });
  });

  it("a line shorter than the work still refuses the surplus as overloaded (UNKNOWN), never NO_HIT", async () => {
    const { answers, calls } = await probeAll(100);
    const unknown = answers.filter((a) => a.result === "UNKNOWN");
    expect(unknown.length).toBe(1000 - 108);
    expect(unknown.every((a) => a.reason === "overloaded")).toBe(true);
    expect(calls).toBe(108);
  });
});

describe("a waiter that runs out of time or is aborted", () => {
  it("past the run's deadline: timeout/deadline, it leaves the line and never reaches the upstream", async () => {
    vi.useFakeTimers();
    const r = resilience({ maxConcurrent: 1, timeoutMs: 1000 });
    // A stuck call that ignores its abort keeps its slot after its own run has given up.
    let unstick: (a: typeof answer) => void = () => undefined;
    const stuck = r.run(() => new Promise<typeof answer>((resolve) => (unstick = resolve)), idempotent);
    await vi.advanceTimersByTimeAsync(0);
    const upstream = gatedUpstream();
    const waiter = r.run(upstream.call, idempotent);
    await vi.advanceTimersByTimeAsync(0);
    expect(r.state()).toMatchObject({ inFlight: 1, queued: 1 });
    await vi.advanceTimersByTimeAsync(1000);
    expect(await stuck).toEqual(failure("timeout", "deadline"));
    expect(await waiter).toEqual(failure("timeout", "deadline"));
    expect(upstream.calls).toBe(0);
    expect(r.state()).toMatchObject({ inFlight: 1, queued: 0, circuit: "closed" });
    unstick(answer);
    await vi.advanceTimersByTimeAsync(0);
    expect(r.state()).toMatchObject({ inFlight: 0, queued: 0 });
  });

  it("past queueWaitMs: timeout/wait_timeout, and the call in flight is not disturbed", async () => {
    vi.useFakeTimers();
    const r = resilience({ maxConcurrent: 1, queueWaitMs: 500 });
    const upstream = gatedUpstream();
    const first = r.run(upstream.call, idempotent);
    await upstream.started(1);
    const second = r.run(upstream.call, idempotent);
    await vi.advanceTimersByTimeAsync(500);
    expect(await second).toEqual(failure("timeout", "wait_timeout"));
    upstream.callAt(0).settle(answer);
    expect(await first).toEqual(answer);
    expect(upstream.calls).toBe(1);
    // Our own refusal is no upstream failure: with consecutiveFailures 1 the circuit stayed closed.
    expect(r.state()).toMatchObject({ circuit: "closed", queued: 0 });
  });

  it("its request aborted: timeout/aborted, and its place goes to the next in line", async () => {
    const r = resilience({ maxConcurrent: 1, queueSize: 1 });
    const upstream = gatedUpstream();
    const first = r.run(upstream.call, idempotent);
    await upstream.started(1);
    const request = new AbortController();
    const aborted = r.run(upstream.call, { idempotent: true, signal: request.signal });
    // The line (of one) is full now.
    expect(await r.run(upstream.call, idempotent)).toEqual(failure("unavailable", "overloaded"));
    request.abort();
    expect(await aborted).toEqual(failure("timeout", "aborted"));
    const next = r.run(upstream.call, idempotent);
    upstream.callAt(0).settle(answer);
    await upstream.started(2);
    upstream.callAt(1).settle(answer);
    expect(await Promise.all([first, next])).toEqual([answer, answer]);
    expect(upstream.calls).toBe(2);
  });

  it("a request aborted while its call is in flight: that call is not aborted (a hang-up is no upstream failure) and not retried", async () => {
    const r = resilience({ maxConcurrent: 1, retries: 2, retryBaseMs: 0 });
    const upstream = gatedUpstream();
    const request = new AbortController();
    const run = r.run(upstream.call, { idempotent: true, signal: request.signal });
    await upstream.started(1);
    request.abort();
    expect(upstream.callAt(0).signal.aborted).toBe(false);
    upstream.callAt(0).settle(failure("unavailable", "http_503", 503));
    expect(await run).toEqual(failure("timeout", "aborted"));
    // A transient failure, but not retried after the hang-up.
    expect(upstream.calls).toBe(1);
  });
});

describe("a request whose caller has gone (src/server/http-server.ts binds its signal to the trace)", () => {
  it("its calls still waiting leave the line: timeout/aborted, and they never reach the upstream", async () => {
    const r = resilience({ maxConcurrent: 1 });
    const fetched: string[] = [];
    let answerFirst: (response: Response) => void = () => undefined;
    const fetch: FetchLike = (input) => {
      fetched.push(String(input));
      return new Promise((resolve) => (answerFirst = resolve));
    };
    const upstream = createUpstreamJson({ auth: { kind: "none" }, timeoutMs: 5000, fetch, resilience: r });
    const get = (url: string) => upstream({ url, method: "GET", headers: {} }, z.object({ a: z.number() }));
    // Another request's call holds the only slot.
    const other = runInTrace("a".repeat(32), () => get("http://up.test/1"));
    const caller = new AbortController();
    const gone = runInTrace("b".repeat(32), () => {
      bindTraceSignal(caller.signal);
      return get("http://up.test/2");
    });
    // Both calls reach the line in microtasks (no I/O before it); drain them.
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.state()).toMatchObject({ queued: 1, inFlight: 1 });
    caller.abort();
    expect(await gone).toEqual(failure("timeout", "aborted"));
    expect(r.state()).toMatchObject({ queued: 0, inFlight: 1 });
    answerFirst(new Response('{"a":1}', { status: 200, headers: { "Content-Type": "application/json" } }));
    expect(await other).toEqual({ ok: true, value: { a: 1 } });
    expect(fetched).toEqual(["http://up.test/1"]);
  });
});

describe("property: the line never lets more than maxConcurrent in, and serves in order", () => {
  it("for random limits and random orders of answers", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 25 }),
        fc.array(fc.nat(), { minLength: 25, maxLength: 25 }),
        async (maxConcurrent, n, picks) => {
          const r = resilience({ maxConcurrent });
          const upstream = gatedUpstream();
          const order: number[] = [];
          const runs = Array.from({ length: n }, (_, i) =>
            r.run(async (signal) => {
              order.push(i);
              return upstream.call(signal);
            }, idempotent),
          );
          const settled = new Set<number>();
          for (let done = 0; done < n; done++) {
            // Everything that may run has started: min(maxConcurrent, unsettled) in flight.
            await upstream.started(Math.min(n, done + maxConcurrent));
            expect(upstream.inFlight).toBe(Math.min(maxConcurrent, n - done));
            expect(r.state().queued).toBe(Math.max(0, n - done - maxConcurrent));
            const open = Array.from({ length: upstream.calls }, (_, i) => i).filter((i) => !settled.has(i));
            const pick = open[(picks[done] ?? 0) % open.length] ?? 0;
            settled.add(pick);
            upstream.callAt(pick).settle(answer);
          }
          expect(await Promise.all(runs)).toEqual(runs.map(() => answer));
          expect(upstream.maxInFlight).toBeLessThanOrEqual(maxConcurrent);
          expect(order).toEqual(Array.from({ length: n }, (_, i) => i));
        },
      ),
      { numRuns: 100 },
    );
  });
});

import { afterEach, describe, expect, it, vi } from "vitest";
import {
  createSourceResilience,
  passThrough,
  type SourceResilienceOptions,
  type UpstreamCall,
} from "../../../src/sources/http/index.ts";
import { answer, failure, gatedUpstream, scriptedUpstream } from "./fake-upstream.ts";

const resilience = (options: Partial<SourceResilienceOptions> = {}) =>
  createSourceResilience({
    source: "test",
    maxConcurrent: 2,
    queueSize: 1,
    retries: 2,
    retryBaseMs: 0,
    breaker: { consecutiveFailures: 1, halfOpenAfterMs: 30_000 },
    ...options,
  });
const idempotent = { idempotent: true };

afterEach(() => {
  vi.useRealTimers();
});

describe("bulkhead", () => {
  it("runs at most maxConcurrent calls at once, queues queueSize more and refuses the rest as overloaded", async () => {
    const r = resilience();
    const upstream = gatedUpstream();
    const runs = [1, 2, 3, 4].map(() => r.run(upstream.call, idempotent));
    // Runs reach the bulkhead in order, so once the 4th is refused the 3rd is queued.
    expect(await runs[3]).toEqual(failure("unavailable", "overloaded"));
    await upstream.started(2);
    expect(r.state()).toEqual({ source: "test", circuit: "closed", inFlight: 2, queued: 1 });
    expect(upstream.calls).toBe(2);

    upstream.callAt(0).settle(answer);
    await upstream.started(3);
    expect(r.state()).toMatchObject({ inFlight: 2, queued: 0 });
    upstream.callAt(1).settle(answer);
    upstream.callAt(2).settle(answer);
    expect(await Promise.all(runs.slice(0, 3))).toEqual([answer, answer, answer]);
    expect(upstream.maxInFlight).toBe(2);
    expect(r.state()).toMatchObject({ inFlight: 0, queued: 0 });
    // Our own refusal is no upstream failure: with consecutiveFailures 1 the circuit stayed closed.
    expect(r.state().circuit).toBe("closed");
  });

  it("an overloaded run is not retried", async () => {
    const r = resilience({ maxConcurrent: 1, queueSize: 0 });
    const upstream = gatedUpstream();
    const first = r.run(upstream.call, idempotent);
    expect(await r.run(upstream.call, idempotent)).toEqual(failure("unavailable", "overloaded"));
    await upstream.started(1);
    upstream.callAt(0).settle(answer);
    expect(await first).toEqual(answer);
    expect(upstream.calls).toBe(1);
  });
});

describe("overall deadline", () => {
  it("answers timeout/deadline when it passes, and aborts the signal the call received", async () => {
    vi.useFakeTimers();
    const r = resilience({ timeoutMs: 5000 });
    const upstream = gatedUpstream();
    const run = r.run(upstream.call, idempotent);
    await upstream.started(1);
    const { signal } = upstream.callAt(0);
    expect(signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(4999);
    expect(signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await run).toEqual(failure("timeout", "deadline"));
    expect(signal.aborted).toBe(true);
    expect(upstream.inFlight).toBe(0);
  });

  it("covers the retries and their backoff: no attempt starts after it", async () => {
    vi.useFakeTimers();
    const r = resilience({
      timeoutMs: 1000,
      retries: 10,
      retryBaseMs: 400,
      breaker: { consecutiveFailures: 100, halfOpenAfterMs: 1 },
    });
    const upstream = scriptedUpstream([failure("unavailable", "http_503", 503)]);
    const run = r.run(upstream.call, idempotent);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await run).toEqual(failure("timeout", "deadline"));
    const attempts = upstream.calls;
    expect(attempts).toBeGreaterThanOrEqual(1);
    expect(upstream.times.every((t) => t - (upstream.times[0] ?? 0) < 1000)).toBe(true);
    await vi.runAllTimersAsync();
    expect(upstream.calls).toBe(attempts);
    expect(upstream.signals.every((s) => s.aborted)).toBe(true);
  });

  it("without a deadline the call still gets a signal of its own, never aborted", async () => {
    const upstream = scriptedUpstream([answer]);
    await resilience().run(upstream.call, idempotent);
    await resilience().run(upstream.call, idempotent);
    const [a, b] = upstream.signals;
    expect(a).toBeInstanceOf(AbortSignal);
    expect(a?.aborted).toBe(false);
    expect(a).not.toBe(b);
  });
});

describe("never throws", () => {
  it("a call that throws despite its contract becomes unavailable/unexpected_exception", async () => {
    const throwing: UpstreamCall<string> = async () => {
      throw new Error("bug");
    };
    expect(await resilience().run(throwing, idempotent)).toEqual(
      failure("unavailable", "unexpected_exception"),
    );
  });

  it("passThrough is still one attempt without limits", async () => {
    const upstream = scriptedUpstream([failure("unavailable", "http_503", 503), answer]);
    expect(await passThrough.run(upstream.call, idempotent)).toEqual(failure("unavailable", "http_503", 503));
    expect(upstream.calls).toBe(1);
  });
});

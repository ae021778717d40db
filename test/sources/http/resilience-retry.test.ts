import { afterEach, describe, expect, it, vi } from "vitest";
import type { SourceError } from "../../../src/shared/index.ts";
import {
  createSourceResilience,
  FAILURE_HANDLING,
  type SourceResilienceOptions,
} from "../../../src/sources/http/index.ts";
import { answer, failure, scriptedUpstream } from "./fake-upstream.ts";

const resilience = (options: Partial<SourceResilienceOptions> = {}) =>
  createSourceResilience({
    source: "test",
    maxConcurrent: 4,
    retries: 2,
    retryBaseMs: 0,
    breaker: { consecutiveFailures: 100, halfOpenAfterMs: 1000 },
    ...options,
  });

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe("retry", () => {
  it.each([
    ["5xx", failure("unavailable", "http_503", 503)],
    ["429", failure("unavailable", "http_429", 429)],
    ["timeout", failure("timeout", "timeout")],
    ["reset / network error", failure("unavailable", "network_error")],
  ])("retries an idempotent call after %s, and succeeds", async (_name, fail) => {
    const upstream = scriptedUpstream([fail, fail, answer]);
    expect(await resilience().run(upstream.call, { idempotent: true })).toEqual(answer);
    expect(upstream.calls).toBe(3);
  });

  it("gives the last failure after `retries` extra attempts", async () => {
    const upstream = scriptedUpstream([
      failure("unavailable", "http_500", 500),
      failure("timeout", "timeout"),
    ]);
    expect(await resilience({ retries: 3 }).run(upstream.call, { idempotent: true })).toEqual(
      failure("timeout", "timeout"),
    );
    expect(upstream.calls).toBe(4);
  });

  it.each([
    ["400", failure("rejected", "paramsValidation", 400)],
    ["404", failure("rejected", "http_404", 404)],
    ["401", failure("unauthorized", "http_401", 401)],
    ["403", failure("unauthorized", "http_403", 403)],
    ["invalid JSON", failure("malformed", "invalid_json", 200)],
    ["a schema mismatch", failure("malformed", "schema_mismatch", 200)],
  ])("does not retry %s: an answer, or one a repeat would not change", async (_name, fail) => {
    const upstream = scriptedUpstream([fail, answer]);
    expect(await resilience().run(upstream.call, { idempotent: true })).toEqual(fail);
    expect(upstream.calls).toBe(1);
  });

  it("never retries a call that is not idempotent, nor with retries 0", async () => {
    const fail = failure("unavailable", "http_503", 503);
    const once = scriptedUpstream([fail, answer]);
    expect(await resilience().run(once.call, { idempotent: false })).toEqual(fail);
    expect(once.calls).toBe(1);
    const none = scriptedUpstream([fail, answer]);
    expect(await resilience({ retries: 0 }).run(none.call, { idempotent: true })).toEqual(fail);
    expect(none.calls).toBe(1);
  });

  it("the table of what is retried and what counts for the breaker covers every kind", () => {
    const kinds: SourceError["kind"][] = ["timeout", "unavailable", "malformed", "rejected", "unauthorized"];
    expect(Object.keys(FAILURE_HANDLING).sort()).toEqual([...kinds].sort());
    expect(kinds.filter((k) => FAILURE_HANDLING[k].retry)).toEqual(["timeout", "unavailable"]);
    expect(kinds.filter((k) => FAILURE_HANDLING[k].breaker)).toEqual(["timeout", "unavailable", "malformed"]);
  });
});

describe("backoff: exponential with decorrelated jitter, bounded", () => {
  /** The waits between the attempts of one run that fails `retries + 1` times, on a fake clock. */
  async function waits(options: Partial<SourceResilienceOptions>, random: number): Promise<number[]> {
    vi.useFakeTimers();
    vi.spyOn(Math, "random").mockReturnValue(random);
    const upstream = scriptedUpstream([failure("unavailable", "http_503", 503)]);
    const run = resilience(options).run(upstream.call, { idempotent: true });
    await vi.runAllTimersAsync();
    await run;
    expect(upstream.calls).toBe((options.retries ?? 2) + 1);
    return upstream.times.slice(1).map((t, i) => t - (upstream.times[i] ?? 0));
  }

  it.each([0, 0.3, 0.7, 0.9999])("retry n waits less than 2^n / 1.4 × base (random = %d)", async (random) => {
    const delays = await waits({ retries: 5, retryBaseMs: 100, retryMaxDelayMs: 60_000 }, random);
    expect(delays).toHaveLength(5);
    delays.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan((2 ** (i + 1) / 1.4) * 100);
    });
  });

  it("grows exponentially and is jittered", async () => {
    const high = await waits({ retries: 4, retryBaseMs: 100, retryMaxDelayMs: 60_000 }, 0.9999);
    expect(high[3]).toBeGreaterThan(4 * (high[0] ?? Infinity));
    const low = await waits({ retries: 4, retryBaseMs: 100, retryMaxDelayMs: 60_000 }, 0.3);
    expect(low[0]).not.toBe(high[0]);
  });

  it("never waits longer than retryMaxDelayMs, and not at all with base 0", async () => {
    const capped = await waits({ retries: 6, retryBaseMs: 1000, retryMaxDelayMs: 1500 }, 0.9999);
    expect(Math.max(...capped)).toBe(1500);
    expect(await waits({ retries: 3, retryBaseMs: 0 }, 0.9999)).toEqual([0, 0, 0]);
  });
});

it("refuses nonsensical options when it is built, not when it is used", () => {
  expect(() => resilience({ maxConcurrent: 0 })).toThrow(RangeError);
  expect(() => resilience({ retries: -1 })).toThrow(RangeError);
  expect(() => resilience({ breaker: { consecutiveFailures: 0, halfOpenAfterMs: 1 } })).toThrow(RangeError);
  expect(() => resilience({ timeoutMs: 0 })).toThrow(RangeError);
});

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  createSourceResilience,
  type CircuitName,
  type SourceResilienceOptions,
} from "../../../src/sources/http/index.ts";
import { answer, failure, scriptedUpstream } from "./fake-upstream.ts";

const HALF_OPEN_AFTER = 30_000;
const resilience = (options: Partial<SourceResilienceOptions> = {}) =>
  createSourceResilience({
    source: "test",
    maxConcurrent: 4,
    retries: 0,
    retryBaseMs: 0,
    breaker: { consecutiveFailures: 3, halfOpenAfterMs: HALF_OPEN_AFTER },
    ...options,
  });
const idempotent = { idempotent: true };
const http503 = failure("unavailable", "http_503", 503);
const circuitOpen = failure("unavailable", "circuit_open");

// cockatiel's breaker reads Date.now() and takes no clock; a fake clock moves it without sleeping.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("circuit breaker", () => {
  it("opens after N consecutive failures, then answers circuit_open without calling upstream", async () => {
    const r = resilience();
    const upstream = scriptedUpstream([http503]);
    for (let i = 0; i < 3; i++) expect(await r.run(upstream.call, idempotent)).toEqual(http503);
    expect(r.state().circuit).toBe("open");
    expect(await r.run(upstream.call, idempotent)).toEqual(circuitOpen);
    expect(await r.run(upstream.call, { idempotent: false })).toEqual(circuitOpen);
    expect(upstream.calls).toBe(3);
  });

  it("half-opens after halfOpenAfterMs, and one success closes it again", async () => {
    const changes: CircuitName[] = [];
    const r = resilience({ onCircuitChange: (c) => changes.push(c) });
    const upstream = scriptedUpstream([http503]);
    for (let i = 0; i < 3; i++) await r.run(upstream.call, idempotent);
    vi.advanceTimersByTime(HALF_OPEN_AFTER - 1);
    expect(await r.run(upstream.call, idempotent)).toEqual(circuitOpen);
    expect(upstream.calls).toBe(3);
    vi.advanceTimersByTime(1);
    upstream.answerFromNow(answer);
    expect(await r.run(upstream.call, idempotent)).toEqual(answer);
    expect(upstream.calls).toBe(4);
    expect(r.state().circuit).toBe("closed");
    expect(await r.run(upstream.call, idempotent)).toEqual(answer);
    expect(changes).toEqual(["open", "halfOpen", "closed"]);
  });

  it("a failed trial call opens it again for another halfOpenAfterMs", async () => {
    const r = resilience();
    const upstream = scriptedUpstream([http503]);
    for (let i = 0; i < 3; i++) await r.run(upstream.call, idempotent);
    vi.advanceTimersByTime(HALF_OPEN_AFTER);
    expect(await r.run(upstream.call, idempotent)).toEqual(http503);
    expect(upstream.calls).toBe(4);
    expect(await r.run(upstream.call, idempotent)).toEqual(circuitOpen);
    expect(r.state().circuit).toBe("open");
    expect(upstream.calls).toBe(4);
  });

  it("counts timeouts and malformed answers; a success in between resets the count", async () => {
    const r = resilience();
    const upstream = scriptedUpstream([
      failure("timeout", "timeout"),
      failure("malformed", "invalid_json", 200),
      answer,
      failure("timeout", "timeout"),
      failure("malformed", "schema_mismatch", 200),
      failure("unavailable", "network_error"),
    ]);
    for (let i = 0; i < 5; i++) await r.run(upstream.call, idempotent);
    expect(r.state().circuit).toBe("closed");
    await r.run(upstream.call, idempotent);
    expect(r.state().circuit).toBe("open");
  });

  it.each([
    ["400", failure("rejected", "http_400", 400)],
    ["404", failure("rejected", "http_404", 404)],
    ["401", failure("unauthorized", "http_401", 401)],
  ])("a %s is an answer: it never opens the circuit", async (_name, fail) => {
    const r = resilience({ breaker: { consecutiveFailures: 1, halfOpenAfterMs: HALF_OPEN_AFTER } });
    const upstream = scriptedUpstream([fail]);
    for (let i = 0; i < 10; i++) expect(await r.run(upstream.call, idempotent)).toEqual(fail);
    expect(upstream.calls).toBe(10);
    expect(r.state().circuit).toBe("closed");
  });

  it("every attempt counts: retries open the circuit, and an open circuit ends the retries", async () => {
    const r = resilience({
      retries: 5,
      breaker: { consecutiveFailures: 2, halfOpenAfterMs: HALF_OPEN_AFTER },
    });
    const upstream = scriptedUpstream([http503]);
    expect(await r.run(upstream.call, idempotent)).toEqual(circuitOpen);
    expect(upstream.calls).toBe(2);
  });

  it("one instance per source: each has its own circuit", async () => {
    const brp = resilience({ source: "brp" });
    const bag = resilience({ source: "bag" });
    const upstream = scriptedUpstream([http503]);
    for (let i = 0; i < 3; i++) await brp.run(upstream.call, idempotent);
    expect(brp.state()).toMatchObject({ source: "brp", circuit: "open" });
    expect(bag.state()).toMatchObject({ source: "bag", circuit: "closed" });
    expect(await bag.run(scriptedUpstream([answer]).call, idempotent)).toEqual(answer);
  });
});

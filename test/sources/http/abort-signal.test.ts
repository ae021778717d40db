import { describe, expect, it } from "vitest";
import { requestJson, type FetchLike } from "../../../src/sources/http/index.ts";
import { getKvkJson } from "../../../src/sources/kvk/kvk-http.ts";

/** A fetch that hangs until its signal aborts, then rejects as fetch does; it keeps the signal. */
function hangingFetch() {
  const seen: AbortSignal[] = [];
  const fetch: FetchLike = (_url, init) =>
    new Promise((_resolve, reject) => {
      const signal = init?.signal;
      if (!signal) return reject(new Error("no signal"));
      seen.push(signal);
      signal.addEventListener("abort", () => reject(signal.reason));
    });
  return { fetch, seen };
}

const CALLS = [
  [
    "requestJson",
    (fetch: FetchLike, signal: AbortSignal) =>
      requestJson({
        fetch,
        url: "http://upstream.invalid/x",
        method: "GET",
        headers: {},
        timeoutMs: 60_000,
        signal,
      }),
  ],
  [
    "getKvkJson",
    (fetch: FetchLike, signal: AbortSignal) =>
      getKvkJson(fetch, "http://upstream.invalid/x", {}, 60_000, signal),
  ],
] as const;

describe.each(CALLS)("%s", (_name, call) => {
  it("aborts the request when the caller's signal aborts (besides its own timeout): a timeout", async () => {
    const { fetch, seen } = hangingFetch();
    const controller = new AbortController();
    const result = call(fetch, controller.signal);
    expect(seen[0]?.aborted).toBe(false);
    controller.abort();
    expect(await result).toEqual({ ok: false, error: { kind: "timeout", reason: "timeout" } });
    expect(seen[0]?.aborted).toBe(true);
  });
});

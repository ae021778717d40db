import type { Result, SourceError } from "../../shared/index.ts";

/** One upstream call; the signal aborts it when the resilience layer gives up on it. */
export type UpstreamCall<T> = (signal: AbortSignal) => Promise<Result<T, SourceError>>;

export interface RunOptions {
  /**
   * True for reads that may be repeated without effect (every GET, and the query POSTs of the
   * BRP APIs). Only these are retried.
   */
  readonly idempotent: boolean;
  /**
   * The request's own abort signal, when the caller has one: an aborted request's calls leave the
   * waiting line, start no further attempt and answer `timeout`/`aborted`, never NO_HIT. A call
   * already in flight runs to its end (a hang-up is no upstream failure for the breaker).
   */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Per-source protection of the upstream and of the gateway: bounded concurrency, retry with
 * jitter for idempotent reads, a circuit breaker. Every failure stays a value (`SourceError`),
 * so a failing source only makes its own answers UNKNOWN / UPSTREAM_UNAVAILABLE.
 */
export interface SourceResilience {
  readonly source: string;
  run<T>(call: UpstreamCall<T>, options: RunOptions): Promise<Result<T, SourceError>>;
}

/** No protection: one attempt, no limit. For unit tests of a client and for tools. */
export const passThrough: SourceResilience = Object.freeze({
  source: "none",
  run: <T>(call: UpstreamCall<T>) => call(new AbortController().signal),
});

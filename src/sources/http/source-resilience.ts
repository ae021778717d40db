import {
  bulkhead,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleWhenResult,
  retry,
  timeout,
  TimeoutStrategy,
} from "cockatiel";
import { err, UnreachableCaseError, type Result, type SourceError } from "../../shared/index.ts";
import type { RunOptions, SourceResilience, UpstreamCall } from "./resilience.ts";
import { sourceErrorForPolicyError, transientFailure, upstreamFailure } from "./resilience-failures.ts";

export interface SourceResilienceOptions {
  /** Name of the source (`brp`, `bag`, …), for logs, metrics and /ready. */
  readonly source: string;
  /** Most calls in flight to the upstream at once (bulkhead). */
  readonly maxConcurrent: number;
  /** Calls that may wait for a free slot; one more is `overloaded` at once. Default 100. */
  readonly queueSize?: number | undefined;
  /** Extra attempts of an idempotent call after a timeout or `unavailable`; 0 = none. */
  readonly retries: number;
  /**
   * Scale of the exponential backoff with decorrelated jitter: retry n waits a random time in
   * [0, 2^n × base / 1.4) ms, at most `retryMaxDelayMs`. Default 100; 0 = retry at once (tests).
   */
  readonly retryBaseMs?: number | undefined;
  /** Upper bound of one backoff wait. Default 2000. */
  readonly retryMaxDelayMs?: number | undefined;
  readonly breaker: {
    /** Consecutive upstream failures (attempts, not runs) that open the circuit. */
    readonly consecutiveFailures: number;
    /** How long an open circuit answers `circuit_open` before one trial call is let through. */
    readonly halfOpenAfterMs: number;
  };
  /**
   * Overall deadline of one `run`: queueing, every attempt and every backoff. When it passes the
   * run answers `timeout`/`deadline` at once and the call's signal is aborted. Default: none (each
   * attempt is bounded only by its client's own `timeoutMs`).
   */
  readonly timeoutMs?: number | undefined;
  /** Told of every change of the circuit, e.g. to log that a source is cut off. */
  readonly onCircuitChange?: ((circuit: CircuitName) => void) | undefined;
}

export type CircuitName = "closed" | "open" | "halfOpen";

/** A snapshot for /ready and metrics. */
export interface SourceResilienceState {
  readonly source: string;
  readonly circuit: CircuitName;
  /** Calls running upstream now. */
  readonly inFlight: number;
  /** Calls waiting for a slot. */
  readonly queued: number;
}

/** A {@link SourceResilience} that can also report its state. */
export interface ResilientSource extends SourceResilience {
  state(): SourceResilienceState;
}

function circuitName(state: CircuitState): CircuitName {
  switch (state) {
    case CircuitState.Closed:
      return "closed";
    case CircuitState.HalfOpen:
      return "halfOpen";
    case CircuitState.Open:
    case CircuitState.Isolated: // only reachable through isolate(), which is not exposed
      return "open";
    default:
      throw new UnreachableCaseError(state);
  }
}

function requireInt(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min)
    throw new RangeError(`resilience option ${name} must be an integer >= ${min}, got ${value}`);
  return value;
}

/**
 * The resilience of one source, built from cockatiel policies. Create one per source when the app
 * starts and share it by every request: the circuit and the bulkhead only protect if their state
 * outlives a request. Outer to inner: deadline → retry → circuit breaker → bulkhead → call.
 * - Retry is outside the breaker, so every attempt counts for it and an opened circuit ends the
 *   retries (`circuit_open` is not retried, nor is `overloaded`).
 * - The breaker is outside the bulkhead, so an open circuit answers at once instead of queueing.
 * - Each attempt takes its own bulkhead slot; a backoff wait holds none.
 * What counts as a failure: see `resilience-failures.ts`. Every outcome is a `Result`; nothing throws.
 */
export function createSourceResilience(options: SourceResilienceOptions): ResilientSource {
  const maxConcurrent = requireInt("maxConcurrent", options.maxConcurrent, 1);
  const queueSize = requireInt("queueSize", options.queueSize ?? 100, 0);
  const retries = requireInt("retries", options.retries, 0);
  const retryBaseMs = requireInt("retryBaseMs", options.retryBaseMs ?? 100, 0);
  const retryMaxDelayMs = requireInt("retryMaxDelayMs", options.retryMaxDelayMs ?? 2000, 0);
  const consecutiveFailures = requireInt(
    "breaker.consecutiveFailures",
    options.breaker.consecutiveFailures,
    1,
  );
  const halfOpenAfter = requireInt("breaker.halfOpenAfterMs", options.breaker.halfOpenAfterMs, 0);
  const timeoutMs =
    options.timeoutMs === undefined ? undefined : requireInt("timeoutMs", options.timeoutMs, 1);

  const slots = bulkhead(maxConcurrent, queueSize);
  const breaker = circuitBreaker(handleWhenResult(upstreamFailure), {
    halfOpenAfter,
    breaker: new ConsecutiveBreaker(consecutiveFailures),
  });
  const retrying =
    retries === 0
      ? undefined
      : retry(handleWhenResult(transientFailure), {
          maxAttempts: retries,
          // decorrelated jitter is ExponentialBackoff's default generator
          backoff: new ExponentialBackoff({ initialDelay: retryBaseMs, maxDelay: retryMaxDelayMs }),
        });
  const deadline = timeoutMs === undefined ? undefined : timeout(timeoutMs, TimeoutStrategy.Aggressive);
  const { onCircuitChange } = options;
  if (onCircuitChange) breaker.onStateChange((state) => onCircuitChange(circuitName(state)));

  // The signal is passed on explicitly rather than read from each policy's context: cockatiel's
  // breaker drops it for a call that waited for a half-open trial.
  const attempt = <T>(call: UpstreamCall<T>, signal: AbortSignal): Promise<Result<T, SourceError>> =>
    // Past the deadline a late retry must not reach the breaker (it could become its trial call).
    signal.aborted
      ? Promise.resolve(err({ kind: "timeout", reason: "deadline" }))
      : breaker.execute(() => slots.execute(() => call(signal), signal), signal);

  return {
    source: options.source,
    async run<T>(call: UpstreamCall<T>, { idempotent }: RunOptions): Promise<Result<T, SourceError>> {
      const attempts = (signal: AbortSignal) =>
        idempotent && retrying
          ? retrying.execute(() => attempt(call, signal), signal)
          : attempt(call, signal);
      try {
        return await (deadline
          ? deadline.execute(({ signal }) => attempts(signal))
          : attempts(new AbortController().signal));
      } catch (error) {
        return err(sourceErrorForPolicyError(error));
      }
    },
    state: () => ({
      source: options.source,
      circuit: circuitName(breaker.state),
      inFlight: maxConcurrent - slots.executionSlots,
      queued: queueSize - slots.queueSlots,
    }),
  };
}

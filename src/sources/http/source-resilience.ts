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
import { WaitingLine } from "./waiting-line.ts";

export interface SourceResilienceOptions {
  /** Name of the source (`brp`, `bag`, …), for logs, metrics and /ready. */
  readonly source: string;
  /** Most calls in flight to the upstream at once (bulkhead). */
  readonly maxConcurrent: number;
  /**
   * Calls that may wait for a free slot, in order of arrival (a waiting line in front of the
   * bulkhead, so bulk work waits instead of overflowing); one more is `overloaded` at once.
   * Bounds the memory of waiting work. Default {@link DEFAULT_QUEUE_SIZE}.
   */
  readonly queueSize?: number | undefined;
  /**
   * Longest wait in that line; a call that waited longer answers `timeout`/`wait_timeout`.
   * Default: none (a waiter leaves only when the deadline passes or the request is aborted).
   */
  readonly queueWaitMs?: number | undefined;
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

/** Waiting calls per source by default: a bulk request of a thousand subjects fits with room. */
export const DEFAULT_QUEUE_SIZE = 10_000;

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
 * outlives a request. Outer to inner: deadline → retry → circuit breaker → waiting line → bulkhead →
 * call.
 * - Retry is outside the breaker, so every attempt counts for it and an opened circuit ends the
 *   retries (`circuit_open` is not retried, nor is `overloaded`).
 * - The breaker is outside the bulkhead, so an open circuit answers at once instead of queueing.
 * - The waiting line lets at most `maxConcurrent` attempts into the bulkhead and keeps the rest
 *   in order of arrival (issue 15, P3: 1,000 probes in one request wait, none is refused while
 *   the upstream is healthy). Its refusals (full line, deadline, abort, `queueWaitMs`) are thrown
 *   inside the breaker like the bulkhead's, so they never count as upstream failures (and, as
 *   with the bulkhead's, a half-open trial refused there counts as a success for cockatiel). The
 *   bulkhead stays as the hard ceiling of calls in flight.
 * - Each attempt takes its own place in line and bulkhead slot; a backoff wait holds none.
 * What counts as a failure: see `resilience-failures.ts`. Every outcome is a `Result`; nothing throws.
 */
export function createSourceResilience(options: SourceResilienceOptions): ResilientSource {
  const maxConcurrent = requireInt("maxConcurrent", options.maxConcurrent, 1);
  const queueSize = requireInt("queueSize", options.queueSize ?? DEFAULT_QUEUE_SIZE, 0);
  const queueWaitMs =
    options.queueWaitMs === undefined ? undefined : requireInt("queueWaitMs", options.queueWaitMs, 1);
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

  const line = new WaitingLine({ permits: maxConcurrent, capacity: queueSize, maxWaitMs: queueWaitMs });
  // Never queues: the line lets no more than its slots in.
  const slots = bulkhead(maxConcurrent, 0);
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
  // `waiting` also aborts when the request is aborted, `signal` only at the deadline: a caller
  // that hangs up takes its calls out of the line, but a call already in flight runs to its end,
  // or hang-ups would count as upstream failures and could open the circuit for everyone.
  const attempt = <T>(
    call: UpstreamCall<T>,
    signal: AbortSignal,
    waiting: AbortSignal,
    abortedAs: () => "deadline" | "aborted",
  ): Promise<Result<T, SourceError>> =>
    // Past the deadline a late retry must not reach the breaker (it could become its trial call).
    waiting.aborted
      ? Promise.resolve(err({ kind: "timeout", reason: abortedAs() }))
      : breaker.execute(
          () => line.run(() => slots.execute(() => call(signal), signal), waiting, abortedAs),
          signal,
        );

  return {
    source: options.source,
    async run<T>(
      call: UpstreamCall<T>,
      { idempotent, signal: request }: RunOptions,
    ): Promise<Result<T, SourceError>> {
      const abortedAs = () => (request?.aborted ? "aborted" : "deadline");
      const attempts = (signal: AbortSignal) => {
        const waiting = request ? AbortSignal.any([signal, request]) : signal;
        return idempotent && retrying
          ? retrying.execute(() => attempt(call, signal, waiting, abortedAs), waiting)
          : attempt(call, signal, waiting, abortedAs);
      };
      try {
        const result = await (deadline
          ? deadline.execute(({ signal }) => attempts(signal))
          : attempts(new AbortController().signal));
        // What failed because the request was aborted says so, whatever the call made of it.
        return !result.ok && request?.aborted ? err({ kind: "timeout", reason: "aborted" }) : result;
      } catch (error) {
        if (request?.aborted) return err({ kind: "timeout", reason: "aborted" });
        return err(sourceErrorForPolicyError(error));
      }
    },
    state: () => ({
      source: options.source,
      circuit: circuitName(breaker.state),
      inFlight: maxConcurrent - slots.executionSlots,
      queued: line.waiting,
    }),
  };
}

import type { SourceError } from "../../shared/index.ts";
import { WaitingLineError } from "./waiting-line.ts";

/**
 * How the resilience layer treats each kind of failed call (design.md "Hit semantics": whatever
 * it decides, the answer stays UNKNOWN, never NO_HIT).
 * - `timeout`, `unavailable` (5xx, 429, network error, reset): the upstream is sick or busy.
 *   Retried (idempotent calls only) and counted by the circuit breaker.
 * - `malformed` (invalid JSON, wrong content type, schema mismatch): counted by the breaker (a
 *   maintenance page served with 200, a broken release), but not retried: the same request
 *   would get the same answer.
 * - `rejected` (4xx), `unauthorized` (401/403): answers, not sickness. Neither retried nor
 *   counted; for the breaker they are successes (the upstream is up and answering).
 */
export const FAILURE_HANDLING = {
  timeout: { retry: true, breaker: true },
  unavailable: { retry: true, breaker: true },
  malformed: { retry: false, breaker: true },
  rejected: { retry: false, breaker: false },
  unauthorized: { retry: false, breaker: false },
} as const satisfies Record<SourceError["kind"], { readonly retry: boolean; readonly breaker: boolean }>;

function failedKind(result: unknown): SourceError["kind"] | undefined {
  if (typeof result !== "object" || result === null || !("ok" in result) || result.ok !== false)
    return undefined;
  return (result as unknown as { readonly error: SourceError }).error.kind;
}

/** A `Result` that should be tried again (for idempotent calls). */
export const transientFailure = (result: unknown): boolean => {
  const kind = failedKind(result);
  return kind !== undefined && FAILURE_HANDLING[kind].retry;
};

/** A `Result` that counts towards opening the circuit. */
export const upstreamFailure = (result: unknown): boolean => {
  const kind = failedKind(result);
  return kind !== undefined && FAILURE_HANDLING[kind].breaker;
};

/**
 * Cockatiel signals its own refusals by throwing; these become values. Recognised by the brand
 * property every cockatiel error sets (not `instanceof`, which depends on which build of
 * cockatiel was loaded; and not its `isTaskCancelledError` helper, which in 3.2.1 tests the
 * wrong brand).
 */
export function sourceErrorForPolicyError(error: unknown): SourceError {
  const branded = (brand: string) => error instanceof Error && brand in error;
  if (branded("isBrokenCircuitError")) return { kind: "unavailable", reason: "circuit_open" };
  if (branded("isBulkheadRejectedError")) return { kind: "unavailable", reason: "overloaded" };
  if (branded("isTaskCancelledError")) return { kind: "timeout", reason: "deadline" };
  if (error instanceof WaitingLineError)
    return error.reason === "overloaded"
      ? { kind: "unavailable", reason: "overloaded" }
      : { kind: "timeout", reason: error.reason };
  // An UpstreamCall must not throw; if one does, it is still a value here.
  return { kind: "unavailable", reason: "unexpected_exception" };
}

import { err, ok, type Result, type SourceError } from "../../../src/shared/index.ts";
import type { UpstreamCall } from "../../../src/sources/http/index.ts";

type Answer = Result<string, SourceError>;

export const answer = ok("answer");
export const failure = (kind: SourceError["kind"], reason = "x", status?: number): Answer =>
  err(status === undefined ? { kind, reason } : { kind, reason, status });

/** An upstream that gives `answers` in turn (the last one from then on) and counts its calls. */
export function scriptedUpstream(answers: readonly Answer[]) {
  let script = [...answers];
  const signals: AbortSignal[] = [];
  const times: number[] = [];
  let next = 0;
  const call: UpstreamCall<string> = async (signal) => {
    signals.push(signal);
    times.push(Date.now());
    const a = script[Math.min(next++, script.length - 1)];
    if (!a) throw new Error("no answers scripted");
    return a;
  };
  return {
    call,
    /** Date.now() at each call (fake timers make these exact). */
    times,
    signals,
    get calls() {
      return next;
    },
    /** From now on every call answers `a`. */
    answerFromNow(a: Answer) {
      script = [...script.slice(0, next), a];
    },
  };
}

/**
 * An upstream whose calls hang until the test settles them, each with the signal it received, so
 * a test controls exactly what is in flight (no sleeps). Like fetch, a call whose signal aborts
 * ends as a timeout.
 */
export function gatedUpstream() {
  const pending: { settle: (a: Answer) => void; signal: AbortSignal }[] = [];
  let waiters: (() => void)[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let calls = 0;
  const call: UpstreamCall<string> = (signal) =>
    new Promise<Answer>((resolve) => {
      calls++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      let done = false;
      const settle = (a: Answer) => {
        if (done) return;
        done = true;
        inFlight--;
        resolve(a);
      };
      signal.addEventListener("abort", () => settle(failure("timeout", "timeout")));
      pending.push({ settle, signal });
      const ws = waiters;
      waiters = [];
      ws.forEach((w) => w());
    });
  return {
    call,
    get calls() {
      return calls;
    },
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    /** The n-th call (0-based) as it was made. */
    callAt(n: number) {
      const p = pending[n];
      if (!p) throw new Error(`call ${n} not made`);
      return p;
    },
    /** Resolves once `n` calls have been made in all. */
    async started(n: number): Promise<void> {
      while (calls < n) await new Promise<void>((resolve) => waiters.push(resolve));
    },
  };
}

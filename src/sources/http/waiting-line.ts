/**
 * Why a call left the waiting line without running. Thrown (like cockatiel's own refusals) inside
 * the breaker, so it never counts as an upstream failure; `sourceErrorForPolicyError` makes it a
 * value: `overloaded` (the line is full), `deadline` (the run's deadline passed while waiting),
 * `aborted` (the request was aborted), `wait_timeout` (waited longer than the line allows).
 */
export class WaitingLineError extends Error {
  readonly isWaitingLineError = true;
  constructor(readonly reason: "overloaded" | "deadline" | "aborted" | "wait_timeout") {
    super(`waiting line: ${reason}`);
    this.name = "WaitingLineError";
  }
}

export interface WaitingLineOptions {
  /** Tasks running at once; the rest wait in order of arrival. */
  readonly permits: number;
  /** Tasks that may wait; one more is refused at once (`overloaded`), so memory stays bounded. */
  readonly capacity: number;
  /** Longest wait for a permit; undefined: until the signal aborts. */
  readonly maxWaitMs?: number | undefined;
}

interface Waiter {
  readonly admit: () => void;
}

/**
 * A FIFO semaphore with a bounded waiting line (issue 15, P3): in front of a source's bulkhead, so
 * bulk work (a thousand probes in one request) waits for a slot instead of overflowing the
 * bulkhead's queue. A waiter whose signal aborts (the run's deadline, the request) or whose wait
 * exceeds `maxWaitMs` leaves the line at once and frees its place; it is then refused with the
 * reason, an UNKNOWN answer for the probe that asked, never NO_HIT.
 */
export class WaitingLine {
  readonly #permits: number;
  readonly #capacity: number;
  readonly #maxWaitMs: number | undefined;
  readonly #line = new Set<Waiter>(); // insertion order: first come, first served
  #running = 0;

  constructor(options: WaitingLineOptions) {
    this.#permits = options.permits;
    this.#capacity = options.capacity;
    this.#maxWaitMs = options.maxWaitMs;
  }

  get running(): number {
    return this.#running;
  }

  get waiting(): number {
    return this.#line.size;
  }

  /** Runs `task` once a permit is free; `abortedAs` names why `signal` aborted, if it does. */
  async run<T>(
    task: () => Promise<T>,
    signal: AbortSignal,
    abortedAs: () => "deadline" | "aborted",
  ): Promise<T> {
    if (signal.aborted) throw new WaitingLineError(abortedAs());
    if (this.#running >= this.#permits || this.#line.size > 0) await this.#wait(signal, abortedAs);
    else this.#running++;
    try {
      return await task();
    } finally {
      this.#release();
    }
  }

  #wait(signal: AbortSignal, abortedAs: () => "deadline" | "aborted"): Promise<void> {
    if (this.#line.size >= this.#capacity) return Promise.reject(new WaitingLineError("overloaded"));
    return new Promise<void>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const leave = (reason: WaitingLineError["reason"]) => {
        this.#line.delete(waiter);
        cleanUp();
        reject(new WaitingLineError(reason));
      };
      const onAbort = () => leave(abortedAs());
      const cleanUp = () => {
        signal.removeEventListener("abort", onAbort);
        if (timer !== undefined) clearTimeout(timer);
      };
      const waiter: Waiter = {
        admit: () => {
          cleanUp();
          resolve();
        },
      };
      this.#line.add(waiter);
      signal.addEventListener("abort", onAbort, { once: true });
      if (this.#maxWaitMs !== undefined) timer = setTimeout(() => leave("wait_timeout"), this.#maxWaitMs);
    });
  }

  /** The permit goes straight to the first waiter, if any (so a newcomer cannot jump the line). */
  #release(): void {
    const next = this.#line.values().next();
    if (next.done) {
      this.#running--;
      return;
    }
    this.#line.delete(next.value);
    next.value.admit();
  }
}

/**
 * Reads shared by concurrent callers, but never a read that began before the caller asked
 * (issue 15: fewer statements per request without a cache).
 *
 * A caller that arrives while a read is in flight cannot use that read: its statement may have
 * taken its snapshot before something the caller must see was committed. So the caller waits for
 * the next read, which starts once the one in flight has settled, and every caller that arrives
 * until then joins it with its own key. Each caller therefore gets its answer from a statement
 * that began after it asked — what it would have seen asking alone, so a change committed anywhere
 * before a request arrived is seen by that request — while under load there is one read in flight
 * and one gathering, instead of one statement per caller. A caller that finds no read in flight
 * starts one at once, alone.
 *
 * Nothing is kept: once a read has settled its answers are gone. A failed read fails every caller
 * that shared it (each sees the error); the next caller starts a new read.
 */
export interface BatchedRead<K, T> {
  read(key: K): Promise<T>;
  /** Reads started so far (tests, the benchmark). */
  readonly started: number;
}

interface Batch<K, T> {
  readonly keys: Map<K, Array<{ resolve: (value: T) => void; reject: (reason: unknown) => void }>>;
}

/**
 * `run` answers a set of distinct keys in one statement, a value for every key it was given (a
 * key without an answer is an error of `run`). At most `maxKeys` keys go into one read; more
 * callers gather in the reads after it.
 */
export function batchedRead<K, T>(
  run: (keys: readonly K[]) => Promise<ReadonlyMap<K, T>>,
  maxKeys = 500,
): BatchedRead<K, T> {
  let inFlight = false;
  const gathering: Batch<K, T>[] = [];
  let started = 0;

  function start(batch: Batch<K, T>): void {
    inFlight = true;
    started += 1;
    const keys = [...batch.keys.keys()];
    const settle = (answer: ReadonlyMap<K, T> | undefined, error?: unknown) => {
      for (const [key, waiters] of batch.keys) {
        const has = answer?.has(key) === true;
        for (const w of waiters) {
          if (has) w.resolve(answer!.get(key) as T);
          else w.reject(error ?? new Error("the shared read gave no answer for a key it was asked"));
        }
      }
      inFlight = false;
      const next = gathering.shift();
      if (next) start(next);
    };
    let running: Promise<ReadonlyMap<K, T>>;
    try {
      running = run(keys);
    } catch (e) {
      running = Promise.reject(e);
    }
    running.then(
      (answer) => settle(answer),
      (e: unknown) => settle(undefined, e),
    );
  }

  function read(key: K): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter = { resolve, reject };
      if (!inFlight) {
        start({ keys: new Map([[key, [waiter]]]) });
        return;
      }
      let batch = gathering.at(-1);
      if (!batch || (batch.keys.size >= maxKeys && !batch.keys.has(key))) {
        batch = { keys: new Map() };
        gathering.push(batch);
      }
      const waiters = batch.keys.get(key);
      if (waiters) waiters.push(waiter);
      else batch.keys.set(key, [waiter]);
    });
  }

  return {
    read,
    get started() {
      return started;
    },
  };
}

/** {@link batchedRead} of one value without a key (the newest policy version). */
export function sharedRead<T>(run: () => Promise<T>): {
  read(): Promise<T>;
  readonly started: number;
} {
  const reads = batchedRead<undefined, T>(async () => new Map([[undefined, await run()]]));
  return {
    read: () => reads.read(undefined),
    get started() {
      return reads.started;
    },
  };
}

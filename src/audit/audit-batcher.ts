import { err, ok, type Result } from "../shared/index.ts";
import type { AuditLog } from "./audit-log.ts";
import type { AuditEntry, AuditError } from "./types.ts";

/**
 * Per-request buffer in front of the audit log: the entries recorded in one tick (e.g. by the
 * resolvers of one GraphQL selection) are appended together in one transaction. Every `record`
 * promise settles only after that transaction, with its shared outcome, so a resolver that awaits
 * it releases data only once the record is committed (fail closed).
 */
export interface AuditBatcher {
  record(entry: AuditEntry): Promise<Result<void, AuditError>>;
  /** Appends what is buffered now, without waiting for the tick; settles with that batch (or, when
   * nothing is buffered, with the most recent one). */
  flush(): Promise<Result<void, AuditError>>;
  /** Entries recorded whose outcome is not known yet (buffered or being written). */
  readonly pending: number;
}

interface Waiting {
  readonly entry: AuditEntry;
  readonly settle: (result: Result<void, AuditError>) => void;
}

/** Schedules after the promise jobs of the current tick, as DataLoader does. */
const afterThisTick = (fn: () => void) => {
  void Promise.resolve().then(() => process.nextTick(fn));
};

export function createAuditBatcher(log: Pick<AuditLog, "append">): AuditBatcher {
  let queue: Waiting[] = [];
  let scheduled = false;
  let writing = 0;
  let lastBatch: Promise<Result<void, AuditError>> = Promise.resolve(ok(undefined));

  const flush = (): Promise<Result<void, AuditError>> => {
    scheduled = false;
    const batch = queue;
    if (batch.length === 0) return lastBatch;
    queue = [];
    writing += batch.length;
    lastBatch = log
      .append(batch.map((waiting) => waiting.entry))
      .then(
        (result): Result<void, AuditError> => (result.ok ? ok(undefined) : result),
        // append does not throw, but a waiter must settle whatever happens.
        (error: unknown) =>
          err<AuditError>({
            kind: "audit_write_failed",
            reason: error instanceof Error ? error.message : String(error),
          }),
      )
      .then((result) => {
        writing -= batch.length;
        for (const waiting of batch) waiting.settle(result);
        return result;
      });
    return lastBatch;
  };

  return {
    record(entry) {
      return new Promise((settle) => {
        queue.push({ entry, settle });
        if (!scheduled) {
          scheduled = true;
          afterThisTick(() => void flush());
        }
      });
    },
    flush,
    get pending() {
      return queue.length + writing;
    },
  };
}

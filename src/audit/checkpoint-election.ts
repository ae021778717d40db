import type { Db, Session } from "../store/index.ts";

/**
 * Which replica writes the audit checkpoints (issue 13: "with several replicas there is one
 * chain; the checkpoint writer is elected"). Every replica appends to the one chain, so one
 * checkpoint of its head anchors the records of all of them (Delft art. 6a-b, Maastricht art. 9);
 * several writers would only multiply the files to keep and compare. The writer is whoever holds a
 * session-level advisory lock; the others stand by and try again at every interval, so when the
 * writer's process dies its session ends, the lock frees and a standby takes over.
 */
export interface WriterLease {
  /**
   * Whether this process is the writer now: confirms a lock it holds (its session still
   * answers), or takes the lock when it is free. Throws when the database cannot be asked.
   */
  claim(): Promise<boolean>;
  /** Gives the lock up (shutdown), so a standby takes over at its next interval. */
  release(): Promise<void>;
}

/**
 * Class of the two-key advisory lock (`pg_try_advisory_lock(int4, int4)`). The two-key form never
 * meets the one-key locks of the migrations, the chain and the retention job
 * (MIGRATION_LOCK_KEY, AUDIT_CHAIN_LOCK_KEY, RETENTION_LOCK_KEY: 7_071_300_001..3), since
 * PostgreSQL tells the forms apart (pg_locks.objsubid 1 or 2).
 */
export const CHECKPOINT_LOCK_CLASS = 70_713_004;

/**
 * The second key is the schema's: advisory locks are per database, the chain is per schema, so
 * two gateways on two schemas of one server (or the tests, a schema each) each elect their own.
 */
const LOCK_ARGS = `${CHECKPOINT_LOCK_CLASS}, hashtext(current_schema())`;
const TRY_LOCK = `SELECT pg_try_advisory_lock(${LOCK_ARGS}) AS locked`;
const UNLOCK = `SELECT pg_advisory_unlock(${LOCK_ARGS})`;

/** PGlite: one process owns DATA_DIR (src/store/data-dir-lock.ts), so it is always the writer. */
export const ALWAYS_WRITER: WriterLease = Object.freeze({
  claim: () => Promise.resolve(true),
  release: () => Promise.resolve(),
});

interface Held {
  readonly session: Session;
  /** Lets the session end: unlock, and the connection goes back to the pool. */
  readonly letGo: () => void;
  /** Settles when the session has ended. */
  readonly ended: Promise<void>;
}

/**
 * The lock on a connection of its own (`db.session`) that stays out of the pool for as long as
 * this process is the writer: a session lock lives as long as its connection, and a pooled one
 * would go back to the pool still holding it. A standby's attempt returns its connection at once.
 * A held lock is confirmed at every claim with a query on that very connection: if it fails, the
 * connection (and the lock with it) is gone, so the process tries to take the lock anew.
 */
export function advisoryLease(session: NonNullable<Db["session"]>): WriterLease {
  let held: Held | undefined;

  const take = async (): Promise<Held | undefined> => {
    let letGo: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (letGo = resolve));
    let taken: (s: Session | undefined) => void = () => undefined;
    const outcome = new Promise<Session | undefined>((resolve) => (taken = resolve));
    const run = session(async (s) => {
      const [row] = await s.query<{ locked: boolean }>(TRY_LOCK);
      if (row?.locked !== true) return taken(undefined);
      taken(s);
      await released;
      await s.query(UNLOCK);
    });
    // A session that fails before the answer fails the claim; one that fails later (its
    // connection lost) is noticed at the next claim.
    const s = await Promise.race([outcome, run.then(() => undefined)]);
    const ended = run.then(
      () => undefined,
      () => undefined,
    );
    if (!s) return undefined;
    return { session: s, letGo, ended };
  };

  const drop = async (h: Held): Promise<void> => {
    h.letGo();
    await h.ended;
  };

  return {
    claim: async () => {
      if (held) {
        const current = held;
        const alive = await current.session.query("SELECT 1").then(
          () => true,
          () => false,
        );
        if (alive) return true;
        held = undefined;
        await drop(current);
      }
      held = await take();
      return held !== undefined;
    },
    release: async () => {
      const current = held;
      held = undefined;
      if (current) await drop(current);
    },
  };
}

/** The election for this database: the advisory lock on PostgreSQL, always the writer on PGlite. */
export const writerLeaseFor = (db: Db): WriterLease =>
  db.dialect === "postgres" && db.session ? advisoryLease(db.session.bind(db)) : ALWAYS_WRITER;

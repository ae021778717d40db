/**
 * The storage seam. PGlite (embedded default) and PostgreSQL (DATABASE_URL) implement the same
 * interface and run the same SQL migrations; SQL uses `$1` placeholders, valid in both.
 */
export interface Queryable {
  /**
   * Returns the result rows. Without parameters `sql` may be a script of several statements
   * (simple protocol in both dialects); the rows of the last one are returned.
   */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

/**
 * One dedicated connection, for session state that must outlive a transaction (the migration
 * runner's `pg_advisory_lock`).
 */
export interface Session extends Queryable {
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
}

export interface Db extends Queryable {
  readonly dialect: "pglite" | "postgres";
  /** Runs `fn` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * Runs `fn` on one dedicated connection (PGlite has only one). Optional so that wrappers and
   * fakes need not provide it; without it the migration runner relies on transaction-level locks.
   */
  session?<T>(fn: (session: Session) => Promise<T>): Promise<T>;
}

/**
 * Limits every PostgreSQL session of the gateway runs with, so that nothing waits without end for
 * a lock, a statement or a connection: a disclosure that cannot be audited in time fails closed
 * (INTERNAL_SERVER_ERROR, no data) instead of hanging. 0 sets no limit of the gateway's own (the
 * server's or the role's setting then holds). Not applied to PGlite: it has one in-process
 * connection, so no other session can hold its locks.
 */
export interface DbTimeouts {
  /** `statement_timeout`: longest a statement may run. */
  readonly statementMs: number;
  /** `lock_timeout`: longest a statement waits for a lock, the audit chain's advisory lock too. */
  readonly lockMs: number;
  /** `idle_in_transaction_session_timeout`: longest a transaction may sit idle before the server ends it. */
  readonly idleInTransactionMs: number;
  /** Longest wait for a connection: a new one to the server, or a free one of the pool. */
  readonly connectMs: number;
}

export interface OpenDbOptions {
  /** PostgreSQL connection string. When set, PostgreSQL is used. */
  readonly url?: string | undefined;
  /** PGlite data directory; `memory://` for an in-memory database. */
  readonly dataDir?: string | undefined;
  /**
   * PGlite only: on a thread of its own (the default for a data directory) or the caller's (the
   * default in memory); src/store/pglite-db.ts.
   */
  readonly pgliteWorker?: boolean | undefined;
  /** PostgreSQL only: schema to create and use (test isolation). */
  readonly schema?: string | undefined;
  /** PostgreSQL only; defaults to `DEFAULT_DB_TIMEOUTS`. */
  readonly timeouts?: DbTimeouts | undefined;
  /**
   * PostgreSQL only: told when a pooled connection is lost (the server ended it, the network
   * dropped it). The request that used it fails; the pool opens a new one for the next.
   */
  readonly onConnectionLost?: ((error: Error) => void) | undefined;
}

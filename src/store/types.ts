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

export interface OpenDbOptions {
  /** PostgreSQL connection string. When set, PostgreSQL is used. */
  readonly url?: string | undefined;
  /** PGlite data directory; `memory://` for an in-memory database. */
  readonly dataDir?: string | undefined;
  /** PostgreSQL only: schema to create and use (test isolation). */
  readonly schema?: string | undefined;
}

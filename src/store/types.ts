/**
 * The storage seam. PGlite (embedded default) and PostgreSQL (DATABASE_URL) implement the same
 * interface and run the same SQL migrations; SQL uses `$1` placeholders, valid in both.
 */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

export interface Db extends Queryable {
  readonly dialect: "pglite" | "postgres";
  /** Runs `fn` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenDbOptions {
  /** PostgreSQL connection string. When set, PostgreSQL is used. */
  readonly url?: string | undefined;
  /** PGlite data directory; `memory://` for an in-memory database. */
  readonly dataDir?: string | undefined;
  /** PostgreSQL only: schema to create and use (test isolation). */
  readonly schema?: string | undefined;
}

import pg from "pg";
import type { Db, DbTimeouts, OpenDbOptions, Queryable, Session } from "./types.ts";

const INT8 = 20;
const DATE = 1082;
const DUPLICATE_SCHEMA = "42P06";
const UNIQUE_VIOLATION = "23505";

/** Lowercase SQL identifiers only, so a schema name never needs quoting or escaping. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Type parsers for this pool only (the `pg` defaults are global and shared with other pools):
 * int8/bigserial as number, `date` as its text, like the PGlite adapter.
 */
const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === INT8) return (value: string) => Number(value);
    if (oid === DATE) return (value: string) => value;
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig["getTypeParser"],
};

type PgResult = pg.QueryResult | pg.QueryResult[];

/** Rows of the last statement: a parameterless query may be a script of several statements. */
const rowsOf = <T>(result: PgResult): T[] =>
  (Array.isArray(result) ? (result.at(-1)?.rows ?? []) : result.rows) as T[];

async function run<T>(target: pg.Pool | pg.PoolClient, sql: string, params?: readonly unknown[]) {
  const result: PgResult =
    params && params.length > 0 ? await target.query(sql, [...params]) : await target.query(sql);
  return rowsOf<T>(result);
}

/** A transaction handle that refuses use after COMMIT/ROLLBACK, when its client may be reused. */
function transactionQueryable(client: pg.PoolClient, isDone: () => boolean): Queryable {
  return {
    query: async <T>(sql: string, params?: readonly unknown[]) => {
      if (isDone()) throw new Error("The transaction has already finished.");
      return run<T>(client, sql, params);
    },
  };
}

/**
 * BEGIN, `fn`, COMMIT on one client; ROLLBACK when `fn` throws. Returns the error that leaves the
 * client unusable (connection lost), if any, so the caller can destroy instead of reuse it.
 */
async function transactionOn<T>(
  client: pg.PoolClient,
  fn: (tx: Queryable) => Promise<T>,
): Promise<{ value: T } | { error: unknown; broken: Error | undefined }> {
  let done = false;
  try {
    await client.query("BEGIN");
    const value = await fn(transactionQueryable(client, () => done));
    done = true;
    const commit = await client.query("COMMIT");
    // COMMIT of an aborted transaction "succeeds" with tag ROLLBACK; PGlite throws there, so do we.
    if (commit.command === "ROLLBACK")
      return { error: new Error("The transaction was aborted and rolled back."), broken: undefined };
    return { value };
  } catch (error) {
    if (done) return { error, broken: asError(error) };
    done = true;
    try {
      await client.query("ROLLBACK");
      return { error, broken: undefined };
    } catch (rollbackError) {
      return { error, broken: asError(rollbackError) };
    }
  }
}

const asError = (value: unknown): Error => (value instanceof Error ? value : new Error(String(value)));

type LostListener = (error: Error) => void;

interface Lease {
  readonly client: pg.PoolClient;
  /** Back to the pool; destroyed instead when `broken` is set or the connection was lost. */
  release(broken?: Error | boolean): void;
}

/**
 * A client out of the pool, with an 'error' listener for as long as it is out. pg-pool listens
 * only to idle clients, and an 'error' event nobody listens to ends the process: the server
 * terminating the backend (57P01) or the socket closing ("Connection terminated unexpectedly")
 * while a transaction or session holds the client would take the whole gateway down. Here the
 * loss only fails that client's next query, and the client is destroyed on release, never reused.
 */
async function checkout(pool: pg.Pool, onLost: LostListener): Promise<Lease> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const onError = (error: Error) => {
    if (lost) return;
    lost = error;
    onLost(error);
  };
  client.on("error", onError);
  return {
    client,
    release: (broken) => {
      client.removeListener("error", onError);
      client.release(lost ?? broken);
    },
  };
}

async function inTransaction<T>(
  pool: pg.Pool,
  onLost: LostListener,
  fn: (tx: Queryable) => Promise<T>,
): Promise<T> {
  const lease = await checkout(pool, onLost);
  const outcome = await transactionOn(lease.client, fn);
  lease.release("broken" in outcome ? outcome.broken : undefined);
  if ("error" in outcome) throw outcome.error;
  return outcome.value;
}

/** One dedicated client for session state (advisory locks); destroyed if `fn` fails. */
async function inSession<T>(
  pool: pg.Pool,
  onLost: LostListener,
  fn: (session: Session) => Promise<T>,
): Promise<T> {
  const lease = await checkout(pool, onLost);
  const { client } = lease;
  let broken = false;
  const session: Session = {
    query: (sql, params) => run(client, sql, params),
    transaction: async (body) => {
      const outcome = await transactionOn(client, body);
      if ("error" in outcome) {
        if (outcome.broken) broken = true;
        throw outcome.error;
      }
      return outcome.value;
    },
  };
  try {
    return await fn(session);
  } catch (error) {
    // Session locks die with the connection, so a failed session never leaks one.
    broken = true;
    throw error;
  } finally {
    lease.release(broken);
  }
}

async function createSchema(pool: pg.Pool, schema: string): Promise<void> {
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } catch (error) {
    // Two replicas creating it at the same moment: the loser sees a duplicate; the schema exists.
    const code = (error as { code?: string }).code;
    if (code !== DUPLICATE_SCHEMA && code !== UNIQUE_VIOLATION) throw error;
  }
}

/** The limits of every session when the caller gives none (the configuration's defaults). */
export const DEFAULT_DB_TIMEOUTS: DbTimeouts = Object.freeze({
  statementMs: 10_000,
  lockMs: 5_000,
  idleInTransactionMs: 10_000,
  connectMs: 5_000,
});

/**
 * Session limits as startup parameters, so every pooled connection has them before its first
 * query, whatever runs on it. pg leaves out a 0 (the server's own setting holds then).
 */
const sessionLimits = (t: DbTimeouts): pg.PoolConfig => ({
  statement_timeout: t.statementMs,
  lock_timeout: t.lockMs,
  idle_in_transaction_session_timeout: t.idleInTransactionMs,
  connectionTimeoutMillis: t.connectMs,
  // A peer that vanished without closing (failover, dropped route) is noticed by TCP keepalive.
  keepAlive: true,
});

export type PostgresOptions = Pick<OpenDbOptions, "schema" | "timeouts" | "onConnectionLost">;

/**
 * PostgreSQL through a `pg.Pool`. With `schema`, every pooled connection starts with
 * `search_path` set to it (a startup option, so it holds before the first query). A lost
 * connection (idle or in use) fails only what runs on it; the pool connects anew for the next
 * request, so the gateway recovers by itself once the server is back.
 */
export async function openPostgresDb(url: string, options: PostgresOptions = {}): Promise<Db> {
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema))
    throw new Error(`Invalid schema name ${JSON.stringify(schema)}: use [a-z_][a-z0-9_]*.`);
  const pool = new pg.Pool({
    connectionString: url,
    types: typeParsers,
    ...sessionLimits(options.timeouts ?? DEFAULT_DB_TIMEOUTS),
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  const onLost: LostListener = (error) => options.onConnectionLost?.(error);
  // An idle client losing its connection: pg-pool has removed it already; the next query connects.
  pool.on("error", onLost);
  let closed = false;
  try {
    if (schema !== undefined) await createSchema(pool, schema);
    else await pool.query("SELECT 1");
  } catch (error) {
    await pool.end();
    throw error;
  }
  return Object.freeze({
    dialect: "postgres" as const,
    query: <T = Record<string, unknown>>(sql: string, params?: readonly unknown[]) =>
      run<T>(pool, sql, params),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => inTransaction(pool, onLost, fn),
    session: <T>(fn: (session: Session) => Promise<T>) => inSession(pool, onLost, fn),
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  });
}

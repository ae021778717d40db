import pg from "pg";
import type { Db, Queryable, Session } from "./types.ts";

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

async function inTransaction<T>(pool: pg.Pool, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const outcome = await transactionOn(client, fn);
  client.release("broken" in outcome ? outcome.broken : undefined);
  if ("error" in outcome) throw outcome.error;
  return outcome.value;
}

/** One dedicated client for session state (advisory locks); destroyed if `fn` fails. */
async function inSession<T>(pool: pg.Pool, fn: (session: Session) => Promise<T>): Promise<T> {
  const client = await pool.connect();
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
    client.release(broken);
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

/**
 * PostgreSQL through a `pg.Pool`. With `schema`, every pooled connection starts with
 * `search_path` set to it (a startup option, so it holds before the first query).
 */
export async function openPostgresDb(url: string, schema?: string): Promise<Db> {
  if (schema !== undefined && !SCHEMA_NAME.test(schema))
    throw new Error(`Invalid schema name ${JSON.stringify(schema)}: use [a-z_][a-z0-9_]*.`);
  const pool = new pg.Pool({
    connectionString: url,
    types: typeParsers,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on("error", () => {});
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
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => inTransaction(pool, fn),
    session: <T>(fn: (session: Session) => Promise<T>) => inSession(pool, fn),
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  });
}

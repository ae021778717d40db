import { AsyncLocalStorage } from "node:async_hooks";
import { mkdir } from "node:fs/promises";
import { PGlite, types, type Transaction } from "@electric-sql/pglite";
import type { Db, Queryable, Session } from "./types.ts";

/** `dataDir` value that selects an in-memory database. */
export const IN_MEMORY = "memory://";

/**
 * Type parsers shared by both dialects so rows look the same: int8 as number (our sequences stay
 * far below 2^53), `date` as its `YYYY-MM-DD` text (no time zone shifts).
 */
const parsers = {
  [types.INT8]: (value: string) => Number(value),
  [types.DATE]: (value: string) => value,
};

interface PgliteLike {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  exec(sql: string): Promise<Array<{ rows: unknown[] }>>;
}

/**
 * Runs one statement with parameters (extended protocol) or, without parameters, a script of one
 * or more statements (simple protocol, like `pg` does) and returns the rows of the last one.
 */
async function run<T>(target: PgliteLike, sql: string, params?: readonly unknown[]): Promise<T[]> {
  if (params && params.length > 0) return (await target.query<T>(sql, [...params])).rows;
  const results = await target.exec(sql);
  return (results.at(-1)?.rows ?? []) as T[];
}

/** The embedded database: one PGlite instance, in memory or in a data directory. */
export async function openPgliteDb(dataDir: string = IN_MEMORY): Promise<Db> {
  if (dataDir !== IN_MEMORY) await mkdir(dataDir, { recursive: true });
  const pg = await PGlite.create(dataDir, { parsers });
  const txQueryable = (tx: Transaction): Queryable => ({
    query: (sql, params) => run(tx as unknown as PgliteLike, sql, params),
  });
  // PGlite serialises transactions and queries on its single connection, so a transaction never
  // interleaves with another one. Using the db (not the tx) inside its own transaction would wait
  // for that transaction forever; fail fast instead. (PostgreSQL would use a second connection.)
  const insideTransaction = new AsyncLocalStorage<{ active: boolean }>();
  const refuseInsideTransaction = () => {
    if (insideTransaction.getStore()?.active)
      throw new Error("PGlite: use the transaction's `tx`, not the db, inside db.transaction (deadlock).");
  };
  const query = async <T = Record<string, unknown>>(sql: string, params?: readonly unknown[]) => {
    refuseInsideTransaction();
    return run<T>(pg as unknown as PgliteLike, sql, params);
  };
  const transaction = async <T>(fn: (tx: Queryable) => Promise<T>) => {
    refuseInsideTransaction();
    const state = { active: true };
    try {
      return await pg.transaction((tx) => insideTransaction.run(state, () => fn(txQueryable(tx))));
    } finally {
      state.active = false;
    }
  };
  return Object.freeze({
    dialect: "pglite" as const,
    query,
    transaction,
    // The single connection is the session.
    session: <T>(fn: (session: Session) => Promise<T>) => fn({ query, transaction }),
    close: async () => {
      if (!pg.closed) await pg.close();
    },
  });
}

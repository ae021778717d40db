import { AsyncLocalStorage } from "node:async_hooks";
import { mkdir } from "node:fs/promises";
import { Worker } from "node:worker_threads";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import { errorFrom, pgliteParsers, runOn, type PgliteLike } from "./pglite-run.ts";
import type { WorkerReady, WorkerReply, WorkerRequest } from "./pglite-worker.ts";
import type { Db, Queryable, Session } from "./types.ts";

/** `dataDir` value that selects an in-memory database. */
export const IN_MEMORY = "memory://";

export interface PgliteOptions {
  /**
   * Run PGlite on a thread of its own (src/store/pglite-worker.ts) instead of the caller's. The
   * default for a data directory: the gateway's thread then goes on with other requests while a
   * statement runs (issue 15). In-memory databases (tests, one-off commands) stay on the caller's
   * thread unless asked.
   */
  readonly worker?: boolean | undefined;
}

/**
 * The embedded database: one PGlite instance, in memory or in a data directory, on its own thread
 * or the caller's. Both behave the same to their users: one connection, statements in order, a
 * transaction that holds the connection until it ends.
 */
export async function openPgliteDb(dataDir: string = IN_MEMORY, options: PgliteOptions = {}): Promise<Db> {
  if (dataDir !== IN_MEMORY) await mkdir(dataDir, { recursive: true });
  const worker = options.worker ?? dataDir !== IN_MEMORY;
  return worker ? openOnWorker(dataDir) : openOnThisThread(dataDir);
}

interface Connection {
  query(sql: string, params: readonly unknown[] | undefined, tx?: number): Promise<unknown[]>;
  /** Runs `fn` in one transaction of the connection. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * The Db over a connection. Using the db (not the tx) inside its own transaction would wait for
 * that transaction forever: PGlite serialises transactions and queries on its single connection.
 * Fail fast instead. (PostgreSQL would use a second connection.)
 */
function dbOver(connection: Connection): Db {
  const insideTransaction = new AsyncLocalStorage<{ active: boolean }>();
  const refuseInsideTransaction = () => {
    if (insideTransaction.getStore()?.active)
      throw new Error("PGlite: use the transaction's `tx`, not the db, inside db.transaction (deadlock).");
  };
  const query = async <T = Record<string, unknown>>(sql: string, params?: readonly unknown[]) => {
    refuseInsideTransaction();
    return (await connection.query(sql, params)) as T[];
  };
  const transaction = async <T>(fn: (tx: Queryable) => Promise<T>) => {
    refuseInsideTransaction();
    const state = { active: true };
    try {
      return await connection.transaction((tx) => insideTransaction.run(state, () => fn(tx)));
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
    close: () => connection.close(),
  });
}

async function openOnThisThread(dataDir: string): Promise<Db> {
  const pg = await PGlite.create(dataDir, { parsers: pgliteParsers });
  const txQueryable = (tx: Transaction): Queryable => ({
    query: (sql, params) => runOn(tx as unknown as PgliteLike, sql, params),
  });
  return dbOver({
    query: (sql, params) => runOn(pg as unknown as PgliteLike, sql, params),
    transaction: (fn) => pg.transaction((tx) => fn(txQueryable(tx))),
    close: async () => {
      if (!pg.closed) await pg.close();
    },
  });
}

/** The worker's module beside this one: TypeScript from the sources, JavaScript when compiled. */
const workerUrl = () =>
  new URL(import.meta.url.endsWith(".ts") ? "./pglite-worker.ts" : "./pglite-worker.js", import.meta.url);

async function openOnWorker(dataDir: string): Promise<Db> {
  type Pending = { resolve: (r: WorkerReply & { ok: true }) => void; reject: (e: Error) => void };
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let broken: Error | undefined;
  let closed = false;
  // Referenced while it opens; after that it keeps the process alive only while a statement of
  // it is awaited.
  const thread = new Worker(workerUrl(), { workerData: { dataDir } });

  const breakAll = (e: Error) => {
    broken ??= e;
    for (const p of pending.values()) p.reject(broken);
    pending.clear();
    thread.unref();
  };
  const ready = new Promise<void>((resolve, reject) => {
    thread.once("message", (m: WorkerReady) => {
      if (m.ready) resolve();
      else reject(errorFrom(m.error));
      thread.on("message", (r: WorkerReply) => {
        const p = pending.get(r.id);
        if (!p) return;
        pending.delete(r.id);
        if (pending.size === 0) thread.unref();
        if (r.ok) p.resolve(r);
        else p.reject(errorFrom(r.error));
      });
    });
    thread.on("error", (e) => {
      reject(e);
      breakAll(e);
    });
    thread.on("exit", (code) => {
      const e = new Error(`PGlite: the database thread ended (exit code ${code})`);
      reject(e);
      breakAll(e);
    });
  });
  ready.catch(() => undefined);

  // Distributive, so each request kind keeps its own fields.
  type Without<T> = T extends unknown ? Omit<T, "id"> : never;
  const call = (request: Without<WorkerRequest>): Promise<WorkerReply & { ok: true }> => {
    if (closed && request.op !== "close") return Promise.reject(new Error("PGlite: the database is closed"));
    if (broken) return Promise.reject(broken);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      if (pending.size === 1) thread.ref();
      thread.postMessage({ ...request, id } as WorkerRequest);
    });
  };

  try {
    await ready;
  } catch (e) {
    await thread.terminate();
    throw e;
  }
  if (pending.size === 0) thread.unref();

  return dbOver({
    query: async (sql, params, tx) =>
      (await call({ op: "query", sql, ...(params ? { params } : {}), ...(tx === undefined ? {} : { tx }) }))
        .rows ?? [],
    transaction: async <T>(fn: (tx: Queryable) => Promise<T>): Promise<T> => {
      const begun = await call({ op: "begin" });
      const tx = begun.tx!;
      let value: T;
      try {
        value = await fn({
          query: async <R>(sql: string, params?: readonly unknown[]) =>
            ((await call({ op: "query", sql, ...(params ? { params } : {}), tx })).rows ?? []) as R[],
        });
      } catch (e) {
        await call({ op: "rollback", tx }).catch(() => undefined);
        throw e;
      }
      await call({ op: "commit", tx });
      return value;
    },
    close: async () => {
      if (closed || broken) return;
      closed = true;
      try {
        await call({ op: "close" });
      } finally {
        await thread.terminate();
      }
    },
  });
}

import type { Db, Queryable } from "../../src/store/index.ts";

/** One SQL statement the gateway sent, and whether it ran inside a transaction. */
export interface LoggedStatement {
  readonly sql: string;
  readonly inTransaction: boolean;
  /** Its bind parameters (issue 16: a register's key and condition values go only here). */
  readonly params?: readonly unknown[] | undefined;
}

/**
 * Wraps a database so that a test can see every statement sent through it (`startTestApp({ wrapDb })`).
 * `log` is cleared by the test between requests; nothing else changes.
 */
export function statementLog(): { readonly log: LoggedStatement[]; readonly wrap: (db: Db) => Db } {
  const log: LoggedStatement[] = [];
  const tracked = (q: Queryable, inTransaction: boolean): Queryable => ({
    query: (sql, params) => {
      log.push({ sql, inTransaction, params });
      return q.query(sql, params);
    },
  });
  const wrap = (db: Db): Db => ({
    dialect: db.dialect,
    ...tracked(db, false),
    transaction: (fn) => db.transaction((tx) => fn(tracked(tx, true))),
    close: () => db.close(),
    ...(db.session ? { session: db.session.bind(db) } : {}),
  });
  return { log, wrap };
}

/**
 * The reads among them: statements outside a transaction that only read, and none of the audit
 * log's own (its write is counted by the audit's tests, not here) nor of the demo's registers.
 */
export const readStatements = (log: readonly LoggedStatement[]): string[] =>
  log
    .filter(
      (s) =>
        !s.inTransaction &&
        /^\s*(SELECT|WITH)\b/i.test(s.sql) &&
        !/\b(INSERT|UPDATE|DELETE)\b/i.test(s.sql) &&
        !/\baudit_/i.test(s.sql) &&
        // Issue 16: the demo's registers live in the demo database, but are upstream reads.
        !/"registers_demo"\./.test(s.sql),
    )
    .map((s) => s.sql.replace(/\s+/g, " ").trim());

import { afterEach, describe, expect, it } from "vitest";
import { createAuditBatcher, createAuditLog } from "../../src/audit/index.ts";
import type { Db, Queryable } from "../../src/store/index.ts";
import { createTestDb, dialectUnderTest } from "../utils/test-db.ts";
import { entry, HMAC_KEY } from "./audit-fixtures.ts";

/**
 * The real db, with its audit flushes counted (one `audit_append` statement each, outside a
 * transaction its own commit) and, on demand, failing them so that nothing is committed.
 */
function instrumented(db: Db) {
  const state = { flushes: 0, failCommit: false };
  const run = (q: Queryable, sql: string, params?: readonly unknown[]) => {
    if (sql.includes("audit_append(")) {
      state.flushes += 1;
      if (state.failCommit) return Promise.reject(new Error("commit failed"));
    }
    return q.query(sql, params);
  };
  const wrapped: Db = {
    dialect: db.dialect,
    query: (sql, params) => run(db, sql, params) as never,
    close: () => db.close(),
    transaction: (fn) =>
      db.transaction((tx) => fn({ query: (sql, params) => run(tx, sql, params) as never })),
  };
  return { db: wrapped, state };
}

describe(`audit batcher (${dialectUnderTest()})`, () => {
  const dbs: Db[] = [];
  afterEach(async () => {
    await Promise.all(dbs.splice(0).map((db) => db.close()));
  });
  const setup = async () => {
    const real = await createTestDb();
    dbs.push(real);
    const { db, state } = instrumented(real);
    const log = createAuditLog({ db, hmacKey: HMAC_KEY });
    return { real, log, state, batcher: createAuditBatcher(log) };
  };
  const count = async (db: Db) =>
    (await db.query<{ n: number }>("SELECT count(*) AS n FROM audit_log"))[0]?.n;

  it("appends the entries of one tick in one transaction and settles every caller after the commit", async () => {
    const { real, log, state, batcher } = await setup();
    const settled: number[] = [];
    const waits = [1, 2, 3].map((i) =>
      batcher.record(entry({ actor: `a${i}` })).then(async (result) => {
        // Settled only once the record is committed and visible.
        expect(await count(real)).toBe(4);
        settled.push(i);
        return result;
      }),
    );
    // Resolvers that record after awaiting a resolved promise are still in the same tick.
    const late = Promise.resolve().then(() => batcher.record(entry({ actor: "a4" })));
    expect(batcher.pending).toBe(3);
    expect(state.flushes).toBe(0);

    const results = await Promise.all([...waits, late]);
    expect(results).toStrictEqual(Array.from({ length: 4 }, () => ({ ok: true, value: undefined })));
    expect(state.flushes).toBe(1);
    expect(settled.sort()).toStrictEqual([1, 2, 3]);
    expect(batcher.pending).toBe(0);
    expect((await log.list()).map((record) => record.actor)).toStrictEqual(["a1", "a2", "a3", "a4"]);
  });

  it("uses a new transaction for entries recorded in a later tick", async () => {
    const { state, batcher } = await setup();
    await batcher.record(entry());
    await batcher.record(entry());
    expect(state.flushes).toBe(2);
  });

  it("gives every waiter the failure when the commit fails, and writes nothing", async () => {
    const { real, state, batcher } = await setup();
    state.failCommit = true;
    const results = await Promise.all([batcher.record(entry()), batcher.record(entry())]);
    for (const result of results)
      expect(result).toStrictEqual({
        ok: false,
        error: { kind: "audit_write_failed", reason: "commit failed" },
      });
    expect(state.flushes).toBe(1);
    expect(await count(real)).toBe(0);
  });

  it("flushes on demand, before the tick ends", async () => {
    const { real, state, batcher } = await setup();
    const recorded = batcher.record(entry());
    expect(batcher.pending).toBe(1);
    const flushed = batcher.flush();
    expect(batcher.pending).toBe(1);
    expect(await flushed).toStrictEqual({ ok: true, value: undefined });
    expect(batcher.pending).toBe(0);
    expect(await recorded).toStrictEqual({ ok: true, value: undefined });
    expect(await count(real)).toBe(1);
    expect(state.flushes).toBe(1);
  });

  it("settles every waiter even if the log throws", async () => {
    const batcher = createAuditBatcher({ append: () => Promise.reject(new Error("exploded")) });
    const results = await Promise.all([batcher.record(entry()), batcher.record(entry())]);
    expect(results).toStrictEqual([
      { ok: false, error: { kind: "audit_write_failed", reason: "exploded" } },
      { ok: false, error: { kind: "audit_write_failed", reason: "exploded" } },
    ]);
    expect(batcher.pending).toBe(0);
  });
});

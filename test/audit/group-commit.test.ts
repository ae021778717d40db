import { AsyncLocalStorage } from "node:async_hooks";
import { afterEach, describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { AUDIT_CHAIN_LOCK_KEY } from "../../src/audit/audit-log.ts";
import { createAuditLog, type AuditLog } from "../../src/audit/index.ts";
import type { Db, Queryable } from "../../src/store/index.ts";
import { connectAgain, createTestDb, dialectUnderTest } from "../utils/test-db.ts";
import { entry, HMAC_KEY } from "./audit-fixtures.ts";

/**
 * Group commit (issue 15, P4): appends of concurrent callers share one transaction, each caller
 * settles only after that COMMIT with its own records, and a failed flush gives no caller ok.
 */
describe(`audit group commit (${dialectUnderTest()})`, () => {
  const dbs: Db[] = [];
  afterEach(async () => {
    await Promise.all(dbs.splice(0).map((db) => db.close()));
  });
  const freshDb = async () => {
    const db = await createTestDb();
    dbs.push(db);
    return db;
  };
  const count = async (db: Db) =>
    Number((await db.query<{ n: number }>("SELECT count(*) AS n FROM audit_log"))[0]?.n);

  /**
   * Counts the audit_append statements (one per flush, outside a transaction its own commit) and
   * lets a test fail one before it runs, or lose its answer after it committed.
   */
  function instrumented(db: Db) {
    const events: string[] = [];
    const state = { statements: 0, failBefore: false, failAfter: false };
    const run = async <T>(q: Queryable, sql: string, params?: readonly unknown[]) => {
      if (!sql.includes("audit_append(")) return q.query<T>(sql, params);
      state.statements += 1;
      if (state.failBefore) throw new Error("connection terminated (test)");
      const rows = await q.query<T>(sql, params);
      if (state.failAfter) throw new Error("connection lost before the answer (test)");
      events.push("commit");
      return rows;
    };
    const wrapped: Db = {
      ...db,
      query: (sql, params) => run(db, sql, params),
      transaction: (fn) => db.transaction((tx) => fn({ query: (sql, params) => run(tx, sql, params) })),
    };
    return { db: wrapped, state, events };
  }

  const subjects = (n: number) => Array.from({ length: n }, (_, i) => String(100_000_000 + i));

  it("writes the appends of one tick in one transaction, each caller getting its own records", async () => {
    const db = await freshDb();
    const probe = instrumented(db);
    const log = createAuditLog({ db: probe.db, hmacKey: HMAC_KEY });
    const results = await Promise.all(
      subjects(50).map((subject) => log.append([entry({ subject, reason: `r-${subject}` })])),
    );
    // Appends of one tick share a flush.
    expect(probe.state.statements).toBe(1);
    subjects(50).forEach((subject, i) => {
      const result = results[i];
      expect(result?.ok).toBe(true);
      if (!result?.ok) return;
      expect(result.value).toHaveLength(1);
      expect(result.value[0]?.reason).toBe(`r-${subject}`);
      expect(result.value[0]?.subjectPseudonym).toBe(log.pseudonymise(subject, "bsn"));
    });
    const seqs = results.flatMap((r) => (r.ok ? r.value.map((record) => record.seq) : []));
    expect(new Set(seqs).size).toBe(50);
    expect(await count(db)).toBe(50);
    expect((await log.verify()).ok).toBe(true);
  });

  it("lets callers that append again after a commit share the next flush", async () => {
    const db = await freshDb();
    const probe = instrumented(db);
    const log = createAuditLog({ db: probe.db, hmacKey: HMAC_KEY });
    await Promise.all(
      subjects(10).map(async (subject) => {
        for (let round = 0; round < 5; round += 1) {
          const result = await log.append([entry({ subject, reason: `round ${round}` })]);
          expect(result.ok).toBe(true);
        }
      }),
    );
    // Ten writers, five rounds each: one transaction per round, not one per record.
    expect(probe.state.statements).toBe(5);
    expect(await count(db)).toBe(50);
    expect((await log.verify()).ok).toBe(true);
  });

  it("settles every caller only after its transaction committed", async () => {
    const db = await freshDb();
    const probe = instrumented(db);
    const log = createAuditLog({ db: probe.db, hmacKey: HMAC_KEY });
    await Promise.all(
      subjects(12).map(async (subject) => {
        const result = await log.append([entry({ subject })]);
        probe.events.push(result.ok ? "settled ok" : "settled error");
      }),
    );
    expect(probe.events[0]).toBe("commit");
    const commits = probe.events.filter((event) => event === "commit").length;
    expect(commits).toBe(probe.state.statements);
    // Every "settled" follows the commit of its batch: no caller hears ok before a commit.
    const firstSettled = probe.events.indexOf("settled ok");
    expect(probe.events.slice(0, firstSettled)).toContain("commit");
    expect(probe.events.filter((event) => event === "settled ok")).toHaveLength(12);
  });

  it("gives no waiter ok when the database fails mid-batch, and writes nothing", async () => {
    const db = await freshDb();
    const probe = instrumented(db);
    const log = createAuditLog({ db: probe.db, hmacKey: HMAC_KEY });
    probe.state.failBefore = true;
    const failed = await Promise.all(subjects(20).map((subject) => log.append([entry({ subject })])));
    expect(failed.every((result) => !result.ok && result.error.kind === "audit_write_failed")).toBe(true);
    expect(await count(db)).toBe(0);

    // The log recovers once the database does; the chain is intact.
    probe.state.failBefore = false;
    const after = await Promise.all(subjects(5).map((subject) => log.append([entry({ subject })])));
    expect(after.every((result) => result.ok)).toBe(true);
    expect(await count(db)).toBe(5);
    expect((await log.verify()).ok).toBe(true);
  });

  it("gives no waiter ok when the answer to a committed flush is lost, and writes no record twice", async () => {
    const db = await freshDb();
    const probe = instrumented(db);
    const log = createAuditLog({ db: probe.db, hmacKey: HMAC_KEY });
    probe.state.failAfter = true;
    const lost = await Promise.all(subjects(20).map((subject) => log.append([entry({ subject })])));
    expect(lost.every((result) => !result.ok && result.error.kind === "audit_write_failed")).toBe(true);
    // Committed once (logged but not disclosed: fail closed); each caller's retry alone is refused
    // by the record's unique id instead of writing it a second time.
    expect(await count(db)).toBe(20);
    expect((await log.verify()).ok).toBe(true);
  });

  it("does not fail the other callers of a batch for one caller's record that cannot be stored", async () => {
    const db = await freshDb();
    const log = createAuditLog({ db, hmacKey: HMAC_KEY });
    const results = await Promise.all(
      subjects(10).map((subject, i) =>
        log.append([entry({ subject, reason: i === 6 ? "nul \u0000 byte" : "fine" })]),
      ),
    );
    expect(results.map((result) => result.ok)).toStrictEqual(subjects(10).map((_, i) => i !== 6));
    expect(await count(db)).toBe(9);
    expect((await log.verify()).ok).toBe(true);
  });

  it("keeps one caller's large append in one transaction beside small ones", async () => {
    const db = await freshDb();
    const probe = instrumented(db);
    const log = createAuditLog({ db: probe.db, hmacKey: HMAC_KEY });
    const large = subjects(1200).map((subject) => entry({ subject, reason: "large" }));
    const results = await Promise.all([
      log.append([entry({ reason: "first" })]),
      log.append(large),
      log.append([entry({ reason: "small" })]),
    ]);
    expect(results.every((result) => result.ok)).toBe(true);
    const seqs = results[1]?.ok ? results[1].value.map((record) => record.seq) : [];
    expect(seqs).toHaveLength(1200);
    // Consecutive in the chain: nobody else's record inside the large append.
    expect(seqs.at(-1)! - seqs[0]!).toBe(1199);
    // One statement each for the small ones, three chunks in one transaction for the large one.
    expect(probe.state.statements).toBe(5);
    expect((await log.verify()).ok).toBe(true);
  });

  it("keeps the chain linear when two replicas group-commit at once", async () => {
    const db = await freshDb();
    const other = await connectAgain(db);
    dbs.push(other);
    const logs: AuditLog[] = [
      createAuditLog({ db, hmacKey: HMAC_KEY }),
      createAuditLog({ db: other, hmacKey: HMAC_KEY }),
    ];
    const results = await Promise.all(
      subjects(80).map((subject, i) => logs[i % 2]!.append([entry({ subject })])),
    );
    expect(results.every((result) => result.ok)).toBe(true);
    expect(await count(db)).toBe(80);
    expect((await logs[0]!.verify()).ok).toBe(true);
  });

  it("writes a flush in the log's own context, not in the first caller's request context", async () => {
    const db = await freshDb();
    const request = new AsyncLocalStorage<string>();
    const seen: (string | undefined)[] = [];
    const watched: Db = {
      ...db,
      query: (sql, params) => {
        if (sql.includes("audit_append(")) seen.push(request.getStore());
        return db.query(sql, params);
      },
    };
    const log = createAuditLog({ db: watched, hmacKey: HMAC_KEY });
    const results = await Promise.all(
      subjects(6).map((subject, i) => request.run(`request-${i}`, () => log.append([entry({ subject })]))),
    );
    expect(results.every((result) => result.ok)).toBe(true);
    // A flush writes for every waiting request: no one request's trace or transaction scope.
    expect(seen).toStrictEqual([undefined]);
    expect(await count(db)).toBe(6);
  });

  it("takes the chain lock that AUDIT_CHAIN_LOCK_KEY names (other sessions wait on it)", async () => {
    const sql = await readFile(
      new URL("../../src/store/migrations/021_audit_append.sql", import.meta.url),
      "utf8",
    );
    expect(sql).toContain(`pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY})`);
  });
});

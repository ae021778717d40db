import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { openDb, type Db } from "../../src/store/index.ts";
import { connectAgain, createTestDb, dialectUnderTest } from "../utils/test-db.ts";

// Behaviour of the pool that only shows with real connections. Under PGlite (one connection)
// the same assertions hold trivially, so the tests run in both passes.
describe(`connections (${dialectUnderTest()})`, () => {
  const dbs: Db[] = [];
  afterEach(async () => {
    await Promise.all(dbs.splice(0).map((db) => db.close()));
  });

  it("puts every pooled connection on the test schema", async () => {
    const db = await createTestDb({ migrate: false });
    dbs.push(db);
    await db.query("CREATE TABLE only_here (v int)");
    // More concurrent queries than the pool has idle connections: each must see the table.
    const counts = await Promise.all(
      Array.from({ length: 20 }, () => db.query<{ n: number }>("SELECT count(*) AS n FROM only_here")),
    );
    expect(counts.flat()).toStrictEqual(Array.from({ length: 20 }, () => ({ n: 0 })));
    const second = await connectAgain(db);
    dbs.push(second);
    expect(await second.query("SELECT count(*) AS n FROM only_here")).toStrictEqual([{ n: 0 }]);
  });

  it("keeps a transaction on one connection while others write concurrently", async () => {
    const db = await createTestDb({ migrate: false });
    dbs.push(db);
    await db.query("CREATE TABLE t (v int)");
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        db.transaction(async (tx) => {
          await tx.query("INSERT INTO t VALUES ($1)", [i]);
          // Uncommitted rows of this transaction are visible to it: same connection.
          const [row] = await tx.query<{ n: number }>("SELECT count(*) AS n FROM t WHERE v = $1", [i]);
          expect(row?.n).toBe(1);
        }),
      ),
    );
    expect(await db.query("SELECT count(*) AS n FROM t")).toStrictEqual([{ n: 12 }]);
  });

  it("does not change the global pg type parsers", async () => {
    const db = await createTestDb({ migrate: false });
    dbs.push(db);
    expect(await db.query("SELECT 5::int8 AS n")).toStrictEqual([{ n: 5 }]);
    expect(pg.types.getTypeParser(20, "text")("5")).toBe("5");
  });

  it("fails to open an unreachable PostgreSQL server with an error", async () => {
    await expect(openDb({ url: "postgres://postgres@127.0.0.1:1/none" })).rejects.toThrow();
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { openDb, type Db } from "../../src/store/index.ts";
import { createTestDb, dialectUnderTest } from "../utils/test-db.ts";

const SHAPES_SQL = `SELECT 1::int8 AS big, 2::int4 AS small, '2025-03-01T09:00:00.123Z'::timestamptz AS at,
  '{"b":1,"a":[true,null]}'::jsonb AS doc, ARRAY['x','y']::text[] AS list, '{}'::text[] AS empty,
  '2025-03-01'::date AS day, NULL::text AS nothing, true AS yes, 1.50::numeric AS amount`;

const EXPECTED_SHAPES = {
  big: 1,
  small: 2,
  at: new Date("2025-03-01T09:00:00.123Z"),
  doc: { a: [true, null], b: 1 },
  list: ["x", "y"],
  empty: [],
  day: "2025-03-01",
  nothing: null,
  yes: true,
  amount: "1.50",
};

describe(`openDb (${dialectUnderTest()})`, () => {
  const dbs: Db[] = [];
  const track = (db: Db) => (dbs.push(db), db);
  afterEach(async () => {
    await Promise.all(dbs.splice(0).map((db) => db.close()));
  });

  it("opens the dialect under test", async () => {
    const db = track(await createTestDb({ migrate: false }));
    expect(db.dialect).toBe(dialectUnderTest());
  });

  it("maps types to the same JavaScript shapes in both dialects", async () => {
    const db = track(await createTestDb({ migrate: false }));
    const rows = await db.query(SHAPES_SQL);
    expect(rows).toStrictEqual([EXPECTED_SHAPES]);
    expect(rows[0]?.["at"]).toBeInstanceOf(Date);
    if (db.dialect === "postgres") {
      // Side by side with the embedded dialect: identical rows.
      const embedded = track(await openDb({ dataDir: "memory://" }));
      expect(await embedded.query(SHAPES_SQL)).toStrictEqual(rows);
    }
  });

  it("binds $n parameters, including arrays, dates and JSON text", async () => {
    const db = track(await createTestDb({ migrate: false }));
    const rows = await db.query<{ hit: boolean; at: Date; doc: unknown; n: number }>(
      "SELECT 'b' = ANY($1::text[]) AS hit, $2::timestamptz AS at, $3::jsonb AS doc, $4::int8 AS n",
      [["a", "b"], new Date("2025-01-01T00:00:00Z"), JSON.stringify({ k: [1] }), 42],
    );
    expect(rows).toStrictEqual([{ hit: true, at: new Date("2025-01-01T00:00:00Z"), doc: { k: [1] }, n: 42 }]);
  });

  it("runs a parameterless script and returns the rows of its last statement", async () => {
    const db = track(await createTestDb({ migrate: false }));
    const rows = await db.query("CREATE TABLE t (v int); INSERT INTO t VALUES (7); SELECT v FROM t");
    expect(rows).toStrictEqual([{ v: 7 }]);
  });

  it("commits a transaction that resolves", async () => {
    const db = track(await createTestDb({ migrate: false }));
    await db.query("CREATE TABLE t (v int)");
    const value = await db.transaction(async (tx) => {
      await tx.query("INSERT INTO t VALUES ($1)", [1]);
      await tx.query("INSERT INTO t VALUES ($1)", [2]);
      return "done";
    });
    expect(value).toBe("done");
    expect(await db.query("SELECT v FROM t ORDER BY v")).toStrictEqual([{ v: 1 }, { v: 2 }]);
  });

  it("rolls back everything when the transaction throws", async () => {
    const db = track(await createTestDb({ migrate: false }));
    await db.query("CREATE TABLE t (v int)");
    const failure = new Error("boom");
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO t VALUES ($1)", [1]);
        expect(await tx.query("SELECT count(*) AS n FROM t")).toStrictEqual([{ n: 1 }]);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await db.query("SELECT count(*) AS n FROM t")).toStrictEqual([{ n: 0 }]);
  });

  it("refuses to commit a transaction whose statement failed, even when the error was caught", async () => {
    const db = track(await createTestDb({ migrate: false }));
    await db.query("CREATE TABLE t (v int PRIMARY KEY)");
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO t VALUES (1)");
        await tx.query("INSERT INTO t VALUES (1)").catch(() => undefined);
      }),
    ).rejects.toThrow();
    expect(await db.query("SELECT count(*) AS n FROM t")).toStrictEqual([{ n: 0 }]);
  });

  it("rejects queries after close, and close is idempotent", async () => {
    const db = track(await createTestDb({ migrate: false }));
    await db.close();
    await db.close();
    await expect(db.query("SELECT 1")).rejects.toThrow();
    await expect(db.transaction((tx) => tx.query("SELECT 1"))).rejects.toThrow();
  });

  it("refuses a schema option for PGlite and an invalid schema name for PostgreSQL", async () => {
    await expect(openDb({ dataDir: "memory://", schema: "s" })).rejects.toThrow(/PostgreSQL only/);
    await expect(openDb({ url: "postgres://127.0.0.1:1/x", schema: 'x"; DROP' })).rejects.toThrow(
      /Invalid schema name/,
    );
  });
});

describe("PGlite single connection", () => {
  it("fails fast instead of deadlocking when the db is used inside its own transaction", async () => {
    const db = await openDb({ dataDir: "memory://" });
    try {
      await expect(db.transaction(() => db.query("SELECT 1"))).rejects.toThrow(/use the transaction's `tx`/);
      await expect(db.transaction(() => db.transaction((tx) => tx.query("SELECT 1")))).rejects.toThrow(
        /use the transaction's `tx`/,
      );
      // After the transaction the db is usable again.
      expect(await db.query("SELECT 1 AS one")).toStrictEqual([{ one: 1 }]);
    } finally {
      await db.close();
    }
  });
});

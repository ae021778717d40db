import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { migrate, openDb, type Db } from "../../src/store/index.ts";
import { openPgliteDb } from "../../src/store/pglite-db.ts";

/**
 * Issue 15: PGlite on a thread of its own (src/store/pglite-worker.ts), the default for a data
 * directory. It must behave exactly as PGlite on the caller's thread: the same rows, errors,
 * transactions and order — only the caller's thread is free while a statement runs.
 */
const SHAPES_SQL = `SELECT 1::int8 AS big, '2025-03-01T09:00:00.123Z'::timestamptz AS at,
  '{"b":1,"a":[true,null]}'::jsonb AS doc, ARRAY['x','y']::text[] AS list, '2025-03-01'::date AS day,
  NULL::text AS nothing, 1.50::numeric AS amount, '\\x0102'::bytea AS raw`;

const dbs: Db[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dbs.splice(0).map((db) => db.close()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
/** How often this thread's event loop turned while a long statement ran. */
async function turnsDuringLongStatement(db: Db): Promise<number> {
  let turns = 0;
  let running = true;
  const spin = () => {
    turns += 1;
    if (running) setImmediate(spin);
  };
  setImmediate(spin);
  await db.query("SELECT count(*) FROM generate_series(1, 2000000)");
  running = false;
  return turns;
}

const open = async (worker: boolean) => {
  const db = await openPgliteDb("memory://", { worker });
  dbs.push(db);
  return db;
};

describe("PGlite on its own thread and on the caller's: the same behaviour", () => {
  it("the same rows for every type, parameters and scripts", async () => {
    const [here, there] = [await open(false), await open(true)];
    for (const sql of [SHAPES_SQL, "CREATE TABLE t (v int); INSERT INTO t VALUES (7); SELECT v FROM t"])
      expect(await there.query(sql)).toStrictEqual(await here.query(sql));
    const params = [["a", "b"], new Date("2025-01-01T00:00:00Z"), JSON.stringify({ k: [1] }), 42];
    const sql = "SELECT 'b' = ANY($1::text[]) AS hit, $2::timestamptz AS at, $3::jsonb AS doc, $4::int8 AS n";
    const rows = await there.query(sql, params);
    expect(rows).toStrictEqual(await here.query(sql, params));
    expect(rows).toStrictEqual([{ hit: true, at: new Date("2025-01-01T00:00:00Z"), doc: { k: [1] }, n: 42 }]);
  });

  it("an error keeps its message, SQLSTATE and fields", async () => {
    for (const worker of [false, true]) {
      const db = await open(worker);
      await db.query("CREATE TABLE u (v int PRIMARY KEY)");
      await db.query("INSERT INTO u VALUES (1)");
      const e = (await db.query("INSERT INTO u VALUES (1)").catch((x: unknown) => x)) as Record<
        string,
        unknown
      >;
      expect(e).toBeInstanceOf(Error);
      expect(e["code"]).toBe("23505");
      expect(e["table"]).toBe("u");
      expect(String(e["message"])).toMatch(/duplicate key/);
    }
  });

  it("commits, rolls back, refuses a transaction whose statement failed", async () => {
    const db = await open(true);
    await db.query("CREATE TABLE t (v int PRIMARY KEY)");
    expect(
      await db.transaction(async (tx) => {
        await tx.query("INSERT INTO t VALUES ($1)", [1]);
        return "done";
      }),
    ).toBe("done");
    const failure = new Error("boom");
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO t VALUES ($1)", [2]);
        expect(await tx.query("SELECT count(*)::int AS n FROM t")).toStrictEqual([{ n: 2 }]);
        throw failure;
      }),
    ).rejects.toBe(failure);
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO t VALUES (3)");
        await tx.query("INSERT INTO t VALUES (1)").catch(() => undefined);
      }),
    ).rejects.toThrow();
    expect(await db.query("SELECT v FROM t ORDER BY v")).toStrictEqual([{ v: 1 }]);
  });

  it("a statement outside an open transaction waits for it and sees what it committed", async () => {
    const db = await open(true);
    await db.query("CREATE TABLE t (v int)");
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const order: string[] = [];
    let begun!: () => void;
    const inside = new Promise<void>((resolve) => (begun = resolve));
    const tx = db.transaction(async (t) => {
      await t.query("INSERT INTO t VALUES (1)");
      begun();
      await held;
      await t.query("INSERT INTO t VALUES (2)");
      order.push("commit");
    });
    // The transaction is open on the thread: ask beside it.
    await inside;
    const outside = db.query<{ n: number }>("SELECT count(*)::int AS n FROM t").then((r) => {
      order.push("outside");
      return r;
    });
    release();
    await tx;
    expect(await outside).toStrictEqual([{ n: 2 }]);
    expect(order).toEqual(["commit", "outside"]);
  });

  it("uses the db inside its own transaction: refused at once, as on the caller's thread", async () => {
    const db = await open(true);
    await expect(db.transaction(() => db.query("SELECT 1"))).rejects.toThrow(/use the transaction's `tx`/);
    expect(await db.query("SELECT 1 AS one")).toStrictEqual([{ one: 1 }]);
  });

  it("rejects statements after close; close is idempotent", async () => {
    const db = await openPgliteDb("memory://", { worker: true });
    await db.close();
    await db.close();
    await expect(db.query("SELECT 1")).rejects.toThrow(/closed/);
    await expect(db.transaction((tx) => tx.query("SELECT 1"))).rejects.toThrow(/closed/);
  });

  it("the caller's thread goes on while a long statement runs on the database's", async () => {
    const db = await open(true);
    expect(await turnsDuringLongStatement(db)).toBeGreaterThan(10);
  });

  it("a data directory opens on its own thread and keeps what was committed across reopen", async () => {
    const dir = await mkdtemp(join(tmpdir(), "poortwachter-worker-"));
    dirs.push(dir);
    const first = await openDb({ dataDir: join(dir, "data") });
    expect((await migrate(first)).ok).toBe(true);
    await first.query("CREATE TABLE kept (v text)");
    await first.transaction((tx) => tx.query("INSERT INTO kept VALUES ($1)", ["committed"]));
    await first.close();
    const second = await openDb({ dataDir: join(dir, "data") });
    dbs.push(second);
    expect(await second.query("SELECT v FROM kept")).toStrictEqual([{ v: "committed" }]);
    // On its own thread: a long statement leaves this thread free.
    expect(await turnsDuringLongStatement(second)).toBeGreaterThan(10);
  });

  it("a data directory that cannot be opened is refused with PGlite's reason", async () => {
    const dir = await mkdtemp(join(tmpdir(), "poortwachter-worker-"));
    dirs.push(dir);
    const { writeFile } = await import("node:fs/promises");
    await writeFile(join(dir, "PG_VERSION"), "9\n");
    await expect(openPgliteDb(dir, { worker: true })).rejects.toThrow();
  });
});

describe("PGLITE_THREAD", () => {
  it("worker (the default) runs the gateway's database on its own thread; main on the gateway's", async () => {
    const { loadConfig } = await import("../../src/config/index.ts");
    const { openConfiguredDb } = await import("../../src/app/bootstrap.ts");
    const turnsDuring = async (thread: string | undefined) => {
      const dir = await mkdtemp(join(tmpdir(), "poortwachter-thread-"));
      dirs.push(dir);
      const config = loadConfig({
        DEMO_MODE: "true",
        DATA_DIR: dir,
        ...(thread ? { PGLITE_THREAD: thread } : {}),
      });
      if (!config.ok) throw new Error(config.error.problems.join("; "));
      const db = await openConfiguredDb(config.value);
      dbs.push(db);
      await db.query("SELECT 1");
      return turnsDuringLongStatement(db);
    };
    expect(await turnsDuring(undefined)).toBeGreaterThan(10);
    expect(await turnsDuring("worker")).toBeGreaterThan(10);
    // On the gateway's thread the statement holds it: nothing else runs until it is done.
    expect(await turnsDuring("main")).toBeLessThan(5);
  });

  it("refuses another value and names the setting", async () => {
    const { loadConfig } = await import("../../src/config/index.ts");
    const config = loadConfig({ DEMO_MODE: "true", PGLITE_THREAD: "both" });
    expect(config.ok).toBe(false);
    if (!config.ok) expect(config.error.problems.join("; ")).toMatch(/PGLITE_THREAD/);
  });
});

describe("the database's thread and the process's life", () => {
  it("a command that opens the database, asks and never closes it ends by itself with the answer", async () => {
    const { execFile } = await import("node:child_process");
    const { fileURLToPath } = await import("node:url");
    const dir = await mkdtemp(join(tmpdir(), "poortwachter-worker-life-"));
    dirs.push(dir);
    const module = fileURLToPath(new URL("../../src/store/pglite-db.ts", import.meta.url));
    // The thread is referenced only while a statement is awaited, so the command ends by itself.
    const script = `import { openPgliteDb } from ${JSON.stringify(module)};
      const db = await openPgliteDb(${JSON.stringify(join(dir, "data"))});
      console.log(JSON.stringify(await db.query("SELECT 1 AS one")));`;
    const { writeFile } = await import("node:fs/promises");
    const file = join(dir, "command.mjs");
    await writeFile(file, script);
    const out = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ["--no-warnings", file],
        { timeout: 30_000 },
        (error, stdout) => resolve({ code: error ? (error.code as number | null) : 0, stdout }),
      );
      child.stdin?.end();
    });
    expect(out).toEqual({ code: 0, stdout: '[{"one":1}]\n' });
  });
});

import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { migrate, MIGRATIONS_DIR, type Db } from "../../src/store/index.ts";
import { connectAgain, createTestDb, dialectUnderTest } from "../utils/test-db.ts";

describe(`migrate (${dialectUnderTest()})`, () => {
  const dbs: Db[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dbs.splice(0).map((db) => db.close()));
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  const freshDb = async () => {
    const db = await createTestDb({ migrate: false });
    dbs.push(db);
    return db;
  };
  const migrationDir = async (files: Record<string, string>) => {
    const dir = await mkdtemp(join(tmpdir(), "poortwachter-migrations-"));
    dirs.push(dir);
    for (const [name, sql] of Object.entries(files)) await writeFile(join(dir, name), sql);
    return dir;
  };

  it("applies every shipped migration once, in lexical order, and records name and checksum", async () => {
    const db = await freshDb();
    const shipped = (await readdir(MIGRATIONS_DIR)).filter((name) => name.endsWith(".sql")).sort();
    expect(shipped[0]).toBe("001_audit.sql");

    const first = await migrate(db);
    expect(first).toStrictEqual({ ok: true, value: { applied: shipped, alreadyApplied: [] } });
    const second = await migrate(db);
    expect(second).toStrictEqual({ ok: true, value: { applied: [], alreadyApplied: shipped } });

    const rows = await db.query<{ name: string; checksum: string; applied_at: Date }>(
      "SELECT name, checksum, applied_at FROM schema_migrations ORDER BY name",
    );
    expect(rows.map((row) => row.name)).toStrictEqual(shipped);
    expect(rows.every((row) => /^[0-9a-f]{64}$/.test(row.checksum) && row.applied_at instanceof Date)).toBe(
      true,
    );
    expect(await db.query("SELECT count(*) AS n FROM audit_log")).toStrictEqual([{ n: 0 }]);
  });

  it("checks an up-to-date database with reads only: no lock, no transaction (issue 15, start-up)", async () => {
    const db = await freshDb();
    expect((await migrate(db)).ok).toBe(true);
    const statements: string[] = [];
    let transactions = 0;
    let sessions = 0;
    const counted: Db = {
      ...db,
      query: (sql, params) => {
        statements.push(sql);
        return db.query(sql, params);
      },
      transaction: (fn) => {
        transactions += 1;
        return db.transaction(fn);
      },
    };
    const session = db.session?.bind(db);
    if (session)
      counted.session = (fn) => {
        sessions += 1;
        return session(fn);
      };
    const again = await migrate(counted);
    expect(again.ok && again.value.applied).toStrictEqual([]);
    expect({ transactions, sessions, statements: statements.length }).toStrictEqual({
      transactions: 0,
      sessions: 0,
      statements: 2,
    });
    // One file more than is recorded: the locked path runs and applies it.
    const dir = await migrationDir({ "001_a.sql": "CREATE TABLE fast_a (x int)" });
    const added = await migrate(counted, { dir });
    expect(added.ok && added.value.applied).toStrictEqual(["001_a.sql"]);
    expect(transactions + sessions).toBeGreaterThan(0);
  });

  it("orders by file name, not by creation, and picks up a file added later", async () => {
    const db = await freshDb();
    const dir = await migrationDir({
      "010_third.sql": "INSERT INTO steps VALUES ('010');",
      "001_first.sql": "CREATE TABLE steps (name text); INSERT INTO steps VALUES ('001');",
      "002_second.sql": "INSERT INTO steps VALUES ('002');",
      "notes.txt": "not a migration",
    });
    const result = await migrate(db, { dir });
    expect(result.ok && result.value.applied).toStrictEqual([
      "001_first.sql",
      "002_second.sql",
      "010_third.sql",
    ]);

    await writeFile(join(dir, "011_fourth.sql"), "INSERT INTO steps VALUES ('011');");
    const later = await migrate(db, { dir });
    expect(later.ok && later.value.applied).toStrictEqual(["011_fourth.sql"]);
    const steps = await db.query<{ name: string }>("SELECT name FROM steps");
    expect(steps.map((row) => row.name)).toStrictEqual(["001", "002", "010", "011"]);
  });

  it("refuses to run, naming the file, when an applied migration changed", async () => {
    const db = await freshDb();
    const dir = await migrationDir({
      "001_a.sql": "CREATE TABLE a (v int);",
      "002_b.sql": "CREATE TABLE b (v int);",
    });
    expect((await migrate(db, { dir })).ok).toBe(true);
    await writeFile(join(dir, "002_b.sql"), "CREATE TABLE b (v int, w int);");
    await writeFile(join(dir, "003_c.sql"), "CREATE TABLE c (v int);");

    const result = await migrate(db, { dir });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatchObject({ kind: "migration_changed", name: "002_b.sql" });
    // Nothing after the changed file ran.
    expect(await db.query("SELECT to_regclass('c') IS NULL AS missing")).toStrictEqual([{ missing: true }]);
  });

  it("refuses when the recorded checksum of a shipped migration differs", async () => {
    const db = await freshDb();
    expect((await migrate(db)).ok).toBe(true);
    await db.query("UPDATE schema_migrations SET checksum = $1 WHERE name = $2", [
      createHash("sha256").update("something else").digest("hex"),
      "001_audit.sql",
    ]);
    const result = await migrate(db);
    expect(!result.ok && result.error).toMatchObject({ kind: "migration_changed", name: "001_audit.sql" });
  });

  it("rolls back a failing migration completely and reports it by name", async () => {
    const db = await freshDb();
    const dir = await migrationDir({
      "001_ok.sql": "CREATE TABLE ok_table (v int);",
      "002_broken.sql": "CREATE TABLE half (v int); INSERT INTO missing_table VALUES (1);",
    });
    const result = await migrate(db, { dir });
    expect(!result.ok && result.error).toMatchObject({ kind: "migration_failed", name: "002_broken.sql" });
    expect(await db.query("SELECT name FROM schema_migrations")).toStrictEqual([{ name: "001_ok.sql" }]);
    expect(await db.query("SELECT to_regclass('half') IS NULL AS missing")).toStrictEqual([
      { missing: true },
    ]);
  });

  it("lets two replicas migrate the same database at the same time, each file applied once", async () => {
    const db = await freshDb();
    const replica = await connectAgain(db);
    dbs.push(replica);
    const dir = await migrationDir({
      "001_counter.sql": "CREATE TABLE runs (file text);",
      "002_count.sql": "INSERT INTO runs VALUES ('002');",
      "003_count.sql": "INSERT INTO runs VALUES ('003');",
    });
    const [a, b] = await Promise.all([migrate(db, { dir }), migrate(replica, { dir })]);
    expect(a.ok && b.ok).toBe(true);
    const appliedByBoth = [...(a.ok ? a.value.applied : []), ...(b.ok ? b.value.applied : [])].sort();
    expect(appliedByBoth).toStrictEqual(["001_counter.sql", "002_count.sql", "003_count.sql"]);
    expect(await db.query("SELECT file FROM runs ORDER BY file")).toStrictEqual([
      { file: "002" },
      { file: "003" },
    ]);
  });

  it("migrates through a Db without sessions, using transaction-level locks", async () => {
    const db = await freshDb();
    const { session: _session, ...withoutSession } = db;
    const result = await migrate(withoutSession);
    expect(result.ok).toBe(true);
    expect(await db.query("SELECT count(*) AS n FROM schema_migrations")).not.toStrictEqual([{ n: 0 }]);
  });
});

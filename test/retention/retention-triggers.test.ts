import { afterEach, describe, expect, it } from "vitest";
import { RETENTION_RUN_SETTING } from "../../src/retention/index.ts";
import type { Db, Queryable } from "../../src/store/index.ts";
import { createTestDb, dialectUnderTest } from "../utils/test-db.ts";

/**
 * 007_retention.sql: the history tables stay append-only, except that the purge may blank their
 * personal columns (and nothing else); destruction records are append-only; a destroyed case is
 * final, and only the purge marks one destroyed.
 */
describe(`retention triggers (${dialectUnderTest()})`, () => {
  const dbs: Db[] = [];
  afterEach(async () => {
    await Promise.all(dbs.splice(0).map((db) => db.close()));
  });

  async function setup(): Promise<Db> {
    const db = await createTestDb();
    dbs.push(db);
    await db.query(
      `INSERT INTO cases (id, reference, theme, protocol_id, phase, status, outcome, owner, opened_at, closed_at)
       VALUES ('c1', 'REF-1', 'horeca', 'maastricht', 'afgesloten', 'closed', 'ongegrond', 'analist.jansen',
               '2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z')`,
    );
    await db.query(
      `INSERT INTO case_events (case_id, kind, to_phase, actor, at, motivation)
       VALUES ('c1', 'opened', 'intake', 'analist.jansen', '2025-01-01T00:00:00Z', 'Signal about 999993653.')`,
    );
    await db.query(
      `INSERT INTO privacy_checks (id, case_id, kind, source, requested_fields, requested_probes, motivation,
         requested_by, requested_at, status, subjects)
       VALUES ('k1', 'c1', '1', 'brp', '[]', '["brp.ingeschreven"]', 'Why 999993653.', 'analist.jansen',
               '2025-01-01T00:00:00Z', 'requested', '["persoon:999993653"]')`,
    );
    await db.query(
      `INSERT INTO privacy_check_steps (check_id, kind, actor, at, probes, motivation)
       VALUES ('k1', 'requested', 'analist.jansen', '2025-01-01T00:00:00Z', '["brp.ingeschreven"]', 'Why 999993653.')`,
    );
    return db;
  }

  /** `sql` inside a transaction marked as a purge, as `purge` marks its own. */
  const asPurge = (db: Db, sql: string) =>
    db.transaction(async (tx: Queryable) => {
      await tx.query("SELECT set_config($1, 'run-1', true)", [RETENTION_RUN_SETTING]);
      return tx.query(sql);
    });
  const rows = (db: Db, table: string) => db.query(`SELECT * FROM ${table} ORDER BY 1`);

  it.each([
    ["case_events", "WHERE case_id = 'c1'"],
    ["privacy_check_steps", "WHERE check_id = 'k1'"],
  ])("%s: the purge may blank motivation and actor", async (table, where) => {
    const db = await setup();
    await asPurge(db, `UPDATE ${table} SET motivation = '[destroyed]', actor = '[destroyed]' ${where}`);
    expect(await rows(db, table)).toMatchObject([{ motivation: "[destroyed]", actor: "[destroyed]" }]);
    // Blanking only the motivation is allowed too; the actor stays what it was.
    await asPurge(db, `UPDATE ${table} SET motivation = '[destroyed]' ${where}`);
  });

  it.each([
    ["case_events", "outside a purge", "motivation = '[destroyed]'", false],
    ["case_events", "a rewritten motivation", "motivation = 'Something else.'", true],
    ["case_events", "a rewritten actor", "motivation = '[destroyed]', actor = 'someone.else'", true],
    ["case_events", "another column changed too", "motivation = '[destroyed]', to_phase = 'weging'", true],
    ["case_events", "an emptied motivation", "motivation = ''", true],
    ["privacy_check_steps", "outside a purge", "motivation = '[destroyed]'", false],
    ["privacy_check_steps", "changed probes", "motivation = '[destroyed]', probes = '[]'", true],
    ["privacy_check_steps", "a changed advice", "motivation = '[destroyed]', advice = 'GO'", true],
    ["privacy_check_steps", "a moved row", "motivation = '[destroyed]', seq = seq + 100", true],
  ])("%s: refuses an UPDATE %s (%s)", async (table, _what, assignments, purging) => {
    const db = await setup();
    const before = await rows(db, table);
    const sql = `UPDATE ${table} SET ${assignments}`;
    await expect(purging ? asPurge(db, sql) : db.query(sql)).rejects.toThrow(/append-only/);
    expect(await rows(db, table)).toStrictEqual(before);
  });

  it.each(["case_events", "privacy_check_steps"])(
    "%s: refuses DELETE and TRUNCATE, even in a purge",
    async (table) => {
      const db = await setup();
      await expect(asPurge(db, `DELETE FROM ${table}`)).rejects.toThrow(/append-only/);
      await expect(asPurge(db, `TRUNCATE ${table}`)).rejects.toThrow(/append-only/);
      expect(await rows(db, table)).toHaveLength(1);
    },
  );

  it("keeps destruction records append-only", async () => {
    const db = await setup();
    await db.query(
      `INSERT INTO destruction_records (id, run_id, case_id, destroyed_at, due_at, rule, legal_basis, method,
         categories, counts, protocol_id, policy_hash)
       VALUES ('d1', 'run-1', 'c1', now(), now(), 'outcome ongegrond: P0D after closing', 'basis', 'how',
               '[]', '{}', 'maastricht', 'h')`,
    );
    for (const sql of [
      "UPDATE destruction_records SET rule = 'other'",
      "DELETE FROM destruction_records",
      "TRUNCATE destruction_records",
    ])
      await expect(asPurge(db, sql)).rejects.toThrow(/append-only/);
    // And at most one per case.
    await expect(
      db.query(
        `INSERT INTO destruction_records (id, run_id, case_id, destroyed_at, due_at, rule, legal_basis, method,
           categories, counts, protocol_id, policy_hash)
         VALUES ('d2', 'run-2', 'c1', now(), now(), 'r', 'b', 'm', '[]', '{}', 'maastricht', 'h')`,
      ),
    ).rejects.toThrow();
    expect(await rows(db, "destruction_records")).toHaveLength(1);
  });

  it("lets only the purge mark a case destroyed, and then refuses every change to it", async () => {
    const db = await setup();
    await expect(db.query("UPDATE cases SET destroyed_at = now()")).rejects.toThrow(/only the retention job/);
    await asPurge(db, "UPDATE cases SET destroyed_at = now(), reference = 'destroyed:c1'");
    await expect(db.query("UPDATE cases SET reference = 'REF-1'")).rejects.toThrow(/was destroyed/);
    await expect(asPurge(db, "UPDATE cases SET destroyed_at = NULL")).rejects.toThrow(/was destroyed/);
    await expect(db.query("DELETE FROM cases")).rejects.toThrow(/was destroyed/);
    expect(await rows(db, "cases")).toMatchObject([{ reference: "destroyed:c1" }]);
  });
});

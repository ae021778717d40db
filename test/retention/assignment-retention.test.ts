import { afterEach, describe, expect, it } from "vitest";
import { destroyCaseData, RETENTION_RUN_SETTING } from "../../src/retention/index.ts";
import type { Db, Queryable } from "../../src/store/index.ts";
import { createTestDb, dialectUnderTest } from "../utils/test-db.ts";

/**
 * 011_case_assignment.sql: a reassignment is a case event (kind `assigned`) naming the staff before
 * and after. Those are staff ids, destroyed with the case like its owner, actor and motivations
 * (Maastricht art. 10.3); the history stays append-only otherwise.
 */
describe(`case assignment events and retention (${dialectUnderTest()})`, () => {
  const dbs: Db[] = [];
  afterEach(async () => {
    await Promise.all(dbs.splice(0).map((db) => db.close()));
  });

  async function setup(): Promise<Db> {
    const db = await createTestDb();
    dbs.push(db);
    await db.query(
      `INSERT INTO cases (id, reference, theme, protocol_id, phase, status, outcome, owner, substitute, opened_at, closed_at)
       VALUES ('c1', 'REF-1', 'horeca', 'maastricht', 'afgesloten', 'closed', 'ongegrond', 'analist.bakker',
               'analist.devries', '2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z')`,
    );
    await db.query(
      `INSERT INTO case_events (case_id, kind, to_phase, actor, at, motivation)
       VALUES ('c1', 'opened', 'intake', 'analist.jansen', '2025-01-01T00:00:00Z', 'Signal.')`,
    );
    await db.query(
      `INSERT INTO case_events (case_id, kind, actor, at, motivation, from_owner, to_owner, from_substitute, to_substitute)
       VALUES ('c1', 'assigned', 'beheerder', '2025-01-01T01:00:00Z', 'Jansen is on leave.',
               'analist.jansen', 'analist.bakker', NULL, 'analist.devries')`,
    );
    return db;
  }

  const asPurge = <T>(db: Db, work: (tx: Queryable) => Promise<T>) =>
    db.transaction(async (tx: Queryable) => {
      await tx.query("SELECT set_config($1, 'run-1', true)", [RETENTION_RUN_SETTING]);
      return work(tx);
    });
  const events = (db: Db) =>
    db.query<Record<string, unknown>>(
      "SELECT kind, actor, motivation, from_owner, to_owner, from_substitute, to_substitute FROM case_events ORDER BY seq",
    );

  it("the case destroyer blanks the staff of a reassignment with the motivation and actor", async () => {
    const db = await setup();
    const counts = await asPurge(db, (tx) => destroyCaseData(tx, "c1"));
    expect(counts).toEqual({ cases: 1, case_events: 2 });
    const d = "[destroyed]";
    expect(await events(db)).toEqual([
      {
        kind: "opened",
        actor: d,
        motivation: d,
        from_owner: null,
        to_owner: null,
        from_substitute: null,
        to_substitute: null,
      },
      {
        kind: "assigned",
        actor: d,
        motivation: d,
        from_owner: d,
        to_owner: d,
        from_substitute: null,
        to_substitute: d,
      },
    ]);
    // Idempotent: a second run touches no event.
    expect((await asPurge(db, (tx) => destroyCaseData(tx, "c1"))).case_events).toBe(0);
  });

  it.each([
    ["outside a purge", "motivation = '[destroyed]', to_owner = '[destroyed]'", false],
    ["a rewritten owner", "motivation = '[destroyed]', to_owner = 'analist.jansen'", true],
    ["a substitute added", "motivation = '[destroyed]', from_substitute = 'someone'", true],
    ["an owner removed", "motivation = '[destroyed]', from_owner = NULL", true],
    ["staff blanked but the motivation kept", "to_owner = '[destroyed]'", true],
  ])("refuses an UPDATE of a reassignment %s (%s)", async (_what, assignments, purging) => {
    const db = await setup();
    const before = await events(db);
    const sql = `UPDATE case_events SET ${assignments} WHERE kind = 'assigned'`;
    await expect(purging ? asPurge(db, (tx) => tx.query(sql)) : db.query(sql)).rejects.toThrow(/append-only/);
    expect(await events(db)).toStrictEqual(before);
  });

  it("an assignment names its staff; no other event does", async () => {
    const db = await setup();
    await expect(
      db.query(
        `INSERT INTO case_events (case_id, kind, actor, at, motivation)
         VALUES ('c1', 'assigned', 'beheerder', now(), 'No staff named.')`,
      ),
    ).rejects.toThrow();
    await expect(
      db.query(
        `INSERT INTO case_events (case_id, kind, to_phase, actor, at, motivation, to_owner)
         VALUES ('c1', 'transitioned', 'weging', 'analist.jansen', now(), 'Next.', 'analist.bakker')`,
      ),
    ).rejects.toThrow();
    await expect(
      db.query(
        `INSERT INTO case_events (case_id, kind, actor, at, motivation)
         VALUES ('c1', 'reassigned', 'beheerder', now(), 'Unknown kind.')`,
      ),
    ).rejects.toThrow();
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { verifyChain } from "../../src/audit/index.ts";
import {
  destroyAuditData,
  destroyCaseData,
  destructionRecords,
  type CaseDataDestroyer,
} from "../../src/retention/index.ts";
import type { Db, Queryable } from "../../src/store/index.ts";
import { connectAgain, createTestDb, dialectUnderTest } from "../utils/test-db.ts";
import {
  bsnSource,
  caseRows,
  createRetentionWorld,
  dumpDatabase,
  type ScriptedCase,
} from "./retention-world.ts";

type World = Awaited<ReturnType<typeof createRetentionWorld>>;

/**
 * A Db whose `n`-th transaction dies just before it would commit (after every destroyer ran and
 * the case was marked destroyed), like a process killed mid-run: from then on, like a dead
 * connection, every further transaction fails too.
 */
function dyingDb(db: Db, n: number): Db {
  let transactions = 0;
  let dead = false;
  return {
    ...db,
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => {
      if (dead) return Promise.reject(new Error("connection terminated"));
      const mine = ++transactions;
      return db.transaction((tx) => {
        const wrapped: Queryable = {
          query: async <R>(sql: string, params?: readonly unknown[]) => {
            if (mine === n && /INSERT INTO destruction_records/.test(sql)) {
              dead = true;
              throw new Error("killed");
            }
            return tx.query<R>(sql, params);
          },
        };
        return fn(wrapped);
      });
    },
  };
}

describe(`the purge under crashes and concurrency (${dialectUnderTest()})`, () => {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const c of open.splice(0).reverse()) await c.close();
  });

  /** Three cases closed `ongegrond` (P0D) and one `afgerond` (P5Y), all scripted in January 2025. */
  async function world(): Promise<{ w: World; due: ScriptedCase[]; later: ScriptedCase }> {
    const db = await createTestDb();
    const w = await createRetentionWorld({ db });
    open.push(w);
    w.clock.set("2025-01-06T09:00:00Z");
    const bsn = bsnSource(20_000_000);
    const shared = bsn();
    const due: ScriptedCase[] = [];
    for (const k of [1, 2, 3])
      due.push(
        await w.script({
          reference: `CRASH-${k}X`,
          outcome: "ongegrond",
          bsn: bsn(),
          kvk: `6000000${k}`,
          shared,
        }),
      );
    const later = await w.script({
      reference: "CRASH-9X",
      outcome: "afgerond",
      bsn: bsn(),
      kvk: "60000009",
      shared,
    });
    return { w, due, later };
  }
  const RUN_AT = "2025-02-01T00:00:00Z";

  it("killed at the second case: the first is destroyed, the rest untouched; the next run completes them", async () => {
    const { w, due, later } = await world();
    const before = new Map<string, Record<string, string[]>>();
    for (const c of [...due, later]) before.set(c.id, await caseRows(w.db, c.id));

    const killed = await w.purgeAt(RUN_AT, { db: dyingDb(w.db, 2) });
    expect(killed.destroyed.map((d) => d.caseId)).toStrictEqual([due[0]!.id]);
    expect(killed.failed.map((f) => f.caseId)).toStrictEqual([due[1]!.id, due[2]!.id]);
    expect(killed.failed[0]?.reason).toBe("killed");
    // Nothing half-destroyed: the case it died in, and those after, are exactly as they were.
    for (const c of [due[1]!, due[2]!, later])
      expect(await caseRows(w.db, c.id)).toStrictEqual(before.get(c.id));
    const dump = await dumpDatabase(w.db);
    expect(dump).not.toContain(due[0]!.bsn);
    expect(dump).toContain(w.audit.pseudonymise(due[1]!.bsn, "bsn"));
    expect(await verifyChain(w.db)).toMatchObject({ ok: true });

    const next = await w.purgeAt(RUN_AT);
    expect(next.failed).toStrictEqual([]);
    expect(next.destroyed.map((d) => d.caseId)).toStrictEqual([due[1]!.id, due[2]!.id]);
    const records = await destructionRecords.list(w.db);
    expect(records.map((r) => r.caseId)).toStrictEqual(due.map((c) => c.id));
    const after = await dumpDatabase(w.db);
    for (const c of due) expect(after).not.toContain(c.bsn);
    expect(await caseRows(w.db, later.id)).toStrictEqual(before.get(later.id));
    expect(await verifyChain(w.db)).toMatchObject({ ok: true });
  });

  it("lists with --dry-run what would go, by which rule and since when, and writes nothing", async () => {
    const { w, due } = await world();
    const dump = await dumpDatabase(w.db);
    const dry = await w.purgeAt(RUN_AT, { dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, destroyed: [], auditTombstoned: 0 });
    expect(dry.plan.notYetDue).toBe(1);
    expect(dry.plan.due.map((d) => [d.caseId, d.rule.description, d.dueAt])).toStrictEqual(
      due.map((c) => [
        c.id,
        "outcome ongegrond: P0D after closing (Maastricht art. 10.2a, art. 14c, art. 16.2b)",
        c.closedAt,
      ]),
    );
    expect(await dumpDatabase(w.db)).toBe(dump);
  });

  it("lets two runs (replicas) purge at once: every case destroyed exactly once, nothing fails", async () => {
    const { w, due } = await world();
    const replica = await connectAgain(w.db);
    open.push(replica);
    const [a, b] = await Promise.all([w.purgeAt(RUN_AT), w.purgeAt(RUN_AT, { db: replica })]);
    expect([...a.failed, ...b.failed]).toStrictEqual([]);
    const destroyedBy = [...a.destroyed, ...b.destroyed].map((d) => d.caseId).sort();
    expect(destroyedBy).toStrictEqual(due.map((c) => c.id).sort());
    // What a run planned and did not destroy itself, it found destroyed by the other.
    for (const run of [a, b])
      expect([...run.destroyed.map((d) => d.caseId), ...run.concurrentlyDestroyed].sort()).toStrictEqual(
        run.plan.due.map((d) => d.caseId).sort(),
      );
    expect((await destructionRecords.list(w.db)).map((r) => r.caseId).sort()).toStrictEqual(
      due.map((c) => c.id).sort(),
    );
    const retention = await w.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE operation = 'retention.destroy'",
    );
    expect(retention[0]?.n).toBe(due.length);
    expect(await verifyChain(w.db)).toMatchObject({ ok: true });
  });

  it("finds what a destroyer leaves behind: without the check destroyer the subjects stay", async () => {
    const { w, later } = await world();
    const withoutChecks: CaseDataDestroyer[] = [destroyCaseData, destroyAuditData];
    const report = await w.purgeAt("2031-01-01T00:00:00Z", { destroyers: withoutChecks });
    expect(report.destroyed.map((d) => d.caseId)).toContain(later.id);
    const dump = await dumpDatabase(w.db);
    expect(dump.includes(`${later.signal}: BSN`)).toBe(false); // the signal text went with the events
    expect(dump.includes(`persoon:${later.bsn}`)).toBe(true); // but its checks still name the subject
  });

  it("rolls a case back entirely when an extra destroyer fails, and records nothing for it", async () => {
    const { w, due } = await world();
    const before = await caseRows(w.db, due[0]!.id);
    const failing: CaseDataDestroyer = async (tx: Queryable, caseId: string) => {
      if (caseId === due[0]!.id) throw new Error("rights tables unavailable");
      return { extra_table: (await tx.query("SELECT 1")).length };
    };
    const report = await w.purgeAt(RUN_AT, {
      destroyers: [destroyCaseData, destroyAuditData, failing],
    });
    expect(report.failed).toStrictEqual([{ caseId: due[0]!.id, reason: "rights tables unavailable" }]);
    expect(await caseRows(w.db, due[0]!.id)).toStrictEqual(before);
    const [record] = await destructionRecords.list(w.db, { caseId: due[1]!.id });
    expect(record?.counts).toMatchObject({ extra_table: 1 });
    expect(record?.categories).toContain("extra_table");
  });
});

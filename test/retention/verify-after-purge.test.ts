import { afterEach, describe, expect, it } from "vitest";
import { verifyChain } from "../../src/audit/index.ts";
import { createTestDb, dialectUnderTest } from "../utils/test-db.ts";
import { bsnSource, createRetentionWorld } from "./retention-world.ts";

type World = Awaited<ReturnType<typeof createRetentionWorld>>;

/**
 * The hash chain survives destruction: tombstones keep their hashes, so the whole chain verifies
 * after purges; and a record changed afterwards is reported as the first break.
 */
describe(`the audit chain after purges (${dialectUnderTest()})`, () => {
  const worlds: World[] = [];
  afterEach(async () => {
    await Promise.all(worlds.splice(0).map((w) => w.close()));
  });

  async function purged(): Promise<World> {
    const w = await createRetentionWorld({ db: await createTestDb() });
    worlds.push(w);
    w.clock.set("2025-01-06T09:00:00Z");
    const bsn = bsnSource(30_000_000);
    const shared = bsn();
    await w.script({ reference: "CHAIN-1X", outcome: "ongegrond", bsn: bsn(), kvk: "50000001", shared });
    await w.script({ reference: "CHAIN-2X", outcome: "afgerond", bsn: bsn(), kvk: "50000002", shared });
    await w.script({ reference: "CHAIN-3X", stopAt: "weging", bsn: bsn(), kvk: "50000003", shared });
    await w.purgeAt("2025-02-01T00:00:00Z");
    await w.purgeAt("2031-01-01T00:00:00Z"); // the afgerond case, and every record older than 5 years
    return w;
  }

  const tombstones = async (w: World) =>
    (await w.db.query<{ seq: number }>("SELECT seq FROM audit_log WHERE tombstone ORDER BY seq")).map(
      (r) => r.seq,
    );
  const live = async (w: World) =>
    (await w.db.query<{ seq: number }>("SELECT seq FROM audit_log WHERE NOT tombstone ORDER BY seq")).map(
      (r) => r.seq,
    );
  /** Changes a row behind the triggers' back, as someone with the database's owner rights could. */
  const tamper = async (w: World, sql: string) => {
    await w.db.query("ALTER TABLE audit_log DISABLE TRIGGER ALL");
    await w.db.query(sql);
    await w.db.query("ALTER TABLE audit_log ENABLE TRIGGER ALL");
  };

  it("verifies the whole chain, tombstones included", async () => {
    const w = await purged();
    const total = (await w.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log"))[0]!.n;
    expect((await tombstones(w)).length).toBeGreaterThan(10);
    expect(await verifyChain(w.db)).toStrictEqual({ ok: true, records: total });
  });

  it("reports a changed record after the purge as the first break", async () => {
    const w = await purged();
    const [first, second] = await live(w);
    await tamper(w, `UPDATE audit_log SET reason = 'rewritten' WHERE seq = ${second}`);
    await tamper(w, `UPDATE audit_log SET operation = 'rewritten' WHERE seq = ${(await live(w)).at(-1)}`);
    const seqs = (await w.db.query<{ seq: number }>("SELECT seq FROM audit_log ORDER BY seq")).map(
      (r) => r.seq,
    );
    expect(await verifyChain(w.db)).toMatchObject({
      ok: false,
      firstBrokenSeq: second,
      records: seqs.indexOf(second!),
      reason: expect.stringMatching(/content_hash/),
    });
    expect(first).toBeLessThan(second!);
  });

  it("catches a tombstone turned back into a record, and a removed tombstone", async () => {
    const w = await purged();
    const [a, b] = await tombstones(w);
    await tamper(
      w,
      `UPDATE audit_log SET tombstone = false, actor = 'x', roles = '{analyst}', reason = 'r', trace_id = 't' WHERE seq = ${b}`,
    );
    expect(await verifyChain(w.db)).toMatchObject({ ok: false, firstBrokenSeq: b });
    await tamper(w, `DELETE FROM audit_log WHERE seq = ${a}`);
    const next = (
      await w.db.query<{ seq: number }>("SELECT min(seq) AS seq FROM audit_log WHERE seq > $1", [a])
    )[0];
    expect(await verifyChain(w.db)).toMatchObject({
      ok: false,
      firstBrokenSeq: next?.seq,
      reason: expect.stringMatching(/removed or inserted/),
    });
  });
});

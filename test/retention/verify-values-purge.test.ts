import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admitVerifyValues, hashedValues, signalValues } from "../../src/disclosure/verify-values.ts";
import { destructionRecords } from "../../src/retention/index.ts";
import { dialectUnderTest } from "../utils/test-db.ts";
import { bsnSource, createRetentionWorld, dumpDatabase, type ScriptedCase } from "./retention-world.ts";

/**
 * The values a case verified (010_verify_values.sql) are personal data of that case: the purge
 * deletes them with it, counts and names them in the destruction record, and leaves those of a
 * case that is kept. Every table is dumped and searched for the subject's pseudonym and the hashes.
 */
describe(`verified values and the purge (${dialectUnderTest()})`, () => {
  let w: Awaited<ReturnType<typeof createRetentionWorld>>;
  let closed: ScriptedCase;
  let open: ScriptedCase;
  const hashes = new Map<string, string[]>();

  beforeAll(async () => {
    w = await createRetentionWorld();
    w.clock.set("2025-03-03T09:00:00Z");
    const nextBsn = bsnSource(20_000_000);
    closed = await w.script({
      reference: "RET-VERIFY-1X",
      outcome: "ongegrond",
      bsn: nextBsn(),
      kvk: "71000001",
      shared: nextBsn(),
    });
    open = await w.script({
      reference: "RET-VERIFY-2X",
      stopAt: "weging",
      bsn: nextBsn(),
      kvk: "71000002",
      shared: nextBsn(),
    });
    for (const c of [closed, open]) {
      const values = hashedValues(
        (s) => w.audit.pseudonymise(s),
        c.id,
        c.bsn,
        signalValues({ geslachtsnaam: "Jansen", geboortedatum: "1980-02-03" }),
      );
      const admitted = await admitVerifyValues(w.db, {
        caseId: c.id,
        subject: w.audit.pseudonymise(c.bsn, "bsn"),
        values,
        maxChanges: 1,
        at: w.clock.now(),
      });
      expect(admitted.ok).toBe(true);
      hashes.set(
        c.id,
        values.map((v) => v.hash),
      );
    }
  });
  afterAll(() => w.close());

  it("deletes a destroyed case's values, records them, and keeps those of a case that stays", async () => {
    const before = await dumpDatabase(w.db);
    for (const c of [closed, open]) for (const h of hashes.get(c.id)!) expect(before).toContain(h);

    const report = await w.purgeAt(new Date(closed.closedAt!.getTime() + 1000));
    expect(report.failed).toEqual([]);
    expect(report.destroyed.map((d) => d.caseId)).toEqual([closed.id]);
    expect(report.destroyed[0]?.counts).toMatchObject({ verify_values: 2 });

    const after = await dumpDatabase(w.db);
    for (const h of hashes.get(closed.id)!) expect(after).not.toContain(h);
    expect(after).not.toContain(w.audit.pseudonymise(closed.bsn, "bsn"));
    for (const h of hashes.get(open.id)!) expect(after).toContain(h);
    const [record] = await destructionRecords.list(w.db, { caseId: closed.id });
    expect(record?.categories).toContain("verified signal values (keyed hashes)");
    expect(record?.counts).toMatchObject({ verify_values: 2 });
  });
});

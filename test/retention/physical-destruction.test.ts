import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { addDuration, POSTGRES_DESTRUCTION_NOTICE } from "../../src/retention/index.ts";
import { migrate, openDb, type Db } from "../../src/store/index.ts";
import { createTestDb, dialectUnderTest } from "../utils/test-db.ts";
import { bsnSource, createRetentionWorld, type ScriptedCase } from "./retention-world.ts";

/** Every file under `dir` (table files, indexes, pg_wal, …), relative path and bytes. */
function filesUnder(dir: string): { path: string; bytes: Buffer }[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const path = join(e.parentPath, e.name);
      return { path: relative(dir, path), bytes: readFileSync(path) };
    });
}

/** Which of `needles` occur, in which files: `{ needle: [file, …] }` for those found anywhere. */
function grep(dir: string, needles: readonly string[]): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  for (const { path, bytes } of filesUnder(dir))
    for (const needle of needles) if (bytes.includes(needle)) (found[needle] ??= []).push(path);
  return found;
}

const nextBsn = bsnSource(10_000_900);

async function scriptedWorld(db: Db) {
  const w = await createRetentionWorld({ db });
  w.clock.set("2025-01-06T09:00:00Z");
  // `afgerond`: closed after privacy checks that name the BSNs; destroyed P5Y after closing.
  const c = await w.script({
    reference: "PHYS-afgerond-1X",
    outcome: "afgerond",
    bsn: nextBsn(),
    kvk: "70009001",
    shared: nextBsn(),
  });
  return { w, c, dueAt: addDuration(c.closedAt!, "P5Y") };
}

const tracesOf = (w: Awaited<ReturnType<typeof createRetentionWorld>>, c: ScriptedCase) => [
  c.signal,
  c.signal.toLowerCase(), // the reporter's contact
  c.reference,
  c.bsn,
  c.shared,
  c.kvk,
  w.audit.pseudonymise(c.bsn, "bsn"),
  w.audit.pseudonymise(c.kvk, "kvkNummer"),
];

/**
 * Maastricht art. 1aa: destroying is making the information permanently inaccessible. An UPDATE
 * leaves the old row versions in the table files and the WAL; the purge vacuums what it touched
 * and checkpoints PGlite, so a grep of the raw data directory finds nothing of a destroyed case.
 */
describe("physical destruction on disk (PGlite data directory)", () => {
  const dir = mkdtempSync(join(tmpdir(), "poortwachter-destroy-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("leaves no signal text, BSN, KvK number or pseudonym of a destroyed case in any file, WAL included", async () => {
    const db = await openDb({ dataDir: dir });
    let closed = false;
    try {
      const migrated = await migrate(db);
      expect(migrated.ok).toBe(true);
      const { w, c, dueAt } = await scriptedWorld(db);
      const traces = tracesOf(w, c);
      // The control: before the purge the files do hold the case (the grep can find it).
      const before = grep(dir, [c.signal, c.bsn]);
      expect(Object.keys(before).sort()).toStrictEqual([c.signal, c.bsn].sort());
      expect(before[c.signal]!.some((f) => f.startsWith("pg_wal"))).toBe(true);

      const report = await w.purgeAt(dueAt);
      expect(report.failed).toStrictEqual([]);
      expect(report.destroyed.map((d) => d.caseId)).toStrictEqual([c.id]);
      expect(report.vacuumFailed).toBeUndefined();
      expect(report.vacuumed).toEqual(
        expect.arrayContaining(["audit_log", "case_events", "cases", "privacy_checks", "signal_reporters"]),
      );
      expect(report.operatorNotice).toBeUndefined();
      await db.close();
      closed = true;

      expect(grep(dir, traces)).toStrictEqual({});
      expect(filesUnder(dir).some((f) => f.path.startsWith("pg_wal"))).toBe(true);
    } finally {
      if (!closed) await db.close();
    }
  }, 30_000);
});

describe(`the purge report on the database under test (${dialectUnderTest()})`, () => {
  it("names the vacuumed tables, and on PostgreSQL what the operator must still do", async () => {
    const db = await createTestDb();
    try {
      const { w, c } = await scriptedWorld(db);
      // Before anything is due (the reporter's rule too): nothing destroyed, nothing vacuumed.
      const nothing = await w.purgeAt(new Date(c.closedAt!.getTime() + 1000), {
        policy: { ...w.policy, protocol: { ...w.policy.protocol, reporter: undefined } },
      });
      expect(nothing).toMatchObject({ destroyed: [], vacuumed: [], operatorNotice: undefined });
      const report = await w.purgeAt(addDuration(c.closedAt!, "P5Y"));
      expect(report.vacuumed).toContain("cases");
      expect(report.vacuumed).toStrictEqual([...report.vacuumed].sort());
      expect(report.operatorNotice).toBe(db.dialect === "postgres" ? POSTGRES_DESTRUCTION_NOTICE : undefined);
    } finally {
      await db.close();
    }
  }, 30_000);
});

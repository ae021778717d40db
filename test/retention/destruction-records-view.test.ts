import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runRetentionCommand } from "../../src/cli/retention-command.ts";
import {
  buildRecordsReport,
  destructionRecordsFor,
  destructionRecordsOfYear,
  PGLITE_COPIES_NOTICE,
  POSTGRES_DESTRUCTION_NOTICE,
  RECORDS_OPERATION,
  recordsReportMarkdown,
  type DestructionRecordsReport,
  type PurgeReport,
} from "../../src/retention/index.ts";
import { migrate, openDb, type Db } from "../../src/store/index.ts";
import { actor, must } from "../reports/report-world.ts";
import { dialectUnderTest } from "../utils/test-db.ts";
import { ANALYST, bsnSource, createRetentionWorld, OFFICER, type RetentionWorld } from "./retention-world.ts";

/**
 * Issue 13, the records manager's view (Maastricht art. 10.3: when, how and on what ground): the
 * destructionRecords use case for the roles granted retention.read (privacy officer, FG), deny by
 * default, one audit record per call; the year's account as JSON and Markdown by `npm run
 * retention -- records`; and what backups, WAL archives and replicas still hold.
 */

const FG = actor("fg.jacobs", "dpo");

/** retention.records records of the audit log, oldest first. */
const recordsAudit = (db: Db) =>
  db.query<{ actor: string; decision: string; kind: string; detail: unknown }>(
    "SELECT actor, decision, kind, detail FROM audit_log WHERE operation = $1 ORDER BY seq",
    [RECORDS_OPERATION],
  );

/**
 * Two ongegrond cases closed in March 2001 (P0D: due at once, destroyed by the run of 2 April
 * 2001) and an afgerond one (P5Y), destroyed with the audit records of 2001 by a run in June 2006.
 */
async function world(): Promise<{
  w: RetentionWorld;
  runs: PurgeReport[];
  ids: { a: string; b: string; c: string };
}> {
  const w = await createRetentionWorld();
  const bsn = bsnSource(41_000_000);
  const shared = bsn();
  w.clock.set("2001-03-01T09:00:00Z");
  const a = await w.script({ reference: "REC-A", outcome: "ongegrond", bsn: bsn(), kvk: "41000001", shared });
  w.clock.set("2001-03-05T09:00:00Z");
  const b = await w.script({ reference: "REC-B", outcome: "ongegrond", bsn: bsn(), kvk: "41000002", shared });
  w.clock.set("2001-03-10T09:00:00Z");
  const c = await w.script({ reference: "REC-C", outcome: "afgerond", bsn: bsn(), kvk: "41000003", shared });
  const runs = [await w.purgeAt("2001-04-02T03:00:00Z"), await w.purgeAt("2006-06-01T03:00:00Z")];
  return { w, runs, ids: { a: a.id, b: b.id, c: c.id } };
}

describe(`destructionRecords (${dialectUnderTest()})`, () => {
  const worlds: RetentionWorld[] = [];
  afterEach(async () => {
    for (const w of worlds.splice(0)) await w.close();
  });
  const setup = async () => {
    const made = await world();
    worlds.push(made.w);
    return made;
  };

  it("pages the records of a period for the privacy officer and the FG, one audit record per call", async () => {
    const { w, runs, ids } = await setup();
    expect(runs[0]!.destroyed.map((d) => d.caseId).sort()).toStrictEqual([ids.a, ids.b].sort());
    expect(runs[1]!.destroyed.map((d) => d.caseId)).toStrictEqual([ids.c]);
    expect(runs[1]!.auditTombstoned).toBeGreaterThan(0);

    const first = must(
      await destructionRecordsFor(w.ctx(OFFICER), { from: "2001-01-01", to: "2001-12-31", first: 1 }),
    );
    expect(first.records.map((r) => r.caseId)).toHaveLength(1);
    expect(first.hasNextPage).toBe(true);
    const second = must(
      await destructionRecordsFor(w.ctx(OFFICER), {
        from: "2001-01-01",
        to: "2001-12-31",
        first: 1,
        after: first.endCursor,
      }),
    );
    expect(second.hasNextPage).toBe(false);
    expect([...first.records, ...second.records].map((r) => r.caseId).sort()).toStrictEqual(
      [ids.a, ids.b].sort(),
    );
    const [record] = first.records;
    expect(record).toMatchObject({
      runId: runs[0]!.runId,
      rule: expect.stringMatching(/^outcome ongegrond: P0D after closing/),
      legalBasis: expect.stringContaining("AVG"),
      method: expect.stringContaining("overwritten in place"),
      categories: expect.arrayContaining(["signal text and case motivations"]),
    });

    // `to` as a date includes that whole day; from is inclusive.
    const day = must(await destructionRecordsFor(w.ctx(FG), { from: "2006-06-01", to: "2006-06-01" }));
    expect(day.records.map((r) => r.caseId).sort()).toStrictEqual([ids.c, null].sort());
    const all = must(await destructionRecordsFor(w.ctx(FG), {}));
    expect(all.records).toHaveLength(4);
    expect(all.operatorNotice).toBe(w.db.dialect === "postgres" ? POSTGRES_DESTRUCTION_NOTICE : null);

    const audited = await recordsAudit(w.db);
    expect(audited.map((r) => [r.actor, r.decision, r.kind])).toStrictEqual([
      [OFFICER.subject, "allow", "access"],
      [OFFICER.subject, "allow", "access"],
      [FG.subject, "allow", "access"],
      [FG.subject, "allow", "access"],
    ]);
    expect(audited[2]!.detail).toStrictEqual({
      query: { from: "2006-06-01T00:00:00.000Z", to: "2006-06-02T00:00:00.000Z", first: 50, after: null },
    });
  });

  it("refuses any other role FORBIDDEN with a deny record, even for bad arguments; bad input of an allowed role writes nothing", async () => {
    const { w } = await setup();
    for (const who of [ANALYST, actor("beheerder", "beheerder"), actor("jz", "legal")])
      expect(await destructionRecordsFor(w.ctx(who), { from: "2001-01-01" })).toStrictEqual({
        ok: false,
        error: { kind: "forbidden", message: "Not permitted." },
      });
    expect(await destructionRecordsFor(w.ctx(ANALYST), { from: "2001-02-30" })).toMatchObject({
      ok: false,
      error: { kind: "forbidden" },
    });
    const refused = await recordsAudit(w.db);
    expect(refused.map((r) => r.decision)).toStrictEqual(["deny", "deny", "deny", "deny"]);
    expect(refused[3]!.detail).toStrictEqual({ query: "invalid" });

    for (const bad of [
      { from: "2001-02-30" },
      { from: "2001-03-02", to: "2001-03-01" },
      { first: 0 },
      { first: 201 },
      { after: "not-a-cursor" },
    ])
      expect(await destructionRecordsFor(w.ctx(OFFICER), bad)).toMatchObject({
        ok: false,
        error: { kind: "bad_input" },
      });
    expect(await recordsAudit(w.db)).toHaveLength(4);
  });

  it("gives the year's account per month and per rule, with categories, method and the copies note", async () => {
    const { w, ids } = await setup();
    const year = must(await destructionRecordsOfYear(w.ctx(FG), 2006));
    const report = buildRecordsReport({
      year: 2006,
      ...year,
      generatedAt: new Date("2026-12-02T10:00:00Z"),
      database: w.db.dialect,
      postgresNotice: POSTGRES_DESTRUCTION_NOTICE,
    });
    expect(report).toMatchObject({ year: 2006, destructions: 2, cases: 1 });
    expect(report.months.map((m) => [m.month, m.destructions])).toStrictEqual([["2006-06", 2]]);
    const rules = report.months[0]!.rules;
    expect(rules.map((g) => [g.destructions, g.cases])).toStrictEqual(
      rules.map((g) => (g.rule.startsWith("outcome afgerond") ? [1, 1] : [1, 0])),
    );
    const afgerond = rules.find((g) => g.rule.startsWith("outcome afgerond"))!;
    expect(afgerond.categories["signal text and case motivations"]).toBe(1);
    expect(afgerond.rows.cases).toBe(1);
    const audit = rules.find((g) => g.rule !== afgerond.rule)!;
    expect(audit.categories).toStrictEqual({ "audit subject references, staff ids and details": 1 });
    expect(report.records.map((r) => r.caseId)).toContain(ids.c);

    const md = recordsReportMarkdown(report);
    expect(md).toContain("# Destruction records 2006");
    expect(md).toContain("## 2006-06");
    expect(md).toContain(`### ${afgerond.rule}`);
    expect(md).toContain(`- Legal basis: ${afgerond.legalBasis}`);
    expect(md).toContain(`- Method: ${afgerond.methods[0]!}`);
    expect(md).toContain("| signal text and case motivations | 1 |");
    expect(md).toContain(w.db.dialect === "postgres" ? POSTGRES_DESTRUCTION_NOTICE : PGLITE_COPIES_NOTICE);
    if (w.db.dialect === "postgres")
      expect(md).toContain(
        "PostgreSQL: backups, WAL archives (point-in-time recovery) and replicas keep destroyed data until they age out.",
      );

    // One audit record for the whole year, and the year 2001 has only the two ongegrond cases.
    expect((await recordsAudit(w.db)).map((r) => r.detail)).toStrictEqual([
      { year: 2006, from: "2006-01-01T00:00:00.000Z", to: "2007-01-01T00:00:00.000Z" },
    ]);
    const early = must(await destructionRecordsOfYear(w.ctx(OFFICER), 2001));
    expect(early.records.map((r) => r.caseId).sort()).toStrictEqual([ids.a, ids.b].sort());
    expect(await destructionRecordsOfYear(w.ctx(ANALYST), 2006)).toMatchObject({
      ok: false,
      error: { kind: "forbidden" },
    });
    expect((await recordsAudit(w.db)).map((r) => r.decision)).toStrictEqual(["allow", "allow", "deny"]);
  });

  it("states on PostgreSQL what backups, WAL archives and replicas keep and what the operator must do", () => {
    for (const words of [
      "base backups",
      "WAL archive",
      "point-in-time recovery",
      "replica",
      "after a restore",
    ])
      expect(POSTGRES_DESTRUCTION_NOTICE).toContain(words);
  });
});

describe("npm run retention -- records", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  async function run(argv: string[], env: Record<string, string>) {
    let out = "";
    let err = "";
    const code = await runRetentionCommand(argv, {
      env,
      stdout: (s) => (out += s),
      stderr: (s) => (err += s),
    });
    return { code, out, err };
  }

  /** A data dir with an ongegrond case closed in 2001, destroyed by a real run now. */
  async function destroyed(): Promise<{
    env: { DATA_DIR: string; USER: string };
    caseId: string;
    run: PurgeReport;
  }> {
    const dir = mkdtempSync(join(tmpdir(), "poortwachter-records-cli-"));
    dirs.push(dir);
    const db = await openDb({ dataDir: join(dir, "pglite") });
    expect((await migrate(db)).ok).toBe(true);
    const w = await createRetentionWorld({ db });
    const bsn = bsnSource(42_000_000);
    w.clock.set("2001-03-01T09:00:00Z");
    const c = await w.script({
      reference: "CLI-REC",
      outcome: "ongegrond",
      bsn: bsn(),
      kvk: "42000001",
      shared: bsn(),
    });
    await w.close();
    const env: { DATA_DIR: string; USER: string } = { DATA_DIR: dir, USER: "records.manager" };
    const purged = await run(["--format", "json"], env);
    expect(purged.err).toBe("");
    expect(purged.code).toBe(0);
    return { env, caseId: c.id, run: JSON.parse(purged.out) as PurgeReport };
  }

  it("prints a run as JSON, and the year's records as Markdown or JSON, audited as cli:<user>", async () => {
    const { env, caseId, run: report } = await destroyed();
    expect(report.destroyed.map((d) => d.caseId)).toStrictEqual([caseId]);
    // The embedded database: the purge removed the WAL segment itself; no PostgreSQL note.
    expect(report.operatorNotice).toBeUndefined();
    const year = String(new Date().getUTCFullYear());

    const md = await run(["records", "--year", year], env);
    expect(md.err).toBe("");
    expect(md.code).toBe(0);
    expect(md.out).toMatch(new RegExp(`^# Destruction records ${year}$`, "m"));
    expect(md.out).toMatch(new RegExp(`^## ${year}-\\d\\d$`, "m"));
    expect(md.out).toMatch(/^### outcome ongegrond: P0D after closing/m);
    expect(md.out).toContain(PGLITE_COPIES_NOTICE);
    expect(md.out).toContain(`| ${caseId} |`);

    const json = await run(["records", "--year", year, "--format", "json", "--as", "archivaris.smit"], env);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.out) as DestructionRecordsReport;
    // The case, and an expiry of audit records when the run found any past the audit retention.
    const expiry = report.auditTombstoned > 0 ? [null] : [];
    expect(parsed).toMatchObject({
      year: Number(year),
      destructions: 1 + expiry.length,
      cases: 1,
      database: "pglite",
    });
    expect(parsed.records.map((r) => r.caseId)).toStrictEqual([caseId, ...expiry]);

    const out = join(env.DATA_DIR, "out");
    const files = await run(["records", "--year", year, "--out", out], env);
    expect(files.code).toBe(0);
    expect(files.out.trim().split("\n")).toStrictEqual([
      join(out, `destruction-records-${year}.json`),
      join(out, `destruction-records-${year}.md`),
    ]);
    expect(readFileSync(join(out, `destruction-records-${year}.md`), "utf8")).toContain(`| ${caseId} |`);

    const db = await openDb({ dataDir: join(env.DATA_DIR, "pglite") });
    try {
      expect((await recordsAudit(db)).map((r) => [r.actor, r.decision, r.detail])).toStrictEqual(
        ["cli:records.manager", "cli:archivaris.smit", "cli:records.manager"].map((who) => [
          who,
          "allow",
          {
            year: Number(year),
            from: `${year}-01-01T00:00:00.000Z`,
            to: `${Number(year) + 1}-01-01T00:00:00.000Z`,
          },
        ]),
      );
    } finally {
      await db.close();
    }
  });

  it("refuses bad arguments with exit 2 and writes nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "poortwachter-records-usage-"));
    dirs.push(dir);
    const env = { DATA_DIR: dir };
    for (const [argv, message] of [
      [["records"], "--year <year> is required"],
      [["records", "--year", "1999"], '--year "1999": a calendar year from 2000 to 2100.'],
      [["records", "--year", "2026", "--format", "xml"], '--format "xml": markdown or json'],
      [["records", "--year", "2026", "--dry-run"], "--dry-run and --now belong to a run"],
      [["--year", "2026"], "--year belongs to `retention records`"],
      [["--format", "markdown"], '--format "markdown": text or json'],
      [["destroy"], 'unknown command "destroy"; use records, or none for a run'],
    ] as const) {
      const r = await run([...argv], env);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.err.split("\n")[0]).toBe(`retention: ${message}`);
    }
    expect(readdirSync(dir)).toStrictEqual([]);
  });
});

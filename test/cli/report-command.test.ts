import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { advisePrivacyCheck, openCase, requestPrivacyCheck } from "../../src/cases/index.ts";
import { moveCase } from "../utils/weighing.ts";
import { runReportCommand } from "../../src/cli/report-command.ts";
import type { DpiaSample, FgReport } from "../../src/reports/index.ts";
import { migrate, openDb } from "../../src/store/index.ts";
import { actor, createReportWorld, must } from "../reports/report-world.ts";

let dataDir: string;
let checkIds: string[];

async function run(argv: string[], env: Record<string, string> = { DATA_DIR: dataDir }) {
  let out = "";
  let errOut = "";
  const code = await runReportCommand(argv, {
    env,
    stdout: (s) => (out += s),
    stderr: (s) => (errOut += s),
  });
  return { code, out, err: errOut };
}

/** A year's worth of little activity in an embedded database, as the gateway would leave it. */
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "poortwachter-report-cli-"));
  const db = await openDb({ dataDir: join(dataDir, "pglite") });
  expect((await migrate(db)).ok).toBe(true);
  const w = await createReportWorld({ db });
  const analyst = actor("analist.jansen", "analyst");
  w.clock.set("2026-03-01T09:00:00Z");
  const caseId = must(await openCase(w.ctx(analyst), { reference: "CLI-1", motivation: "A signal." })).id;
  for (const to of ["weging", "bronnenonderzoek"])
    must(await moveCase(w.ctx(analyst), caseId, to, "Next phase."));
  checkIds = [];
  for (let n = 0; n < 12; n++) {
    const id = must(
      await requestPrivacyCheck(w.ctx(analyst), {
        caseId,
        kind: "1",
        source: "brp",
        fields: [],
        probes: ["brp.ingeschreven"],
        motivation: `Probe ${n} is needed.`,
      }),
    ).id;
    checkIds.push(id);
  }
  must(
    await advisePrivacyCheck(w.ctx(actor("po.dewit", "privacy_officer")), {
      id: checkIds[0]!,
      advice: "GO",
      motivation: "Fine.",
    }),
  );
  await w.close();
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("npm run report", () => {
  it("fg writes fg-report-<year>.json and .md to --out and prints their paths", async () => {
    const out = join(dataDir, "reports");
    const r = await run(["fg", "--year", "2026", "--out", out]);
    expect(r).toMatchObject({ code: 0, err: "" });
    const paths = [join(out, "fg-report-2026.json"), join(out, "fg-report-2026.md")];
    expect(r.out).toBe(`${paths.join("\n")}\n`);
    const report = JSON.parse(readFileSync(paths[0]!, "utf8")) as FgReport;
    expect(report).toMatchObject({ year: 2026, protocolId: "maastricht" });
    expect(report.checks.total).toEqual({
      requested: 12,
      go: 1,
      noGo: 0,
      partial: 0,
      themeApproved: 0,
      pending: 11,
    });
    expect(report.cases.openAtYearEndByPhase).toContainEqual({ phase: "bronnenonderzoek", cases: 1 });
    const md = readFileSync(paths[1]!, "utf8");
    expect(md).toContain("# FG annual report 2026");
    expect(md).toContain("| total | 12 | 1 | 0 | 0 | 0 | 11 |");
  });

  it("dpia writes dpia-sample-<year>.json and .md; the same seed draws the same sample", async () => {
    const out = join(dataDir, "dpia");
    const r = await run(["dpia", "--year", "2026", "--seed", "cli-seed", "--out", out]);
    expect(r).toMatchObject({ code: 0, err: "" });
    expect(r.out).toBe(`${join(out, "dpia-sample-2026.json")}\n${join(out, "dpia-sample-2026.md")}\n`);
    const first = JSON.parse(readFileSync(join(out, "dpia-sample-2026.json"), "utf8")) as DpiaSample;
    expect(first).toMatchObject({ population: 12, size: 2, fraction: 0.1, seed: "cli-seed" });
    expect(readFileSync(join(out, "dpia-sample-2026.md"), "utf8")).toContain("- Seed: `cli-seed`");

    expect((await run(["dpia", "--year", "2026", "--seed", "cli-seed", "--out", out])).code).toBe(0);
    const again = JSON.parse(readFileSync(join(out, "dpia-sample-2026.json"), "utf8")) as DpiaSample;
    expect(again.entries).toEqual(first.entries);

    const half = await run([
      "dpia",
      "--year",
      "2026",
      "--seed",
      "cli-seed",
      "--fraction",
      "0.5",
      "--out",
      out,
    ]);
    expect(half.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, "dpia-sample-2026.json"), "utf8"))).toMatchObject({ size: 6 });
  });

  it("fails (exit 1) with the reason when the database holds no gateway data", async () => {
    const empty = mkdtempSync(join(tmpdir(), "poortwachter-report-empty-"));
    try {
      const r = await run(["fg", "--year", "2026", "--out", empty], { DATA_DIR: empty });
      expect(r).toMatchObject({ code: 1, out: "" });
      expect(r.err).toMatch(/^report: could not read the database: relation "\w+" does not exist/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it.each([
    [[], /name the report: fg or dpia/],
    [["weekly", "--year", "2026"], /unknown report "weekly"/],
    [["fg"], /--year <year> is required/],
    [["fg", "--year", "1999"], /--year "1999": a calendar year from 2000 to 2100/],
    [["fg", "--year", "twenty"], /--year "twenty"/],
    [["fg", "--year", "2026", "extra"], /unexpected argument "extra"/],
    [["fg", "--year", "2026", "--seed", "s"], /--seed and --fraction belong to the dpia report/],
    [["fg", "--year", "2026", "--bogus"], /bogus/],
    [["dpia", "--year", "2026"], /--seed <seed> is required/],
    [["dpia", "--year", "2026", "--seed", ""], /--seed: a non-empty seed is required/],
    [["dpia", "--year", "2026", "--seed", "s", "--fraction", "0.05"], /--fraction: at least 0\.1/],
    [["dpia", "--year", "2026", "--seed", "s", "--fraction", "2"], /--fraction: at most 1/],
    [["dpia", "--year", "2026", "--seed", "s", "--fraction", "ten"], /--fraction "ten" is not a number/],
  ])("%j is a usage error (exit 2) that names the problem", async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toMatch(message);
    expect(r.err).toContain("Usage:");
  });
});

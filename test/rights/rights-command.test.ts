import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuditLog } from "../../src/audit/index.ts";
import { runRightsCommand } from "../../src/cli/rights-command.ts";
import { advisePrivacyCheck, openCase, requestPrivacyCheck } from "../../src/cases/index.ts";
import { moveCase } from "../utils/weighing.ts";
import { deferSubjectInforming, type SubjectAccessReport } from "../../src/rights/index.ts";
import { migrate, openDb } from "../../src/store/index.ts";
import { actor, createReportWorld, must } from "../reports/report-world.ts";

/** `npm run rights -- access --bsn X`: the access report as JSON and Markdown, audited. */
const HMAC_KEY = "rights-cli-test-hmac-key-0123456789";
const PERSON = "999993653";
let dataDir: string;
let withheldCase: string;

async function run(argv: string[], env: Record<string, string> = { DATA_DIR: dataDir, USER: "jurist" }) {
  let out = "";
  let errOut = "";
  const code = await runRightsCommand(argv, { env, stdout: (s) => (out += s), stderr: (s) => (errOut += s) });
  return { code, out, err: errOut };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "poortwachter-rights-cli-"));
  // The demo gateway keeps its audit key here; the command must pseudonymise with the same one.
  writeFileSync(join(dataDir, "audit-hmac.key"), HMAC_KEY);
  const db = await openDb({ dataDir: join(dataDir, "pglite") });
  expect((await migrate(db)).ok).toBe(true);
  const w = await createReportWorld({ db });
  const ctx = (a: ReturnType<typeof actor>) => ({
    ...w.ctx(a),
    audit: createAuditLog({ db, hmacKey: HMAC_KEY, clock: w.clock }),
  });
  const analyst = actor("analist.jansen", "analyst");
  w.clock.set("2025-05-01T09:00:00Z");
  const caseIn = async (reference: string) => {
    const id = must(await openCase(ctx(analyst), { reference, motivation: "A signal." })).id;
    for (const to of ["weging", "bronnenonderzoek"]) must(await moveCase(ctx(analyst), id, to, "Next."));
    const check = must(
      await requestPrivacyCheck(ctx(analyst), {
        caseId: id,
        kind: "1",
        source: "brp",
        fields: [],
        probes: ["brp.ingeschreven"],
        subjects: [`persoon:${PERSON}`],
        motivation: "Needed.",
      }),
    );
    must(
      await advisePrivacyCheck(ctx(actor("privacy.officer", "privacy_officer")), {
        id: check.id,
        advice: "GO",
        motivation: "Fine.",
      }),
    );
    return id;
  };
  await caseIn("CLI-SHOWN");
  withheldCase = await caseIn("CLI-HIDDEN");
  must(
    await deferSubjectInforming(ctx(actor("jurist", "legal")), {
      caseId: withheldCase,
      bsn: PERSON,
      ground: "criminal_offences",
      motivation: "The investigation runs.",
      decidedBy: "manager.veiligheid",
      adviceBy: "fg",
      advice: "Defer.",
      reviewAt: "2099-01-01",
    }),
  );
  await w.close();
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("npm run rights -- access", () => {
  it("writes access-report-<id>.json and .md to --out, without the withheld case, and audits as cli:<user>", async () => {
    const out = join(dataDir, "reports");
    const r = await run(["access", "--bsn", PERSON, "--out", out]);
    expect(r.code).toBe(0);
    const files = readdirSync(out).sort();
    expect(files).toHaveLength(2);
    expect(r.out).toBe(`${files.map((f) => join(out, f)).join("\n")}\n`);
    const report = JSON.parse(readFileSync(join(out, files[0]!), "utf8")) as SubjectAccessReport;
    expect(files).toEqual([`access-report-${report.id}.json`, `access-report-${report.id}.md`]);
    expect(report.cases.map((c) => c.reference)).toEqual(["CLI-SHOWN"]);
    const md = readFileSync(join(out, files[1]!), "utf8");
    expect(md).toContain("## Case CLI-SHOWN");
    for (const text of [JSON.stringify(report), md]) {
      expect(text).not.toContain("CLI-HIDDEN");
      expect(text).not.toContain(withheldCase);
    }
    // The operator learns of the withholding; the files do not.
    expect(r.err).toMatch(/1 case\(s\) withheld under GDPR art\. 23 .*23\(1\)\(d\)/);

    const db = await openDb({ dataDir: join(dataDir, "pglite") });
    try {
      const log = createAuditLog({ db, hmacKey: HMAC_KEY });
      const access = await log.list({ subject: PERSON, subjectType: "bsn", kind: "rights" });
      expect(access.map((a) => [a.actor, a.operation, a.caseId ?? null])).toEqual([
        ["jurist", "rights.defer", withheldCase],
        ["cli:jurist", "rights.access", null],
        ["cli:jurist", "rights.access.withhold", withheldCase],
      ]);
    } finally {
      await db.close();
    }
  });

  it.each([
    [[], /name the command: access/],
    [["access"], /--bsn <BSN> is required/],
    [["access", "--bsn", "123456789"], /--bsn: The BSN fails the 11-check/],
    [["access", "--bsn", PERSON, "--as", "not a user"], /--as "not a user"/],
    [["report", "--bsn", PERSON], /unknown command "report"/],
  ])("exits 2 on %j", async (argv, message) => {
    const r = await run(argv as string[]);
    expect(r).toMatchObject({ code: 2, out: "" });
    expect(r.err).toMatch(message);
  });

  it("exits 2 without an audit key", async () => {
    const r = await run(["access", "--bsn", PERSON], { DATA_DIR: join(dataDir, "elsewhere") });
    expect(r).toMatchObject({ code: 2, out: "" });
    expect(r.err).toMatch(/AUDIT_HMAC_KEY is required/);
  });
});

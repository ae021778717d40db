import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createAuditLog, type AuditEntry } from "../../src/audit/index.ts";
import { runAuditCommand } from "../../src/cli/audit-command.ts";
import { migrate, openDb } from "../../src/store/index.ts";

/**
 * `npm run audit -- search` (issue 13): the auditLog query offline on DATA_DIR, by BSN without
 * the BSN in the output or in the search's own audit record, as CSV or JSON; bad input is exit 2.
 */
const KEY = "k".repeat(32);
const BSN = "111222333";
const OTHER = "123456782";
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function run(argv: string[], env: Record<string, string>) {
  let out = "";
  let errOut = "";
  const code = await runAuditCommand(argv, { env, stdout: (s) => (out += s), stderr: (s) => (errOut += s) });
  return { code, out, err: errOut };
}

const entry = (subject: string, operation: string): AuditEntry => ({
  kind: "disclosure",
  actor: "analist.jansen",
  roles: ["analyst"],
  caseId: "case-1",
  processingActivity: "ondermijning.bronnenonderzoek",
  operation,
  source: "brp",
  subject,
  subjectType: "bsn",
  fields: ["naam.geslachtsnaam"],
  decision: "allow",
  reason: "test, with a comma",
  policyHash: "h",
  traceId: "t",
});

async function dataDir(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "poortwachter-audit-search-"));
  dirs.push(dir);
  writeFileSync(join(dir, "audit-hmac.key"), KEY);
  const db = await openDb({ dataDir: join(dir, "pglite") });
  expect((await migrate(db)).ok).toBe(true);
  const log = createAuditLog({ db, hmacKey: KEY });
  expect(
    (await log.append([entry(BSN, "brp.fields"), entry(OTHER, "brp.fields"), entry(BSN, "brp.hits")])).ok,
  ).toBe(true);
  await db.close();
  return dir;
}

async function stored(dir: string) {
  const db = await openDb({ dataDir: join(dir, "pglite") });
  try {
    return await db.query<{ decision: string; actor: string; raw: string; detail: Record<string, unknown> }>(
      "SELECT decision, actor, detail, row_to_json(audit_log)::text AS raw FROM audit_log WHERE operation = 'audit.search' ORDER BY seq",
    );
  } finally {
    await db.close();
  }
}

describe("npm run audit -- search", () => {
  it("finds a person's records by BSN as JSON, and logs the search without the BSN", async () => {
    const dir = await dataDir();
    const r = await run(["search", "--bsn", BSN, "--format", "json", "--as", "po.devries"], {
      DATA_DIR: dir,
    });
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const records = JSON.parse(r.out) as { operation: string; subjectPseudonym: string; actor: string }[];
    expect(records.map((x) => x.operation)).toEqual(["brp.fields", "brp.hits"]);
    const pseudonym = createAuditLog({ db: null as never, hmacKey: KEY }).pseudonymise(BSN, "bsn");
    expect(new Set(records.map((x) => x.subjectPseudonym))).toEqual(new Set([pseudonym]));
    expect(r.out).not.toContain(BSN);

    const [search, ...more] = await stored(dir);
    expect(more).toEqual([]);
    expect(search).toMatchObject({ decision: "allow", actor: "cli:po.devries" });
    expect(search!.detail["filter"]).toMatchObject({ subject: { type: "bsn", pseudonym } });
    expect(search!.raw).not.toContain(BSN);
  });

  it("writes CSV with a header and one line per record, narrowed by operation", async () => {
    const dir = await dataDir();
    const r = await run(["search", "--bsn", BSN, "--operation", "brp.hits", "--format", "csv"], {
      DATA_DIR: dir,
      USER: "po",
    });
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split("\r\n");
    expect(lines[0]).toMatch(/^id,seq,at,kind,actor,roles,clientId,caseId,/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(",brp.hits,brp,");
    expect(lines[1]).toContain('"test, with a comma"');
    expect(r.out).not.toContain(BSN);
  });

  it("refuses a bad BSN, two subjects or no format with exit 2, before anything is written", async () => {
    const dir = await dataDir();
    const bad = await run(["search", "--bsn", "123456789", "--format", "json"], { DATA_DIR: dir });
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/filter\.subject\.id: .*11-check/);
    expect(bad.err).not.toContain("123456789");
    expect(
      (await run(["search", "--bsn", BSN, "--kvk", "12345678", "--format", "json"], { DATA_DIR: dir })).code,
    ).toBe(2);
    expect((await run(["search", "--bsn", BSN], { DATA_DIR: dir })).err).toContain("--format csv|json");
    expect((await run(["verify", "--bsn", BSN], { DATA_DIR: dir })).code).toBe(2);
    expect(await stored(dir)).toEqual([]);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuditLog } from "../../src/audit/index.ts";
import { runPolicyCommand } from "../../src/cli/policy-command.ts";
import { migrate, openDb } from "../../src/store/index.ts";
import { scriptedPolicies } from "../policy/policy-change.ts";

/** `npm run policy -- diff|replay` (issue 14): output, and exit 2 for bad input. */

let dirs: { baseline: string; candidate: string };
let dataDir: string;
const HMAC = "policy-replay-cli-test-key";
const BSN = "999993653";

async function run(argv: string[], env: Record<string, string> = {}) {
  let stdout = "";
  let stderr = "";
  const code = await runPolicyCommand(argv, {
    env: { POLICY_DIR: "policies", ...env },
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
  });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  dirs = scriptedPolicies();
  dataDir = mkdtempSync(join(tmpdir(), "poortwachter-replay-cli-"));
  writeFileSync(join(dataDir, "audit-hmac.key"), HMAC);
  const db = await openDb({ dataDir: join(dataDir, "pglite") });
  expect((await migrate(db)).ok).toBe(true);
  // A disclosure about a case the database no longer has: counted, never re-decided.
  const written = await createAuditLog({ db, hmacKey: HMAC }).append([
    {
      kind: "disclosure",
      actor: "analist.jansen",
      roles: ["analyst"],
      caseId: "gone",
      phase: "regie",
      processingActivity: "maastricht.regie.v1",
      operation: "brp.fields",
      source: "brp",
      subject: BSN,
      subjectType: "bsn",
      fields: ["geslacht"],
      mode: "fields",
      decision: "allow",
      reason: "test",
      policyHash: "0".repeat(64),
      traceId: "0".repeat(32),
    },
  ]);
  expect(written.ok).toBe(true);
  await db.close();
});
afterAll(() => {
  for (const dir of [...Object.values(dirs ?? {}), dataDir])
    if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("policy diff", () => {
  it("prints the sentences and cells of two folders", async () => {
    const r = await run(["diff", dirs.baseline, dirs.candidate]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "  - Rule brp.regie.analyst no longer allows brp.geslacht for role analyst in phase regie.",
    );
    expect(r.stdout).toContain(
      "  analyst · regie · brp · field geslacht: with check → denied (rule brp.regie.analyst)",
    );
  });

  it("--json gives the same diff as data; files and current are the working files", async () => {
    const r = await run(["diff", "files", dirs.candidate, "--json"]);
    expect(r.code).toBe(0);
    const diff = JSON.parse(r.stdout) as {
      from: { ref: string };
      changes: { id: string }[];
      cells: unknown[];
    };
    expect(diff.from.ref).toBe("files");
    expect(diff.changes.map((c) => c.id)).toEqual(["brp.regie.analyst"]);
    expect(diff.cells).toHaveLength(1);
    // No version stored yet in this database: `current` is the working files.
    const same = await run(["diff", "current", "files"], { DATA_DIR: dataDir });
    expect(same.stderr).toBe("");
    expect(same.stdout).toContain("no differences");
  });

  it("compares stored versions: v1 with v2, and current is the newest", async () => {
    const publish = (dir: string, motivation: string) =>
      run(["publish", "--motivation", motivation, "--author", "privacy.officer"], {
        DATA_DIR: dataDir,
        POLICY_DIR: dir,
      });
    const first = await publish(dirs.baseline, "the baseline");
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect((await publish(dirs.candidate, "narrow one field, widen one probe")).code).toBe(0);
    const r = await run(["diff", "v1", "v2"], { DATA_DIR: dataDir });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "  - Rule brp.regie.analyst no longer allows brp.geslacht for role analyst in phase regie.",
    );
    const newest = await run(["diff", "current", dirs.candidate], { DATA_DIR: dataDir });
    expect(newest.stdout).toContain("no differences");
  });

  it.each([
    [["diff", "v0", "files"], /<from>: "v0" is not a policy reference/],
    [["diff", "files", "v9"], /v9: there is no stored policy version 9/],
    [["diff", "/no/such/folder", "files"], /no policy folder \/no\/such\/folder/],
    [["diff", "files"], /missing required argument 'to'/],
  ])("%j is refused with exit 2", async (argv, message) => {
    const r = await run(argv, { DATA_DIR: dataDir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
  });

  it("a folder whose policy does not load exits 1, naming the problem", async () => {
    writeFileSync(join(dirs.baseline, "probes.yaml"), "probes: 12\n");
    const r = await run(["diff", dirs.baseline, "files"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the policy is invalid: probes\.yaml/);
  });
});

describe("policy replay", () => {
  it.each([
    [["replay", "--from", "2026-01-01", "--to", "2026-02-01"], /replay needs --candidate/],
    [["replay", "--candidate", "files", "--to", "2026-02-01"], /replay needs --from and --to/],
    [["replay", "--candidate", "files", "--from", "2026-02-30", "--to", "2026-03-01"], /--from: not a date/],
    [["replay", "--candidate", "files", "--from", "2026-02-01", "--to", "yesterday"], /--to: not a date/],
    [
      ["replay", "--candidate", "files", "--from", "2026-03-01", "--to", "2026-02-01"],
      /--to must lie after --from/,
    ],
    [
      ["replay", "--candidate", "v7", "--from", "2026-01-01", "--to", "2026-02-01"],
      /v7: there is no stored policy version 7/,
    ],
    [["replay", "--candidate", "/no/such", "--from", "2026-01-01", "--to", "2026-02-01"], /no policy folder/],
  ])("%j is refused with exit 2", async (argv, message) => {
    const r = await run(argv, { DATA_DIR: dataDir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
  });

  it("replays the embedded database's records, counts what cannot be re-decided, and is audited", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const r = await run(
      [
        "replay",
        "--candidate",
        dirs.candidate,
        "--from",
        "2026-01-01",
        "--to",
        today,
        "--json",
        "--as",
        "po.dewit",
      ],
      { DATA_DIR: dataDir },
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { records: number; replayed: number; notReplayable: unknown[] };
    expect(report.records).toBe(1);
    expect(report.replayed).toBe(0);
    expect(report.notReplayable).toEqual([
      {
        reason: "the case is no longer in the database",
        count: 1,
        examples: [{ seq: 1, id: expect.any(String) }],
      },
    ]);
    expect(r.stdout).not.toContain(BSN);
    const db = await openDb({ dataDir: join(dataDir, "pglite") });
    try {
      const replays = await createAuditLog({ db, hmacKey: HMAC }).list({ operation: "policy.replay" });
      expect(replays.map((x) => [x.actor, x.kind, x.roles])).toEqual([
        ["cli:po.dewit", "access", ["privacy_officer"]],
      ]);
    } finally {
      await db.close();
    }
  });
});

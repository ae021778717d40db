import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runPolicyCommand } from "../../src/cli/policy-command.ts";
import { migrate, openDb } from "../../src/store/index.ts";
import { overlay } from "../policy/policy-fixtures.ts";

/** Issue 14: `npm run policy -- publish|versions|evaluated` on the embedded database. */
describe("policy publish, versions, evaluated", () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });

  async function setup() {
    const dataDir = mkdtempSync(join(tmpdir(), "poortwachter-policy-cli-"));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const db = await openDb({ dataDir: join(dataDir, "pglite") });
    expect((await migrate(db)).ok).toBe(true);
    await db.close();
    const { dir, cleanup } = overlay();
    cleanups.push(cleanup);
    const run = async (...argv: string[]) => {
      let out = "";
      let err = "";
      const code = await runPolicyCommand(argv, {
        env: { DATA_DIR: dataDir, POLICY_DIR: dir, USER: "po-1" },
        stdout: { write: (s: string) => (out += s) },
        stderr: { write: (s: string) => (err += s) },
      });
      return { code, out, err };
    };
    return { run, dir };
  }

  it("publishes, refuses unchanged content, lists, and records an evaluation", async () => {
    const { run } = await setup();
    const first = await run(
      "publish",
      "--motivation",
      "Vastgesteld door het college",
      "--adopted",
      "2026-01-15",
    );
    expect(first).toMatchObject({ code: 0, err: "" });
    expect(first.out).toMatch(
      /^published version 1: hash [0-9a-f]{64}, protocol maastricht .*next evaluation 2027-01-15\n$/,
    );
    const again = await run("publish", "--motivation", "again");
    expect(again.code).toBe(1);
    expect(again.err).toContain("identical to version 1");
    const evaluated = await run("evaluated", "--motivation", "Met de FG geëvalueerd", "--on", "2026-11-30");
    expect(evaluated).toMatchObject({ code: 0 });
    expect(evaluated.out).toContain("next evaluation 2029-11-30");
    const listed = await run("versions");
    expect(listed.code).toBe(0);
    expect(listed.out).toContain("by cli:po-1, adopted 2026-01-15: Vastgesteld door het college");
    expect(listed.out).toContain("next evaluation: 2029-11-30");
    const json = JSON.parse((await run("versions", "--json")).out) as { versions: { version: number }[] };
    expect(json.versions.map((v) => v.version)).toEqual([1]);
  });

  it("refuses a bad policy file with exit 1, naming it, and stores nothing; usage errors exit 2", async () => {
    const { run, dir } = await setup();
    writeFileSync(join(dir, "roles.yaml"), "roles: [\n");
    const bad = await run("publish", "--motivation", "broken");
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("roles.yaml");
    expect(bad.err).toContain("nothing was stored");
    expect((await run("versions")).out).toContain("no policy version is stored yet");
    expect((await run("publish")).code).toBe(2);
    expect((await run("publish", "--motivation", "x", "--adopted", "15-01-2026")).code).toBe(2);
    expect((await run("evaluated", "--motivation", "x")).code).toBe(1);
  });
});

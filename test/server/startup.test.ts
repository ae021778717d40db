import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runServeCommand } from "../../src/cli/serve-command.ts";

/** A bad setting or policy file stops start-up with a message naming it; nothing is started. */
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function serve(env: Record<string, string>) {
  let out = "";
  let errOut = "";
  const code = await runServeCommand(["--demo"], {
    env,
    stdout: (s) => (out += s),
    stderr: (s) => (errOut += s),
  });
  return { code, out, err: errOut };
}

describe("start-up refusals", () => {
  it("names a wrong setting", async () => {
    const r = await serve({ PORT: "-1" });
    expect(r.code).toBe(1);
    expect(r.err).toContain("PORT");
    expect(r.out).toBe("");
  });

  it("names the file, the path and the reason of a bad policy", async () => {
    const dir = mkdtempSync(join(tmpdir(), "poortwachter-policy-"));
    dirs.push(dir);
    cpSync("policies", dir, { recursive: true });
    writeFileSync(
      join(dir, "protocol.yaml"),
      readFileSync("policies/protocol.yaml", "utf8").replace("initialPhase: intake", "initialPhase: nergens"),
    );
    const r = await serve({ POLICY_DIR: dir, DATA_DIR: join(dir, "data"), PORT: "0" });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/protocol\.yaml: initialPhase: .*nergens/);
    expect(r.out).toBe("");
  });
});

import { describe, expect, it } from "vitest";
import { runPolicyCommand } from "../../src/cli/policy-command.ts";
import { staleJsonSchemas } from "../../src/policy/index.ts";
import { overlay, policiesDir } from "./policy-fixtures.ts";

async function run(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runPolicyCommand(argv, {
    env: {},
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
  });
  return { code, stdout, stderr };
}

describe("npm run policy", () => {
  it("check prints the hash and a summary for every protocol", async () => {
    const r = await run("check", "--dir", policiesDir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /protocol\.yaml \+ disclosure\.yaml: ok, hash [0-9a-f]{64}; protocol maastricht with 5 phases/,
    );
    expect(r.stdout).toMatch(/protocol-delft\.yaml \+ disclosure-delft\.yaml: ok/);
    expect(r.stdout).toMatch(/, 4 theme datasets$/m);
    expect(r.stdout).toMatch(/^ {2}theme hennepteelt@2026-1: 3 check 1 probes, 1 check 2a entries$/m);
    expect(r.stdout).toMatch(
      /^ {2}processing activities: maastricht\.intake\.v1, maastricht\.weging\.v1, .*; poortwachter\.rights\.v1, /m,
    );
  });

  it("check names the register's file, place and reason for a bad activity", async () => {
    const { dir, cleanup } = overlay();
    try {
      const file = `${dir}/processing-activities.yaml`;
      const { readFileSync, writeFileSync } = await import("node:fs");
      writeFileSync(file, readFileSync(file, "utf8").replace("phase: weging", "phase: wegen"));
      const r = await run("check", "--dir", dir, "--protocol", "protocol.yaml");
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /^processing-activities\.yaml: activities\[1\]\.phase: protocol maastricht has no phase wegen/m,
      );
    } finally {
      cleanup();
    }
  });

  it("check prints every problem as file: path: reason and exits 1", async () => {
    const { dir, cleanup } = overlay("unknown-field");
    try {
      const r = await run("check", "--dir", dir, "--protocol", "protocol.yaml");
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        "disclosure.yaml: rules[3].fields[11]: unknown field beroep in the brp catalogue",
      );
    } finally {
      cleanup();
    }
  });

  it("explain names the rule", async () => {
    const r = await run(
      "explain",
      "--dir",
      policiesDir,
      "--role",
      "analyst",
      "--phase",
      "bronnenonderzoek",
      "--source",
      "brp",
      "--probe",
      "brp.ingeschreven",
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /probe brp\.ingeschreven: DENIED \[brp\.bronnenonderzoek\.analyst\] - probe brp\.ingeschreven is not approved by a privacy check 1/,
    );
    const approved = await run(
      "explain",
      "--dir",
      policiesDir,
      "--role",
      "analyst",
      "--phase",
      "bronnenonderzoek",
      "--source",
      "brp",
      "--probe",
      "brp.ingeschreven",
      "--approved",
      "brp.ingeschreven",
    );
    expect(approved.stdout).toMatch(/probe brp\.ingeschreven: ALLOWED \[brp\.bronnenonderzoek\.analyst\]/);
  });

  it("explain refuses an unknown role", async () => {
    const r = await run(
      "explain",
      "--dir",
      policiesDir,
      "--role",
      "burgemeester",
      "--phase",
      "regie",
      "--source",
      "brp",
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown role burgemeester/);
  });

  it("matrix shows the role x phase modes", async () => {
    const r = await run("matrix", "--dir", policiesDir, "--source", "brp");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^analyst\s+\|\s+verify\s+\|\s+territory\s+\|\s+hit\s+\|\s+fields\s+\|\s+none$/m,
    );
    expect(r.stdout).toMatch(/^dpo(\s+\|\s+none){5}$/m);
  });

  it("schema writes fresh JSON Schema files", async () => {
    const { dir, cleanup } = overlay();
    try {
      const { rmSync } = await import("node:fs");
      rmSync(`${dir}/schema`, { recursive: true });
      expect(await staleJsonSchemas(dir)).toHaveLength(10);
      expect((await run("schema", "--dir", dir)).code).toBe(0);
      expect(await staleJsonSchemas(dir)).toEqual([]);
    } finally {
      cleanup();
    }
  });

  it("an unknown command prints the usage", async () => {
    const r = await run("frobnicate");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^policy: unknown command "frobnicate"/);
    expect(r.stderr).toMatch(/Usage: policy/);
  });
});

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { registerEnvProblems } from "../../src/app/register-admission.ts";
import { loadPolicySet, memorySource } from "../../src/policy/index.ts";
import { startTestApp } from "../utils/test-app.ts";
import { loadOk, overlay } from "./policy-fixtures.ts";

/**
 * Issue 16: a register file is a policy file. A bad one is refused with file, path and reason,
 * like any other, and a policy set with it is not loaded (so start-up stops and no version is made).
 */
const GOOD = `source: demoreg
title: Demo register
article: Maastricht bijlage A fase 3
key: bsn
backend:
  kind: postgres
  connection: DEMOREG_DATABASE_URL
  table: registers_demo.demoreg
  keyColumns: { value: bsn }
fields:
  - { name: soort, class: personal, note: "kind" }
  - { name: datum, class: personal, note: "date" }
probes:
  - id: demoreg.recent
    description: A record in the last year.
    where:
      - { field: datum, since: P1Y }
`;

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

async function problemsWith(name: string, text: string) {
  const { dir, cleanup } = overlay();
  cleanups.push(cleanup);
  writeFileSync(join(dir, "registers", name), text);
  const r = await loadPolicySet(dir);
  if (r.ok) expect.fail(`${name} was accepted`);
  return r.error.problems;
}

describe("register files", () => {
  it("the shipped registers load as sources with their catalogue and probes", async () => {
    const policy = await loadOk();
    expect(policy.registers.map((r) => r.source)).toEqual(["boa", "erfpacht", "subsidies", "uitkeringen"]);
    expect(policy.catalogue.classOf("boa", "feitcode")).toBe("criminal");
    expect(policy.probes.find((p) => p.id === "boa.registratieOpAdres")?.source).toBe("boa");
  });

  it("a good file loads, and is part of the policy hash", async () => {
    const { dir, cleanup } = overlay();
    cleanups.push(cleanup);
    const before = (await loadOk(dir)).hash;
    writeFileSync(join(dir, "registers", "demoreg.yaml"), GOOD);
    const policy = await loadOk(dir);
    expect(policy.files).toContain("registers/demoreg.yaml");
    expect(policy.hash).not.toBe(before);
    expect(policy.catalogue.paths("demoreg")).toEqual(["datum", "soort"]);
  });

  it.each([
    [
      "an unknown class",
      GOOD.replace('class: personal, note: "kind"', 'class: geheim, note: "kind"'),
      "fields[0].class",
      /unknown class/,
    ],
    [
      "class special",
      GOOD.replace('class: personal, note: "kind"', 'class: special, note: "kind"'),
      "fields[0].class",
      /special \(GDPR art\. 9\)/,
    ],
    [
      "a condition on an undeclared field",
      GOOD.replace("field: datum, since", "field: bedrag, since"),
      "probes[0].where[0].field",
      /unknown field bedrag/,
    ],
    ["a bad key kind", GOOD.replace("key: bsn", "key: naam"), "key", /bsn, kvkNummer, bagId or adres/],
    [
      "SQL in a key column",
      GOOD.replace("{ value: bsn }", `{ value: 'bsn" = bsn OR 1=1; --' }`),
      "backend.keyColumns.value",
      /lower-case letters/,
    ],
    [
      "SQL in a column",
      GOOD.replace("name: soort, class", 'name: soort, column: "soort); DROP TABLE x; --", class'),
      "fields[0].column",
      /lower-case letters/,
    ],
    [
      "a table that is not schema-qualified",
      GOOD.replace("registers_demo.demoreg", "demoreg"),
      "backend.table",
      /schema-qualified/,
    ],
    [
      "SQL text as table",
      GOOD.replace("registers_demo.demoreg", "'(SELECT * FROM audit_log) x'"),
      "backend.table",
      /schema-qualified/,
    ],
    [
      "a connection that is not a *_DATABASE_URL",
      GOOD.replace("DEMOREG_DATABASE_URL", "AUDIT_HMAC_KEY"),
      "backend.connection",
      /_DATABASE_URL/,
    ],
    [
      "a probe of another source",
      GOOD.replace("id: demoreg.recent", "id: brp.recent"),
      "probes[0].id",
      /demoreg\.<name>/,
    ],
    [
      "key parts the key does not have",
      GOOD.replace("{ value: bsn }", "{ value: bsn, postcode: pc }"),
      "backend.keyColumns.postcode",
      /no part postcode/,
    ],
  ])("refuses %s, naming file, path and reason", async (_, text, path, reason) => {
    const problems = await problemsWith("demoreg.yaml", text);
    const mine = problems.filter((p) => p.file === "registers/demoreg.yaml");
    expect(mine.map((p) => p.path)).toContain(path);
    expect(mine.find((p) => p.path === path)?.reason).toMatch(reason);
  });

  it("refuses an HTTP URL that substitutes anything but the key", async () => {
    const http = GOOD.replace(
      /backend:[\s\S]*?keyColumns: \{ value: bsn \}\n/,
      "backend:\n  kind: http\n  url: https://example.org/r?bsn={value}&q={query}\n",
    );
    const problems = await problemsWith("demoreg.yaml", http);
    expect(problems).toContainEqual(
      expect.objectContaining({
        file: "registers/demoreg.yaml",
        path: "backend.url",
        reason: expect.stringMatching(/\{query\}/),
      }),
    );
  });

  it("refuses a register named like a registry, and a file named otherwise than its source", async () => {
    const clash = await problemsWith("brp.yaml", GOOD.replaceAll("demoreg", "brp"));
    expect(clash).toContainEqual(expect.objectContaining({ file: "registers/brp.yaml", path: "source" }));
    const misnamed = await problemsWith("other.yaml", GOOD);
    expect(misnamed).toContainEqual(
      expect.objectContaining({
        file: "registers/other.yaml",
        path: "source",
        reason: expect.stringMatching(/demoreg\.yaml/),
      }),
    );
  });

  it("a disclosure rule may name only the register's declared fields", async () => {
    const { dir, cleanup } = overlay();
    cleanups.push(cleanup);
    writeFileSync(join(dir, "registers", "demoreg.yaml"), GOOD);
    const rules = (await import("node:fs")).readFileSync(join(dir, "disclosure.yaml"), "utf8");
    writeFileSync(
      join(dir, "disclosure.yaml"),
      `${rules}  - id: demoreg.regie.analyst
    source: demoreg
    phases: [regie]
    roles: [analyst]
    mode: fields
    fields: [soort, bsnVanDeBuren]
    reason: test
    article: test
`,
    );
    const r = await loadPolicySet(dir);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(
        r.error.problems.some((p) => p.file === "disclosure.yaml" && /bsnVanDeBuren/.test(p.reason)),
      ).toBe(true);
  });

  it("loads from a stored version's texts too (memory source)", async () => {
    const { dir, cleanup } = overlay();
    cleanups.push(cleanup);
    writeFileSync(join(dir, "registers", "demoreg.yaml"), GOOD);
    const policy = await loadOk(dir);
    const { readFileSync } = await import("node:fs");
    const texts = Object.fromEntries(policy.files.map((f) => [f, readFileSync(join(dir, f), "utf8")]));
    const again = await loadPolicySet(memorySource(texts));
    expect(again.ok && again.value.hash).toBe(policy.hash);
  });
});

describe("the environment a register names (logged at start-up; such a register answers UNKNOWN)", () => {
  it("outside demo mode each postgres register without its connection variable is named", async () => {
    const policy = await loadOk();
    const problems = registerEnvProblems(policy, {
      demoMode: false,
      registerEnv: { BOA_DATABASE_URL: "postgres://x" },
    });
    expect(problems).toContain(
      "registers/uitkeringen.yaml: backend.connection: UITKERINGEN_DATABASE_URL is not set; outside demo mode a register is read only from the database its variable names",
    );
    expect(problems.some((p) => p.startsWith("registers/boa.yaml"))).toBe(false);
    expect(registerEnvProblems(policy, { demoMode: true, registerEnv: {} })).toEqual([]);
  });

  it("an HTTP register's secret must be set, in demo mode too", () => {
    const policy = {
      registers: [
        {
          file: "registers/x.yaml",
          backend: {
            kind: "http" as const,
            url: "https://x/{value}",
            auth: { header: "Authorization", env: "X_REGISTER_AUTH" },
          },
        },
      ],
    } as unknown as Parameters<typeof registerEnvProblems>[0];
    expect(registerEnvProblems(policy, { demoMode: true, registerEnv: {} })).toEqual([
      "registers/x.yaml: backend.auth.env: X_REGISTER_AUTH is not set",
    ]);
    expect(registerEnvProblems(policy, { demoMode: true, registerEnv: { X_REGISTER_AUTH: "s" } })).toEqual(
      [],
    );
  });

  it("a bad register file stops start-up with file, path and reason", async () => {
    const { dir, cleanup } = overlay();
    cleanups.push(cleanup);
    writeFileSync(
      join(dir, "registers", "demoreg.yaml"),
      GOOD.replace('class: personal, note: "kind"', 'class: special, note: "kind"'),
    );
    await expect(startTestApp({ env: { POLICY_DIR: dir } })).rejects.toThrow(
      /registers\/demoreg\.yaml: fields\[0\]\.class: class special \(GDPR art\. 9\)/,
    );
  });
});

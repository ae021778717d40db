import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPolicySet, rulesFileFor, staleJsonSchemas } from "../../src/policy/index.ts";
import { loadOk, overlay, policiesDir } from "./policy-fixtures.ts";

describe("loading the real policy files", () => {
  it("loads the model protocol with its rules", async () => {
    const policy = await loadOk();
    expect(policy.protocol.id).toBe("maastricht");
    expect(policy.protocol.phases.map((p) => p.id)).toEqual([
      "intake",
      "weging",
      "bronnenonderzoek",
      "regie",
      "afgesloten",
    ]);
    expect(policy.rulesFile).toBe("disclosure.yaml");
    expect(policy.files).toEqual([
      "catalogue/bag.yaml",
      "catalogue/bewoning.yaml",
      "catalogue/brk.yaml",
      "catalogue/brp.yaml",
      "catalogue/historie.yaml",
      "catalogue/hr.yaml",
      "catalogue/kadaster.yaml",
      "catalogue/permits.yaml",
      "catalogue/woz.yaml",
      "clients.yaml",
      "disclosure.yaml",
      "probes.yaml",
      "processing-activities.yaml",
      "protocol.yaml",
      "registers/boa.yaml",
      "registers/erfpacht.yaml",
      "registers/subsidies.yaml",
      "registers/uitkeringen.yaml",
      "roles.yaml",
      "special-categories/biometrics.yaml",
      "special-categories/criminal.yaml",
      "special-categories/ethnicity.yaml",
      "special-categories/health.yaml",
      "special-categories/politicalOpinion.yaml",
      "special-categories/religion.yaml",
      "special-categories/sexualOrientation.yaml",
      "special-categories/unionMembership.yaml",
      "themes/hennepteelt.yaml",
      "themes/horeca.yaml",
      "themes/mensenhandel.yaml",
      "themes/vastgoedfraude.yaml",
      "trusted-documents/CaseStatus.graphql",
      "trusted-documents/OpenCases.graphql",
      "trusted-documents/RegisterSignal.graphql",
    ]);
    expect(policy.rules.map((r) => r.id)).toEqual([
      "brp.intake.analyst",
      "brp.weging.analyst",
      "brp.bronnenonderzoek.analyst",
      "brp.regie.analyst",
      "brp.afgesloten.analyst",
      "bag.open.analyst",
      "hr.open.analyst",
      "kadaster.open.analyst",
      "kadaster.afgesloten.analyst",
      "woz.open.analyst",
      "woz.afgesloten.analyst",
      "bag.afgesloten.analyst",
      "hr.afgesloten.analyst",
      "permits.bronnenonderzoek.analyst",
      "permits.regie.analyst",
      "brk.bronnenonderzoek.analyst",
      "brk.regie.analyst",
      "brk.afgesloten.analyst",
      "bewoning.bronnenonderzoek.analyst",
      "bewoning.regie.analyst",
      "historie.bronnenonderzoek.analyst",
      "historie.regie.analyst",
      "permits.afgesloten.analyst",
      "brp.regie.department",
      "bag.regie.department",
      "hr.regie.department",
      "permits.regie.department",
      "bewoning.regie.department",
      "kadaster.regie.department",
      "brk.regie.department",
      "woz.regie.department",
      // Issue 16: the municipality's own registers.
      "uitkeringen.bronnenonderzoek.analyst",
      "uitkeringen.regie.analyst",
      "uitkeringen.regie.department",
      "subsidies.bronnenonderzoek.analyst",
      "subsidies.regie.analyst",
      "subsidies.regie.department",
      "boa.bronnenonderzoek.analyst",
      "boa.regie.analyst",
      "boa.regie.department",
      "erfpacht.open.analyst",
      "erfpacht.regie.department",
    ]);
    expect(policy.protocol.checks.map((c) => [c.kind, c.phases])).toEqual([
      ["1", ["bronnenonderzoek"]],
      ["2a", ["regie"]],
      ["2b", ["regie"]],
    ]);
    expect(policy.departments.map((d) => d.id)).toContain("vergunningen");
    expect(policy.sources).toEqual([
      "bag",
      "bewoning",
      "boa",
      "brk",
      "brp",
      "erfpacht",
      "historie",
      "hr",
      "kadaster",
      "permits",
      "subsidies",
      "uitkeringen",
      "woz",
    ]);
    expect(policy.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("loads Delft's protocol with disclosure-delft.yaml", async () => {
    const policy = await loadOk(policiesDir, { protocolFile: "protocol-delft.yaml" });
    expect(policy.protocol.id).toBe("delft");
    expect(policy.rulesFile).toBe("disclosure-delft.yaml");
    expect(policy.protocol.initialPhase).toBe("ontvangst");
    expect(
      policy.rules.every((r) => r.phases.every((p) => policy.protocol.phases.some((q) => q.id === p))),
    ).toBe(true);
  });

  it("pairs every protocol file with its own rules file", () => {
    expect(rulesFileFor("protocol.yaml")).toBe("disclosure.yaml");
    expect(rulesFileFor("protocol-delft.yaml")).toBe("disclosure-delft.yaml");
    expect(rulesFileFor("delft.yaml")).toBeUndefined();
  });
});

describe("refusing bad policy files", () => {
  it.each([
    ["unknown-phase", "disclosure.yaml", "rules[1].phases[1]", /unknown phase onderzoek/],
    ["duplicate-phase", "protocol.yaml", "phases[1].id", /duplicate phase id intake/],
    ["unknown-transition", "protocol.yaml", "transitions[2].to", /unknown phase uitvoering/],
    ["bad-duration", "protocol.yaml", "outcomes[2].retention", /ISO-8601 duration/],
    [
      "conflicting-modes",
      "disclosure.yaml",
      "rules[5]",
      /conflicting modes fields and hit .*phase regie, role analyst/,
    ],
    [
      "special-field",
      "disclosure.yaml",
      "rules[5].fields[0]",
      /client\.indicatie.*GDPR art\. 9.*Maastricht art\. 6\.4/,
    ],
    ["unknown-field", "disclosure.yaml", "rules[3].fields[11]", /unknown field beroep/],
    ["auto-delivered", "disclosure.yaml", "rules[3].fields[11]", /delivered automatically/],
    ["yaml-syntax", "roles.yaml", "line 27, column 5", /YAML syntax error: Flow sequence/],
  ])("%s: %s %s", async (fixture, file, path, reason) => {
    const { dir, cleanup } = overlay(fixture);
    try {
      const result = await loadPolicySet(dir);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.kind).toBe("policy_invalid");
      const problem = result.error.problems.find((p) => p.file === file && p.path === path);
      expect(problem, JSON.stringify(result.error.problems)).toBeDefined();
      expect(problem?.reason).toMatch(reason);
    } finally {
      cleanup();
    }
  });

  it("refuses openData on a rule whose maximum holds fields that are not open", async () => {
    const { dir, cleanup } = overlay();
    try {
      const file = join(dir, "disclosure.yaml");
      writeFileSync(
        file,
        readFileSync(file, "utf8").replace(
          "    mode: fields\n    fields:\n      - naam\n",
          "    mode: fields\n    openData: true\n    fields:\n      - naam\n",
        ),
      );
      const result = await loadPolicySet(dir);
      const problem = result.ok
        ? undefined
        : result.error.problems.find((p) => p.path === "rules[3].openData");
      expect(problem?.reason).toMatch(
        /without a privacy check, but .*geboorte\.datum.* are not of class open/,
      );
    } finally {
      cleanup();
    }
  });

  it("reports every problem, not only the first", async () => {
    const { dir, cleanup } = overlay("unknown-field");
    try {
      writeFileSync(
        join(dir, "probes.yaml"),
        "probes:\n  - { id: brp.x, source: bag, description: wrong source }\n",
      );
      const result = await loadPolicySet(dir);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      const files = new Set(result.error.problems.map((p) => p.file));
      // The theme datasets name probes that are now missing, so they are reported too.
      expect(files).toEqual(
        new Set([
          "probes.yaml",
          "disclosure.yaml",
          "themes/hennepteelt.yaml",
          "themes/horeca.yaml",
          "themes/mensenhandel.yaml",
          "themes/vastgoedfraude.yaml",
        ]),
      );
    } finally {
      cleanup();
    }
  });

  it("reports zod shape errors with the path inside the file", async () => {
    const { dir, cleanup } = overlay();
    try {
      const text = readFileSync(join(dir, "roles.yaml"), "utf8").replace(
        "action: audit.read",
        "action: audit.delete",
      );
      writeFileSync(join(dir, "roles.yaml"), text);
      const result = await loadPolicySet(dir);
      expect(result.ok ? [] : result.error.problems).toContainEqual(
        expect.objectContaining({ file: "roles.yaml", path: "roles.privacy_officer.actions[5].action" }),
      );
    } finally {
      cleanup();
    }
  });

  it("refuses a protocol file without rules file", async () => {
    const result = await loadPolicySet(policiesDir, { protocolFile: "protocol-utrecht.yaml" });
    expect(result.ok ? [] : result.error.problems.map((p) => p.file)).toEqual([
      "protocol-utrecht.yaml",
      "disclosure-utrecht.yaml",
    ]);
  });
});

describe("policy hash", () => {
  it("is stable across loads and copies", async () => {
    const a = await loadOk();
    const b = await loadOk();
    const { dir, cleanup } = overlay();
    try {
      const c = await loadOk(dir);
      expect(b.hash).toBe(a.hash);
      expect(c.hash).toBe(a.hash);
    } finally {
      cleanup();
    }
  });

  it("changes when a rule changes, and differs per protocol", async () => {
    const original = await loadOk();
    const delft = await loadOk(policiesDir, { protocolFile: "protocol-delft.yaml" });
    expect(delft.hash).not.toBe(original.hash);
    const { dir, cleanup } = overlay();
    try {
      const file = join(dir, "disclosure.yaml");
      writeFileSync(file, readFileSync(file, "utf8").replace("      - immigratie\n", ""));
      const changed = await loadOk(dir);
      expect(changed.hash).not.toBe(original.hash);
    } finally {
      cleanup();
    }
  });
});

describe("JSON Schema for editors", () => {
  it("checked-in schema files equal freshly generated ones (run `npm run policy -- schema`)", async () => {
    expect(await staleJsonSchemas(policiesDir)).toEqual([]);
  });

  it("detects a stale schema file", async () => {
    const { dir, cleanup } = overlay();
    try {
      writeFileSync(join(dir, "schema", "roles.schema.json"), "{}\n");
      expect(await staleJsonSchemas(dir)).toEqual(["roles"]);
    } finally {
      cleanup();
    }
  });
});

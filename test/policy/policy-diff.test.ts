import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffPolicies, diffText, loadPolicySet, type LoadedPolicySet } from "../../src/policy/index.ts";
import { scriptedPolicies } from "./policy-change.ts";

/** Issue 14 "Diff and replay": the diff of a scripted change says exactly that change. */

let dirs: { baseline: string; candidate: string };
let baseline: LoadedPolicySet;
let candidate: LoadedPolicySet;

const load = async (dir: string) => {
  const r = await loadPolicySet(dir);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};

beforeAll(async () => {
  dirs = scriptedPolicies();
  baseline = await load(dirs.baseline);
  candidate = await load(dirs.candidate);
});
afterAll(() => {
  for (const dir of Object.values(dirs ?? {})) rmSync(dir, { recursive: true, force: true });
});

const diff = () =>
  diffPolicies({ ref: "baseline", policy: baseline }, { ref: "candidate", policy: candidate });

describe("policy diff of a candidate that narrows one field and widens one probe", () => {
  it("says exactly those two changes, in words", () => {
    expect(diff().changes).toEqual([
      {
        area: "rule",
        change: "changed",
        id: "brp.regie.analyst",
        sentence: "Rule brp.regie.analyst no longer allows brp.geslacht for role analyst in phase regie.",
      },
      {
        area: "rule",
        change: "changed",
        id: "hr.open.analyst",
        sentence:
          "Rule hr.open.analyst now also answers probe hr.vestigingOpAdres for role analyst in phases intake, weging, bronnenonderzoek, regie.",
      },
    ]);
  });

  it("lists exactly the matrix cells that change, as enforcement decides them", () => {
    const cells = diff().cells.map((c) => [
      c.role,
      c.phase,
      c.source,
      c.kind,
      c.item,
      c.before,
      c.after,
      c.ruleAfter,
    ]);
    expect(cells).toEqual([
      ["analyst", "intake", "hr", "probe", "hr.vestigingOpAdres", "denied", "open", "hr.open.analyst"],
      ["analyst", "weging", "hr", "probe", "hr.vestigingOpAdres", "denied", "open", "hr.open.analyst"],
      [
        "analyst",
        "bronnenonderzoek",
        "hr",
        "probe",
        "hr.vestigingOpAdres",
        "denied",
        "open",
        "hr.open.analyst",
      ],
      ["analyst", "regie", "brp", "field", "geslacht", "with check", "denied", "brp.regie.analyst"],
      ["analyst", "regie", "hr", "probe", "hr.vestigingOpAdres", "denied", "open", "hr.open.analyst"],
    ]);
  });

  it("is deterministic and names both hashes", () => {
    expect(JSON.stringify(diff())).toBe(JSON.stringify(diff()));
    expect(diff().from).toEqual({ ref: "baseline", hash: baseline.hash });
    expect(diff().to).toEqual({ ref: "candidate", hash: candidate.hash });
  });

  it("reads as text: the sentences, then the cells", () => {
    const text = diffText(diff());
    expect(text).toContain("Changes (2):\n  - Rule brp.regie.analyst no longer allows brp.geslacht");
    expect(text).toContain(
      "Matrix cells that change (5):\n  analyst · intake · hr · probe hr.vestigingOpAdres: denied → open (rule hr.open.analyst)",
    );
  });

  it("the reverse diff says the opposite", () => {
    const back = diffPolicies({ ref: "candidate", policy: candidate }, { ref: "baseline", policy: baseline });
    expect(back.changes.map((c) => c.sentence)).toEqual([
      "Rule brp.regie.analyst now also allows brp.geslacht for role analyst in phase regie.",
      "Rule hr.open.analyst no longer answers probe hr.vestigingOpAdres for role analyst in phases intake, weging, bronnenonderzoek, regie.",
    ]);
    expect(back.cells.map((c) => `${c.before}→${c.after}`)).toEqual([
      "open→denied",
      "open→denied",
      "open→denied",
      "denied→with check",
      "open→denied",
    ]);
  });

  it("a policy against itself has no differences", () => {
    const none = diffPolicies({ ref: "a", policy: baseline }, { ref: "b", policy: baseline });
    expect(none.changes).toEqual([]);
    expect(none.cells).toEqual([]);
    expect(diffText(none)).toContain("no differences");
  });
});

describe("policy diff beyond the disclosure rules", () => {
  it("words a role's lost action, a retention period and a field's new class", async () => {
    const { cpSync, mkdtempSync, readFileSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "poortwachter-diff-"));
    try {
      cpSync("policies", dir, { recursive: true });
      const edit = (file: string, from: string, to: string) => {
        const text = readFileSync(join(dir, file), "utf8");
        expect(text).toContain(from);
        writeFileSync(join(dir, file), text.replace(from, to));
      };
      edit(
        "roles.yaml",
        "      - action: policy.explain\n        reason:",
        "      - action: flagged.read\n        reason:",
      );
      edit(
        "protocol.yaml",
        "    fromPhases: [regie]\n    retention: P5Y",
        "    fromPhases: [regie]\n    retention: P4Y",
      );
      edit(
        "catalogue/brp.yaml",
        '{ path: geslacht, class: personal, note: "sex" }',
        '{ path: geslacht, class: sensitive, note: "sex" }',
      );
      const working = await load("policies");
      const changed = await load(dir);
      const sentences = diffPolicies(
        { ref: "files", policy: working },
        { ref: dir, policy: changed },
      ).changes.map((c) => `${c.area}: ${c.sentence}`);
      expect(sentences).toEqual([
        "field: Field brp.geslacht is now class sensitive (was personal).",
        "role: Role privacy_officer may no longer policy.explain.",
        "retention: Outcome afgerond: personal data are now kept P4Y after closing (was P5Y).",
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { approvalsAt, loadPolicySet, type LoadedPolicySet, type ReplayCase } from "../../src/policy/index.ts";

/** The approvals in force at a record's time, rebuilt from a check's immutable steps (issue 14 replay). */

let policy: LoadedPolicySet;
beforeAll(async () => {
  const r = await loadPolicySet("policies");
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  policy = r.value;
});

const at = (minute: number) => new Date(Date.UTC(2026, 10, 2, 9, minute));
const step = (
  kind: string,
  minute: number,
  advice: "GO" | "NO_GO" | "PARTIAL" | null = null,
  fields = ["naam"],
) => ({
  kind,
  at: at(minute),
  advice,
  fields: advice === "GO" || advice === "PARTIAL" || kind === "theme_approved" ? fields : [],
  probes: [],
});
const caseWith = (steps: ReturnType<typeof step>[], subjectPseudonyms: string[] = []): ReplayCase => ({
  id: "c1",
  theme: null,
  reference: "R-1",
  checks: [{ id: "k1", kind: "2a", source: "brp", subjectPseudonyms, recipients: [], steps }],
});
const fieldsAt = (c: ReplayCase, minute: number, phase = "regie", subject?: string) =>
  approvalsAt(policy, c, at(minute), phase, subject).map((a) => a.fields);

describe("approvalsAt", () => {
  const lifecycle = caseWith([step("requested", 0), step("advised", 10, "GO"), step("revoked", 20)]);

  it.each([
    [5, []],
    [10, [["naam"]]],
    [15, [["naam"]]],
    [25, []],
  ])("a check advised GO at :10 and revoked at :20, at :%i", (minute, expected) => {
    expect(fieldsAt(lifecycle, minute)).toEqual(expected);
  });

  it("escalation ends an approval until the coordinator decides; NO_GO approves nothing", () => {
    const c = caseWith([
      step("requested", 0),
      step("advised", 1, "GO"),
      step("escalated", 2),
      step("decided", 3, "PARTIAL", ["naam.geslachtsnaam"]),
    ]);
    expect(fieldsAt(c, 2)).toEqual([]);
    expect(fieldsAt(c, 3)).toEqual([["naam.geslachtsnaam"]]);
    expect(fieldsAt(caseWith([step("advised", 1, "NO_GO")]), 5)).toEqual([]);
  });

  it("counts only inside the phase range of the check's kind and for the subjects it names", () => {
    const c = caseWith([step("theme_approved", 0)], ["pseudo-a"]);
    expect(fieldsAt(c, 1, "regie", "pseudo-a")).toEqual([["naam"]]);
    expect(fieldsAt(c, 1, "regie", "pseudo-b")).toEqual([]);
    expect(fieldsAt(c, 1, "regie", undefined)).toEqual([]);
    expect(fieldsAt(c, 1, "bronnenonderzoek", "pseudo-a")).toEqual([]);
  });

  it("a lapse ends it", () => {
    expect(fieldsAt(caseWith([step("advised", 0, "GO"), step("lapsed", 5)]), 6)).toEqual([]);
  });
});

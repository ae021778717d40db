import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { buildCaseAbility, type Approval, type LoadedPolicySet } from "../../src/policy/index.ts";
import { loadOk } from "./policy-fixtures.ts";

let policy: LoadedPolicySet;
beforeAll(async () => {
  policy = await loadOk();
});

describe("property: nothing outside the rule maximum and the approvals", () => {
  it("every permitted or allowed field lies inside the maximum and inside an approval", () => {
    const units = policy.catalogue.paths("brp");
    const containers = [
      ...new Set(
        units.flatMap((u) =>
          u
            .split(".")
            .slice(0, -1)
            .map((_, i, s) => s.slice(0, i + 1).join(".")),
        ),
      ),
    ];
    const anyPath = fc.oneof(
      fc.constantFrom(...units),
      fc.constantFrom(...containers),
      fc.constantFrom(...units).map((u) => `${u}.jaar`),
      fc.constantFrom("beroep", "naam.x", "inOnderzoek"),
    );
    const approvalArb = fc.record({
      checkId: fc.constantFrom("k1", "k2a", "k2b"),
      source: fc.constantFrom("brp", "kvk"),
      fields: fc.array(anyPath, { maxLength: 6 }),
      probes: fc.constant([] as string[]),
    });
    const max = new Set(policy.rules.find((r) => r.id === "brp.regie.analyst")?.maxUnits ?? []);
    expect(max.size).toBeGreaterThan(0);

    fc.assert(
      fc.property(
        fc.array(approvalArb, { maxLength: 4 }),
        fc.array(anyPath, { maxLength: 10 }),
        fc.constantFrom(...policy.protocol.phases.map((p) => p.id)),
        (approvals: Approval[], requested, phase) => {
          const ability = buildCaseAbility(policy, {
            actor: { subject: "anna", roles: ["analyst"], amr: [], issuer: "t" },
            case: { id: "c", phase, status: "open", owner: "anna", substitute: null },
            approvals,
          });
          const approved = new Set(
            approvals
              .filter((a) => a.source === "brp")
              .flatMap((a) => a.fields.flatMap((f) => policy.catalogue.unitsUnder("brp", f))),
          );
          for (const unit of ability.permittedFields("brp")) {
            expect(max.has(unit)).toBe(true);
            expect(approved.has(unit)).toBe(true);
            expect(policy.catalogue.entry("brp", unit)?.autoDelivered).toBe(false);
          }
          const permitted = new Set(ability.permittedFields("brp"));
          for (const path of requested) {
            const allowed = ability.field("brp", path).allowed;
            const expected = policy.catalogue.unitsUnder("brp", path).some((u) => permitted.has(u));
            expect(allowed).toBe(expected);
            if (allowed) expect(phase).toBe("regie");
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

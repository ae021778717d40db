import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCodes, startTestApp, type TestApp } from "../utils/test-app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const EXPLAIN = `query($id: ID!, $field: String) { explain(caseId: $id, role: "analyst", source: "brp", field: $field) {
  phase mode policyHash permittedFields decisions { about allowed ruleId reason } } }`;

describe("explain for the privacy officer", () => {
  it("names the rule and the check behind a field in the case's phase", async () => {
    const officer = await t.token("privacy.officer", "privacy_officer");
    const c = await t.demoCase("regie");
    const approved = await t.gql(officer, EXPLAIN, { id: c.id, field: "naam.geslachtsnaam" });
    expect(approved.errors).toBeUndefined();
    const a = (
      approved.data as {
        explain: {
          phase: string;
          mode: string;
          policyHash: string;
          permittedFields: string[];
          decisions: { about: string; allowed: boolean; ruleId: string | null; reason: string }[];
        };
      }
    ).explain;
    expect(a).toMatchObject({ phase: "regie", mode: "fields", policyHash: t.app.policy.hash });
    expect(a.permittedFields).toContain("naam.geslachtsnaam");
    const field = a.decisions.at(-1)!;
    expect(field).toMatchObject({ allowed: true, ruleId: "brp.regie.analyst" });
    expect(field.reason).toMatch(/privacy check/);

    const notApproved = await t.gql(officer, EXPLAIN, { id: c.id, field: "partners.naam.geslachtsnaam" });
    const n = (notApproved.data as { explain: { decisions: { allowed: boolean; reason: string }[] } })
      .explain;
    expect(n.decisions.at(-1)).toMatchObject({ allowed: false });
    expect(n.decisions.at(-1)!.reason).toMatch(/not approved/);
  });

  it("is not for analysts", async () => {
    const analyst = await t.token("analist.jansen", "analyst");
    const c = await t.demoCase("regie");
    expect(errorCodes(await t.gql(analyst, EXPLAIN, { id: c.id, field: null }))).toEqual({
      explain: "FORBIDDEN",
    });
  });
});

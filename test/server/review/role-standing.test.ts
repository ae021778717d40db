import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpApp, type HttpApp } from "../../utils/http-app.ts";
import { errorCodes } from "../../utils/test-app.ts";

/**
 * Issue 10, attack 1: a department member whose `sub` is the case's owner (an analyst who moved to
 * a department and is still owner or substitute) must get exactly what any member of that
 * department gets: only what an approved check 2a/2b shared with the department. Standing comes
 * from the role that grants it, never from the assignment under another role.
 */
let h: HttpApp;
let caseId: string;
let resident: string;
let other: string;

beforeAll(async () => {
  h = await startHttpApp();
  caseId = (await h.t.demoCase("regie")).id;
  resident = h.t.app.demo!.municipality.wellKnown.residentBsn;
  other = h.t.app.demo!.municipality.wellKnown.elsewhereBsn;
});
afterAll(() => h.close());

const WALK = `query($id: ID!, $bsn: String!, $other: String!) {
  case(id: $id) {
    privacyChecks { id }
    transitions { to }
    persoon(bsn: $bsn) {
      brp { naam { geslachtsnaam } geboorte { datum { datum } } verblijfplaats { verblijfadres { officieleStraatnaam } } }
      vergunningen { soort zaaktype }
      verblijfplaatshistorie { datumVan { datum } }
      adres { bag { adres { postcode } } bewoners { bsn brp { naam { geslachtsnaam } geboorte { datum { datum } } } } }
    }
    second: persoon(bsn: $other) { brp { naam { geslachtsnaam } geboorte { datum { datum } } } }
  }
}`;

describe("department standing is not confused with assignment (issue 10, attack 1)", () => {
  it("the owner's sub under role department_member gets exactly what another member of the department gets", async () => {
    const variables = { id: caseId, bsn: resident, other };
    const ownerAsDepartment = await h.t.token("analist.jansen", "department_member", "vergunningen");
    const substituteAsDepartment = await h.t.token("analist.devries", "department_member", "vergunningen");
    const member = await h.t.token("medewerker.vergunningen", "department_member", "vergunningen");
    const analyst = await h.t.token("analist.jansen", "analyst");

    const reference = await h.post(WALK, { token: member, variables });
    expect(reference.status, JSON.stringify(reference.body)).toBe(200);
    for (const token of [ownerAsDepartment, substituteAsDepartment]) {
      const got = await h.post(WALK, { token, variables });
      expect(got.body.data).toEqual(reference.body.data);
      expect(errorCodes(got.body)).toEqual(errorCodes(reference.body));
    }

    // What the department was given: the resident's name and address, nothing else.
    const person = h.t.app.demo!.municipality.personByBsn(resident)!;
    const data = reference.body.data as {
      case: { privacyChecks: unknown[]; persoon: { brp: { naam: unknown; geboorte: unknown } } };
    };
    expect(data.case.privacyChecks).toEqual([]);
    expect(data.case.persoon.brp.naam).toEqual({ geslachtsnaam: person.geslachtsnaam });
    expect(data.case.persoon.brp.geboorte).toBeNull();
    const codes = errorCodes(reference.body);
    for (const path of [
      "case.persoon.brp.geboorte",
      "case.persoon.vergunningen",
      "case.persoon.verblijfplaatshistorie",
      "case.second.brp.naam",
      "case.second.brp.geboorte",
    ])
      expect(codes[path], path).toBe("FORBIDDEN");

    // The same person as analyst reads the case-wide approvals: the test's reference is not vacuous.
    const asAnalyst = await h.post(WALK, { token: analyst, variables });
    const analystData = asAnalyst.body.data as {
      case: { persoon: { brp: { geboorte: unknown }; vergunningen: unknown[] } };
    };
    expect(analystData.case.persoon.brp.geboorte).not.toBeNull();
    expect(analystData.case.persoon.vergunningen.length).toBeGreaterThan(0);
  });

  it("a department member who owns the case but whose department was named by no check sees no case", async () => {
    const token = await h.t.token("analist.jansen", "department_member", "handhaving");
    const got = await h.post(`query($id: ID!) { case(id: $id) { id } }`, {
      token,
      variables: { id: caseId },
    });
    expect(errorCodes(got.body)).toEqual({ case: "NOT_FOUND" });
    const listed = await h.post(`{ cases { id } }`, { token });
    expect((listed.body.data as { cases: { id: string }[] }).cases.map((c) => c.id)).not.toContain(caseId);
  });
});

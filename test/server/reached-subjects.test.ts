import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpApp, type HttpApp } from "../utils/http-app.ts";

/**
 * Issue 11, "the per-operation limits count subjects reached by hops too": the document names
 * one person, but hops reach their address and its residents. Past LIMIT_MAX_REACHED_SUBJECTS
 * subjects in one operation, every further subject is refused (FORBIDDEN, audited with the
 * setting), whatever the approvals; the subjects already reached still answer.
 */
let h: HttpApp;
let caseId: string;
let resident: string;

const WALK = `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) {
  brp { naam { geslachtsnaam } }
  adres { bag { adres { postcode } } bewoners { bsn brp { naam { geslachtsnaam } } } } } } }`;

beforeAll(async () => {
  h = await startHttpApp({ env: { LIMIT_MAX_REACHED_SUBJECTS: "3" } });
  caseId = (await h.t.demoCase("regie")).id;
  resident = h.t.app.demo!.municipality.wellKnown.residentBsn;
});
afterAll(() => h.close());

describe("subjects reached by hops count against LIMIT_MAX_REACHED_SUBJECTS (issue 11)", () => {
  it("answers the first three subjects and refuses every further one, audited with the setting", async () => {
    const token = await h.t.token("analist.jansen", "analyst");
    const res = await h.post(WALK, { token, variables: { id: caseId, bsn: resident } });
    const persoon = (
      res.body.data as {
        case: {
          persoon: {
            brp: { naam: unknown } | null;
            adres: { bag: unknown; bewoners: { bsn: string; brp: { naam: unknown } | null }[] } | null;
          };
        };
      }
    ).case.persoon;
    // Subject 1, the resident, and subject 2, the object, answer.
    expect(persoon.brp?.naam).not.toBeNull();
    expect(persoon.adres?.bag).not.toBeNull();
    const bewoners = persoon.adres?.bewoners ?? [];
    expect(bewoners.length).toBeGreaterThanOrEqual(2);
    // The resident is already reached; of the other residents one more fits, the rest are refused.
    const others = bewoners.filter((b) => b.bsn !== resident);
    expect(others.length).toBeGreaterThanOrEqual(2);
    const answered = others.filter((b) => b.brp !== null);
    expect(answered.length).toBe(1);
    const refusedPaths = (res.body.errors ?? []).filter((e) => e.extensions?.code === "FORBIDDEN");
    expect(refusedPaths.length).toBe(others.length - 1);

    const records = await h.t.app.audit.list({ caseId, limit: 100_000 });
    const refusals = records.filter(
      (r) => r.kind === "denial" && r.reason.includes("LIMIT_MAX_REACHED_SUBJECTS"),
    );
    expect(refusals.length).toBe(others.length - 1);

    // The limit is per operation: the next request starts afresh, and the last resident, refused
    // above, answers when the walk reaches them first.
    const last = others[others.length - 1]!.bsn;
    const again = await h.post(
      `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) {
        adres { bewoners { bsn brp { naam { geslachtsnaam } } } } } } }`,
      { token, variables: { id: caseId, bsn: resident } },
    );
    const walked = (
      again.body.data as { case: { persoon: { adres: { bewoners: { bsn: string; brp: unknown }[] } } } }
    ).case.persoon.adres.bewoners;
    expect(walked.filter((b) => b.brp !== null).length).toBe(2);
    expect(walked.find((b) => b.bsn === last)).toBeDefined();
  });
});

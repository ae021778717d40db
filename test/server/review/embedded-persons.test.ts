import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addSubjects, personKeys } from "../../utils/case-subjects.ts";
import { startHttpApp, type HttpApp } from "../../utils/http-app.ts";
import type { GqlResult } from "../../utils/test-app.ts";

/**
 * Issue 10, attack 2: a person embedded in another person's record (partners, parents, children)
 * is a subject in their own right. With a restriction (GDPR art. 18) on the resident in
 * DEMO-regie, reading a relative's `partners`/`ouders`/`kinderen` must not return her; every
 * release of her data through a relative is audited under her own pseudonym and appears in her
 * access report.
 */
let h: HttpApp;
let caseId: string;
let resident: string;
let relative: string;
let analyst: string;
let officer: string;
let legal: string;

const ok = (r: { body: GqlResult }) => {
  expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
  return r.body.data as Record<string, unknown>;
};

const PERSON = `{ burgerservicenummer naam { geslachtsnaam voornamen } geboorte { datum { datum } } }`;
const RELATIVES = `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { brp {
  partners ${PERSON} ouders ${PERSON} kinderen ${PERSON} } } } }`;
const RELATIVES_WITHOUT_BSN = `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { brp {
  partners { naam { geslachtsnaam } } ouders { naam { geslachtsnaam } } kinderen { naam { geslachtsnaam } } } } } }`;
const ACCESS = `query($bsn: String!) { subjectAccessReport(bsn: $bsn) { cases { caseId processing { operation outcome fields } } } }`;

interface Embedded {
  burgerservicenummer?: string | null;
}
const embeddedBsns = (data: Record<string, unknown>): string[] => {
  const brp = (data.case as { persoon: { brp: Record<string, Embedded[] | null> } }).persoon.brp;
  return ["partners", "ouders", "kinderen"].flatMap((g) =>
    (brp[g] ?? []).map((p) => p.burgerservicenummer ?? ""),
  );
};
const relativesCount = (data: Record<string, unknown>): number => {
  const brp = (data.case as { persoon: { brp: Record<string, unknown[] | null> } }).persoon.brp;
  return ["partners", "ouders", "kinderen"].reduce((n, g) => n + (brp[g]?.length ?? 0), 0);
};

beforeAll(async () => {
  h = await startHttpApp();
  caseId = (await h.t.demoCase("regie")).id;
  const m = h.t.app.demo!.municipality;
  resident = m.wellKnown.residentBsn;
  const person = m.personByBsn(resident)!;
  const found = person.partners[0]?.bsn ?? person.ouders[0]?.bsn ?? person.kinderen[0];
  if (!found) throw new Error("the demo resident has no relative in the municipality");
  relative = found;
  // The relative is asked directly: the case names them too (issue 11).
  await addSubjects(h.t.app, caseId, personKeys([relative]));
  analyst = await h.t.token("analist.jansen", "analyst");
  officer = await h.t.token("privacy.officer", "privacy_officer");
  legal = await h.t.token("jurist", "legal");
  const requested = ok(
    await h.post(`mutation($input: PrivacyCheckInput!) { requestPrivacyCheck(input: $input) { id } }`, {
      token: analyst,
      variables: {
        input: {
          caseId,
          kind: "CHECK_2B",
          source: "brp",
          fields: ["partners", "ouders", "kinderen"],
          motivation: "The family ties decide which addresses belong to the network.",
        },
      },
    }),
  ) as { requestPrivacyCheck: { id: string } };
  ok(
    await h.post(
      `mutation($id: ID!) { advisePrivacyCheck(id: $id, advice: GO, motivation: "Needed for the plan.") { status } }`,
      { token: officer, variables: { id: requested.requestPrivacyCheck.id } },
    ),
  );
});
afterAll(() => h.close());

describe("persons embedded in another person's record are subjects in their own right (issue 10, attack 2)", () => {
  let before = 0;

  it("before a restriction, the relative's record names her, and her access report lists that release", async () => {
    const data = ok(await h.post(RELATIVES, { token: analyst, variables: { id: caseId, bsn: relative } }));
    expect(embeddedBsns(data)).toContain(resident);
    before = relativesCount(data);

    // Even when the BSN itself is not asked, the release of her name is hers, not only the relative's.
    ok(await h.post(RELATIVES_WITHOUT_BSN, { token: analyst, variables: { id: caseId, bsn: relative } }));

    const report = ok(await h.post(ACCESS, { token: legal, variables: { bsn: resident } })) as {
      subjectAccessReport: {
        cases: { caseId: string; processing: { operation: string; outcome: string; fields: string[] }[] }[];
      };
    };
    const inCase = report.subjectAccessReport.cases.find((c) => c.caseId === caseId);
    const viaRelative = (inCase?.processing ?? []).filter(
      (p) =>
        p.operation === "brp.fields" &&
        p.outcome === "released" &&
        p.fields.some((f) => /^(partners|ouders|kinderen)\./.test(f)),
    );
    expect(viaRelative.length).toBeGreaterThanOrEqual(2);
  });

  it("with a restriction on her, the relative's partners, parents and children leave her out", async () => {
    ok(
      await h.post(
        `mutation($input: SubjectRequestInput!) { recordSubjectRequest(input: $input) { id inForce } }`,
        {
          token: legal,
          variables: {
            input: {
              caseId,
              bsn: resident,
              kind: "RESTRICTION",
              receivedAt: new Date().toISOString().slice(0, 10),
              motivation: "The person contests the accuracy of the data (GDPR art. 18(1)(a)).",
            },
          },
        },
      ),
    );
    const res = await h.post(RELATIVES, { token: analyst, variables: { id: caseId, bsn: relative } });
    const data = ok(res);
    expect(embeddedBsns(data)).not.toContain(resident);
    expect(JSON.stringify(res.body)).not.toContain(resident);
    expect(relativesCount(data)).toBe(before - 1);

    // Asked without the BSN, she is left out all the same.
    const unnamed = ok(
      await h.post(RELATIVES_WITHOUT_BSN, { token: analyst, variables: { id: caseId, bsn: relative } }),
    );
    expect(relativesCount(unnamed)).toBe(before - 1);

    // The refusal is recorded under her own pseudonym; the relative's record stays the relative's.
    const records = await h.t.app.audit.list({ caseId, limit: 100_000 });
    const refusals = records.filter(
      (r) =>
        r.kind === "denial" &&
        r.operation === "brp.fields" &&
        (r.detail as { embeddedIn?: string } | undefined)?.embeddedIn,
    );
    expect(refusals.length).toBeGreaterThanOrEqual(2);
    expect(new Set(refusals.map((r) => r.subjectPseudonym)).size).toBe(1);
    const releasedAbout = records.filter(
      (r) =>
        r.kind === "disclosure" &&
        r.subjectPseudonym === refusals[0]!.subjectPseudonym &&
        r.at.getTime() > refusals[0]!.at.getTime(),
    );
    expect(releasedAbout).toEqual([]);
  });
});

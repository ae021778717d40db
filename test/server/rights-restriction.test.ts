import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_SUBJECTS_ARG } from "../utils/case-subjects.ts";
import { errorCodes, startTestApp, type GqlResult, type TestApp } from "../utils/test-app.ts";
import { dataOf } from "../utils/workflow-fixtures.ts";
import { weighBefore } from "../utils/weighing.ts";

/**
 * A restriction of processing (GDPR art. 18; Maastricht art. 11; Delft art. 11a "afschermen")
 * stops every disclosure about that person in that case at once, for everyone, until it is refused
 * or lifted; other persons and other cases go on as before.
 */
let t: TestApp;
let analyst: string;
let officer: string;
let legal: string;
let vergunningen: string;
let bsn: string;
let other: string;
let research: string;
let regie: string;
let elsewhere: string;

const MOVE = `mutation($id: ID!, $to: String!) { transitionCase(id: $id, to: $to, motivation: "Next phase.") { phase } }`;
const REQUEST_CHECK = `mutation($input: PrivacyCheckInput!) { requestPrivacyCheck(input: $input) { id } }`;
const HITS = `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { hits(probes: ["brp.ingeschreven"]) { probe result } } } }`;
const NAAM = `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { brp { naam { geslachtsnaam } } } } }`;
const RESTRICT = `mutation($input: SubjectRequestInput!) { recordSubjectRequest(input: $input) { id kind inForce } }`;
const DECIDE = `mutation($id: ID!, $d: SubjectRequestDecision!) {
  decideSubjectRequest(id: $id, decision: $d, motivation: "Weighed by Juridische Zaken.") { decision inForce } }`;
const LIFT = `mutation($id: ID!) {
  liftRestriction(id: $id, motivation: "The person was told; the data were found correct.") { liftedAt inForce } }`;

async function caseIn(reference: string, phases: readonly string[]): Promise<string> {
  const id = dataOf<{ id: string }>(
    await t.gql(
      analyst,
      `mutation($r: String!) { openCase(input: { reference: $r, motivation: "A signal.", ${DEMO_SUBJECTS_ARG} }) { id } }`,
      {
        r: reference,
      },
    ),
    "openCase",
  ).id;
  for (const to of phases) {
    await weighBefore((q, v) => t.gql(analyst, q, v), id, to);
    dataOf(await t.gql(analyst, MOVE, { id, to }), "transitionCase");
  }
  return id;
}

async function approve(input: Record<string, unknown>): Promise<void> {
  const { id } = dataOf<{ id: string }>(
    await t.gql(analyst, REQUEST_CHECK, { input: { motivation: "Needed.", ...input } }),
    "requestPrivacyCheck",
  );
  dataOf(
    await t.gql(
      officer,
      `mutation($id: ID!) { advisePrivacyCheck(id: $id, advice: GO, motivation: "Fine.") { status } }`,
      {
        id,
      },
    ),
    "advisePrivacyCheck",
  );
}

const restrict = async (caseId: string, of = bsn) =>
  dataOf<{ id: string; kind: string; inForce: boolean }>(
    await t.gql(legal, RESTRICT, {
      input: {
        caseId,
        bsn: of,
        kind: "RESTRICTION",
        receivedAt: new Date().toISOString().slice(0, 10),
        motivation: "The person contests the accuracy of the data (GDPR art. 18(1)(a)).",
      },
    }),
    "recordSubjectRequest",
  );

const answered = (r: GqlResult) => {
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data;
};
const geslachtsnaam = (of: string) => t.app.demo!.municipality.personByBsn(of)!.geslachtsnaam;
const naamOf = (of: string) => ({
  case: { persoon: { brp: { naam: { geslachtsnaam: geslachtsnaam(of) } } } },
});

beforeAll(async () => {
  t = await startTestApp();
  analyst = await t.token("analist.jansen", "analyst");
  officer = await t.token("privacy.officer", "privacy_officer");
  legal = await t.token("jurist", "legal");
  vergunningen = await t.token("medewerker.vergunningen", "department_member", "vergunningen");
  bsn = t.app.demo!.municipality.wellKnown.residentBsn;
  other = t.app.demo!.municipality.wellKnown.elsewhereBsn;

  research = await caseIn("RESTRICT-RESEARCH", ["weging", "bronnenonderzoek"]);
  await approve({ caseId: research, kind: "CHECK_1", source: "brp", probes: ["brp.ingeschreven"] });
  regie = await caseIn("RESTRICT-REGIE", ["weging", "bronnenonderzoek", "regie"]);
  await approve({ caseId: regie, kind: "CHECK_2A", source: "brp", fields: ["naam"] });
  await approve({
    caseId: regie,
    kind: "CHECK_2A",
    source: "brp",
    fields: ["naam"],
    subjects: [`persoon:${bsn}`],
    recipients: ["vergunningen"],
  });
  elsewhere = await caseIn("RESTRICT-ELSEWHERE", ["weging", "bronnenonderzoek", "regie"]);
  await approve({ caseId: elsewhere, kind: "CHECK_2A", source: "brp", fields: ["naam"] });
});
afterAll(() => t.close());

describe("a restriction (GDPR art. 18)", () => {
  let inResearch: string;
  let inRegie: string;

  it("before it, the person's hits and fields are answered", async () => {
    expect(answered(await t.gql(analyst, HITS, { id: research, bsn }))).toEqual({
      case: { persoon: { hits: [{ probe: "brp.ingeschreven", result: "HIT" }] } },
    });
    expect(answered(await t.gql(analyst, NAAM, { id: regie, bsn }))).toEqual(naamOf(bsn));
    expect(answered(await t.gql(vergunningen, NAAM, { id: regie, bsn }))).toEqual(naamOf(bsn));
  });

  it("stops hits and fields about the person in that case at once, for analyst and department alike", async () => {
    const r1 = await restrict(research);
    const r2 = await restrict(regie);
    expect([r1, r2].map((r) => [r.kind, r.inForce])).toEqual([
      ["RESTRICTION", true],
      ["RESTRICTION", true],
    ]);
    inResearch = r1.id;
    inRegie = r2.id;
    expect(errorCodes(await t.gql(analyst, HITS, { id: research, bsn }))).toEqual({
      "case.persoon.hits": "FORBIDDEN",
    });
    for (const who of [analyst, vergunningen])
      expect(errorCodes(await t.gql(who, NAAM, { id: regie, bsn }))).toEqual({
        "case.persoon.brp": "FORBIDDEN",
      });
  });

  it("leaves other persons in the case and the person in other cases alone", async () => {
    expect(answered(await t.gql(analyst, HITS, { id: research, bsn: other }))).toEqual({
      case: {
        persoon: { hits: [{ probe: "brp.ingeschreven", result: expect.stringMatching(/^(HIT|NO_HIT)$/) }] },
      },
    });
    expect(answered(await t.gql(analyst, NAAM, { id: regie, bsn: other }))).toEqual(naamOf(other));
    expect(answered(await t.gql(analyst, NAAM, { id: elsewhere, bsn }))).toEqual(naamOf(bsn));
  });

  it("leaves the person out of an address's residents while restricted", async () => {
    const id = await caseIn("RESTRICT-BEWONERS", ["weging", "bronnenonderzoek", "regie"]);
    await approve({ caseId: id, kind: "CHECK_2A", source: "bewoning", fields: ["bewoners"] });
    const aoid = t.app.demo!.municipality.wellKnown.residentAddress.adresseerbaarObjectIdentificatie;
    const BEWONERS = `query($id: ID!, $aoid: String!) { case(id: $id) {
      object(adresseerbaarObjectIdentificatie: $aoid) { bewoners { bsn } } } }`;
    const residents = async () =>
      (
        answered(await t.gql(analyst, BEWONERS, { id, aoid })) as {
          case: { object: { bewoners: { bsn: string }[] } };
        }
      ).case.object.bewoners.map((b) => b.bsn);
    const before = await residents();
    expect(before).toContain(bsn);
    expect(before.length).toBeGreaterThan(1);
    await restrict(id);
    expect(await residents()).toEqual(before.filter((b) => b !== bsn));
  });

  it("audits every refusal with the restriction as its reason", async () => {
    const pseudonym = t.app.audit.pseudonymise(bsn, "bsn");
    const denials = (await t.app.audit.list({ caseId: research, kind: "denial" })).filter(
      (a) => a.subjectPseudonym === pseudonym,
    );
    expect(denials).toContainEqual(
      expect.objectContaining({
        operation: "brp.hits",
        decision: "deny",
        reason: expect.stringMatching(new RegExp(`restricted \\(GDPR art\\. 18\\) by request ${inResearch}`)),
      }),
    );
    const regieDenials = (await t.app.audit.list({ caseId: regie, kind: "denial" })).filter(
      (a) => a.subjectPseudonym === pseudonym,
    );
    expect(regieDenials.map((a) => [a.actor, a.operation])).toEqual([
      ["analist.jansen", "brp.fields"],
      ["medewerker.vergunningen", "brp.fields"],
    ]);
    for (const a of regieDenials) expect(a.reason).toContain(inRegie);
  });

  it("refuses a privacy check that names the person, and writes nothing", async () => {
    const count = async () =>
      (await t.app.db.query("SELECT id FROM privacy_checks WHERE case_id = $1", [regie])).length;
    const before = await count();
    const r = await t.gql(analyst, REQUEST_CHECK, {
      input: {
        caseId: regie,
        kind: "CHECK_2B",
        source: "brp",
        fields: ["naam"],
        subjects: [`persoon:${bsn}`],
        motivation: "Needed.",
      },
    });
    expect(errorCodes(r)).toEqual({ requestPrivacyCheck: "BAD_USER_INPUT" });
    expect(r.errors?.[0]?.message).toMatch(/restricted in this case \(GDPR art\. 18\)/);
    expect(await count()).toBe(before);
  });

  it("stays in force when granted, and ends when lifted: the approvals apply again", async () => {
    expect(dataOf(await t.gql(legal, DECIDE, { id: inRegie, d: "GRANTED" }), "decideSubjectRequest")).toEqual(
      {
        decision: "GRANTED",
        inForce: true,
      },
    );
    expect(errorCodes(await t.gql(analyst, NAAM, { id: regie, bsn }))).toEqual({
      "case.persoon.brp": "FORBIDDEN",
    });
    expect(dataOf(await t.gql(legal, LIFT, { id: inRegie }), "liftRestriction")).toEqual({
      liftedAt: expect.any(String),
      inForce: false,
    });
    for (const who of [analyst, vergunningen])
      expect(answered(await t.gql(who, NAAM, { id: regie, bsn }))).toEqual(naamOf(bsn));
    // The other case's restriction is untouched.
    expect(errorCodes(await t.gql(analyst, HITS, { id: research, bsn }))).toEqual({
      "case.persoon.hits": "FORBIDDEN",
    });
    expect(errorCodes(await t.gql(legal, LIFT, { id: inRegie }))).toEqual({
      liftRestriction: "BAD_USER_INPUT",
    });
  });

  it("ends when refused", async () => {
    expect(
      dataOf(await t.gql(legal, DECIDE, { id: inResearch, d: "REFUSED" }), "decideSubjectRequest"),
    ).toEqual({
      decision: "REFUSED",
      inForce: false,
    });
    expect(answered(await t.gql(analyst, HITS, { id: research, bsn }))).toEqual({
      case: { persoon: { hits: [{ probe: "brp.ingeschreven", result: "HIT" }] } },
    });
    expect(errorCodes(await t.gql(legal, DECIDE, { id: inResearch, d: "GRANTED" }))).toEqual({
      decideSubjectRequest: "BAD_USER_INPUT",
    });
  });

  it("other kinds of request are recorded but do not restrict", async () => {
    const objection = dataOf<{ inForce: boolean }>(
      await t.gql(legal, RESTRICT, {
        input: {
          caseId: regie,
          bsn,
          kind: "OBJECTION",
          receivedAt: "2026-01-05",
          motivation: "The person objects to the processing.",
        },
      }),
      "recordSubjectRequest",
    );
    expect(objection.inForce).toBe(false);
    expect(answered(await t.gql(analyst, NAAM, { id: regie, bsn }))).toEqual(naamOf(bsn));
  });
});

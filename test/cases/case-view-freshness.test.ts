import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/store/index.ts";
import { DEMO_SUBJECTS_ARG } from "../utils/case-subjects.ts";
import { connectAgain, dialectUnderTest } from "../utils/test-db.ts";
import { errorCodes, startTestApp, type GqlResult, type TestApp } from "../utils/test-app.ts";
import { weighBefore } from "../utils/weighing.ts";
import { dataOf } from "../utils/workflow-fixtures.ts";

/**
 * Issue 15: the case view is read once per request and kept for that request only, so a change
 * made through one replica is enforced on the very next request through another — a phase
 * change, a check revoked, a restriction recorded, a subject added. Two gateways on one database
 * (PostgreSQL under TEST_DATABASE_URL: each its own pool; PGlite: one process).
 */
let a: TestApp;
let b: TestApp;
let second: Db;
/** Tokens of replica A (the one that changes things) and B (the one that is asked next). */
let analystA: string;
let officerA: string;
let legalA: string;
let analystB: string;
let resident: string;
let other: string;

const HITS = `query($id: ID!, $bsn: String!) { case(id: $id) { phase persoon(bsn: $bsn) { hits(probes: ["brp.ingeschreven"]) { probe result } } } }`;
const NAAM = `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { brp { naam { geslachtsnaam } } } } }`;
const VERIFY = `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { verify(input: { geslachtsnaam: "Jansen" }) { overall } } } }`;
const MOVE = `mutation($id: ID!, $to: String!) { transitionCase(id: $id, to: $to, motivation: "Next phase.") { phase } }`;

beforeAll(async () => {
  a = await startTestApp();
  second = await connectAgain(a.app.db);
  b = await startTestApp({ db: second });
  analystA = await a.token("analist.jansen", "analyst");
  officerA = await a.token("privacy.officer", "privacy_officer");
  legalA = await a.token("jurist", "legal");
  analystB = await b.token("analist.jansen", "analyst");
  resident = a.app.demo!.municipality.wellKnown.residentBsn;
  other = a.app.demo!.municipality.wellKnown.elsewhereBsn;
});
afterAll(async () => {
  await b?.close();
  await second?.close();
  await a?.close();
});

const answered = (r: GqlResult) => {
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data;
};
const naamOf = (bsn: string) => ({
  case: {
    persoon: { brp: { naam: { geslachtsnaam: a.app.demo!.municipality.personByBsn(bsn)!.geslachtsnaam } } },
  },
});

/** A case opened through A with the demo subjects, moved through A to the last of `phases`. */
async function caseIn(reference: string, phases: readonly string[]): Promise<string> {
  const id = dataOf<{ id: string }>(
    await a.gql(
      analystA,
      `mutation($r: String!) { openCase(input: { reference: $r, motivation: "A signal.", ${DEMO_SUBJECTS_ARG} }) { id } }`,
      { r: reference },
    ),
    "openCase",
  ).id;
  for (const to of phases) {
    await weighBefore((q, v) => a.gql(analystA, q, v), id, to);
    dataOf(await a.gql(analystA, MOVE, { id, to }), "transitionCase");
  }
  return id;
}

/** A check requested and advised GO through A; its id. */
async function approved(input: Record<string, unknown>): Promise<string> {
  const { id } = dataOf<{ id: string }>(
    await a.gql(
      analystA,
      `mutation($input: PrivacyCheckInput!) { requestPrivacyCheck(input: $input) { id } }`,
      { input: { motivation: "Needed.", ...input } },
    ),
    "requestPrivacyCheck",
  );
  dataOf(
    await a.gql(
      officerA,
      `mutation($id: ID!) { advisePrivacyCheck(id: $id, advice: GO, motivation: "Fine.") { status } }`,
      { id },
    ),
    "advisePrivacyCheck",
  );
  return id;
}

describe(`a change through one replica is enforced on the next request through another (${dialectUnderTest()})`, () => {
  it("the two replicas are two gateways on one database", () => {
    expect(b.app.gateway).not.toBe(a.app.gateway);
    expect(b.app.demo!.issuer).not.toBe(a.app.demo!.issuer);
  });

  it("a phase change: the check 1 of source research lapses, and the audit names the new phase", async () => {
    const id = await caseIn("FRESH-PHASE", ["weging", "bronnenonderzoek"]);
    await approved({ caseId: id, kind: "CHECK_1", source: "brp", probes: ["brp.ingeschreven"] });
    expect(answered(await b.gql(analystB, HITS, { id, bsn: resident }))).toEqual({
      case: { phase: "bronnenonderzoek", persoon: { hits: [{ probe: "brp.ingeschreven", result: "HIT" }] } },
    });
    dataOf(await a.gql(analystA, MOVE, { id, to: "regie" }), "transitionCase");
    const next = await b.gql(analystB, HITS, { id, bsn: resident });
    expect(next.data?.case).toMatchObject({ phase: "regie" });
    expect(errorCodes(next)).toEqual({ "case.persoon.hits": "FORBIDDEN" });
    // B's records of that request name the phase the case is in now.
    const latest = (await b.app.audit.list({ caseId: id, limit: 100_000 })).at(-1);
    expect(latest?.phase).toBe("regie");
  });

  it("a restriction recorded, then a check revoked: each stops the next answer", async () => {
    const id = await caseIn("FRESH-CHECK", ["weging", "bronnenonderzoek", "regie"]);
    const checkId = await approved({ caseId: id, kind: "CHECK_2A", source: "brp", fields: ["naam"] });
    expect(answered(await b.gql(analystB, NAAM, { id, bsn: resident }))).toEqual(naamOf(resident));
    expect(answered(await b.gql(analystB, NAAM, { id, bsn: other }))).toEqual(naamOf(other));

    dataOf(
      await a.gql(
        legalA,
        `mutation($input: SubjectRequestInput!) { recordSubjectRequest(input: $input) { inForce } }`,
        {
          input: {
            caseId: id,
            bsn: resident,
            kind: "RESTRICTION",
            receivedAt: new Date().toISOString().slice(0, 10),
            motivation: "The person contests the accuracy of the data (GDPR art. 18(1)(a)).",
          },
        },
      ),
      "recordSubjectRequest",
    );
    expect(errorCodes(await b.gql(analystB, NAAM, { id, bsn: resident }))).toEqual({
      "case.persoon.brp": "FORBIDDEN",
    });
    expect(answered(await b.gql(analystB, NAAM, { id, bsn: other }))).toEqual(naamOf(other));

    dataOf(
      await a.gql(
        officerA,
        `mutation($id: ID!) { revokePrivacyCheck(id: $id, motivation: "The plan was dropped.") { status } }`,
        { id: checkId },
      ),
      "revokePrivacyCheck",
    );
    expect(errorCodes(await b.gql(analystB, NAAM, { id, bsn: other }))).toEqual({
      "case.persoon.brp.naam": "FORBIDDEN",
    });
  });

  it("a subject added: the case answers about it from the next request on", async () => {
    const m = a.app.demo!.municipality;
    const named = new Set([resident, other]);
    let stranger: string | undefined;
    for (let i = 0; stranger === undefined; i++) {
      const p = m.personAt(i);
      if (!p) throw new Error("no stranger in the municipality");
      if (!named.has(p.bsn) && !p.overlijdensdatum) stranger = p.bsn;
    }
    const id = await caseIn("FRESH-SUBJECT", []);
    expect(answered(await b.gql(analystB, VERIFY, { id, bsn: resident }))).toBeTruthy();
    expect(errorCodes(await b.gql(analystB, VERIFY, { id, bsn: stranger }))).toEqual({
      "case.persoon.verify": "FORBIDDEN",
    });
    dataOf(
      await a.gql(
        analystA,
        `mutation($id: ID!, $subject: String!) { addCaseSubject(id: $id, subject: $subject, motivation: "The partner named a second person.") { id } }`,
        { id, subject: `persoon:${stranger}` },
      ),
      "addCaseSubject",
    );
    expect(answered(await b.gql(analystB, VERIFY, { id, bsn: stranger }))).toBeTruthy();
  });

  it("within one request: a change the request made is seen by its next field", async () => {
    const id = await caseIn("FRESH-SAME-REQUEST", ["weging"]);
    await weighBefore((q, v) => a.gql(analystA, q, v), id, "bronnenonderzoek");
    // Mutation fields run one after the other; the second reads the case as the first left it.
    const r = await a.gql(
      analystA,
      `mutation($id: ID!) {
        first: transitionCase(id: $id, to: "bronnenonderzoek", motivation: "Next phase.") { phase }
        second: transitionCase(id: $id, to: "regie", motivation: "Next phase.") { phase } }`,
      { id },
    );
    expect(answered(r)).toEqual({ first: { phase: "bronnenonderzoek" }, second: { phase: "regie" } });
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_SUBJECTS_ARG } from "../utils/case-subjects.ts";
import { errorCodes, startTestApp, type GqlResult, type TestApp } from "../utils/test-app.ts";
import { dataOf } from "../utils/workflow-fixtures.ts";
import { weighBefore } from "../utils/weighing.ts";

/**
 * The access report (GDPR art. 15; Maastricht art. 11; Delft art. 11) over a scripted case run
 * through the real pipeline, a second case withheld under GDPR art. 23 (Maastricht art. 12.5; Delft
 * art. 10d), and the informing worklist (Maastricht art. 12; Delft art. 10, 10f).
 */
let t: TestApp;
let analyst: string;
let officer: string;
let legal: string;
let vergunningen: string;
let bsn: string;
let other: string;

beforeAll(async () => {
  t = await startTestApp();
  analyst = await t.token("analist.jansen", "analyst");
  officer = await t.token("privacy.officer", "privacy_officer");
  legal = await t.token("jurist", "legal");
  vergunningen = await t.token("medewerker.vergunningen", "department_member", "vergunningen");
  bsn = t.app.demo!.municipality.wellKnown.residentBsn;
  other = t.app.demo!.municipality.wellKnown.elsewhereBsn;
});
afterAll(() => t.close());

const MOVE = `mutation($id: ID!, $to: String!) { transitionCase(id: $id, to: $to, motivation: "Next phase.") { phase } }`;

async function openCase(reference: string, until: readonly string[]): Promise<string> {
  const id = dataOf<{ id: string }>(
    await t.gql(
      analyst,
      `mutation($r: String!) { openCase(input: { reference: $r, theme: "horeca", motivation: "A signal.", ${DEMO_SUBJECTS_ARG} }) { id } }`,
      { r: reference },
    ),
    "openCase",
  ).id;
  for (const to of until) {
    await weighBefore((q, v) => t.gql(analyst, q, v), id, to);
    dataOf(await t.gql(analyst, MOVE, { id, to }), "transitionCase");
  }
  return id;
}

async function approvedCheck(input: Record<string, unknown>): Promise<string> {
  const id = dataOf<{ id: string }>(
    await t.gql(
      analyst,
      `mutation($input: PrivacyCheckInput!) { requestPrivacyCheck(input: $input) { id } }`,
      {
        input: { motivation: "Needed for this case.", ...input },
      },
    ),
    "requestPrivacyCheck",
  ).id;
  dataOf(
    await t.gql(
      officer,
      `mutation($id: ID!) { advisePrivacyCheck(id: $id, advice: GO, motivation: "Proportionate.") { status } }`,
      { id },
    ),
    "advisePrivacyCheck",
  );
  return id;
}

const HITS = `query($id: ID!, $bsn: String!, $probes: [String!]) { case(id: $id) { persoon(bsn: $bsn) { hits(probes: $probes) { probe result } } } }`;
const NAAM = `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { brp { naam { geslachtsnaam } } } } }`;

const REPORT = `query($bsn: String!) { subjectAccessReport(bsn: $bsn) {
  id generatedAt bsn protocolId markdown
  cases { caseId reference theme status phase outcome openedAt closedAt retentionEnd purposes sources recipients
    phases { phase enteredAt }
    processing { at phase purpose source operation mode outcome probes { probe result } fields recipient }
    privacyChecks { kind source status requestedAt decidedAt approvedFields approvedProbes recipients namesSubject }
    informed { informedAt method }
    requests { kind receivedAt decision decidedAt liftedAt } } } }`;

interface Report {
  id: string;
  bsn: string;
  markdown: string;
  cases: {
    caseId: string;
    reference: string;
    status: string;
    phase: string;
    closedAt: string | null;
    retentionEnd: string;
    sources: string[];
    recipients: string[];
    purposes: string[];
    phases: { phase: string; enteredAt: string }[];
    processing: {
      at: string;
      source: string;
      operation: string;
      outcome: string;
      probes: { probe: string; result: string | null }[];
      fields: string[];
      recipient: string;
    }[];
    privacyChecks: {
      kind: string;
      source: string;
      status: string;
      recipients: string[];
      namesSubject: boolean;
    }[];
  }[];
}

const report = async (who = legal, of = bsn): Promise<Report> =>
  dataOf<Report>(await t.gql(who, REPORT, { bsn: of }), "subjectAccessReport");

describe("the access report lists every processing of a scripted case (GDPR art. 15)", () => {
  let caseA: string;
  let startedAt: string;
  let geslachtsnaam: string;

  beforeAll(async () => {
    startedAt = new Date().toISOString();
    geslachtsnaam = t.app.demo!.municipality.personByBsn(bsn)!.geslachtsnaam;
    caseA = await openCase("RIGHTS-A", ["weging", "bronnenonderzoek"]);
    await approvedCheck({
      caseId: caseA,
      kind: "CHECK_1",
      source: "brp",
      probes: ["brp.ingeschreven"],
      subjects: [`persoon:${bsn}`],
    });
    await approvedCheck({
      caseId: caseA,
      kind: "CHECK_1",
      source: "permits",
      probes: ["permits.horeca"],
      subjects: [`persoon:${bsn}`],
    });
    const hits = await t.gql(analyst, HITS, {
      id: caseA,
      bsn,
      probes: ["brp.ingeschreven", "permits.horeca"],
    });
    expect(hits.errors).toBeUndefined();
    dataOf(await t.gql(analyst, MOVE, { id: caseA, to: "regie" }), "transitionCase");
    await approvedCheck({
      caseId: caseA,
      kind: "CHECK_2A",
      source: "brp",
      fields: ["naam"],
      subjects: [`persoon:${bsn}`],
      recipients: ["vergunningen"],
    });
    for (const who of [analyst, vergunningen]) {
      const naam = await t.gql(who, NAAM, { id: caseA, bsn });
      expect(naam.data).toEqual({ case: { persoon: { brp: { naam: { geslachtsnaam } } } } });
    }
  });

  it("gives the case with its phases, sources, probes, fields, recipients, checks and dates", async () => {
    const r = await report();
    expect(r.bsn).toBe(bsn);
    // The demo's DEMO-regie names the resident in its seeded checks: it is in the report too.
    expect(r.cases.map((c) => c.reference)).toEqual(["DEMO-regie", "RIGHTS-A"]);
    const a = r.cases.find((c) => c.reference === "RIGHTS-A");
    expect(a).toMatchObject({
      caseId: caseA,
      status: "OPEN",
      phase: "regie",
      retentionEnd: "open",
      sources: ["brp", "permits"],
      purposes: ["maastricht.bronnenonderzoek.v1", "maastricht.regie.v1"],
    });
    expect(a!.phases.map((p) => p.phase)).toEqual(["intake", "weging", "bronnenonderzoek", "regie"]);
    for (const p of a!.phases) expect(p.enteredAt >= startedAt).toBe(true);

    const released = a!.processing.filter((p) => p.outcome === "released");
    expect(released.map((p) => [p.operation, p.recipient])).toEqual([
      ["brp.hits", "the case's analyst (RO/AVO)"],
      ["permits.hits", "the case's analyst (RO/AVO)"],
      ["brp.fields", "the case's analyst (RO/AVO)"],
      ["brp.fields", "a municipal department named by a privacy check"],
    ]);
    const brpHits = released.find((p) => p.operation === "brp.hits")!;
    expect(brpHits.probes).toEqual([{ probe: "brp.ingeschreven", result: "HIT" }]);
    const permitsHits = released.find((p) => p.operation === "permits.hits")!;
    expect(permitsHits.probes).toEqual([
      { probe: "permits.horeca", result: expect.stringMatching(/^(HIT|NO_HIT)$/) },
    ]);
    for (const p of released.filter((x) => x.operation === "brp.fields"))
      expect(p.fields).toEqual(["naam.geslachtsnaam"]);
    for (const p of a!.processing) expect(p.at >= startedAt).toBe(true);

    expect(a!.recipients).toEqual([
      "a municipal department named by a privacy check",
      "department vergunningen",
      "the case's analyst (RO/AVO)",
    ]);
    expect(a!.privacyChecks.map((c) => [c.kind, c.source, c.status, c.recipients, c.namesSubject])).toEqual([
      ["CHECK_1", "brp", "APPROVED", [], true],
      ["CHECK_1", "permits", "APPROVED", [], true],
      ["CHECK_2A", "brp", "APPROVED", ["vergunningen"], true],
    ]);
    expect(r.markdown).toContain("## Case RIGHTS-A");
    expect(r.markdown).toContain("brp.ingeschreven (HIT)");
    expect(r.markdown).toContain("naam.geslachtsnaam");
    // Field names, never the registry's values.
    expect(JSON.stringify(r)).not.toContain(geslachtsnaam);
  });

  it("reports nothing of another person's case, and is itself audited before it leaves", async () => {
    const r = await report(legal, other);
    expect(r.cases.map((c) => c.reference)).not.toContain("RIGHTS-A");
    const access = await t.app.audit.list({ subject: bsn, subjectType: "bsn", kind: "rights" });
    expect(access.filter((a) => a.operation === "rights.access")).toContainEqual(
      expect.objectContaining({
        actor: "jurist",
        decision: "allow",
        detail: expect.objectContaining({ cases: 2 }),
      }),
    );
  });

  it("gives the end of the retention period once the case is closed", async () => {
    const closed = dataOf<{ closedAt: string }>(
      await t.gql(
        analyst,
        `mutation($id: ID!) { closeCase(id: $id, outcome: "afgerond", motivation: "All phases done.") { closedAt } }`,
        { id: caseA },
      ),
      "closeCase",
    );
    const a = (await report()).cases.find((c) => c.caseId === caseA)!;
    // Maastricht art. 10.2c: all phases done, 5 years (P5Y in protocol.yaml).
    const fiveYears = `${Number(closed.closedAt.slice(0, 4)) + 5}${closed.closedAt.slice(4)}`.replace(
      /-02-29T/,
      "-02-28T",
    );
    expect(a).toMatchObject({ status: "CLOSED", closedAt: closed.closedAt, retentionEnd: fiveYears });
  });
});

describe("a case whose informing is deferred under GDPR art. 23 is withheld", () => {
  let caseB: string;
  let r: Report;
  let deferralId: string;

  beforeAll(async () => {
    caseB = await openCase("RIGHTS-B-SECRET", ["weging", "bronnenonderzoek"]);
    await approvedCheck({
      caseId: caseB,
      kind: "CHECK_1",
      source: "brp",
      probes: ["brp.ingeschreven"],
      subjects: [`persoon:${bsn}`],
    });
    expect(
      (await t.gql(analyst, HITS, { id: caseB, bsn, probes: ["brp.ingeschreven"] })).errors,
    ).toBeUndefined();
    deferralId = dataOf<{ id: string }>(
      await t.gql(
        legal,
        `mutation($input: InformingDeferralInput!) { deferSubjectInforming(input: $input) { id ground endedAt } }`,
        {
          input: {
            caseId: caseB,
            bsn,
            ground: "CRIMINAL_OFFENCES",
            motivation: "Informing now would warn the subject during the police investigation.",
            decidedBy: "manager.veiligheid",
            adviceBy: "fg",
            advice: "Deferral is proportionate; review in three months.",
            reviewAt: new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10),
          },
        },
      ),
      "deferSubjectInforming",
    ).id;
    r = await report();
  });

  it("leaves the case out of the report, the JSON and the document, without saying so", () => {
    expect(r.cases.map((c) => c.reference)).toEqual(["DEMO-regie", "RIGHTS-A"]);
    const everything = JSON.stringify(r);
    for (const trace of [caseB, "RIGHTS-B-SECRET", deferralId, "withh", "art. 23", "defer", "CRIMINAL"])
      expect(everything, trace).not.toContain(trace);
  });

  it("records the withholding internally with its ground", async () => {
    const withheld = dataOf<unknown[]>(
      await t.gql(
        legal,
        `query($id: ID!) { accessReportWithholdings(reportId: $id) { reportId caseId deferralId ground at } }`,
        { id: r.id },
      ),
      "accessReportWithholdings",
    );
    expect(withheld).toEqual([
      { reportId: r.id, caseId: caseB, deferralId, ground: "CRIMINAL_OFFENCES", at: expect.any(String) },
    ]);
    const rows = await t.app.db.query<{ subject_key: string; ground: string }>(
      "SELECT subject_key, ground FROM subject_access_withholdings WHERE report_id = $1",
      [r.id],
    );
    expect(rows).toEqual([{ subject_key: `persoon:${bsn}`, ground: "criminal_offences" }]);
  });

  it("logs the withholding in the audit log, with the case, the person's pseudonym and the ground", async () => {
    const logged = (await t.app.audit.list({ caseId: caseB, kind: "rights" })).filter(
      (a) => a.operation === "rights.access.withhold",
    );
    expect(logged).toEqual([
      expect.objectContaining({
        actor: "jurist",
        caseId: caseB,
        subjectPseudonym: t.app.audit.pseudonymise(bsn, "bsn"),
        decision: "allow",
        reason: expect.stringMatching(/GDPR art\. 23\(1\)\(d\)/),
        detail: { reportId: r.id, deferralId, ground: "criminal_offences" },
      }),
    ]);
  });

  it("brings the case back once the person is informed", async () => {
    dataOf(
      await t.gql(
        legal,
        `mutation($input: SubjectInformedInput!) { recordSubjectInformed(input: $input) { id } }`,
        { input: { caseId: caseB, bsn, informedAt: new Date().toISOString(), method: "LETTER" } },
      ),
      "recordSubjectInformed",
    );
    const again = await report();
    expect(again.cases.map((c) => c.reference)).toEqual(["DEMO-regie", "RIGHTS-A", "RIGHTS-B-SECRET"]);
    const rights = dataOf<{ deferrals: { id: string; endedAt: string | null; endReason: string | null }[] }>(
      await t.gql(
        legal,
        `query($id: ID!) { subjectRights(caseId: $id) { deferrals { id endedAt endReason } } }`,
        {
          id: caseB,
        },
      ),
      "subjectRights",
    );
    expect(rights.deferrals).toEqual([
      { id: deferralId, endedAt: expect.any(String), endReason: "informed" },
    ]);
  });
});

describe("input", () => {
  it.each(["12345678", "123456789", "abc", ""])("refuses the BSN %j with BAD_USER_INPUT", async (bad) => {
    expect(errorCodes(await t.gql(legal, REPORT, { bsn: bad }))).toEqual({
      subjectAccessReport: "BAD_USER_INPUT",
    });
  });

  it("refuses informing about a person the case never processed", async () => {
    const id = await openCase("RIGHTS-NOBODY", ["weging"]);
    const r: GqlResult = await t.gql(
      legal,
      `mutation($input: SubjectInformedInput!) { recordSubjectInformed(input: $input) { id } }`,
      { input: { caseId: id, bsn, informedAt: "2026-01-01", method: "EMAIL" } },
    );
    expect(errorCodes(r)).toEqual({ recordSubjectInformed: "BAD_USER_INPUT" });
  });
});

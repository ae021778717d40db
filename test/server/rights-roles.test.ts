import { readFileSync } from "node:fs";
import { Kind, parse } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../src/shared/index.ts";
import { expectAudited, lastSeq, recordsAfter } from "../utils/audit-written.ts";
import { errorCodes, startTestApp, type GqlResult, type TestApp } from "../utils/test-app.ts";
import { createWorkflow, dataOf, type Workflow } from "../utils/workflow-fixtures.ts";

/**
 * Who may use the data subject's rights workflow (issue 5): every query and mutation of
 * schema/rights.graphql for every actor. Written by hand from policies/roles.yaml and the
 * articles: Juridische Zaken (role legal) handles data-subject requests (Maastricht art. 11;
 * Delft art. 11b) and records informing (Maastricht art. 12; Delft art. 10); no other role does.
 * - without a case: anyone but legal is FORBIDDEN, audited;
 * - on a case: as every case action, NOT_FOUND where the actor may not see the case (a foreign
 *   analyst, an application), FORBIDDEN (audited) where they see it but may not record.
 * Each refusal changes nothing; each allowed cell does what it says.
 */
const ACTORS = {
  analyst: { sub: "analist.jansen", role: "analyst" },
  foreignAnalyst: { sub: "analist.bakker", role: "analyst" },
  privacyOfficer: { sub: "privacy.officer", role: "privacy_officer" },
  coordinator: { sub: "coordinator", role: "coordinator" },
  dpo: { sub: "fg", role: "dpo" },
  departmentMember: { sub: "medewerker.vergunningen", role: "department_member", department: "vergunningen" },
  application: { sub: "app-client", role: "application" },
  legal: { sub: "jurist", role: "legal" },
} as const satisfies Record<string, { sub: string; role: Role; department?: string }>;
type ActorName = keyof typeof ACTORS;
const COLUMNS = Object.keys(ACTORS) as ActorName[];

type Outcome = "allowed" | "FORBIDDEN" | "NOT_FOUND";
type Row = readonly [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome];
const F = "FORBIDDEN";
const N = "NOT_FOUND";
const A = "allowed";

// prettier-ignore
const EXPECTED = {
  //                          analyst foreign officer coord dpo department app legal
  subjectAccessReport:        [F,     F,      F,      F,    F,  F,         F,  A],
  accessReportWithholdings:   [F,     F,      F,      F,    F,  F,         F,  A],
  informingWorklist:          [F,     F,      F,      F,    F,  F,         F,  A],
  subjectRights:              [F,     N,      F,      F,    F,  F,         N,  A],
  recordSubjectInformed:      [F,     N,      F,      F,    F,  F,         N,  A],
  deferSubjectInforming:      [F,     N,      F,      F,    F,  F,         N,  A],
  recordSubjectRequest:       [F,     N,      F,      F,    F,  F,         N,  A],
  decideSubjectRequest:       [F,     N,      F,      F,    F,  F,         N,  A],
  liftRestriction:            [F,     N,      F,      F,    F,  F,         N,  A],
} as const satisfies Record<string, Row>;
type Operation = keyof typeof EXPECTED;

let t: TestApp;
let wf: Workflow;
let bsn: string;
let reportId: string;
const tokens = {} as Record<ActorName, string>;

beforeAll(async () => {
  t = await startTestApp();
  wf = await createWorkflow(t, "RIGHTS-MATRIX");
  for (const name of COLUMNS) {
    const a: { sub: string; role: Role; department?: string } = ACTORS[name];
    tokens[name] = await t.token(a.sub, a.role, a.department);
  }
  bsn = t.app.demo!.municipality.wellKnown.residentBsn;
  reportId = dataOf<{ id: string }>(
    await t.gql(tokens.legal, `query($b: String!) { subjectAccessReport(bsn: $b) { id } }`, { b: bsn }),
    "subjectAccessReport",
  ).id;
});
afterAll(() => t.close());

/** Everything the rights workflow stored, as a count per table. */
async function stored(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of [
    "subject_informing",
    "subject_informing_deferrals",
    "subject_requests",
    "subject_access_reports",
    "subject_access_withholdings",
  ])
    out[table] = (await t.app.db.query(`SELECT 1 FROM ${table}`)).length;
  return out;
}

const denials = async (actor: ActorName) =>
  (await t.app.audit.list({ actor: ACTORS[actor].sub, decision: "deny", limit: 100_000 })).length;

/** A fresh case in regie that shares the person's name with vergunningen, and a restriction on it. */
async function freshCase(): Promise<{ caseId: string; restrictionId: string }> {
  const { caseId } = await wf.sharedCase(bsn, "vergunningen");
  const restrictionId = dataOf<{ id: string }>(
    await t.gql(
      tokens.legal,
      `mutation($input: SubjectRequestInput!) { recordSubjectRequest(input: $input) { id } }`,
      {
        input: {
          caseId,
          bsn: "999993653",
          kind: "RESTRICTION",
          receivedAt: "2026-01-02",
          motivation: "Contested.",
        },
      },
    ),
    "recordSubjectRequest",
  ).id;
  return { caseId, restrictionId };
}

const future = () => new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

/** One operation with its arguments on fresh state. */
const CELLS: Record<Operation, () => Promise<{ query: string; variables: Record<string, unknown> }>> = {
  subjectAccessReport: async () => ({
    query: `query($b: String!) { subjectAccessReport(bsn: $b) { id cases { reference } } }`,
    variables: { b: bsn },
  }),
  accessReportWithholdings: async () => ({
    query: `query($id: ID!) { accessReportWithholdings(reportId: $id) { caseId } }`,
    variables: { id: reportId },
  }),
  informingWorklist: async () => ({
    query: `{ informingWorklist { toInform { caseId bsn } } }`,
    variables: {},
  }),
  subjectRights: async () => {
    const { caseId } = await freshCase();
    return {
      query: `query($id: ID!) { subjectRights(caseId: $id) { requests { kind } } }`,
      variables: { id: caseId },
    };
  },
  recordSubjectInformed: async () => {
    const { caseId } = await freshCase();
    return {
      query: `mutation($input: SubjectInformedInput!) { recordSubjectInformed(input: $input) { id } }`,
      variables: { input: { caseId, bsn, informedAt: "2026-01-03", method: "LETTER" } },
    };
  },
  deferSubjectInforming: async () => {
    const { caseId } = await freshCase();
    return {
      query: `mutation($input: InformingDeferralInput!) { deferSubjectInforming(input: $input) { id } }`,
      variables: {
        input: {
          caseId,
          bsn,
          ground: "CRIMINAL_OFFENCES",
          motivation: "It would disturb the investigation.",
          decidedBy: "manager.veiligheid",
          adviceBy: "fg",
          advice: "Proportionate.",
          reviewAt: future(),
        },
      },
    };
  },
  recordSubjectRequest: async () => {
    const { caseId } = await freshCase();
    return {
      query: `mutation($input: SubjectRequestInput!) { recordSubjectRequest(input: $input) { id } }`,
      variables: {
        input: {
          caseId,
          bsn,
          kind: "RECTIFICATION",
          receivedAt: "2026-01-04",
          motivation: "The address is wrong.",
        },
      },
    };
  },
  decideSubjectRequest: async () => {
    const { restrictionId } = await freshCase();
    return {
      query: `mutation($id: ID!) { decideSubjectRequest(id: $id, decision: GRANTED, motivation: "Granted.") { decision } }`,
      variables: { id: restrictionId },
    };
  },
  liftRestriction: async () => {
    const { restrictionId } = await freshCase();
    return {
      query: `mutation($id: ID!) { liftRestriction(id: $id, motivation: "The person was told.") { inForce } }`,
      variables: { id: restrictionId },
    };
  },
};

/** What an allowed call must have done, beyond answering without errors. */
function expectEffect(
  operation: Operation,
  r: GqlResult,
  before: Record<string, number>,
  after: Record<string, number>,
) {
  const data = dataOf<unknown>(r, operation);
  const grew = (table: string) => expect(after[table], table).toBe((before[table] ?? 0) + 1);
  switch (operation) {
    case "subjectAccessReport":
      return grew("subject_access_reports");
    case "recordSubjectInformed":
      return grew("subject_informing");
    case "deferSubjectInforming":
      return grew("subject_informing_deferrals");
    case "recordSubjectRequest":
      return grew("subject_requests");
    case "decideSubjectRequest":
      return expect(data).toEqual({ decision: "GRANTED" });
    case "liftRestriction":
      return expect(data).toEqual({ inForce: false });
    case "subjectRights":
      return expect(data).toEqual({ requests: [{ kind: "RESTRICTION" }] });
    case "accessReportWithholdings":
      return expect(data).toEqual([]);
    case "informingWorklist":
      return expect((data as { toInform: { bsn: string }[] }).toInform.map((i) => i.bsn)).toContain(bsn);
  }
}

const MATRIX = (Object.keys(EXPECTED) as Operation[]).flatMap((operation) =>
  COLUMNS.map((actor, i) => ({ operation, actor, expected: EXPECTED[operation][i]! })),
);

describe("role x action matrix of the rights workflow (issue 5)", () => {
  it("has a row for every query and mutation of schema/rights.graphql", () => {
    const doc = parse(readFileSync("schema/rights.graphql", "utf8"));
    const roots = doc.definitions.flatMap((d) =>
      d.kind === Kind.OBJECT_TYPE_EXTENSION && ["Query", "Mutation"].includes(d.name.value)
        ? (d.fields ?? []).map((f) => f.name.value)
        : [],
    );
    expect(roots.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(MATRIX)("$operation as $actor: $expected", async ({ operation, actor, expected }) => {
    const { query, variables } = await CELLS[operation]();
    const before = await stored();
    const deniedBefore = await denials(actor);
    const seq = await lastSeq(t.app.db);
    const r = await t.gql(tokens[actor], query, variables);
    const after = await stored();
    // Every call, allowed or refused, is in the processing log (issue 13).
    expectAudited(expected, await recordsAfter(t.app.db, seq));
    if (expected === "allowed") return expectEffect(operation, r, before, after);
    expect(errorCodes(r)).toEqual({ [operation]: expected });
    expect(r.data).toBeNull();
    expect(after).toEqual(before);
    // Every refusal is a processing fact of its own (Delft art. 6b).
    expect(await denials(actor)).toBeGreaterThan(deniedBefore);
  });
});

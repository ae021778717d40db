import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { destructionRecords } from "../../src/retention/index.ts";
import { buildSchema } from "../../src/server/index.ts";
import type { Role } from "../../src/shared/index.ts";
import { expectAudited, lastSeq, recordsAfter } from "../utils/audit-written.ts";
import { errorCodes, startTestApp, type GqlResult, type TestApp } from "../utils/test-app.ts";
import {
  createWorkflow,
  dataOf,
  type CaseSnapshot,
  type CheckStage,
  type Workflow,
} from "../utils/workflow-fixtures.ts";

/**
 * Who may do what in the case and privacy-check workflow (issue 4): every query and mutation of the
 * workflow for every actor, each cell on fresh state, the outcome asserted together with what it
 * did (or did not do) to the case and its checks.
 *
 * The expected table is written by hand from `policies/roles.yaml`, the README's workflow and the
 * protocols, not read from the code. The rules behind it:
 * - a case the actor may not see is NOT_FOUND, exactly as one that does not exist (Maastricht art.
 *   8.2: only owner and substitute; README "Errors"); so is a check the actor may not see (a
 *   department member sees no checks: roles.yaml grants it `case.read` only);
 * - an action the role lacks, on a case or check the actor does see, is FORBIDDEN;
 * - what no case could grant (opening a case, the FG's reports, explain) is FORBIDDEN for any id.
 */

const ACTORS = {
  analyst: { sub: "analist.jansen", role: "analyst" },
  foreignAnalyst: { sub: "analist.bakker", role: "analyst" },
  privacyOfficer: { sub: "privacy.officer", role: "privacy_officer" },
  coordinator: { sub: "coordinator", role: "coordinator" },
  dpo: { sub: "fg", role: "dpo" },
  departmentMember: { sub: "medewerker.vergunningen", role: "department_member", department: "vergunningen" },
  beheerder: { sub: "beheerder", role: "beheerder" },
  application: { sub: "meldpunt-ondermijning", role: "application", client: "meldpunt-ondermijning" },
} as const satisfies Record<string, { sub: string; role: Role; department?: string; client?: string }>;
type ActorName = keyof typeof ACTORS;
const COLUMNS = [
  "analyst",
  "foreignAnalyst",
  "privacyOfficer",
  "coordinator",
  "dpo",
  "departmentMember",
  "beheerder",
  "application",
] as const satisfies readonly ActorName[];

/**
 * allowed / FORBIDDEN / NOT_FOUND; for lists: `listed` (the cell's case or check is in it),
 * `unlisted` (it is not), `empty` (nothing at all); for the queues: whose queue the caller gets.
 */
type Outcome =
  | "allowed"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "listed"
  | "unlisted"
  | "empty"
  | "queue:advice"
  | "queue:decision"
  | "queue:opinion";
type Row = readonly [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome];

// The application column: the demo's reporting system (clients.yaml meldpunt-ondermijning) on the
// matrix's cases, which have none of its themes: it touches none of them, exactly as a case that
// does not exist; it opens only cases of its themes (the matrix's have no theme), and the other
// actor-level actions are not its (issue 12). Its own cases: test/server/service-accounts.test.ts.
// prettier-ignore
const EXPECTED = {
  //                      analyst      foreign      officer      coordinator  dpo          department   beheerder    application
  // case.open is the analyst's alone (Maastricht art. 14); any analyst opens their own case.
  openCase:              ["allowed",   "allowed",   "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"],
  registerSignal:        ["allowed",   "allowed",   "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"],
  // Adding a subject is a case change by its own RO/AVO, like moving it (issue 11).
  addCaseSubject:        ["allowed",   "NOT_FOUND", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "NOT_FOUND"],
  // case.transition / case.close: the case's own RO/AVO only (art. 8.2, 14-18, 21.1).
  transitionCase:        ["allowed",   "NOT_FOUND", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "NOT_FOUND"],
  closeCase:             ["allowed",   "NOT_FOUND", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "NOT_FOUND"],
  // check.request: the case's RO/AVO carries out the checks (art. 18.1, 20).
  requestPrivacyCheck:   ["allowed",   "NOT_FOUND", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "NOT_FOUND"],
  // check.advise: the privacy officer (Delft art. 16b, 19b, 20c).
  advisePrivacyCheck:    ["FORBIDDEN", "NOT_FOUND", "allowed",   "FORBIDDEN", "FORBIDDEN", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND"],
  // The case's analyst disagrees with the advice (Delft art. 16d).
  escalatePrivacyCheck:  ["allowed",   "NOT_FOUND", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND"],
  // check.decide: the coordinator (Delft art. 16e, 19d, 20e).
  decidePrivacyCheck:    ["FORBIDDEN", "NOT_FOUND", "FORBIDDEN", "allowed",   "FORBIDDEN", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND"],
  // The privacy officer or the coordinator withdraws an approval (README, schema).
  revokePrivacyCheck:    ["FORBIDDEN", "NOT_FOUND", "allowed",   "allowed",   "FORBIDDEN", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND"],
  // Anyone involved asks the FG: the case's analysts, privacy officer, coordinator (Delft art. 8b, 19f).
  requestSecondOpinion:  ["allowed",   "NOT_FOUND", "allowed",   "allowed",   "FORBIDDEN", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND"],
  // check.opinion: the FG alone answers (Delft art. 19f).
  giveSecondOpinion:     ["FORBIDDEN", "NOT_FOUND", "FORBIDDEN", "FORBIDDEN", "allowed",   "NOT_FOUND", "NOT_FOUND", "NOT_FOUND"],
  // case.read: assigned analysts, scope `all`, and a department while a check 2a shares with it (art. 20.3).
  case:                  ["allowed",   "NOT_FOUND", "allowed",   "allowed",   "allowed",   "allowed",   "allowed", "NOT_FOUND"],
  cases:                 ["listed",    "unlisted",  "listed",    "listed",    "listed",    "listed",    "listed", "unlisted"],
  // check.read: not for a department ("no checks"); the list is non-null, so it is empty, not an error.
  "case.privacyChecks":  ["listed",    "NOT_FOUND", "listed",    "listed",    "listed",    "empty",     "empty", "NOT_FOUND"],
  // Registry data in regie: the analyst and the recipient department as approved; no registry data for
  // the privacy officer, the coordinator or the FG (roles.yaml reasons; disclosure.yaml has no rule).
  "case.persoon.brp":    ["allowed",   "NOT_FOUND", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "allowed",   "FORBIDDEN", "NOT_FOUND"],
  // Each role's own queue: requests to advise, escalations to decide, second opinions to give.
  pendingPrivacyChecks:  ["empty",   "empty",   "queue:advice", "queue:decision", "queue:opinion", "empty", "empty", "empty"],
  // report.read: the FG alone (Delft art. 9a, 9c).
  fgReport:              ["FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "allowed",   "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"],
  dpiaSample:            ["FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "allowed",   "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"],
  // policy.explain: the privacy officer and the FG.
  explain:               ["FORBIDDEN", "FORBIDDEN", "allowed",   "FORBIDDEN", "allowed",   "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"],
  // case.assign: the beheerder designates the owner and substitute of any case (Maastricht art. 8.2);
  // the case's own analyst cannot hand it over, the foreign analyst cannot take it.
  assignCase:            ["FORBIDDEN", "NOT_FOUND", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "allowed", "NOT_FOUND"],
  // reporter.read: only the case's own RO/AVO handles the reporter's data (Maastricht art. 6.1).
  acknowledgeSignalReceipt: ["allowed",   "NOT_FOUND", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "NOT_FOUND", "FORBIDDEN", "NOT_FOUND"],
  // case.weigh: the case's own RO/AVO answers the weighing checklist (Maastricht art. 15-16, bijlage C).
  recordWeighing:        ["allowed",   "NOT_FOUND", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "NOT_FOUND"],
  // flagged.read: the privacy officer's queue of flagged refusals, and the FG supervising it (issue 11).
  flaggedEvents:         ["FORBIDDEN", "FORBIDDEN", "allowed",   "FORBIDDEN", "allowed",   "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"],
  // flagged.review: the privacy officer alone marks an event reviewed (Delft §2.5 Privacy Officer).
  reviewFlaggedEvent:    ["FORBIDDEN", "FORBIDDEN", "allowed",   "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"],
  // audit.read: the privacy officer and the FG search the processing log (Delft art. 6b-c, 9; issue 13).
  auditLog:              ["FORBIDDEN", "FORBIDDEN", "allowed",   "FORBIDDEN", "allowed",   "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"],
  // retention.read: the destruction records, for the privacy officer and the FG while there is no
  // records manager's role (Maastricht art. 10.3; issue 13).
  destructionRecords:    ["FORBIDDEN", "FORBIDDEN", "allowed",   "FORBIDDEN", "allowed",   "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"],
  // policy.explain: the diff and replay of a policy change, for the privacy officer and the FG (issue 14).
  policyDiff:            ["FORBIDDEN", "FORBIDDEN", "allowed",   "FORBIDDEN", "allowed",   "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"],
  policyReplay:          ["FORBIDDEN", "FORBIDDEN", "allowed",   "FORBIDDEN", "allowed",   "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"],
  // policy.versions: the privacy officer publishes and the FG evaluates with them (Maastricht
  // art. 13; Delft art. 9b; issue 14).
  policyVersions:        ["FORBIDDEN", "FORBIDDEN", "allowed",   "FORBIDDEN", "allowed",   "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"],
  policyEvaluationsDue:  ["FORBIDDEN", "FORBIDDEN", "allowed",   "FORBIDDEN", "allowed",   "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"],
  recordPolicyEvaluation: ["FORBIDDEN", "FORBIDDEN", "allowed",   "FORBIDDEN", "allowed",   "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"],
} as const satisfies Record<string, Row>;
type Operation = keyof typeof EXPECTED;

/**
 * Root fields that are not part of the workflow: who the caller is, the protocol's phases, and
 * the data subject's rights, which have their own matrix (test/server/rights-roles.test.ts).
 */
const NOT_WORKFLOW = [
  "me",
  "protocol",
  "subjectAccessReport",
  "accessReportWithholdings",
  "informingWorklist",
  "subjectRights",
  "recordSubjectInformed",
  "deferSubjectInforming",
  "recordSubjectRequest",
  "decideSubjectRequest",
  "liftRestriction",
];

/** One cell on its own fresh state: run the operation as an actor, then judge the outcome. */
interface Cell {
  run(token: string): Promise<GqlResult>;
  verify(expected: Outcome, r: GqlResult): Promise<void>;
}

let t: TestApp;
let wf: Workflow;
let bsn: string;
let geslachtsnaam: string;
const tokens = {} as Record<ActorName, string>;
let acknowledged = 0;
const year = new Date().getUTCFullYear();

beforeAll(async () => {
  t = await startTestApp();
  wf = await createWorkflow(t, "MATRIX");
  for (const name of COLUMNS) {
    const a: { sub: string; role: Role; department?: string; client?: string } = ACTORS[name];
    // A service account's token: its client id, its roles from clients.yaml, no amr (issue 12).
    tokens[name] = a.client
      ? await t.app.demo!.issuer.mint({ sub: a.sub, roles: [], clientId: a.client })
      : await t.token(a.sub, a.role, a.department);
  }
  bsn = t.app.demo!.municipality.wellKnown.residentBsn;
  geslachtsnaam = t.app.demo!.municipality.personByBsn(bsn)!.geslachtsnaam;
});
afterAll(() => t.close());

const unsupported = (operation: string, expected: Outcome): never => {
  throw new Error(`the matrix has no meaning for ${expected} on ${operation}`);
};

/**
 * A mutation cell: on `allowed` no errors and the change visible in `state`; on a refusal the
 * error code at the mutation and `state` exactly as before.
 */
async function mutation<S>(
  operation: Operation,
  document: string,
  variables: Record<string, unknown>,
  state: () => Promise<S>,
  changed: (after: S, before: S) => void,
): Promise<Cell> {
  const before = await state();
  return {
    run: (token) => t.gql(token, `mutation${document}`, variables),
    async verify(expected, r) {
      const after = await state();
      if (expected === "allowed") {
        expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
        changed(after, before);
        return;
      }
      if (expected !== "FORBIDDEN" && expected !== "NOT_FOUND") unsupported(operation, expected);
      expect.soft(errorCodes(r)).toEqual({ [operation]: expected });
      expect.soft(r.data ?? null).toBeNull();
      expect(after, "a refused call changes nothing").toEqual(before);
    },
  };
}

/** Judges one outcome of a query cell; `code` is the expected outcome itself. */
type Judge = (r: GqlResult, code: Outcome) => void;

/** A refusal: exactly one error, with the expected code, at `path`, and `data` as the rest of the answer. */
const refusedAt =
  (path: string, data: unknown): Judge =>
  (r, code) => {
    expect(errorCodes(r)).toEqual({ [path]: code });
    expect(r.data ?? null).toEqual(data);
  };
/** The case is refused as if it did not exist. */
const caseHidden = refusedAt("case", { case: null });

/** A query cell, judged by the judge for the expected outcome (an outcome it has none for is a mistake). */
function query(
  document: string,
  variables: Record<string, unknown>,
  judges: Partial<Record<Outcome, Judge>>,
): Cell {
  return {
    run: (token) => t.gql(token, document, variables),
    async verify(expected, r) {
      const judge = judges[expected] ?? unsupported(document, expected);
      judge(r, expected);
    },
  };
}

type Check = CaseSnapshot["checks"][number];
const checkOf = (s: CaseSnapshot, id: string): Check => s.checks.find((c) => c.id === id)!;

/**
 * The check mutations: the stage a fresh check is brought to first, the call's arguments, and the
 * step, status and approval it leaves. A second opinion changes no status and no approval.
 */
const CHECK_STEPS = {
  advisePrivacyCheck: {
    stage: "requested",
    args: `advice: GO, motivation: "Proportionate."`,
    step: "advised",
    status: "APPROVED",
    approved: ["geboorte.datum"],
  },
  escalatePrivacyCheck: {
    stage: "rejected",
    args: `motivation: "The plan needs it."`,
    step: "escalated",
    status: "ESCALATED",
    approved: [],
  },
  decidePrivacyCheck: {
    stage: "escalated",
    args: `decision: GO, motivation: "Proportionate after all."`,
    step: "decided",
    status: "APPROVED",
    approved: ["geboorte.datum"],
  },
  revokePrivacyCheck: {
    stage: "approved",
    args: `motivation: "The plan was dropped."`,
    step: "revoked",
    status: "REVOKED",
    approved: [],
  },
  requestSecondOpinion: {
    stage: "approved",
    args: `motivation: "Is this proportionate?"`,
    step: "opinion_requested",
    status: "APPROVED",
    approved: ["geboorte.datum"],
  },
  giveSecondOpinion: {
    stage: "opinion_requested",
    args: `opinion: GO, motivation: "Proportionate."`,
    step: "opinion_given",
    status: "APPROVED",
    approved: ["geboorte.datum"],
  },
} as const satisfies Partial<
  Record<
    Operation,
    { stage: CheckStage; args: string; step: string; status: string; approved: readonly string[] }
  >
>;

/** A check mutation on a fresh check (in a fresh shared case) brought to the step's stage first. */
const onCheck =
  (operation: keyof typeof CHECK_STEPS) =>
  async (actor: ActorName): Promise<Cell> => {
    const { stage, args, step, status, approved } = CHECK_STEPS[operation];
    const { caseId } = await wf.sharedCase(bsn, "vergunningen");
    const id = await wf.checkIn(caseId, stage);
    return mutation(
      operation,
      `($id: ID!) { ${operation}(id: $id, ${args}) { status } }`,
      { id },
      () => wf.snapshot(caseId),
      (after, before) => {
        const was = checkOf(before, id);
        expect(checkOf(after, id)).toEqual({
          ...was,
          status,
          approvedFields: approved,
          history: [...was.history, { kind: step, actor: ACTORS[actor].sub }],
        });
        // Nothing else in the case changed.
        expect({ ...after, checks: after.checks.filter((c) => c.id !== id) }).toEqual({
          ...before,
          checks: before.checks.filter((c) => c.id !== id),
        });
      },
    );
  };

/**
 * A fresh flagged event in a new intake case: three birth dates verified, the third refused by
 * VERIFY_MAX_CHANGES (1) and flagged verifyChanges. Its id and case.
 */
async function flaggedEvent(): Promise<{ id: string; caseId: string }> {
  const { caseId } = await wf.caseIn("intake", [`persoon:${bsn}`]);
  // One request each: a refused verify nulls its parent, and graphql-js then answers without
  // waiting for its siblings, whose records would land after the answer (and in the next cell).
  for (const geboortedatum of ["1901-01-01", "1901-01-02", "1901-01-03"])
    await t.gql(
      tokens.analyst,
      `query($id: ID!, $bsn: String!, $d: String!) { case(id: $id) { persoon(bsn: $bsn) {
        verify(input: { geboortedatum: $d }) { overall } } } }`,
      { id: caseId, bsn, d: geboortedatum },
    );
  const [row] = await t.app.db.query<{ id: string }>(
    "SELECT id FROM audit_log WHERE case_id = $1 AND detail ->> 'flag' = 'verifyChanges' ORDER BY seq LIMIT 1",
    [caseId],
  );
  return { id: row!.id, caseId };
}

/** Destruction records the destructionRecords cells wrote, one minute apart. */
let destructionsWritten = 0;

const CELLS: Record<Operation, (actor: ActorName) => Promise<Cell>> = {
  policyVersions: async () =>
    query(
      `{ policyVersions { version hash author inForce } }`,
      {},
      {
        allowed: (r) =>
          expect(dataOf<{ version: number; inForce: boolean }[]>(r, "policyVersions").at(-1)).toEqual({
            version: 1,
            hash: t.app.policy.hash,
            author: "system",
            inForce: true,
          }),
        FORBIDDEN: refusedAt("policyVersions", null),
      },
    ),

  // Published at start-up today: the first evaluation is a year away, so none is due.
  policyEvaluationsDue: async () =>
    query(
      `{ policyEvaluationsDue { version dueOn } }`,
      {},
      {
        allowed: (r) => expect(dataOf(r, "policyEvaluationsDue")).toEqual([]),
        FORBIDDEN: refusedAt("policyEvaluationsDue", null),
      },
    ),

  recordPolicyEvaluation: async () =>
    mutation(
      "recordPolicyEvaluation",
      `{ recordPolicyEvaluation(motivation: "Evaluated with the FG.") { version evaluatedBy } }`,
      {},
      () => t.app.db.query<{ n: number }>("SELECT count(*)::int AS n FROM policy_evaluations"),
      (after, before) => expect(after[0]!.n).toBe(before[0]!.n + 1),
    ),

  flaggedEvents: async () => {
    const { id, caseId } = await flaggedEvent();
    return query(
      // The refusals' flag: the cells' verifications and refusals also make patterns (issue 13).
      `query($c: ID!) { flaggedEvents(caseId: $c, flag: "verifyChanges") { id flag caseId actor } }`,
      { c: caseId },
      {
        allowed: (r) =>
          expect(dataOf(r, "flaggedEvents")).toEqual([
            { id, flag: "verifyChanges", caseId, actor: ACTORS.analyst.sub },
          ]),
        FORBIDDEN: refusedAt("flaggedEvents", null),
      },
    );
  },

  auditLog: async () => {
    const { id, caseId } = await flaggedEvent();
    return query(
      `query($c: ID!) { auditLog(filter: { caseId: $c, decision: "deny" }) { records { id caseId decision } } }`,
      { c: caseId },
      {
        allowed: (r) => {
          const records = dataOf<{ records: { id: string; caseId: string; decision: string }[] }>(
            r,
            "auditLog",
          ).records;
          expect(records.map((x) => x.id)).toContain(id);
          expect(records.every((x) => x.caseId === caseId && x.decision === "deny")).toBe(true);
        },
        FORBIDDEN: refusedAt("auditLog", null),
      },
    );
  },

  destructionRecords: async () => {
    // An expiry of audit records (no case), as the purge writes it; the page of its minute finds it.
    const n = ++destructionsWritten;
    const id = `matrix-destruction-${n}`;
    const at = new Date(Date.UTC(2031, 0, 1, 0, n));
    await destructionRecords.insert(t.app.db, {
      id,
      runId: "matrix-run",
      caseId: null,
      destroyedAt: at,
      dueAt: at,
      rule: "audit records: P1Y",
      legalBasis: "Delft art. 7d",
      method: "tombstones",
      categories: ["audit subject references, staff ids and details"],
      counts: { audit_log: 3 },
      protocolId: "matrix",
      policyHash: "matrix",
    });
    const to = new Date(at.getTime() + 60_000).toISOString();
    return query(
      `query($f: String, $t: String) { destructionRecords(from: $f, to: $t) { records { id counts { table rows } } } }`,
      { f: at.toISOString(), t: to },
      {
        allowed: (r) =>
          expect(dataOf<{ records: unknown[] }>(r, "destructionRecords").records).toEqual([
            { id, counts: [{ table: "audit_log", rows: 3 }] },
          ]),
        FORBIDDEN: refusedAt("destructionRecords", null),
      },
    );
  },

  policyDiff: async () =>
    query(
      `{ policyDiff(from: "current", to: "files") { from { ref } to { ref } changes { id } cells { role } } }`,
      {},
      {
        allowed: (r) =>
          expect(dataOf(r, "policyDiff")).toEqual({
            from: { ref: "current" },
            to: { ref: "files" },
            changes: [],
            cells: [],
          }),
        FORBIDDEN: refusedAt("policyDiff", null),
      },
    ),

  policyReplay: async () =>
    query(
      `{ policyReplay(candidate: "current", from: "2020-01-01", to: "2099-12-31") {
        candidate { ref } allowToDeny denyToAllow flips { item } } }`,
      {},
      {
        allowed: (r) =>
          expect(dataOf(r, "policyReplay")).toEqual({
            candidate: { ref: "current" },
            allowToDeny: 0,
            denyToAllow: 0,
            flips: [],
          }),
        FORBIDDEN: refusedAt("policyReplay", null),
      },
    ),

  reviewFlaggedEvent: async (actor) => {
    const { id } = await flaggedEvent();
    return mutation(
      "reviewFlaggedEvent",
      `($id: ID!) { reviewFlaggedEvent(id: $id, note: "Corrected signal; no further action.") { reviewed } }`,
      { id },
      () =>
        t.app.db.query<{ actor: string; note: string }>(
          `SELECT actor, detail ->> 'note' AS note FROM audit_log
            WHERE kind = 'review' AND decision = 'allow' AND detail ->> 'reviews' = $1`,
          [id],
        ),
      (after) =>
        expect(after).toEqual([{ actor: ACTORS[actor].sub, note: "Corrected signal; no further action." }]),
    );
  },

  openCase: async (actor) => {
    const reference = wf.newReference();
    return mutation(
      "openCase",
      `($r: String!) { openCase(input: { reference: $r, motivation: "Signal received." }) { id } }`,
      { r: reference },
      () => wf.casesNamed(reference),
      (after) => expect(after).toEqual([{ id: expect.any(String), owner: ACTORS[actor].sub }]),
    );
  },

  registerSignal: async (actor) => {
    const reference = wf.newReference();
    return mutation(
      "registerSignal",
      `($r: String!) { registerSignal(input: { reference: $r, motivation: "Signal received.",
        subjects: ["persoon:${bsn}"] }) { case { id } } }`,
      { r: reference },
      () => wf.casesNamed(reference),
      (after) => expect(after).toEqual([{ id: expect.any(String), owner: ACTORS[actor].sub }]),
    );
  },

  addCaseSubject: async (actor) => {
    const department = actor === "departmentMember";
    const { caseId } = department ? await wf.sharedCase(bsn, "vergunningen") : await wf.caseIn("intake");
    const subjects = async () =>
      (
        await t.app.db.query<{ subject_key: string }>(
          "SELECT subject_key FROM case_subjects WHERE case_id = $1 ORDER BY subject_key",
          [caseId],
        )
      ).map((r) => r.subject_key);
    return mutation(
      "addCaseSubject",
      `($id: ID!) { addCaseSubject(id: $id, subject: "onderneming:88888888", motivation: "Named by a partner.") { id } }`,
      { id: caseId },
      subjects,
      (after, before) => expect(after).toEqual([...before, "onderneming:88888888"].sort()),
    );
  },

  transitionCase: async (actor) => {
    // A department member sees only a case in regie, which has no onward move in this protocol:
    // whatever it tries must be refused for its role before the protocol is even asked.
    const department = actor === "departmentMember";
    const { caseId } = department ? await wf.sharedCase(bsn, "vergunningen") : await wf.caseIn("intake");
    return mutation(
      "transitionCase",
      `($id: ID!, $to: String!) { transitionCase(id: $id, to: $to, motivation: "Next phase.") { phase } }`,
      { id: caseId, to: department ? "bronnenonderzoek" : "weging" },
      () => wf.snapshot(caseId),
      (after) => expect(after.phase).toBe("weging"),
    );
  },

  closeCase: async () => {
    const { caseId } = await wf.sharedCase(bsn, "vergunningen");
    return mutation(
      "closeCase",
      `($id: ID!) { closeCase(id: $id, outcome: "afgerond", motivation: "Plan carried out.") { status } }`,
      { id: caseId },
      () => wf.snapshot(caseId),
      (after) => expect(after).toMatchObject({ phase: "afgesloten", status: "CLOSED", outcome: "afgerond" }),
    );
  },

  acknowledgeSignalReceipt: async () => {
    const opened = await t.gql(
      tokens.analyst,
      `mutation($r: String!) { openCase(input: { reference: $r, motivation: "Signal received.",
        reporter: { name: "A. Melder", contact: "a.melder@example.nl" } }) { id } }`,
      { r: `MATRIX-ACK-${++acknowledged}` },
    );
    const caseId = (opened.data as { openCase: { id: string } }).openCase.id;
    const reporter = async () =>
      (
        await t.app.db.query<{ destroyed: boolean }>(
          "SELECT destroyed_at IS NOT NULL AS destroyed FROM signal_reporters WHERE case_id = $1",
          [caseId],
        )
      )[0];
    return mutation(
      "acknowledgeSignalReceipt",
      `($id: ID!) { acknowledgeSignalReceipt(id: $id) { id } }`,
      { id: caseId },
      reporter,
      (after) => expect(after).toEqual({ destroyed: true }),
    );
  },

  recordWeighing: async (actor) => {
    // A department member sees only a case in regie: its role lacks case.weigh, refused before the
    // phase is even asked.
    const { caseId } =
      actor === "departmentMember" ? await wf.sharedCase(bsn, "vergunningen") : await wf.caseIn("weging");
    const answers = () =>
      t.app.db.query<{ step: string; answer: string }>(
        "SELECT step, answer FROM weighing_answers WHERE case_id = $1 ORDER BY seq",
        [caseId],
      );
    return mutation(
      "recordWeighing",
      `($id: ID!) { recordWeighing(id: $id, answers: [{ step: "betrokkenen", answer: "netwerk" }],
        motivation: "Step 2 weighed.") { id } }`,
      { id: caseId },
      async () => ({ ...(await wf.snapshot(caseId)), answers: await answers() }),
      (after, before) =>
        expect(after).toEqual({
          ...before,
          answers: [...before.answers, { step: "betrokkenen", answer: "netwerk" }],
        }),
    );
  },

  assignCase: async () => {
    const { caseId } = await wf.sharedCase(bsn, "vergunningen");
    const staff = async () =>
      (
        await t.app.db.query<{ owner: string; substitute: string | null }>(
          "SELECT owner, substitute FROM cases WHERE id = $1",
          [caseId],
        )
      )[0];
    return mutation(
      "assignCase",
      `($id: ID!) { assignCase(id: $id, owner: "analist.bakker", substitute: "analist.devries",
        motivation: "Reassigned.") { owner } }`,
      { id: caseId },
      async () => ({ ...(await wf.snapshot(caseId)), staff: await staff() }),
      (after, before) =>
        expect(after).toEqual({
          ...before,
          staff: { owner: "analist.bakker", substitute: "analist.devries" },
        }),
    );
  },

  requestPrivacyCheck: async (actor) => {
    const { caseId } = await wf.sharedCase(bsn, "vergunningen");
    return mutation(
      "requestPrivacyCheck",
      `($id: ID!) { requestPrivacyCheck(input: { caseId: $id, kind: CHECK_2A, source: "brp",
        fields: ["geboorte.datum"], motivation: "Needed for the plan." }) { id } }`,
      { id: caseId },
      () => wf.snapshot(caseId),
      (after, before) => {
        expect(after.checks).toHaveLength(before.checks.length + 1);
        const added = after.checks.find((c) => !before.checks.some((b) => b.id === c.id))!;
        expect(added).toMatchObject({
          status: "REQUESTED",
          history: [{ kind: "requested", actor: ACTORS[actor].sub }],
        });
      },
    );
  },

  advisePrivacyCheck: onCheck("advisePrivacyCheck"),
  escalatePrivacyCheck: onCheck("escalatePrivacyCheck"),
  decidePrivacyCheck: onCheck("decidePrivacyCheck"),
  revokePrivacyCheck: onCheck("revokePrivacyCheck"),
  requestSecondOpinion: onCheck("requestSecondOpinion"),
  giveSecondOpinion: onCheck("giveSecondOpinion"),

  case: async () => {
    const { caseId, reference } = await wf.sharedCase(bsn, "vergunningen");
    return query(
      `query($id: ID!) { case(id: $id) { id reference phase } }`,
      { id: caseId },
      {
        allowed: (r) => expect(dataOf(r, "case")).toEqual({ id: caseId, reference, phase: "regie" }),
        NOT_FOUND: caseHidden,
      },
    );
  },

  cases: async () => {
    const { caseId } = await wf.sharedCase(bsn, "vergunningen");
    const ids = (r: GqlResult) => dataOf<{ id: string }[]>(r, "cases").map((c) => c.id);
    return query(
      `{ cases { id } }`,
      {},
      {
        listed: (r) => expect(ids(r)).toContain(caseId),
        unlisted: (r) => expect(ids(r)).not.toContain(caseId),
      },
    );
  },

  "case.privacyChecks": async () => {
    const { caseId, shareCheckId } = await wf.sharedCase(bsn, "vergunningen");
    const checks = (r: GqlResult) => dataOf<{ privacyChecks: { id: string }[] }>(r, "case").privacyChecks;
    return query(
      `query($id: ID!) { case(id: $id) { privacyChecks { id } } }`,
      { id: caseId },
      {
        listed: (r) => expect(checks(r)).toEqual([{ id: shareCheckId }]),
        empty: (r) => expect(checks(r)).toEqual([]),
        NOT_FOUND: caseHidden,
      },
    );
  },

  "case.persoon.brp": async () => {
    const { caseId } = await wf.sharedCase(bsn, "vergunningen");
    // Not one registry value in a refusal.
    const withoutValues = (judge: Judge) => (r: GqlResult, code: Outcome) => {
      expect(JSON.stringify(r)).not.toContain(geslachtsnaam);
      judge(r, code);
    };
    return query(
      `query($id: ID!, $bsn: String!) {
        case(id: $id) { persoon(bsn: $bsn) { brp { naam { geslachtsnaam } } } } }`,
      { id: caseId, bsn },
      {
        allowed: (r) => expect(dataOf(r, "case")).toEqual({ persoon: { brp: { naam: { geslachtsnaam } } } }),
        FORBIDDEN: withoutValues(refusedAt("case.persoon.brp", { case: { persoon: { brp: null } } })),
        NOT_FOUND: withoutValues(caseHidden),
      },
    );
  },

  pendingPrivacyChecks: async () => {
    const { caseId } = await wf.sharedCase(bsn, "vergunningen");
    const queues = {
      "queue:advice": await wf.checkIn(caseId, "requested"),
      "queue:decision": await wf.checkIn(caseId, "escalated"),
      "queue:opinion": await wf.checkIn(caseId, "opinion_requested"),
    };
    const ids = (r: GqlResult) => dataOf<{ id: string }[]>(r, "pendingPrivacyChecks").map((c) => c.id);
    // Of this cell's three checks, exactly the one waiting for the caller.
    const holds = (queue: keyof typeof queues) => (r: GqlResult) =>
      expect(ids(r).filter((id) => Object.values(queues).includes(id))).toEqual([queues[queue]]);
    return query(
      `{ pendingPrivacyChecks { id } }`,
      {},
      {
        empty: (r) => expect(ids(r)).toEqual([]),
        "queue:advice": holds("queue:advice"),
        "queue:decision": holds("queue:decision"),
        "queue:opinion": holds("queue:opinion"),
      },
    );
  },

  fgReport: async () =>
    query(
      `query($y: Int!) { fgReport(year: $y) { year checks { total { requested } } } }`,
      { y: year },
      {
        allowed: (r) => {
          const report = dataOf<{ year: number; checks: { total: { requested: number } } }>(r, "fgReport");
          expect(report.year).toBe(year);
          expect(report.checks.total.requested).toBeGreaterThan(0);
        },
        FORBIDDEN: refusedAt("fgReport", null),
      },
    ),

  dpiaSample: async () =>
    query(
      `query($y: Int!) { dpiaSample(year: $y, seed: "matrix") { year seed size deviations entries { drawnFor } } }`,
      { y: year },
      {
        allowed: (r) => {
          const sample = dataOf<{
            year: number;
            seed: string;
            size: number;
            deviations: number;
            entries: { drawnFor: string[] }[];
          }>(r, "dpiaSample");
          expect(sample).toMatchObject({ year, seed: "matrix" });
          expect(sample.size).toBeGreaterThan(0);
          // The random draw, plus every check with a deviating decision (Delft art. 9c).
          expect(sample.entries.filter((e) => e.drawnFor.includes("random"))).toHaveLength(sample.size);
          expect(sample.entries.filter((e) => e.drawnFor.includes("deviation"))).toHaveLength(
            sample.deviations,
          );
        },
        FORBIDDEN: refusedAt("dpiaSample", null),
      },
    ),

  explain: async () => {
    const { caseId } = await wf.sharedCase(bsn, "vergunningen");
    return query(
      `query($id: ID!) { explain(caseId: $id, role: "analyst", source: "brp", field: "naam.geslachtsnaam") {
        phase mode decisions { about allowed } } }`,
      { id: caseId },
      {
        allowed: (r) =>
          expect(dataOf(r, "explain")).toEqual({
            phase: "regie",
            mode: "fields",
            decisions: [
              { about: "mode of brp", allowed: true },
              { about: "field brp.naam.geslachtsnaam", allowed: true },
            ],
          }),
        FORBIDDEN: refusedAt("explain", null),
        NOT_FOUND: refusedAt("explain", null),
      },
    );
  },
};

const MATRIX = (Object.keys(EXPECTED) as Operation[]).flatMap((operation) =>
  COLUMNS.map((actor, i) => ({ operation, actor, expected: EXPECTED[operation][i]! })),
);

describe("role x action matrix of the workflow (issue 4)", () => {
  it("has a row for every query and mutation of the schema except me and protocol", () => {
    const schema = buildSchema();
    const roots = [schema.getQueryType()!, schema.getMutationType()!].flatMap((type) =>
      Object.keys(type.getFields()),
    );
    const rows = new Set<string>(Object.keys(EXPECTED).map((op) => op.split(".")[0]!));
    expect(roots.filter((f) => !rows.has(f) && !NOT_WORKFLOW.includes(f))).toEqual([]);
    expect([...rows].filter((op) => !roots.includes(op))).toEqual([]);
  });

  it.each(MATRIX)("$operation as $actor: $expected", async ({ operation, actor, expected }) => {
    const cell = await CELLS[operation](actor);
    const before = await lastSeq(t.app.db);
    const result = await cell.run(tokens[actor]);
    const written = await recordsAfter(t.app.db, before);
    await cell.verify(expected, result);
    // Every call, allowed or refused, is in the processing log (issue 13).
    expectAudited(expected === "FORBIDDEN" || expected === "NOT_FOUND" ? expected : "allowed", written);
  });
});

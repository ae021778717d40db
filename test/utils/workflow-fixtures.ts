import { expect } from "vitest";
import type { GqlResult, TestApp } from "./test-app.ts";
import { weighBefore } from "./weighing.ts";

/**
 * Fresh workflow state for a test, reached only through the GraphQL workflow itself: cases opened
 * and moved by their analyst, checks advised by the privacy officer. Each call makes new state, so
 * tests that use it do not depend on each other.
 */

/** Where a privacy check stands when a test starts acting on it. */
export type CheckStage = "requested" | "rejected" | "escalated" | "approved" | "opinion_requested";

/** A case in `regie` with an approved check 2a that shares a subject's name with a department. */
export interface SharedCase {
  readonly caseId: string;
  readonly reference: string;
  readonly shareCheckId: string;
}

/** A case and its checks as an actor with scope `all` and `check.read` sees them. */
export interface CaseSnapshot {
  readonly phase: string;
  readonly status: string;
  readonly outcome: string | null;
  readonly checks: readonly {
    readonly id: string;
    readonly status: string;
    readonly approvedFields: readonly string[];
    readonly history: readonly { readonly kind: string; readonly actor: string }[];
  }[];
}

export interface Workflow {
  /** A new case of `analist.jansen` about `subjects` (subject keys), moved forward until it is in `phase`. */
  caseIn(
    phase: "intake" | "weging" | "bronnenonderzoek" | "regie",
    subjects?: readonly string[],
  ): Promise<{ caseId: string; reference: string }>;
  /** A new case in `regie` whose approved check 2a shares `naam` of `bsn` with `department`. */
  sharedCase(bsn: string, department: string): Promise<SharedCase>;
  /** A new case-wide check 2a (BRP `geboorte.datum`) on the case, brought to `stage`. */
  checkIn(caseId: string, stage: CheckStage): Promise<string>;
  /** The case and its checks, read back by the coordinator. */
  snapshot(caseId: string): Promise<CaseSnapshot>;
  /** Cases with this reference, as the coordinator lists them. */
  casesNamed(reference: string): Promise<{ id: string; owner: string }[]>;
  /** A reference no case uses yet. */
  newReference(): string;
}

/** The value of `field`, after asserting the operation had no errors. */
export function dataOf<T>(r: GqlResult, field: string): T {
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return (r.data as Record<string, T>)[field]!;
}

const OPEN = `mutation($r: String!, $s: [String!]) {
  openCase(input: { reference: $r, motivation: "Signal received.", subjects: $s }) { id } }`;
const MOVE = `mutation($id: ID!, $to: String!) {
  transitionCase(id: $id, to: $to, motivation: "Next phase.") { phase } }`;
const REQUEST = `mutation($input: PrivacyCheckInput!) { requestPrivacyCheck(input: $input) { id } }`;
const ADVISE = `mutation($id: ID!, $advice: Advice!) {
  advisePrivacyCheck(id: $id, advice: $advice, motivation: "Weighed.") { status } }`;
const ESCALATE = `mutation($id: ID!) {
  escalatePrivacyCheck(id: $id, motivation: "Please reconsider.") { status } }`;
const ASK_FG = `mutation($id: ID!) { requestSecondOpinion(id: $id, motivation: "In doubt.") { status } }`;
const SNAPSHOT = `query($id: ID!) { case(id: $id) { phase status outcome
  privacyChecks { id status approvedFields history { kind actor } } } }`;

const FORWARD = ["weging", "bronnenonderzoek", "regie"] as const;

export async function createWorkflow(t: TestApp, prefix: string): Promise<Workflow> {
  const analyst = await t.token("analist.jansen", "analyst");
  const officer = await t.token("privacy.officer", "privacy_officer");
  const coordinator = await t.token("coordinator", "coordinator");
  let n = 0;
  const newReference = () => `${prefix}-${++n}`;

  const caseIn: Workflow["caseIn"] = async (phase, subjects = []) => {
    const reference = newReference();
    const caseId = dataOf<{ id: string }>(
      await t.gql(analyst, OPEN, { r: reference, s: subjects }),
      "openCase",
    ).id;
    for (const to of FORWARD) {
      if (phase === "intake") break;
      await weighBefore((q, v) => t.gql(analyst, q, v), caseId, to);
      dataOf(await t.gql(analyst, MOVE, { id: caseId, to }), "transitionCase");
      if (to === phase) break;
    }
    return { caseId, reference };
  };

  const request = async (input: Record<string, unknown>) =>
    dataOf<{ id: string }>(
      await t.gql(analyst, REQUEST, { input: { motivation: "Needed for the plan.", ...input } }),
      "requestPrivacyCheck",
    ).id;
  const advise = async (id: string, advice: "GO" | "NO_GO") =>
    dataOf(await t.gql(officer, ADVISE, { id, advice }), "advisePrivacyCheck");

  return {
    newReference,
    caseIn,

    async sharedCase(bsn, department) {
      const { caseId, reference } = await caseIn("regie", [`persoon:${bsn}`]);
      const shareCheckId = await request({
        caseId,
        kind: "CHECK_2A",
        source: "brp",
        fields: ["naam"],
        subjects: [`persoon:${bsn}`],
        recipients: [department],
      });
      await advise(shareCheckId, "GO");
      return { caseId, reference, shareCheckId };
    },

    async checkIn(caseId, stage) {
      const id = await request({ caseId, kind: "CHECK_2A", source: "brp", fields: ["geboorte.datum"] });
      if (stage === "requested") return id;
      await advise(id, stage === "rejected" || stage === "escalated" ? "NO_GO" : "GO");
      if (stage === "escalated") dataOf(await t.gql(analyst, ESCALATE, { id }), "escalatePrivacyCheck");
      if (stage === "opinion_requested") dataOf(await t.gql(analyst, ASK_FG, { id }), "requestSecondOpinion");
      return id;
    },

    async snapshot(caseId) {
      const c = dataOf<{
        phase: string;
        status: string;
        outcome: string | null;
        privacyChecks: CaseSnapshot["checks"];
      }>(await t.gql(coordinator, SNAPSHOT, { id: caseId }), "case");
      return { phase: c.phase, status: c.status, outcome: c.outcome, checks: c.privacyChecks };
    },

    async casesNamed(reference) {
      const all = dataOf<{ id: string; reference: string; owner: string }[]>(
        await t.gql(coordinator, `{ cases { id reference owner } }`),
        "cases",
      );
      return all.filter((c) => c.reference === reference).map(({ id, owner }) => ({ id, owner }));
    },
  };
}

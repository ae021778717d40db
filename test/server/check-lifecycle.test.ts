import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCodes, startTestApp, type TestApp } from "../utils/test-app.ts";
import { weighBefore } from "../utils/weighing.ts";

/**
 * After the advice (Delft art. 16-20): escalation by the analyst, the coordinator's decision with
 * a recorded deviation, revocation — and what each does to the case's access, at once.
 */
let t: TestApp;
let analyst: string;
let officer: string;
let coordinator: string;
let foreign: string;
let bsn: string;

beforeAll(async () => {
  t = await startTestApp();
  analyst = await t.token("analist.jansen", "analyst");
  officer = await t.token("privacy.officer", "privacy_officer");
  coordinator = await t.token("coordinator", "coordinator");
  foreign = await t.token("analist.bakker", "analyst");
  bsn = t.app.demo!.municipality.wellKnown.residentBsn;
});
afterAll(() => t.close());

const ok = <T>(r: { data?: unknown; errors?: unknown }, field: string): T => {
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return (r.data as Record<string, T>)[field]!;
};

async function caseInRegie(reference: string): Promise<string> {
  const opened = await t.gql(
    analyst,
    `mutation($r: String!, $s: [String!]) { openCase(input: { reference: $r, motivation: "Signal.", subjects: $s }) { id } }`,
    { r: reference, s: [`persoon:${bsn}`] },
  );
  const id = ok<{ id: string }>(opened, "openCase").id;
  for (const to of ["weging", "bronnenonderzoek", "regie"]) {
    await weighBefore((q, v) => t.gql(analyst, q, v), id, to);
    ok(
      await t.gql(
        analyst,
        `mutation($id: ID!, $to: String!) { transitionCase(id: $id, to: $to, motivation: "Next.") { phase } }`,
        {
          id,
          to,
        },
      ),
      "transitionCase",
    );
  }
  return id;
}

async function requestAndAdvisePartial(caseId: string): Promise<string> {
  const requested = await t.gql(
    analyst,
    `mutation($id: ID!) { requestPrivacyCheck(input: { caseId: $id, kind: CHECK_2A, source: "brp",
      fields: ["naam.geslachtsnaam", "geboorte.datum"], motivation: "Needed for the plan." }) { id } }`,
    { id: caseId },
  );
  const checkId = ok<{ id: string }>(requested, "requestPrivacyCheck").id;
  ok(
    await t.gql(
      officer,
      `mutation($id: ID!) { advisePrivacyCheck(id: $id, advice: PARTIAL, approvedFields: ["naam.geslachtsnaam"],
        motivation: "The birth date is not needed for this plan.") { status } }`,
      { id: checkId },
    ),
    "advisePrivacyCheck",
  );
  return checkId;
}

const READ = `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { brp { naam { geslachtsnaam } geboorte { datum { datum } } } } } }`;
async function readable(caseId: string): Promise<string[]> {
  const r = await t.gql(analyst, READ, { id: caseId, bsn });
  const denied = Object.keys(errorCodes(r));
  return ["naam.geslachtsnaam", "geboorte.datum"].filter(
    (f) =>
      !denied.some((p) => p === "case.persoon.brp" || p.startsWith(`case.persoon.brp.${f.split(".")[0]}`)),
  );
}

describe("escalation and the coordinator's decision", () => {
  it("escalation stops the access; a deviating decision is recorded, audited and takes effect", async () => {
    const caseId = await caseInRegie("LIFE-1");
    const checkId = await requestAndAdvisePartial(caseId);
    expect(await readable(caseId)).toEqual(["naam.geslachtsnaam"]);

    const escalated = await t.gql(
      analyst,
      `mutation($id: ID!) { escalatePrivacyCheck(id: $id, motivation: "The birth date tells namesakes apart.") { status } }`,
      { id: checkId },
    );
    expect(ok<{ status: string }>(escalated, "escalatePrivacyCheck").status).toBe("ESCALATED");
    expect(await readable(caseId)).toEqual([]);

    const queue = await t.gql(coordinator, `{ pendingPrivacyChecks { id status } }`);
    expect(ok<{ id: string; status: string }[]>(queue, "pendingPrivacyChecks")).toContainEqual({
      id: checkId,
      status: "ESCALATED",
    });

    const decided = await t.gql(
      coordinator,
      `mutation($id: ID!) { decidePrivacyCheck(id: $id, decision: GO, motivation: "Identification needs both; proportionate.") {
        status approvedFields history { kind actor advice fields deviation motivation } } }`,
      { id: checkId },
    );
    const check = ok<{
      status: string;
      approvedFields: string[];
      history: { kind: string; actor: string; advice: string | null; deviation: boolean }[];
    }>(decided, "decidePrivacyCheck");
    expect(check.status).toBe("APPROVED");
    expect(check.approvedFields).toEqual(["geboorte.datum", "naam.geslachtsnaam"]);
    expect(check.history.map((s) => [s.kind, s.actor, s.advice, s.deviation])).toEqual([
      ["requested", "analist.jansen", null, false],
      ["advised", "privacy.officer", "PARTIAL", false],
      ["escalated", "analist.jansen", null, false],
      ["decided", "coordinator", "GO", true],
    ]);
    expect(await readable(caseId)).toEqual(["naam.geslachtsnaam", "geboorte.datum"]);

    const audit = await t.app.audit.list({ caseId, kind: "privacy_check" });
    expect(audit.map((r) => r.operation)).toEqual([
      "check.request",
      "check.advise",
      "check.escalate",
      "check.decide",
    ]);
    expect(audit.at(-1)?.detail).toMatchObject({ checkId, decision: "GO", deviation: true });
  });

  it("a decision that follows the advice is no deviation", async () => {
    const caseId = await caseInRegie("LIFE-2");
    const checkId = await requestAndAdvisePartial(caseId);
    await t.gql(
      analyst,
      `mutation($id: ID!) { escalatePrivacyCheck(id: $id, motivation: "Please reconsider.") { status } }`,
      {
        id: checkId,
      },
    );
    const decided = await t.gql(
      coordinator,
      `mutation($id: ID!) { decidePrivacyCheck(id: $id, decision: PARTIAL, approvedFields: ["naam.geslachtsnaam"],
        motivation: "The advice stands.") { status history { kind deviation } } }`,
      { id: checkId },
    );
    const check = ok<{ status: string; history: { kind: string; deviation: boolean }[] }>(
      decided,
      "decidePrivacyCheck",
    );
    expect(check.status).toBe("PARTIALLY_APPROVED");
    expect(check.history.at(-1)).toEqual({ kind: "decided", deviation: false });
    expect(await readable(caseId)).toEqual(["naam.geslachtsnaam"]);
  });
});

describe("revocation", () => {
  it("ends the access at once and is kept in the history", async () => {
    const caseId = await caseInRegie("LIFE-3");
    const checkId = await requestAndAdvisePartial(caseId);
    expect(await readable(caseId)).toEqual(["naam.geslachtsnaam"]);
    const revoked = await t.gql(
      officer,
      `mutation($id: ID!) { revokePrivacyCheck(id: $id, motivation: "The plan was dropped.") { status approvedFields history { kind } } }`,
      { id: checkId },
    );
    expect(ok(revoked, "revokePrivacyCheck")).toEqual({
      status: "REVOKED",
      approvedFields: [],
      history: [{ kind: "requested" }, { kind: "advised" }, { kind: "revoked" }],
    });
    expect(await readable(caseId)).toEqual([]);
  });
});

describe("second opinion of the FG", () => {
  it("anyone involved asks, the FG answers, nothing about the check's approval changes", async () => {
    const fg = await t.token("fg", "dpo");
    const caseId = await caseInRegie("LIFE-FG");
    const checkId = await requestAndAdvisePartial(caseId);
    const asked = await t.gql(
      analyst,
      `mutation($id: ID!) { requestSecondOpinion(id: $id, motivation: "Is the partial advice right?") { status } }`,
      { id: checkId },
    );
    expect(ok(asked, "requestSecondOpinion")).toEqual({ status: "PARTIALLY_APPROVED" });
    const again = await t.gql(
      officer,
      `mutation($id: ID!) { requestSecondOpinion(id: $id, motivation: "Me too.") { status } }`,
      {
        id: checkId,
      },
    );
    expect(again.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const queue = await t.gql(fg, `{ pendingPrivacyChecks { id } }`);
    expect(ok<{ id: string }[]>(queue, "pendingPrivacyChecks")).toContainEqual({ id: checkId });
    const notFg = await t.gql(
      coordinator,
      `mutation($id: ID!) { giveSecondOpinion(id: $id, opinion: GO, motivation: "Fine.") { status } }`,
      {
        id: checkId,
      },
    );
    // The coordinator may read the check, so the refusal says only that the step is not theirs.
    expect(notFg.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const given = await t.gql(
      fg,
      `mutation($id: ID!) { giveSecondOpinion(id: $id, opinion: PARTIAL, motivation: "The advice is proportionate.") {
        status approvedFields history { kind actor advice } } }`,
      { id: checkId },
    );
    expect(ok(given, "giveSecondOpinion")).toEqual({
      status: "PARTIALLY_APPROVED",
      approvedFields: ["naam.geslachtsnaam"],
      history: [
        { kind: "requested", actor: "analist.jansen", advice: null },
        { kind: "advised", actor: "privacy.officer", advice: "PARTIAL" },
        { kind: "opinion_requested", actor: "analist.jansen", advice: null },
        { kind: "opinion_given", actor: "fg", advice: "PARTIAL" },
      ],
    });
    expect(
      ok<{ id: string }[]>(await t.gql(fg, `{ pendingPrivacyChecks { id } }`), "pendingPrivacyChecks"),
    ).not.toContainEqual({
      id: checkId,
    });
    expect(await readable(caseId)).toEqual(["naam.geslachtsnaam"]);
    const audit = await t.app.audit.list({ caseId, kind: "privacy_check" });
    expect(audit.filter((r) => r.decision === "allow").map((r) => r.operation)).toEqual([
      "check.request",
      "check.advise",
      "check.opinion_request",
      "check.opinion",
    ]);
    // The coordinator's refused attempt is in the log too.
    expect(audit.filter((r) => r.decision === "deny").map((r) => r.operation)).toEqual(["check.opinion"]);
  });

  it("a foreign analyst cannot ask for one", async () => {
    const caseId = await caseInRegie("LIFE-FG-2");
    const checkId = await requestAndAdvisePartial(caseId);
    const r = await t.gql(
      foreign,
      `mutation($id: ID!) { requestSecondOpinion(id: $id, motivation: "Curious.") { status } }`,
      {
        id: checkId,
      },
    );
    expect(r.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });
});

let roleCase = 0;
describe("who may do what", () => {
  it.each([
    [
      "a foreign analyst escalates",
      () => foreign,
      `escalatePrivacyCheck(id: $id, motivation: "Mine now.")`,
      "NOT_FOUND",
    ],
    [
      "the analyst decides",
      () => analyst,
      `decidePrivacyCheck(id: $id, decision: GO, motivation: "Self-approved.")`,
      "FORBIDDEN",
    ],
    ["the analyst revokes", () => analyst, `revokePrivacyCheck(id: $id, motivation: "Undo.")`, "FORBIDDEN"],
    [
      "the privacy officer decides",
      () => officer,
      `decidePrivacyCheck(id: $id, decision: GO, motivation: "Fine.")`,
      "FORBIDDEN",
    ],
    [
      "the coordinator decides a check nobody escalated",
      () => coordinator,
      `decidePrivacyCheck(id: $id, decision: GO, motivation: "Fine.")`,
      "BAD_USER_INPUT",
    ],
  ])("%s: %s", async (_, who, mutation, code) => {
    const caseId = await caseInRegie(`LIFE-ROLE-${++roleCase}`);
    const checkId = await requestAndAdvisePartial(caseId);
    const r = await t.gql(who(), `mutation($id: ID!) { ${mutation} { status } }`, { id: checkId });
    expect(r.errors?.[0]?.extensions?.code).toBe(code);
    expect(await readable(caseId)).toEqual(["naam.geslachtsnaam"]);
  });
});

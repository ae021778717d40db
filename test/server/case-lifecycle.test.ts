import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caseRepository } from "../../src/cases/index.ts";
import { errorCodes, startTestApp, type TestApp } from "../utils/test-app.ts";
import { weighBefore } from "../utils/weighing.ts";

let t: TestApp;
let owner: string;
let substitute: string;
let officer: string;

beforeAll(async () => {
  t = await startTestApp();
  owner = await t.token("analist.jansen", "analyst");
  substitute = await t.token("analist.devries", "analyst");
  officer = await t.token("privacy.officer", "privacy_officer");
});
afterAll(() => t.close());

const OPEN = `mutation($ref: String!) { openCase(input: { reference: $ref, substitute: "analist.devries", motivation: "Signal received." }) { id phase status } }`;
const MOVE = `mutation($id: ID!, $to: String!) { transitionCase(id: $id, to: $to, motivation: "Per protocol.") { phase } }`;
const CLOSE = `mutation($id: ID!, $o: String!) { closeCase(id: $id, outcome: $o, motivation: "Done.") { phase status outcome closedAt } }`;

async function open(ref: string): Promise<string> {
  const r = await t.gql(owner, OPEN, { ref });
  expect(r.errors).toBeUndefined();
  return (r.data as { openCase: { id: string } }).openCase.id;
}

describe("case lifecycle", () => {
  it("closes with an outcome the protocol allows from the phase, and then refuses changes", async () => {
    const id = await open("LC-1");
    expect(errorCodes(await t.gql(owner, CLOSE, { id, o: "afgerond" }))).toEqual({
      closeCase: "PHASE_CONFLICT",
    });
    expect(errorCodes(await t.gql(owner, CLOSE, { id, o: "verzonnen" }))).toEqual({
      closeCase: "BAD_USER_INPUT",
    });
    const closed = await t.gql(substitute, CLOSE, { id, o: "ongegrond" });
    expect(closed.errors).toBeUndefined();
    expect(closed.data).toMatchObject({
      closeCase: { phase: "afgesloten", status: "CLOSED", outcome: "ongegrond" },
    });
    expect(errorCodes(await t.gql(owner, MOVE, { id, to: "weging" }))).toEqual({
      transitionCase: "PHASE_CONFLICT",
    });
    expect(errorCodes(await t.gql(owner, CLOSE, { id, o: "ongegrond" }))).toEqual({
      closeCase: "PHASE_CONFLICT",
    });
  });

  it("records every change with actor, time and motivation", async () => {
    const id = await open("LC-2");
    await t.gql(owner, MOVE, { id, to: "weging" });
    await weighBefore((q, v) => t.gql(substitute, q, v), id, "bronnenonderzoek");
    await t.gql(substitute, MOVE, { id, to: "bronnenonderzoek" });
    const r = await t.gql(
      owner,
      `query($id: ID!) { case(id: $id) { transitions { kind from to actor motivation at } allowedTransitions } }`,
      {
        id,
      },
    );
    const c = (
      r.data as {
        case: {
          transitions: { kind: string; from: string | null; to: string; actor: string; at: string }[];
          allowedTransitions: string[];
        };
      }
    ).case;
    expect(c.transitions.map((e) => [e.kind, e.from, e.to, e.actor])).toEqual([
      ["opened", null, "intake", "analist.jansen"],
      ["transitioned", "intake", "weging", "analist.jansen"],
      // The weighing checklist is part of the history (Maastricht art. 16.1, bijlage C).
      ["weighed", "weging", null, "analist.devries"],
      ["transitioned", "weging", "bronnenonderzoek", "analist.devries"],
    ]);
    for (const e of c.transitions) expect(Number.isNaN(Date.parse(e.at))).toBe(false);
    expect(c.allowedTransitions).toEqual(["regie"]);
  });

  it("lets only a privacy officer advise, and refuses a second advice", async () => {
    const id = await open("LC-3");
    for (const to of ["weging", "bronnenonderzoek", "regie"]) {
      await weighBefore((q, v) => t.gql(owner, q, v), id, to);
      await t.gql(owner, MOVE, { id, to });
    }
    const req = await t.gql(
      owner,
      `mutation($id: ID!) { requestPrivacyCheck(input: { caseId: $id, kind: CHECK_2B, source: "brp", fields: ["naam"], motivation: "Plan execution." }) { id requestedFields } }`,
      { id },
    );
    const check = (req.data as { requestPrivacyCheck: { id: string; requestedFields: string[] } })
      .requestPrivacyCheck;
    expect(check.requestedFields).toContain("naam.geslachtsnaam");
    expect(check.requestedFields.some((f) => f.includes("inOnderzoek"))).toBe(false);
    const queue = await t.gql(officer, `{ pendingPrivacyChecks { id } }`);
    expect(
      (queue.data as { pendingPrivacyChecks: { id: string }[] }).pendingPrivacyChecks.map((c) => c.id),
    ).toContain(check.id);
    const PARTIAL = `mutation($id: ID!, $f: [String!]) { advisePrivacyCheck(id: $id, advice: PARTIAL, motivation: "Only the surname is needed.", approvedFields: $f) { status approvedFields history { kind actor advice } } }`;
    expect(errorCodes(await t.gql(officer, PARTIAL, { id: check.id, f: ["geboorte.datum"] }))).toEqual({
      advisePrivacyCheck: "BAD_USER_INPUT",
    });
    const advised = await t.gql(officer, PARTIAL, { id: check.id, f: ["naam.geslachtsnaam"] });
    expect(advised.data).toEqual({
      advisePrivacyCheck: {
        status: "PARTIALLY_APPROVED",
        approvedFields: ["naam.geslachtsnaam"],
        history: [
          { kind: "requested", actor: "analist.jansen", advice: null },
          { kind: "advised", actor: "privacy.officer", advice: "PARTIAL" },
        ],
      },
    });
    expect(errorCodes(await t.gql(officer, PARTIAL, { id: check.id, f: ["naam.geslachtsnaam"] }))).toEqual({
      advisePrivacyCheck: "BAD_USER_INPUT",
    });
  });

  it("keeps history append-only in the database", async () => {
    const id = await open("LC-4");
    await expect(
      t.app.db.query("UPDATE case_events SET motivation = 'x' WHERE case_id = $1", [id]),
    ).rejects.toThrow(/append-only/);
    await expect(t.app.db.query("DELETE FROM case_events WHERE case_id = $1", [id])).rejects.toThrow(
      /append-only/,
    );
    await expect(t.app.db.query("TRUNCATE privacy_check_steps")).rejects.toThrow(/append-only/);
    expect((await caseRepository.events(t.app.db, id)).length).toBe(1);
  });

  it("refuses a duplicate reference and an empty motivation, writing nothing", async () => {
    await open("LC-5");
    const before = (await caseRepository.list(t.app.db, {})).length;
    const dup = await t.gql(owner, OPEN, { ref: "LC-5" });
    expect(errorCodes(dup)).toEqual({ openCase: "BAD_USER_INPUT" });
    // About the caller's own cases only, and without repeating the reference (issue 10).
    expect(dup.errors?.[0]?.message).toBe("reference: you already own a case with this reference.");
    const empty = await t.gql(
      owner,
      `mutation { openCase(input: { reference: "LC-6", motivation: " " }) { id } }`,
    );
    expect(errorCodes(empty)).toEqual({ openCase: "BAD_USER_INPUT" });
    expect((await caseRepository.list(t.app.db, {})).length).toBe(before);
  });

  it("does not let a privacy officer open or move cases, nor read registry data", async () => {
    const c = await t.demoCase("regie");
    expect(errorCodes(await t.gql(officer, OPEN, { ref: "LC-7" }))).toEqual({ openCase: "FORBIDDEN" });
    expect(errorCodes(await t.gql(officer, MOVE, { id: c.id, to: "afgesloten" }))).toEqual({
      transitionCase: "FORBIDDEN",
    });
    const bsn = t.app.demo!.municipality.wellKnown.residentBsn;
    const r = await t.gql(
      officer,
      `query($id: ID!, $bsn: String!) { case(id: $id) { phase persoon(bsn: $bsn) { brp { naam { geslachtsnaam } } } } }`,
      {
        id: c.id,
        bsn,
      },
    );
    expect(r.data).toEqual({ case: { phase: "regie", persoon: { brp: null } } });
    expect(errorCodes(r)).toEqual({ "case.persoon.brp": "FORBIDDEN" });
  });
});

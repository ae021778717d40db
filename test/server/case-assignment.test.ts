import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caseRepository } from "../../src/cases/index.ts";
import { startHttpApp, type HttpApp } from "../utils/http-app.ts";
import { errorCodes, type GqlResult } from "../utils/test-app.ts";

/**
 * Issue 11, staff (Maastricht art. 8.1-8.2): the beheerder designates a case's owner (RO/AVO) and
 * substitute and can reassign them; only they have access to the signal's data, so the old owner
 * loses access at once and the new owner gets it. Nobody else assigns: an analyst cannot take
 * someone else's case, nor hand their own over. Every reassignment is in the case history with
 * its motivation and in the audit log; a closed case is not reassigned.
 */
let h: HttpApp;
let beheerder: string;
/** DEMO-regie, looked up before the first test hands it to another owner. */
let regieId: string;
const resident = "924691347";

beforeAll(async () => {
  h = await startHttpApp();
  beheerder = await h.t.token("beheerder", "beheerder");
  regieId = (await h.t.demoCase("regie")).id;
});
afterAll(() => h.close());

const ASSIGN = `mutation($id: ID!, $owner: String!, $substitute: String, $motivation: String!) {
  assignCase(id: $id, owner: $owner, substitute: $substitute, motivation: $motivation) {
    id owner substitute phase
  }
}`;
const READ = `query($id: ID!, $bsn: String!) {
  case(id: $id) { id owner persoon(bsn: $bsn) { brp { naam { geslachtsnaam } } } }
}`;
const HISTORY = `query($id: ID!) {
  case(id: $id) {
    owner substitute
    transitions { kind from to actor motivation staff { fromOwner toOwner fromSubstitute toSubstitute } }
  }
}`;

const assign = (token: string, variables: Record<string, unknown>) =>
  h.post(ASSIGN, {
    token,
    variables: { motivation: "Jansen is on leave; Bakker takes over.", ...variables },
  });

const stored = async (id: string) =>
  (
    await h.t.app.db.query<{ owner: string; substitute: string | null; version: number }>(
      "SELECT owner, substitute, version FROM cases WHERE id = $1",
      [id],
    )
  )[0]!;
const events = async (id: string) =>
  (
    await h.t.app.db.query<{ n: number }>("SELECT count(*)::int AS n FROM case_events WHERE case_id = $1", [
      id,
    ])
  )[0]!.n;
const auditOf = (id: string) =>
  h.t.app.db.query<{ actor: string; decision: string; kind: string; detail: Record<string, unknown> | null }>(
    "SELECT actor, decision, kind, detail FROM audit_log WHERE case_id = $1 AND operation = 'case.assign' ORDER BY seq",
    [id],
  );

function refused(r: { status: number; body: GqlResult }, code: string): void {
  expect(errorCodes(r.body), JSON.stringify(r.body)).toEqual({ assignCase: code });
  expect(r.body.data ?? null).toBeNull();
}

describe("assignCase: the beheerder designates a case's staff (Maastricht art. 8.2)", () => {
  it("reassigns DEMO-regie from analist.jansen to analist.bakker: jansen loses access at once, bakker gets it", async () => {
    const c = await h.t.demoCase("regie");
    const jansen = await h.t.token("analist.jansen", "analyst");
    const bakker = await h.t.token("analist.bakker", "analyst");
    const variables = { id: c.id, bsn: resident };

    // Before: the owner reads the resident's name, the other analyst does not see the case.
    const before = await h.post(READ, { token: jansen, variables });
    expect(before.body.errors, JSON.stringify(before.body)).toBeUndefined();
    refusedRead(await h.post(READ, { token: bakker, variables }));

    const r = await assign(beheerder, { id: c.id, owner: "analist.bakker", substitute: "analist.devries" });
    expect(r.body.errors, JSON.stringify(r.body)).toBeUndefined();
    expect(r.body.data).toEqual({
      assignCase: { id: c.id, owner: "analist.bakker", substitute: "analist.devries", phase: "regie" },
    });

    refusedRead(await h.post(READ, { token: jansen, variables }));
    const after = await h.post(READ, { token: bakker, variables });
    expect(after.body.errors, JSON.stringify(after.body)).toBeUndefined();
    expect(after.body.data).toEqual(
      before.body.data && {
        case: { ...(before.body.data as { case: object }).case, owner: "analist.bakker" },
      },
    );
    // Listed for the new owner, no longer for the old one.
    const list = async (token: string) =>
      ((await h.post(`{ cases { id } }`, { token })).body.data as { cases: { id: string }[] }).cases.map(
        (x) => x.id,
      );
    expect(await list(bakker)).toContain(c.id);
    expect(await list(jansen)).not.toContain(c.id);

    // The event in the case history, as the new owner reads it, with the motivation.
    const history = await h.post(HISTORY, { token: bakker, variables: { id: c.id } });
    const transitions = (history.body.data as { case: { transitions: Record<string, unknown>[] } }).case
      .transitions;
    expect(transitions.at(-1)).toEqual({
      kind: "assigned",
      from: null,
      to: null,
      actor: "beheerder",
      motivation: "Jansen is on leave; Bakker takes over.",
      staff: {
        fromOwner: "analist.jansen",
        toOwner: "analist.bakker",
        fromSubstitute: "analist.devries",
        toSubstitute: "analist.devries",
      },
    });
    // Audited as a case change, by the beheerder.
    expect(await auditOf(c.id)).toEqual([
      {
        actor: "beheerder",
        decision: "allow",
        kind: "case",
        detail: expect.objectContaining({ fromOwner: "analist.jansen", toOwner: "analist.bakker" }),
      },
    ]);
  });

  it("the beheerder sees the metadata of every case but not its history (the signal text) or registry data", async () => {
    const c = await h.t.demoCase("weging");
    const r = await h.post(HISTORY, { token: beheerder, variables: { id: c.id } });
    expect(r.body.errors, JSON.stringify(r.body)).toBeUndefined();
    expect(r.body.data).toEqual({
      case: { owner: "analist.jansen", substitute: "analist.devries", transitions: [] },
    });
    const read = await h.post(READ, { token: beheerder, variables: { id: regieId, bsn: resident } });
    expect(errorCodes(read.body)).toEqual({ "case.persoon.brp": "FORBIDDEN" });
  });

  it("an analyst cannot assign: not someone else's case to themselves (NOT_FOUND), nor their own (FORBIDDEN); audited, nothing changed", async () => {
    const c = await h.t.demoCase("weging");
    const was = await stored(c.id);
    const eventsBefore = await events(c.id);
    const bakker = await h.t.token("analist.bakker", "analyst");
    refused(await assign(bakker, { id: c.id, owner: "analist.bakker" }), "NOT_FOUND");
    const jansen = await h.t.token("analist.jansen", "analyst");
    refused(await assign(jansen, { id: c.id, owner: "analist.bakker" }), "FORBIDDEN");
    // The substitute cannot promote themselves either.
    const devries = await h.t.token("analist.devries", "analyst");
    refused(await assign(devries, { id: c.id, owner: "analist.devries", substitute: null }), "FORBIDDEN");
    for (const [sub, role] of [
      ["privacy.officer", "privacy_officer"],
      ["coordinator", "coordinator"],
      ["fg", "dpo"],
      ["jurist", "legal"],
    ] as const)
      refused(await assign(await h.t.token(sub, role), { id: c.id, owner: "analist.bakker" }), "FORBIDDEN");

    expect(await stored(c.id)).toEqual(was);
    expect(await events(c.id)).toBe(eventsBefore);
    const denials = await h.t.app.db.query<{ actor: string; kind: string }>(
      "SELECT actor, kind FROM audit_log WHERE case_id = $1 AND operation = 'case.assign' AND decision = 'deny' ORDER BY seq",
      [c.id],
    );
    expect(denials).toEqual([
      { actor: "analist.bakker", kind: "access" },
      { actor: "analist.jansen", kind: "case" },
      { actor: "analist.devries", kind: "case" },
      { actor: "privacy.officer", kind: "case" },
      { actor: "coordinator", kind: "case" },
      { actor: "fg", kind: "case" },
      { actor: "jurist", kind: "case" },
    ]);
  });

  it("a case that does not exist is NOT_FOUND for the beheerder too", async () => {
    refused(await assign(beheerder, { id: "no-such-case", owner: "analist.bakker" }), "NOT_FOUND");
  });

  it("a closed case is not reassigned (PHASE_CONFLICT), audited, nothing changed", async () => {
    const c = await h.t.demoCase("afgesloten");
    const was = await stored(c.id);
    const eventsBefore = await events(c.id);
    refused(await assign(beheerder, { id: c.id, owner: "analist.bakker" }), "PHASE_CONFLICT");
    expect(await stored(c.id)).toEqual(was);
    expect(await events(c.id)).toBe(eventsBefore);
    expect(await auditOf(c.id)).toEqual([expect.objectContaining({ actor: "beheerder", decision: "deny" })]);
  });

  it("refuses bad input before anything is written: same owner and substitute, a BSN in the motivation, malformed ids, no change, self-designation", async () => {
    const c = await h.t.demoCase("intake");
    const was = await stored(c.id);
    const eventsBefore = await events(c.id);
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ owner: "analist.bakker", substitute: "analist.bakker" }, "BAD_USER_INPUT", /substitute/],
      [
        {
          owner: "analist.bakker",
          motivation: `Takes over the signal about ${resident.slice(0, 3)} ${resident.slice(3, 6)} ${resident.slice(6)}.`,
        },
        "BAD_USER_INPUT",
        /motivation/,
      ],
      [{ owner: "analist.bakker", motivation: "  " }, "BAD_USER_INPUT", /motivation/],
      [{ owner: "not a user id!" }, "BAD_USER_INPUT", /owner/],
      [{ owner: resident }, "BAD_USER_INPUT", /owner/],
      [{ owner: "analist.bakker", substitute: "x y" }, "BAD_USER_INPUT", /substitute/],
      [{ owner: "analist.jansen", substitute: "analist.devries" }, "BAD_USER_INPUT", /already has/],
      [{ owner: "beheerder" }, "FORBIDDEN", /not permitted/i],
      [{ owner: "analist.bakker", substitute: "beheerder" }, "FORBIDDEN", /not permitted/i],
    ];
    for (const [variables, code, message] of cases) {
      const r = await assign(beheerder, { id: c.id, ...variables });
      refused(r, code);
      expect(r.body.errors?.[0]?.message).toMatch(message);
      expect(JSON.stringify(r.body)).not.toContain(resident.slice(3, 6) + " " + resident.slice(6));
    }
    expect(await stored(c.id)).toEqual(was);
    expect(await events(c.id)).toBe(eventsBefore);
  });
  it("the FG report still counts a reassigned case in its phase (a reassignment moves no phase)", async () => {
    const fg = await h.t.token("fg", "dpo");
    const REPORT = `query($y: Int!) { fgReport(year: $y) { cases { opened openAtYearEnd openAtYearEndByPhase { phase cases } } } }`;
    const report = async () => {
      const r = await h.post(REPORT, { token: fg, variables: { y: new Date().getUTCFullYear() } });
      expect(r.body.errors, JSON.stringify(r.body)).toBeUndefined();
      return r.body.data;
    };
    const before = await report();
    const c = await h.t.demoCase("bronnenonderzoek");
    const r = await assign(beheerder, { id: c.id, owner: "analist.bakker" });
    expect(r.body.errors, JSON.stringify(r.body)).toBeUndefined();
    expect(await report()).toEqual(before);
  });
  it("the staff change is a compare-and-set on the version: a stale or closed case is not written", async () => {
    const c = await h.t.demoCase("intake");
    const stale = (await caseRepository.get(h.t.app.db, c.id))!;
    const moved = await caseRepository.updateStaff(h.t.app.db, stale, {
      owner: "analist.bakker",
      substitute: null,
    });
    expect(moved).toMatchObject({ owner: "analist.bakker", substitute: null, version: stale.version + 1 });
    expect(
      await caseRepository.updateStaff(h.t.app.db, stale, { owner: "analist.devries", substitute: null }),
    ).toBeUndefined();
    const closed = (await caseRepository.get(h.t.app.db, (await h.t.demoCase("afgesloten")).id))!;
    expect(
      await caseRepository.updateStaff(h.t.app.db, closed, { owner: "analist.bakker", substitute: null }),
    ).toBeUndefined();
    expect(await stored(c.id)).toMatchObject({ owner: "analist.bakker" });
  });
});

/** The case is hidden as if it did not exist. */
function refusedRead(r: { body: GqlResult }): void {
  expect(errorCodes(r.body)).toEqual({ case: "NOT_FOUND" });
  expect(r.body.data).toEqual({ case: null });
}

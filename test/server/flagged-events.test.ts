import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addSubjects, personKeys } from "../utils/case-subjects.ts";
import { startHttpApp, type HttpApp } from "../utils/http-app.ts";
import { errorCodes, type GqlResult } from "../utils/test-app.ts";

/**
 * Issue 11, "No enumeration": the refusals by the enumeration rules (here VERIFY_MAX_CHANGES and
 * SUBJECT_RATE_MAX) appear in the privacy officer's queue of flagged events, with their flag, case
 * and actor and the subject only as its pseudonym; the FG reads it too, nobody else; each reading is
 * in the audit log; a review with a note takes an event out of the queue. Over real HTTP.
 */
let h: HttpApp;
let analyst: string;
let officer: string;
let fg: string;
let department: string;
let resident: string;
let birth: string;
let verifyCase: string;
let regie: string;
let persons: string[];

const EVENT_FIELDS = `id at lastAt attempts flag rule reason caseId caseReference phase actor operation
  source subjectPseudonym subjectType fields reviewed review { id actor at note }`;
const QUEUE = `query($since: String, $caseId: ID, $flag: String, $first: Int, $all: Boolean) {
  flaggedEvents(since: $since, caseId: $caseId, flag: $flag, first: $first, includeReviewed: $all) { ${EVENT_FIELDS} } }`;
const REVIEW = `mutation($id: ID!, $note: String!) { reviewFlaggedEvent(id: $id, note: $note) { ${EVENT_FIELDS} } }`;
const NAAM = `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { brp { naam { geslachtsnaam } } } } }`;

interface FlaggedEvent {
  id: string;
  at: string;
  lastAt: string;
  attempts: number;
  flag: string;
  rule: string;
  reason: string;
  caseId: string | null;
  caseReference: string | null;
  phase: string | null;
  actor: string;
  operation: string;
  source: string | null;
  subjectPseudonym: string | null;
  subjectType: string | null;
  fields: string[];
  reviewed: boolean;
  review: { id: string; actor: string; at: string; note: string } | null;
}

async function queue(token: string, variables: Record<string, unknown> = {}) {
  const r = await h.post(QUEUE, { token, variables });
  return { r, events: (r.body.data as { flaggedEvents: FlaggedEvent[] } | null)?.flaggedEvents ?? [] };
}

const ok = (r: { body: GqlResult }) => expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();

/** Every BSN the test asked about: none may appear in any answer of the queue. */
const bsns = () => [resident, ...persons];

const accessRecords = (actor: string) =>
  h.t.app.db.query<{ decision: string; detail: Record<string, unknown> | null }>(
    `SELECT decision, detail FROM audit_log WHERE kind = 'access' AND operation = 'flagged.read' AND actor = $1 ORDER BY seq`,
    [actor],
  );

beforeAll(async () => {
  // Office hours all week, all day: this test is about refusals, not the time of day it runs at
  // (pattern.offHours has its own tests with a fixed clock).
  h = await startHttpApp({
    env: { SUBJECT_RATE_MAX: "2", SUBJECT_RATE_WINDOW_S: "3600", OFFICE_HOURS: "Mon-Sun 00:00-24:00" },
  });
  analyst = await h.t.token("analist.jansen", "analyst");
  officer = await h.t.token("privacy.officer", "privacy_officer");
  fg = await h.t.token("fg", "dpo");
  department = await h.t.token("medewerker.vergunningen", "department_member", "vergunningen");
  const m = h.t.app.demo!.municipality;
  resident = m.wellKnown.residentBsn;
  const d = m.personByBsn(resident)!.geboortedatum;
  birth = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;

  // VERIFY_MAX_CHANGES (default 1): in one request four birth dates, none of them the right one;
  // the first and one correction answer, the other two are refused (flag verifyChanges).
  const opened = await h.post(
    `mutation($s: [String!]) { openCase(input: { reference: "FLAGGED-VERIFY", motivation: "Signal received.", subjects: $s }) { id } }`,
    { token: analyst, variables: { s: [`persoon:${resident}`] } },
  );
  ok(opened);
  verifyCase = (opened.body.data as { openCase: { id: string } }).openCase.id;
  const year = Number(birth.slice(0, 4));
  const dates = [1, 2, 3, 4].map((n) => `${year - n}-01-15`);
  const verified = await h.post(
    `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { ${dates
      .map((date, i) => `v${i}: verify(input: { geboortedatum: "${date}" }) { geboortedatum }`)
      .join(" ")} } } }`,
    { token: analyst, variables: { id: verifyCase, bsn: resident } },
  );
  expect(errorCodes(verified.body)).not.toEqual({});

  // SUBJECT_RATE_MAX=2: in regie two persons answer, the third is refused (flag subjectRate).
  regie = (await h.t.demoCase("regie")).id;
  persons = [...m.persons()]
    .filter((p) => p.bsn !== resident)
    .slice(0, 3)
    .map((p) => p.bsn);
  await addSubjects(h.t.app, regie, personKeys(persons));
  for (const bsn of persons.slice(0, 2))
    ok(await h.post(NAAM, { token: analyst, variables: { id: regie, bsn } }));
  const third = await h.post(NAAM, { token: analyst, variables: { id: regie, bsn: persons[2] } });
  expect(errorCodes(third.body)).toEqual({ "case.persoon.brp": "FORBIDDEN" });
});
afterAll(() => h.close());

describe("the privacy officer's queue of flagged events (issue 11)", () => {
  it("holds the verify-change refusals as one event with its flag, case, actor and pseudonym, no BSN", async () => {
    const { r, events } = await queue(officer);
    ok(r);
    const verify = events.filter((e) => e.flag === "verifyChanges");
    expect(verify).toHaveLength(1);
    expect(verify[0]).toMatchObject({
      attempts: 2,
      rule: "limits.verifyChanges",
      caseId: verifyCase,
      caseReference: "FLAGGED-VERIFY",
      phase: "intake",
      actor: "analist.jansen",
      operation: "brp.verify",
      source: "brp",
      subjectPseudonym: h.t.app.audit.pseudonymise(resident, "bsn"),
      subjectType: "bsn",
      fields: ["geboortedatum"],
      reviewed: false,
      review: null,
    });
    expect(verify[0]!.reason).toMatch(/VERIFY_MAX_CHANGES=1/);
    const text = JSON.stringify(r.body);
    for (const bsn of bsns()) expect(text).not.toContain(bsn);
  });

  it("holds the subject-rate refusal, newest first", async () => {
    const { r, events } = await queue(officer);
    ok(r);
    const rate = events.filter((e) => e.flag === "subjectRate");
    expect(rate).toHaveLength(1);
    expect(rate[0]).toMatchObject({
      attempts: 1,
      rule: "limits.subjectRate",
      caseId: regie,
      phase: "regie",
      actor: "analist.jansen",
      source: "brp",
      subjectPseudonym: h.t.app.audit.pseudonymise(persons[2]!, "bsn"),
    });
    expect(rate[0]!.reason).toMatch(/SUBJECT_RATE_MAX/);
    expect(rate[0]!.caseReference).toEqual(expect.any(String));
    // The subject-rate refusal came after the verify refusals.
    expect(events.map((e) => e.flag).indexOf("subjectRate")).toBeLessThan(
      events.map((e) => e.flag).indexOf("verifyChanges"),
    );
    const text = JSON.stringify(r.body);
    for (const bsn of bsns()) expect(text).not.toContain(bsn);
  });

  it("filters by flag, case, time and count", async () => {
    expect((await queue(officer, { flag: "subjectRate" })).events.map((e) => e.flag)).toEqual([
      "subjectRate",
    ]);
    // Four birth dates of one person are also the pattern FLAG_VERIFY_VARIANTS=3 (issue 13), which
    // began with the first verification, before the refusals.
    expect((await queue(officer, { caseId: verifyCase })).events.map((e) => e.flag)).toEqual([
      "verifyChanges",
      "pattern.verifyVariants",
    ]);
    expect((await queue(officer, { first: 1 })).events).toHaveLength(1);
    expect((await queue(officer, { since: "2999-01-01" })).events).toEqual([]);
    expect((await queue(officer, { since: "2000-01-01T00:00:00Z" })).events.length).toBeGreaterThanOrEqual(2);
  });

  it("refuses bad arguments, naming the argument", async () => {
    for (const [variables, argument] of [
      [{ flag: "everything" }, "flag"],
      [{ first: 0 }, "first"],
      [{ first: 201 }, "first"],
      [{ since: "2026-02-30" }, "since"],
      [{ since: "yesterday" }, "since"],
    ] as const) {
      const { r } = await queue(officer, variables);
      expect(r.body.errors?.[0]?.extensions?.code, JSON.stringify(variables)).toBe("BAD_USER_INPUT");
      expect(r.body.errors?.[0]?.message).toContain(`${argument}:`);
    }
  });

  it("is the privacy officer's and the FG's: an analyst and a department member are refused, and that is logged", async () => {
    ok((await queue(fg)).r);
    expect((await queue(fg)).events.length).toBeGreaterThanOrEqual(2);
    for (const [token, actor] of [
      [analyst, "analist.jansen"],
      [department, "medewerker.vergunningen"],
    ] as const) {
      const { r } = await queue(token);
      expect(errorCodes(r.body)).toEqual({ flaggedEvents: "FORBIDDEN" });
      expect(r.body.data ?? null).toBeNull();
      for (const bsn of bsns()) expect(JSON.stringify(r.body)).not.toContain(bsn);
      expect((await accessRecords(actor)).map((a) => a.decision)).toEqual(["deny"]);
    }
  });

  it("audits every reading with its filter", async () => {
    const before = (await accessRecords("privacy.officer")).length;
    ok((await queue(officer, { flag: "verifyChanges" })).r);
    const after = await accessRecords("privacy.officer");
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({ decision: "allow", detail: { flag: "verifyChanges" } });
  });

  it("a review with a note takes the event out of the queue; once, by the privacy officer only", async () => {
    const [event] = (await queue(officer, { flag: "verifyChanges" })).events;
    expect(event).toBeDefined();
    const note = "Corrected signal twice; talked to the analyst, no further action.";

    const byFg = await h.post(REVIEW, { token: fg, variables: { id: event!.id, note } });
    expect(errorCodes(byFg.body)).toEqual({ reviewFlaggedEvent: "FORBIDDEN" });
    const bad = await h.post(REVIEW, { token: officer, variables: { id: event!.id, note: "ok" } });
    expect(bad.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const withBsn = await h.post(REVIEW, {
      token: officer,
      variables: { id: event!.id, note: `about ${resident}` },
    });
    expect(withBsn.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(JSON.stringify(withBsn.body)).not.toContain(resident);
    const unknown = await h.post(REVIEW, { token: officer, variables: { id: "no-such-record", note } });
    expect(errorCodes(unknown.body)).toEqual({ reviewFlaggedEvent: "NOT_FOUND" });

    const reviewed = await h.post(REVIEW, { token: officer, variables: { id: event!.id, note } });
    ok(reviewed);
    const out = (reviewed.body.data as { reviewFlaggedEvent: FlaggedEvent }).reviewFlaggedEvent;
    expect(out).toMatchObject({ id: event!.id, reviewed: true, review: { actor: "privacy.officer", note } });

    expect((await queue(officer, { flag: "verifyChanges" })).events).toEqual([]);
    const all = (await queue(officer, { flag: "verifyChanges", all: true })).events;
    expect(all).toEqual([{ ...event, reviewed: true, review: out.review }]);
    // The FG sees the review too.
    expect((await queue(fg, { flag: "verifyChanges", all: true })).events[0]?.review?.note).toBe(note);

    const again = await h.post(REVIEW, { token: officer, variables: { id: event!.id, note } });
    expect(again.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");

    // The review is an audit record of its own, in the chain, about the event's case.
    const records = await h.t.app.db.query<{ case_id: string; detail: Record<string, unknown> }>(
      "SELECT case_id, detail FROM audit_log WHERE kind = 'review' AND decision = 'allow'",
    );
    expect(records).toEqual([
      { case_id: verifyCase, detail: { reviews: event!.id, flag: "verifyChanges", note } },
    ]);
    expect((await h.t.app.audit.verify()).ok).toBe(true);
  });

  it("nobody reviews a flagged attempt of their own", async () => {
    const [event] = (await queue(officer, { flag: "subjectRate" })).events;
    const both = await h.t.token("analist.jansen", "privacy_officer");
    const r = await h.post(REVIEW, { token: both, variables: { id: event!.id, note: "Looks fine to me." } });
    expect(errorCodes(r.body)).toEqual({ reviewFlaggedEvent: "FORBIDDEN" });
    expect((await queue(officer, { flag: "subjectRate" })).events).toHaveLength(1);
  });
});

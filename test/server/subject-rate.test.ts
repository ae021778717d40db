import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSubjectRate } from "../../src/cases/subject-rate.ts";
import { addSubjects, personKeys } from "../utils/case-subjects.ts";
import { startHttpApp, type HttpApp } from "../utils/http-app.ts";
import { errorCodes } from "../utils/test-app.ts";

/**
 * Issue 11, "no enumeration": per actor and case, at most SUBJECT_RATE_MAX distinct subjects
 * within SUBJECT_RATE_WINDOW_S, across requests. A further subject is refused (FORBIDDEN, a denial
 * record naming the settings); subjects already reached in the window still answer; another actor
 * or another case counts apart.
 */
let h: HttpApp;
let regie: string;
let persons: string[];

const NAAM = `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { brp { naam { geslachtsnaam } } } } }`;

beforeAll(async () => {
  h = await startHttpApp({ env: { SUBJECT_RATE_MAX: "3", SUBJECT_RATE_WINDOW_S: "3600" } });
  regie = (await h.t.demoCase("regie")).id;
  persons = [...h.t.app.demo!.municipality.persons()].slice(0, 5).map((p) => p.bsn);
  // The rate is about many subjects of one case (issue 11: a case answers only about its subjects).
  await addSubjects(h.t.app, regie, personKeys(persons));
});
afterAll(() => h.close());

describe("distinct subjects per actor and case within a window (issue 11)", () => {
  it("answers three subjects in separate requests, refuses the fourth, and still answers the first", async () => {
    const jansen = await h.t.token("analist.jansen", "analyst");
    for (const bsn of persons.slice(0, 3)) {
      const res = await h.post(NAAM, { token: jansen, variables: { id: regie, bsn } });
      expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
    }
    const fourth = await h.post(NAAM, { token: jansen, variables: { id: regie, bsn: persons[3] } });
    expect(errorCodes(fourth.body)).toEqual({ "case.persoon.brp": "FORBIDDEN" });
    const again = await h.post(NAAM, { token: jansen, variables: { id: regie, bsn: persons[0] } });
    expect(again.body.errors).toBeUndefined();

    const refusals = (await h.t.app.audit.list({ caseId: regie, limit: 100_000 })).filter(
      (r) => r.kind === "denial" && r.reason.includes("SUBJECT_RATE_MAX"),
    );
    expect(refusals).toHaveLength(1);

    // The substitute is another actor: their own window.
    const devries = await h.t.token("analist.devries", "analyst");
    const theirs = await h.post(NAAM, { token: devries, variables: { id: regie, bsn: persons[3] } });
    expect(theirs.body.errors).toBeUndefined();
  });
});

describe("the window", () => {
  it("forgets a subject after the window and counts each actor-case apart", () => {
    const rate = createSubjectRate(2, 60);
    const t0 = new Date("2026-12-01T10:00:00Z");
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    expect(rate.admit("a|c", "persoon:1", at(0))).toBe(true);
    expect(rate.admit("a|c", "persoon:2", at(1))).toBe(true);
    expect(rate.admit("a|c", "persoon:3", at(2))).toBe(false);
    expect(rate.admit("a|c", "persoon:1", at(3))).toBe(true); // already in the window
    expect(rate.admit("a|d", "persoon:3", at(3))).toBe(true); // another case
    expect(rate.admit("a|c", "persoon:3", at(62))).toBe(true); // persoon:2 (at 1 s) left the window
    expect(rate.admit("a|c", "persoon:4", at(62))).toBe(false); // persoon:1 (3 s) and 3 (62 s) are in it
  });
});

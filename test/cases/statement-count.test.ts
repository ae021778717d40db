import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readStatements, statementLog } from "../utils/statement-log.ts";
import { startTestApp, type TestApp } from "../utils/test-app.ts";

/**
 * Issue 15, "one round trip for the case view": a request on a case reads the database twice
 * before its audit record is written — the newest policy version (issue 14, checked before the
 * request is authenticated) and the case view (the case, its checks, restrictions and subjects in
 * one statement), shared by the case access, the abilities and the read audit of that request.
 */
let t: TestApp;
let token: string;
let bsn: string;
const statements = statementLog();

beforeAll(async () => {
  t = await startTestApp({ wrapDb: statements.wrap });
  token = await t.token("analist.jansen", "analyst");
  bsn = t.app.demo!.municipality.wellKnown.residentBsn;
});
afterAll(() => t.close());

const REQUESTS = [
  {
    name: "fields (regie)",
    phase: "regie",
    query: `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { brp { naam { geslachtsnaam } verblijfplaats { verblijfadres { postcode } } } } } }`,
    answered: (d: unknown) => (d as { case: { persoon: { brp: unknown } } }).case.persoon.brp,
  },
  {
    name: "hits (bronnenonderzoek)",
    phase: "bronnenonderzoek",
    query: `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { hits { probe result } } } }`,
    answered: (d: unknown) => (d as { case: { persoon: { hits: unknown[] } } }).case.persoon.hits,
  },
];

describe("the reads of one request on a case", () => {
  it.each(REQUESTS)("$name: the policy version and one case view, nothing else", async (r) => {
    const id = (await t.demoCase(r.phase)).id;
    statements.log.length = 0;
    const res = await t.gql(token, r.query, { id, bsn });
    expect(res.errors).toBeUndefined();
    expect(r.answered(res.data)).toBeTruthy();
    const reads = readStatements(statements.log);
    expect(reads, reads.join("\n")).toHaveLength(2);
    expect(reads.filter((s) => /policy_versions/.test(s))).toHaveLength(1);
    // The case view: one statement reads the case with its checks, restrictions and subjects.
    const [view] = reads.filter((s) => !/policy_versions/.test(s));
    for (const table of ["cases", "privacy_checks", "subject_requests", "case_subjects"])
      expect(view).toMatch(new RegExp(`\\b${table}\\b`));
    // And the audit record was written for it (the count above is of reads before it).
    expect(statements.log.some((s) => /audit_append\(|INSERT INTO audit_log/i.test(s.sql))).toBe(true);
  });
});

describe("the case's checks read with the case", () => {
  it("case { privacyChecks }: from the same case view, no statement of its own", async () => {
    const id = (await t.demoCase("regie")).id;
    statements.log.length = 0;
    const res = await t.gql(
      token,
      `query($id: ID!) { case(id: $id) { phase privacyChecks { id status } } }`,
      {
        id,
      },
    );
    expect(res.errors).toBeUndefined();
    const checks = (res.data as { case: { privacyChecks: { id: string }[] } }).case.privacyChecks;
    expect(checks.length).toBeGreaterThan(0);
    const reads = readStatements(statements.log);
    expect(reads, reads.join("\n")).toHaveLength(2);
    expect(reads.some((s) => /^SELECT \* FROM privacy_checks/.test(s))).toBe(false);
  });
});

describe("requests that arrive together share the policy version and the case view reads", () => {
  it("twelve concurrent requests on two cases: fewer reads than requests, every answer its own case's", async () => {
    const regie = (await t.demoCase("regie")).id;
    const bron = (await t.demoCase("bronnenonderzoek")).id;
    const query = `query($id: ID!) { case(id: $id) { id phase } }`;
    statements.log.length = 0;
    const ids = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? regie : bron));
    const answers = await Promise.all(ids.map((id) => t.gql(token, query, { id })));
    for (const [i, res] of answers.entries()) {
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({
        case: { id: ids[i], phase: i % 2 === 0 ? "regie" : "bronnenonderzoek" },
      });
    }
    const reads = readStatements(statements.log);
    const versions = reads.filter((s) => /policy_versions/.test(s));
    const views = reads.filter((s) => /\bcase_subjects\b/.test(s));
    // Alone, each request reads both once (above); together they share statements.
    expect(versions.length).toBeGreaterThanOrEqual(1);
    expect(versions.length).toBeLessThan(ids.length);
    expect(views.length).toBeGreaterThanOrEqual(1);
    expect(views.length).toBeLessThan(ids.length);
  });
});

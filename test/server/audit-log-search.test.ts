import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpApp, type HttpApp } from "../utils/http-app.ts";
import type { GqlResult } from "../utils/test-app.ts";

/**
 * Issue 13, "Searchable, for the people who answer for it": the privacy officer and the FG search
 * the audit log by subject (the BSN pseudonymised with the log's key), actor, case, operation,
 * decision and period, page by page; the BSN is in neither the answer nor the search's own audit
 * record; everyone else is refused and that is logged too. Over real HTTP.
 */
let h: HttpApp;
let analyst: string;
let officer: string;
let fg: string;
let department: string;
let resident: string;
let regie: string;

const RECORD = `id seq at kind actor roles clientId caseId phase processingActivity operation source
  subjectPseudonym subjectType fields probes mode decision reason policyHash traceId detail tombstone`;
const SEARCH = `query($filter: AuditLogFilter!, $first: Int, $after: String) {
  auditLog(filter: $filter, first: $first, after: $after) { records { ${RECORD} } endCursor hasNextPage } }`;

interface Rec {
  id: string;
  seq: number;
  kind: string;
  actor: string;
  caseId: string | null;
  operation: string;
  subjectPseudonym: string | null;
  subjectType: string | null;
  decision: string;
  policyHash: string;
  detail: string | null;
}
interface Page {
  records: Rec[];
  endCursor: string | null;
  hasNextPage: boolean;
}

async function search(token: string, variables: Record<string, unknown>) {
  const r = await h.post(SEARCH, { token, variables });
  return { r, text: JSON.stringify(r.body), page: (r.body.data as { auditLog: Page } | null)?.auditLog };
}

const ok = (r: { body: GqlResult }) => expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();

const searchRecords = (actor: string) =>
  h.t.app.db.query<{ decision: string; detail: Record<string, unknown>; raw: string }>(
    `SELECT decision, detail, row_to_json(audit_log)::text AS raw FROM audit_log
     WHERE kind = 'access' AND operation = 'audit.search' AND actor = $1 ORDER BY seq`,
    [actor],
  );

beforeAll(async () => {
  h = await startHttpApp();
  analyst = await h.t.token("analist.jansen", "analyst");
  officer = await h.t.token("privacy.officer", "privacy_officer");
  fg = await h.t.token("fg", "dpo");
  department = await h.t.token("medewerker.vergunningen", "department_member", "vergunningen");
  resident = h.t.app.demo!.municipality.wellKnown.residentBsn;
  regie = (await h.t.demoCase("regie")).id;
  // The analyst reads the resident three times in DEMO-regie (three readings of the name).
  for (const part of [
    "brp { naam { geslachtsnaam } }",
    "brp { naam { voornamen } }",
    "brp { naam { geslachtsnaam } }",
  ]) {
    const r = await h.post(
      `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { ${part} } } }`,
      { token: analyst, variables: { id: regie, bsn: resident } },
    );
    ok(r);
  }
});
afterAll(() => h.close());

describe("auditLog(filter)", () => {
  it("finds the analyst's records about the resident by the BSN, without the BSN anywhere", async () => {
    const { r, text, page } = await search(officer, {
      filter: { subject: { type: "bsn", id: resident }, actor: "analist.jansen", caseId: regie },
    });
    ok(r);
    expect(r.status).toBe(200);
    expect(page!.records.length).toBeGreaterThanOrEqual(3);
    const pseudonyms = new Set(page!.records.map((x) => x.subjectPseudonym));
    expect([...pseudonyms]).toEqual([h.t.app.audit.pseudonymise(resident, "bsn")]);
    for (const rec of page!.records) {
      expect(rec).toMatchObject({ actor: "analist.jansen", caseId: regie, subjectType: "bsn" });
      expect(rec.policyHash).toMatch(/\S/);
    }
    expect(page!.records.map((x) => x.operation)).toEqual(expect.arrayContaining(["brp.fields"]));
    expect(text).not.toContain(resident);

    const [stored, ...more] = await searchRecords("privacy.officer");
    expect(more).toEqual([]);
    expect(stored!.decision).toBe("allow");
    expect(stored!.raw).not.toContain(resident);
    expect(stored!.detail["filter"]).toMatchObject({
      subject: { type: "bsn", pseudonym: h.t.app.audit.pseudonymise(resident, "bsn") },
      actor: "analist.jansen",
      caseId: regie,
    });
  });

  it("narrows by operation, decision and period, and finds nothing for another subject", async () => {
    const fields = await search(fg, {
      filter: { subject: { type: "bsn", id: resident }, operation: "brp.fields", decision: "allow" },
    });
    ok(fields.r);
    expect(fields.page!.records.length).toBeGreaterThan(0);
    expect(fields.page!.records.every((x) => x.operation === "brp.fields" && x.decision === "allow")).toBe(
      true,
    );

    const past = await search(fg, { filter: { subject: { type: "bsn", id: resident }, to: "2000-01-01" } });
    ok(past.r);
    expect(past.page!.records).toEqual([]);

    const other = await search(fg, { filter: { subject: { type: "bsn", id: "111222333" } } });
    ok(other.r);
    expect(other.page!.records).toEqual([]);
  });

  it("pages by seq with endCursor and hasNextPage", async () => {
    const all = await search(officer, { filter: { caseId: regie }, first: 200 });
    ok(all.r);
    const seqs = all.page!.records.map((x) => x.seq);
    expect(seqs.length).toBeGreaterThan(3);
    const paged: number[] = [];
    let after: string | null = null;
    for (;;) {
      const { r, page } = await search(officer, { filter: { caseId: regie }, first: 2, after });
      ok(r);
      paged.push(...page!.records.map((x) => x.seq));
      expect(page!.records.length).toBeLessThanOrEqual(2);
      if (!page!.hasNextPage) break;
      after = page!.endCursor;
    }
    // Each page's own search record (with caseId) comes after the first listing, so compare the prefix.
    expect(paged.slice(0, seqs.length)).toEqual(seqs);
    expect([...paged].sort((a, b) => a - b)).toEqual(paged);
  });

  it.each([
    ["analyst", () => analyst, "analist.jansen"],
    ["department member", () => department, "medewerker.vergunningen"],
  ])("refuses the %s FORBIDDEN and logs the refusal without the BSN", async (_, token, actor) => {
    const { r, text, page } = await search(token(), { filter: { subject: { type: "bsn", id: resident } } });
    expect(r.body.errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");
    expect(page ?? null).toBeNull();
    expect(text).not.toContain(resident);
    const refused = await searchRecords(actor);
    expect(refused.map((x) => x.decision)).toEqual(["deny"]);
    expect(refused[0]!.raw).not.toContain(resident);
  });

  it("refuses a BSN that fails the 11-check, naming the argument, before anything is written", async () => {
    const before = await searchRecords("privacy.officer");
    const { r, text } = await search(officer, { filter: { subject: { type: "bsn", id: "123456789" } } });
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0]?.extensions?.["code"]).toBe("BAD_USER_INPUT");
    expect(r.body.errors?.[0]?.message).toMatch(/^filter\.subject\.id: .*11-check/);
    expect(text).not.toContain("123456789");
    expect(await searchRecords("privacy.officer")).toHaveLength(before.length);
  });
});

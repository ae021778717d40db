import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db, Queryable } from "../../src/store/index.ts";
import { errorCodes, startTestApp, type TestApp } from "../utils/test-app.ts";
import { dialectUnderTest } from "../utils/test-db.ts";

/**
 * Issue 15: the case view and the newest policy version are read on every request, never kept
 * across requests (issue 10: a case read before must cost the same work as a missing one), so a
 * write straight to the database is enforced on the next request.
 */
describe(`case views are read on every request (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let token: string;
  let bsn: string;
  const reads: string[] = [];
  // Logs the reads outside transactions and keeps everything else of the db.
  const logging = (db: Db): Db => {
    const tracked =
      (q: Queryable): Queryable["query"] =>
      (sql, params) => {
        if (/^\s*SELECT\b/i.test(sql) && !/audit_append\(/.test(sql)) reads.push(sql.replace(/\s+/g, " "));
        return q.query(sql, params);
      };
    return { ...db, query: tracked(db) };
  };
  beforeAll(async () => {
    t = await startTestApp({ wrapDb: logging });
    token = await t.token("analist.jansen", "analyst");
    bsn = t.app.demo!.municipality.wellKnown.residentBsn;
  });
  afterAll(() => t.close());

  const HITS = `query($id: ID!, $bsn: String!) { case(id: $id) { phase persoon(bsn: $bsn) { hits(probes: ["brp.ingeschreven"]) { probe result } } } }`;

  it("reads the policy version and the case view on every request, and sees a direct write on the next", async () => {
    const id = (await t.demoCase("bronnenonderzoek")).id;
    const first = await t.gql(token, HITS, { id, bsn });
    expect(first.errors).toBeUndefined();
    reads.length = 0;
    const second = await t.gql(token, HITS, { id, bsn });
    expect(second.data).toEqual(first.data);
    // Never kept across requests (issue 10: a case read before costs the same as a missing one).
    expect(reads, reads.join("\n")).toHaveLength(2);

    // A write straight to the database, not through the gateway: the next request sees it.
    await t.app.db.query("UPDATE cases SET phase = 'regie' WHERE id = $1", [id]);
    reads.length = 0;
    const third = await t.gql(token, HITS, { id, bsn });
    expect(third.data?.case).toMatchObject({ phase: "regie" });
    expect(errorCodes(third)).toEqual({ "case.persoon.hits": "FORBIDDEN" });
    expect(reads.filter((sql) => /\bcases\b/.test(sql))).toHaveLength(1);
    await t.app.db.query("UPDATE cases SET phase = 'bronnenonderzoek' WHERE id = $1", [id]);
  });
});

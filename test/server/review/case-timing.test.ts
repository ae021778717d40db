import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db, Queryable } from "../../../src/store/index.ts";
import { startHttpApp, type HttpApp } from "../../utils/http-app.ts";
import { errorCodes } from "../../utils/test-app.ts";

/**
 * Issue 10, timing: a case of another team answered measurably slower than an id that does not
 * exist, because only the first was given an ability. Both must cost the same work. Compared here
 * as the database statements each answer runs (deterministic, unlike a clock); `npm run bench`
 * prints the two latencies side by side.
 */
let h: HttpApp;
let recording: string[] | undefined;

const recorded = (q: Queryable): Queryable => ({
  query: (sql, params) => {
    recording?.push(sql.replace(/\s+/g, " ").trim());
    return q.query(sql, params);
  },
});

beforeAll(async () => {
  h = await startHttpApp({
    wrapDb: (db: Db): Db => ({
      ...db,
      query: (sql, params) => recorded(db).query(sql, params),
      transaction: (fn) => db.transaction((tx) => fn(recorded(tx))),
    }),
  });
});
afterAll(() => h.close());

async function statementsFor(token: string, id: string): Promise<string[]> {
  recording = [];
  const res = await h.post(`query($id: ID!) { case(id: $id) { id reference } }`, {
    token,
    variables: { id },
  });
  expect(errorCodes(res.body)).toEqual({ case: "NOT_FOUND" });
  expect(res.body.data).toEqual({ case: null });
  const out = recording;
  recording = undefined;
  return out;
}

describe("a foreign case and a missing one cost the same work (issue 10, timing)", () => {
  it("runs the same statements, in the same order, for both", async () => {
    const foreignAnalyst = await h.t.token("analist.bakker", "analyst");
    const foreign = (await h.t.demoCase("regie")).id;
    const foreignStatements = await statementsFor(foreignAnalyst, foreign);
    const missingStatements = await statementsFor(foreignAnalyst, randomUUID());
    expect(foreignStatements.length).toBeGreaterThan(2);
    expect(missingStatements).toEqual(foreignStatements);
  });

  it("a foreign check and a missing one: the same statements and the same NOT_FOUND, for every kind of step", async () => {
    const foreignAnalyst = await h.t.token("analist.bakker", "analyst");
    const checks = await h.post(`query($id: ID!) { case(id: $id) { privacyChecks { id } } }`, {
      token: await h.t.token("analist.jansen", "analyst"),
      variables: { id: (await h.t.demoCase("regie")).id },
    });
    const foreign = (checks.body.data as { case: { privacyChecks: { id: string }[] } }).case.privacyChecks[0]!
      .id;
    for (const mutation of [
      `mutation($id: ID!) { escalatePrivacyCheck(id: $id, motivation: "Disagree with the advice.") { id } }`,
      `mutation($id: ID!) { requestSecondOpinion(id: $id, motivation: "A second look.") { id } }`,
      `mutation($id: ID!) { revokePrivacyCheck(id: $id, motivation: "No longer needed.") { id } }`,
    ]) {
      const run = async (id: string) => {
        recording = [];
        const res = await h.post(mutation, { token: foreignAnalyst, variables: { id } });
        const out = {
          statements: recording,
          errors: res.body.errors?.map((e) => [e.extensions?.code, e.message]),
        };
        recording = undefined;
        return out;
      };
      const a = await run(foreign);
      const b = await run(randomUUID());
      expect(a.errors?.[0]?.[0], mutation).toBe("NOT_FOUND");
      expect(b, mutation).toEqual(a);
    }
  });
});

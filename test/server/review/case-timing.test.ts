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
});

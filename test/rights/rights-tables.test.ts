import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideSubjectRequest, recordSubjectRequest } from "../../src/rights/index.ts";
import { must } from "../reports/report-world.ts";
import { dialectUnderTest } from "../utils/test-db.ts";
import { createRightsWorld, inPurge, legal, PERSON, type RightsWorld } from "./rights-world.ts";

/**
 * The rights tables keep their history (008_subject_rights.sql): no delete or truncate, a step
 * sets its columns once, nothing recorded is rewritten, and only a purge destroys, exactly by
 * blanking the subject key and free text. Runs on PGlite and on PostgreSQL.
 */
let w: RightsWorld;
let requestId: string;

beforeAll(async () => {
  w = await createRightsWorld();
  w.clock.set("2025-04-01T09:00:00Z");
  const caseId = await w.caseWith("TABLES-1", "bronnenonderzoek", [PERSON]);
  requestId = must(
    await recordSubjectRequest(w.ctx(legal), {
      caseId,
      bsn: PERSON,
      kind: "rectification",
      receivedAt: "2025-04-01",
      motivation: "The address is wrong.",
    }),
  ).id;
});
afterAll(() => w.close());

const update = (sql: string) => w.db.query(sql, [requestId]);

describe(`rights tables (${dialectUnderTest()})`, () => {
  it.each([
    ["a recorded column", "UPDATE subject_requests SET motivation = 'Something else.' WHERE id = $1"],
    ["the subject", "UPDATE subject_requests SET subject_key = 'persoon:111222333' WHERE id = $1"],
    ["the kind", "UPDATE subject_requests SET kind = 'erasure' WHERE id = $1"],
  ])("refuses rewriting %s", async (_what, sql) => {
    await expect(update(sql)).rejects.toThrow(/keeps its history: \w+ cannot be changed/);
  });

  it("lets a step set its columns once, never again", async () => {
    must(
      await decideSubjectRequest(w.ctx(legal), { id: requestId, decision: "granted", motivation: "Fixed." }),
    );
    await expect(update("UPDATE subject_requests SET decision = 'refused' WHERE id = $1")).rejects.toThrow(
      /decision cannot be changed/,
    );
  });

  it("refuses DELETE and TRUNCATE", async () => {
    await expect(update("DELETE FROM subject_requests WHERE id = $1")).rejects.toThrow(/DELETE refused/);
    await expect(w.db.query("TRUNCATE subject_requests")).rejects.toThrow(/append-only: TRUNCATE refused/);
  });

  it("destroys only inside a purge, and only by blanking", async () => {
    const destroy =
      "UPDATE subject_requests SET destroyed = true, subject_key = NULL, motivation = NULL, decision_motivation = NULL WHERE id = $1";
    await expect(update(destroy)).rejects.toThrow(/only the retention job destroys/);
    await expect(
      inPurge(w, (tx) =>
        tx.query("UPDATE subject_requests SET destroyed = true, subject_key = NULL WHERE id = $1", [
          requestId,
        ]),
      ),
    ).rejects.toThrow(/destruction must blank motivation/);
    await expect(
      inPurge(w, (tx) =>
        tx.query(`${destroy.replace(" WHERE", ", decided_by = 'someone' WHERE")}`, [requestId]),
      ),
    ).rejects.toThrow(/destruction may not change decided_by/);
    await inPurge(w, (tx) => tx.query(destroy, [requestId]));
    const [row] = await w.db.query<Record<string, unknown>>("SELECT * FROM subject_requests WHERE id = $1", [
      requestId,
    ]);
    expect(row).toMatchObject({
      destroyed: true,
      subject_key: null,
      motivation: null,
      decision_motivation: null,
      kind: "rectification",
      decision: "granted",
      decided_by: "jurist",
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  decideSubjectRequest,
  deferSubjectInforming,
  destroySubjectRights,
  liftRestriction,
  recordSubjectInformed,
  recordSubjectRequest,
  subjectAccessReportFor,
} from "../../src/rights/index.ts";
import { must } from "../reports/report-world.ts";
import { dialectUnderTest } from "../utils/test-db.ts";
import {
  createRightsWorld,
  inPurge,
  legal,
  OTHER,
  PERSON,
  rightsRows,
  type RightsWorld,
} from "./rights-world.ts";

/**
 * The rights part of a case's destruction (Maastricht art. 10.3-10.4; Delft art. 7): after
 * `destroySubjectRights` no BSN, subject key, pseudonym or free text of the case is left in the
 * rights tables, and the rest identifies nobody. Runs on PGlite and on PostgreSQL.
 */
let w: RightsWorld;
let destroyed: string;
let kept: string;
const MOTIVATIONS = [
  "Informing now would warn the suspect.",
  "Review after the police investigation.",
  "Letter sent to the home address.",
  "The person contests the address.",
  "Granted after checking the BRP.",
  "The person was told before the lift.",
  "Objects to the processing.",
];

async function fillCase(caseId: string): Promise<void> {
  const ctx = () => w.ctx(legal);
  must(
    await deferSubjectInforming(ctx(), {
      caseId,
      bsn: PERSON,
      ground: "criminal_offences",
      motivation: MOTIVATIONS[0]!,
      decidedBy: "manager.veiligheid",
      adviceBy: "fg",
      advice: MOTIVATIONS[1]!,
      reviewAt: "2025-06-01",
    }),
  );
  // The report withholds the case (an internal withholding row), then the person is informed.
  must(await subjectAccessReportFor(ctx(), PERSON));
  must(
    await recordSubjectInformed(ctx(), {
      caseId,
      bsn: PERSON,
      informedAt: "2025-01-01",
      method: "letter",
      note: MOTIVATIONS[2]!,
    }),
  );
  const restriction = must(
    await recordSubjectRequest(ctx(), {
      caseId,
      bsn: PERSON,
      kind: "restriction",
      receivedAt: "2025-01-01",
      motivation: MOTIVATIONS[3]!,
    }),
  );
  must(
    await decideSubjectRequest(ctx(), {
      id: restriction.id,
      decision: "granted",
      motivation: MOTIVATIONS[4]!,
    }),
  );
  must(await liftRestriction(ctx(), { id: restriction.id, motivation: MOTIVATIONS[5]! }));
  must(
    await recordSubjectRequest(ctx(), {
      caseId,
      bsn: OTHER,
      kind: "objection",
      receivedAt: "2025-01-01",
      motivation: MOTIVATIONS[6]!,
    }),
  );
}

beforeAll(async () => {
  w = await createRightsWorld();
  w.clock.set("2025-01-02T09:00:00Z");
  destroyed = await w.caseWith("DESTROY-1", "bronnenonderzoek", [PERSON, OTHER]);
  kept = await w.caseWith("DESTROY-2", "bronnenonderzoek", [PERSON, OTHER]);
  await fillCase(destroyed);
  await fillCase(kept);
});
afterAll(() => w.close());

describe(`destroySubjectRights (${dialectUnderTest()})`, () => {
  it("refuses to run outside a purge transaction", async () => {
    await expect(destroySubjectRights(w.db, destroyed)).rejects.toThrow(/only the retention job destroys/);
    expect((await rightsRows(w.db, destroyed)).join("\n")).toContain(`persoon:${PERSON}`);
  });

  it("blanks every subject key, BSN and free text of the case and counts the rows per table", async () => {
    const counts = await inPurge(w, (tx) => destroySubjectRights(tx, destroyed));
    expect(counts).toEqual({
      subject_informing: 1,
      subject_informing_deferrals: 1,
      subject_requests: 2,
      subject_access_withholdings: 1,
    });
    const left = (await rightsRows(w.db, destroyed)).join("\n");
    const forbidden = [
      PERSON,
      OTHER,
      "persoon:",
      w.audit.pseudonymise(PERSON, "bsn"),
      w.audit.pseudonymise(OTHER, "bsn"),
      ...MOTIVATIONS,
    ];
    for (const trace of forbidden) expect(left, trace).not.toContain(trace);
    // What stays identifies nobody: kinds, dates, grounds, decisions, who recorded.
    expect(left).toContain('"ground": "criminal_offences"');
    expect(left).toContain('"decision": "granted"');
    expect(left).toContain('"destroyed": true');
    expect(left).not.toContain('"destroyed": false');
  });

  it("is idempotent, and leaves other cases alone", async () => {
    expect(await inPurge(w, (tx) => destroySubjectRights(tx, destroyed))).toEqual({
      subject_informing: 0,
      subject_informing_deferrals: 0,
      subject_requests: 0,
      subject_access_withholdings: 0,
    });
    const other = (await rightsRows(w.db, kept)).join("\n");
    expect(other).toContain(`persoon:${PERSON}`);
    for (const m of MOTIVATIONS) expect(other).toContain(m);
  });

  it("leaves destroyed rows unchangeable, even by a purge", async () => {
    await expect(
      inPurge(w, (tx) =>
        tx.query("UPDATE subject_requests SET decided_by = 'x' WHERE case_id = $1", [destroyed]),
      ),
    ).rejects.toThrow(/destroyed: nothing may change it/);
    await expect(w.db.query("DELETE FROM subject_requests WHERE case_id = $1", [destroyed])).rejects.toThrow(
      /keeps its history: DELETE refused/,
    );
  });
});

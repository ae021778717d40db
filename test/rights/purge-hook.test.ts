import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeCase } from "../../src/cases/index.ts";
import { DEFAULT_CASE_DESTROYERS, purge, type PurgeReport } from "../../src/retention/index.ts";
import {
  destroySubjectRights,
  recordSubjectInformed,
  recordSubjectRequest,
  subjectAccessReportFor,
} from "../../src/rights/index.ts";
import { must } from "../reports/report-world.ts";
import { dialectUnderTest } from "../utils/test-db.ts";
import { analyst, createRightsWorld, legal, PERSON, rightsRows, type RightsWorld } from "./rights-world.ts";

/**
 * The rights tables under the retention job (issue 5): `destroySubjectRights` as one of the purge's
 * destroyers leaves no BSN, subject key or pseudonym of the destroyed case in the rights tables or
 * in the case's audit records, and the person's next access report has nothing left to show.
 */
let w: RightsWorld;
let caseId: string;
let run: PurgeReport;

beforeAll(async () => {
  w = await createRightsWorld();
  w.clock.set("2025-01-10T09:00:00Z");
  caseId = await w.caseWith("PURGE-1", "bronnenonderzoek", [PERSON]);
  await w.disclosed(caseId, PERSON);
  must(
    await recordSubjectInformed(w.ctx(legal), {
      caseId,
      bsn: PERSON,
      informedAt: "2025-01-10",
      method: "letter",
    }),
  );
  must(
    await recordSubjectRequest(w.ctx(legal), {
      caseId,
      bsn: PERSON,
      kind: "restriction",
      receivedAt: "2025-01-10",
      motivation: "Contests the address.",
    }),
  );
  must(await closeCase(w.ctx(analyst), caseId, "geen_casus", "No case."));
  w.clock.set("2026-01-11T09:00:00Z");
  run = await purge({
    db: w.db,
    audit: w.audit,
    policy: w.policy,
    clock: w.clock,
    destroyers: [...DEFAULT_CASE_DESTROYERS, destroySubjectRights],
  });
});
afterAll(() => w.close());

describe(`the purge with destroySubjectRights (${dialectUnderTest()})`, () => {
  it("destroys the case and counts the rights rows in its destruction", () => {
    expect(run.failed).toEqual([]);
    expect(run.destroyed.map((d) => d.caseId)).toEqual([caseId]);
    expect(run.destroyed[0]!.counts).toMatchObject({ subject_informing: 1, subject_requests: 1 });
  });

  it("leaves no BSN, subject key or pseudonym of the case behind in the rights tables or its audit records", async () => {
    const left = (await rightsRows(w.db, caseId)).join("\n");
    for (const trace of [PERSON, "persoon:", "Contests the address."])
      expect(left, trace).not.toContain(trace);
    const pseudonym = w.audit.pseudonymise(PERSON, "bsn");
    const audit = await w.db.query(
      "SELECT seq FROM audit_log WHERE case_id = $1 AND subject_pseudonym = $2",
      [caseId, pseudonym],
    );
    expect(audit).toEqual([]);
  });

  it("leaves the person's next access report nothing to show", async () => {
    expect(must(await subjectAccessReportFor(w.ctx(legal), PERSON)).cases).toEqual([]);
  });
});

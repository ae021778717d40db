import { afterEach, describe, expect, it } from "vitest";
import { caseRepository, type CaseRecord, type PrivacyCheckRecord } from "../../src/cases/index.ts";
import type { Db } from "../../src/store/index.ts";
import { createTestDb, dialectUnderTest } from "../utils/test-db.ts";

/** Privacy checks as stored (migrations 003-006), on PGlite and on PostgreSQL. */
describe(`case repository: privacy checks (${dialectUnderTest()})`, () => {
  const dbs: Db[] = [];
  afterEach(async () => {
    await Promise.all(dbs.splice(0).map((db) => db.close()));
  });

  const at = new Date("2026-03-01T10:00:00.000Z");
  const aCase: CaseRecord = {
    id: "case-1",
    reference: "REPO-1",
    theme: "hennepteelt",
    protocolId: "maastricht",
    phase: "regie",
    status: "open",
    outcome: null,
    owner: "analist.jansen",
    substitute: null,
    openedAt: at,
    closedAt: null,
    version: 1,
  };
  const check: PrivacyCheckRecord = {
    id: "check-1",
    caseId: "case-1",
    kind: "2a",
    source: "brp",
    requestedFields: ["naam.geslachtsnaam"],
    requestedProbes: [],
    motivation: "For the plan.",
    requestedBy: "analist.jansen",
    requestedAt: at,
    status: "approved",
    approvedFields: ["naam.geslachtsnaam"],
    approvedProbes: [],
    subjects: ["persoon:999993653", "adres:6200AA-91A-2"],
    recipients: ["vergunningen"],
    themeDataset: "hennepteelt@2026-1 (sha256:0123456789ab)",
    version: 1,
  };

  async function withCheck(): Promise<Db> {
    const db = await createTestDb();
    dbs.push(db);
    await caseRepository.insert(db, aCase);
    await caseRepository.insertCheck(db, check);
    return db;
  }

  it("keeps subjects, recipients and the theme dataset of a check", async () => {
    const db = await withCheck();
    expect(await caseRepository.getCheck(db, "check-1")).toEqual(check);
  });

  it("stores the lapsed status and the theme_approved and lapsed steps", async () => {
    const db = await withCheck();
    const lapsed = await caseRepository.updateCheck(db, check, {
      status: "lapsed",
      approvedFields: check.approvedFields,
      approvedProbes: [],
    });
    expect(lapsed).toMatchObject({ status: "lapsed", version: 2 });
    for (const kind of ["theme_approved", "lapsed"] as const)
      await caseRepository.appendStep(db, {
        checkId: "check-1",
        kind,
        actor: "theme:hennepteelt@2026-1",
        at,
        advice: null,
        fields: [],
        probes: [],
        motivation: kind,
        deviation: false,
      });
    expect((await caseRepository.steps(db, "check-1")).map((s) => s.kind)).toEqual([
      "theme_approved",
      "lapsed",
    ]);
  });

  it("refuses a status or step kind the workflow does not have", async () => {
    const db = await withCheck();
    await expect(
      db.query("UPDATE privacy_checks SET status = 'forgotten' WHERE id = 'check-1'"),
    ).rejects.toThrow(/privacy_checks_status_check/);
    await expect(
      caseRepository.appendStep(db, {
        checkId: "check-1",
        kind: "erased" as never,
        actor: "x",
        at,
        advice: null,
        fields: [],
        probes: [],
        motivation: "x",
        deviation: false,
      }),
    ).rejects.toThrow(/privacy_check_steps_kind_check/);
  });
});

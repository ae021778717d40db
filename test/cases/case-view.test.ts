import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  caseRepository,
  caseSubjectRepository,
  type CaseRecord,
  type PrivacyCheckRecord,
} from "../../src/cases/index.ts";
import { restrictionsInForce } from "../../src/rights/index.ts";
import type { Db } from "../../src/store/index.ts";
import { createTestDb, dialectUnderTest } from "../utils/test-db.ts";

/**
 * Issue 15: the one-statement case view gives what the separate reads it replaces give — the case,
 * its checks, the restrictions in force and the subject keys — value for value, type for type
 * (inside JSON a timestamp is text and a jsonb column a nested array), on PGlite and PostgreSQL.
 */
describe(`case view = the separate reads (${dialectUnderTest()})`, () => {
  let db: Db;
  const at = new Date("2026-03-01T10:00:00.123Z");
  const aCase: CaseRecord = {
    id: "case-view-1",
    reference: "VIEW-1",
    theme: "hennepteelt",
    protocolId: "maastricht",
    phase: "regie",
    status: "closed",
    outcome: "handhaving",
    owner: "analist.jansen",
    substitute: "analist.devries",
    openedAt: at,
    closedAt: new Date("2026-03-09T16:30:00.999Z"),
    version: 7,
  };
  const check = (n: number, over: Partial<PrivacyCheckRecord>): PrivacyCheckRecord => ({
    id: `view-check-${n}`,
    caseId: aCase.id,
    kind: "2a",
    source: "brp",
    requestedFields: ["naam.geslachtsnaam", "verblijfplaats"],
    requestedProbes: [],
    motivation: `Check ${n}.`,
    requestedBy: "analist.jansen",
    requestedAt: new Date(at.getTime() + n * 1000),
    status: "approved",
    approvedFields: ["naam.geslachtsnaam"],
    approvedProbes: [],
    subjects: [],
    recipients: [],
    themeDataset: null,
    version: 1,
    ...over,
  });
  const checks = [
    check(3, { kind: "1", source: "bag", requestedFields: [], requestedProbes: ["bag.bewoond"] }),
    check(1, {
      status: "partially_approved",
      subjects: ["persoon:999993653", "adres:6200AA-91A-2"],
      recipients: ["vergunningen"],
      themeDataset: "hennepteelt@2026-1 (sha256:0123456789ab)",
      version: 4,
    }),
    check(2, { status: "rejected", approvedFields: [] }),
  ];
  const subjects = [
    "persoon:999993653",
    "persoon:999990019",
    "object:0935010000000001",
    "onderneming:88888888",
  ];

  beforeAll(async () => {
    db = await createTestDb();
    await caseRepository.insert(db, aCase);
    for (const c of checks) await caseRepository.insertCheck(db, c);
    // Microseconds, as `now()` writes them: the separate read and the view must round alike.
    await db.query("UPDATE privacy_checks SET requested_at = '2026-03-01 10:00:02.345678+00' WHERE id = $1", [
      "view-check-2",
    ]);
    await caseSubjectRepository.insert(db, aCase.id, subjects, {
      origin: "added",
      checkId: null,
      motivation: "Test setup.",
      addedBy: "test.setup",
      addedAt: at,
    });
    const request = (id: string, key: string, receivedAt: string, extra = "") =>
      db.query(
        `INSERT INTO subject_requests (id, case_id, subject_key, kind, received_at, motivation, recorded_by, recorded_at${extra ? ", lifted_at, lifted_by, lift_motivation" : ""})
         VALUES ($1, $2, $3, 'restriction', $4, 'Contested.', 'jurist', now()${extra})`,
        [id, aCase.id, key, receivedAt],
      );
    // Two in force for one subject (the oldest counts), one lifted, one for another subject.
    await request("req-b", "persoon:999993653", "2026-03-05 08:00:00.250001+00");
    await request("req-a", "persoon:999993653", "2026-03-04 08:00:00+00");
    await request("req-c", "persoon:999990019", "2026-03-02 08:00:00+00", ", now(), 'jurist', 'Lifted.'");
    await request("req-d", "object:0935010000000001", "2026-03-06 23:59:59.999999+00");
  });
  afterAll(() => db.close());

  it("gives the case, its checks, restrictions and subjects exactly as their own reads do", async () => {
    const view = await caseRepository.view(db, aCase.id);
    const record = await caseRepository.get(db, aCase.id);
    expect(record).toEqual(aCase);
    expect(view.record).toEqual(record);
    expect(view.record?.openedAt).toBeInstanceOf(Date);
    expect(view.record?.closedAt).toBeInstanceOf(Date);

    const separate = await caseRepository.checksForCase(db, aCase.id);
    expect(separate.map((c) => c.id)).toEqual(["view-check-1", "view-check-2", "view-check-3"]);
    expect(view.checks).toEqual(separate);
    view.checks.forEach((c, i) => {
      const s = separate[i]!;
      // Field by field, so a difference of type (text for a Date, a string for an array) shows.
      for (const key of Object.keys(s) as (keyof PrivacyCheckRecord)[]) {
        expect(c[key], `${c.id}.${key}`).toStrictEqual(s[key]);
        expect(typeof c[key], `${c.id}.${key}`).toBe(typeof s[key]);
      }
      expect(c.requestedAt).toBeInstanceOf(Date);
      expect(c.requestedAt.getTime()).toBe(s.requestedAt.getTime());
    });

    const restrictions = await restrictionsInForce(db, aCase.id);
    expect([...restrictions.keys()].sort()).toEqual(["object:0935010000000001", "persoon:999993653"]);
    expect(restrictions.get("persoon:999993653")?.requestId).toBe("req-a");
    expect([...view.restrictions.entries()]).toStrictEqual([...restrictions.entries()]);
    for (const [key, r] of view.restrictions) {
      expect(r.receivedAt).toBeInstanceOf(Date);
      expect(r.receivedAt.getTime(), key).toBe(restrictions.get(key)!.receivedAt.getTime());
    }

    const keys = await caseSubjectRepository.keys(db, aCase.id);
    expect(keys.size).toBe(subjects.length);
    expect(view.subjectKeys).toStrictEqual(keys);
  });

  it("for a case that does not exist, nothing, in the same one statement", async () => {
    expect(await caseRepository.get(db, "no-such-case")).toBeUndefined();
    const view = await caseRepository.view(db, "no-such-case");
    expect(view.record).toBeUndefined();
    expect(view.checks).toEqual([]);
    expect(view.restrictions.size).toBe(0);
    expect(view.subjectKeys.size).toBe(0);
  });

  it("for a case without checks, restrictions or subjects, the case and empty collections", async () => {
    const bare: CaseRecord = {
      ...aCase,
      id: "case-view-2",
      reference: "VIEW-2",
      closedAt: null,
      status: "open",
    };
    await caseRepository.insert(db, bare);
    const view = await caseRepository.view(db, bare.id);
    expect(view.record).toEqual(bare);
    expect(view.record?.closedAt).toBeNull();
    expect([view.checks.length, view.restrictions.size, view.subjectKeys.size]).toEqual([0, 0, 0]);
  });
});

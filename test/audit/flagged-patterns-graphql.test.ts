import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditKeyOf } from "../../src/app/bootstrap.ts";
import { createAuditLog } from "../../src/audit/index.ts";
import { startTestApp, errorCodes, type GqlResult, type TestApp } from "../utils/test-app.ts";
import { createTestDb } from "../utils/test-db.ts";
import { BSN } from "./audit-fixtures.ts";

/**
 * Issue 13, signals for the privacy officer, through GraphQL: patterns in the audit log land in the
 * queue of flagged events (`flaggedEvents`) with their window, counts and links to the records;
 * the privacy officer and the FG see them, an analyst and a coordinator get nothing (deny by
 * default, and that is logged); no BSN and no verified value appears anywhere in the answer.
 * Here under test/audit, so CI runs it on PostgreSQL too (the gateway runs on the test's database).
 */
let t: TestApp;
let analyst: string;
let officer: string;
let fg: string;
let coordinator: string;
let resident: string;
let caseId: string;
let dates: string[];

const EVENT = `id at lastAt attempts flag rule reason caseId actor operation subjectPseudonym subjectType
  reviewed review { actor note }
  pattern { kind windowStart windowEnd measure threshold caseIds recordSeqs recordsTotal
    records { id seq kind actor decision operation caseId subjectPseudonym detail } }`;
const QUEUE = `query($flag: String, $all: Boolean) { flaggedEvents(flag: $flag, includeReviewed: $all) { ${EVENT} } }`;
const REVIEW = `mutation($id: ID!, $note: String!) { reviewFlaggedEvent(id: $id, note: $note) { ${EVENT} } }`;

interface Event {
  id: string;
  flag: string;
  rule: string;
  reason: string;
  caseId: string | null;
  actor: string;
  attempts: number;
  subjectPseudonym: string | null;
  reviewed: boolean;
  pattern: {
    kind: string;
    measure: number;
    threshold: number;
    caseIds: string[];
    recordSeqs: number[];
    recordsTotal: number;
    records:
      { id: string; seq: number; kind: string; actor: string; decision: string; operation: string }[] | null;
  } | null;
}

const events = (r: GqlResult) => (r.data as { flaggedEvents: Event[] } | null)?.flaggedEvents ?? [];
const ok = (r: GqlResult) => expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();

beforeAll(async () => {
  const db = await createTestDb();
  t = await startTestApp({
    // No tick: the reading of the queue is what scans here. VERIFY_MAX_CHANGES high enough that
    // the verifications below answer (their refusal would be one more denial).
    env: { FLAG_SCAN_INTERVAL_S: "0", VERIFY_MAX_CHANGES: "5" },
    wrapDb: (raw) => {
      void raw.close();
      return db;
    },
  });
  analyst = await t.token("analist.jansen", "analyst");
  officer = await t.token("privacy.officer", "privacy_officer");
  fg = await t.token("fg", "dpo");
  coordinator = await t.token("coordinator.de.vries", "coordinator");
  resident = t.app.demo!.municipality.wellKnown.residentBsn;

  // pattern.denials: the analyst tries the queue ten times (FLAG_DENIALS_THRESHOLD=10), and is
  // refused once more below.
  for (let i = 0; i < 10; i++)
    expect(errorCodes(await t.gql(analyst, QUEUE))).toEqual({ flaggedEvents: "FORBIDDEN" });

  // pattern.verifyVariants: one person verified with three birth dates (FLAG_VERIFY_VARIANTS=3).
  const opened = await t.gql(
    analyst,
    `mutation($s: [String!]) { openCase(input: { reference: "PATTERN-VERIFY", motivation: "Signal received.", subjects: $s }) { id } }`,
    { s: [`persoon:${resident}`] },
  );
  ok(opened);
  caseId = (opened.data as { openCase: { id: string } }).openCase.id;
  dates = ["1961-02-03", "1962-03-04", "1963-04-05"];
  for (const date of dates)
    ok(
      await t.gql(
        analyst,
        `query($id: ID!, $bsn: String!, $d: String!) { case(id: $id) { persoon(bsn: $bsn) { verify(input: { geboortedatum: $d }) { overall } } } }`,
        { id: caseId, bsn: resident, d: date },
      ),
    );

  // A refusal flagged by its rule (a person who is no subject of the case): the 11th denial.
  const stranger = await t.gql(
    analyst,
    `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { verify(input: { geboortedatum: "1970-01-01" }) { overall } } } }`,
    { id: caseId, bsn: BSN },
  );
  expect(JSON.stringify(stranger.errors)).toContain("FORBIDDEN");

  // pattern.offHours: a disclosure on a Saturday night, written with the gateway's own key on a
  // fixed clock (Saturday 7 March 2026, 02:30 in Amsterdam).
  const key = await auditKeyOf(t.app.config, false);
  const night = createAuditLog({
    db: t.app.db,
    hmacKey: key!,
    clock: { now: () => new Date("2026-03-07T01:30:00Z") },
  });
  const written = await night.append([
    {
      kind: "disclosure",
      actor: "analist.nacht",
      roles: ["analyst"],
      caseId,
      phase: "intake",
      processingActivity: "ondermijning.intake",
      operation: "brp.fields",
      source: "brp",
      subject: BSN,
      subjectType: "bsn",
      fields: ["naam"],
      decision: "allow",
      reason: "test: a disclosure at night",
      policyHash: t.app.policy.hash,
      traceId: "0af7651916cd43dd8448eb211c80319c",
    },
  ]);
  expect(written.ok).toBe(true);
});
afterAll(() => t.close());

describe("patterns in the privacy officer's queue (issue 13)", () => {
  it("the privacy officer sees each pattern with its window, counts and the records it rests on", async () => {
    const r = await t.gql(officer, QUEUE);
    ok(r);
    const byFlag = new Map(events(r).map((e) => [e.flag, e]));

    const denials = byFlag.get("pattern.denials");
    expect(denials).toMatchObject({
      rule: "patterns.denials",
      actor: "analist.jansen",
      // The queue's refusals are in no case; the one refusal in a case names it.
      caseId,
      reviewed: false,
      pattern: { kind: "denials", measure: 11, threshold: 10, recordsTotal: 11, caseIds: [caseId] },
    });
    expect(denials!.reason).toMatch(/FLAG_DENIALS_THRESHOLD=10/);
    const denied = denials!.pattern!.records!;
    expect(denied.map((x) => x.seq)).toEqual(denials!.pattern!.recordSeqs);
    expect(denied.every((x) => x.actor === "analist.jansen" && x.decision === "deny")).toBe(true);
    expect(denied.map((x) => x.operation).sort()).toEqual(
      [...Array(10).fill("flagged.read"), "brp.verify"].sort(),
    );

    const verify = byFlag.get("pattern.verifyVariants");
    expect(verify).toMatchObject({
      actor: "analist.jansen",
      caseId,
      subjectPseudonym: t.app.audit.pseudonymise(resident, "bsn"),
      subjectType: "bsn",
      pattern: { kind: "verifyVariants", measure: 3, threshold: 3, caseIds: [caseId] },
    });
    expect(verify!.pattern!.records!.map((x) => x.operation)).toEqual([
      "brp.verify",
      "brp.verify",
      "brp.verify",
    ]);
    expect(verify!.reason).toMatch(/Maastricht art\. 14/);

    const night = byFlag.get("pattern.offHours");
    expect(night).toMatchObject({
      actor: "analist.nacht",
      caseId,
      pattern: {
        kind: "offHours",
        measure: 1,
        threshold: 1,
        // The local day in Amsterdam (CET), as instants.
      },
    });
    expect(night!.pattern!.records).toHaveLength(1);

    // No BSN and no verified value anywhere in the answer.
    const text = JSON.stringify(r);
    for (const secret of [resident, BSN, ...dates]) expect(text).not.toContain(secret);
  });

  it("reading the queue again finds the same events (no duplicates)", async () => {
    const first = events(await t.gql(officer, QUEUE)).filter((e) => e.flag.startsWith("pattern."));
    const again = events(await t.gql(officer, QUEUE)).filter((e) => e.flag.startsWith("pattern."));
    expect(again.map((e) => e.id).sort()).toEqual(first.map((e) => e.id).sort());
    expect(again.filter((e) => e.flag === "pattern.denials")).toHaveLength(1);
  });

  it("filters by a pattern's flag", async () => {
    const r = await t.gql(officer, QUEUE, { flag: "pattern.offHours" });
    ok(r);
    // The night's disclosure, and (when this test runs outside office hours) the test's own actors.
    expect(new Set(events(r).map((e) => e.flag))).toEqual(new Set(["pattern.offHours"]));
    expect(events(r).map((e) => e.actor)).toContain("analist.nacht");
    const refusals = events(await t.gql(officer, QUEUE, { flag: "notACaseSubject" }));
    expect(refusals.map((e) => e.flag)).toEqual(["notACaseSubject"]);
    expect(refusals[0]!.pattern).toBeNull();
  });

  it("the FG sees them too, records included (audit.read)", async () => {
    const r = await t.gql(fg, QUEUE, { flag: "pattern.denials" });
    ok(r);
    expect(events(r)[0]?.pattern?.records).toHaveLength(11);
  });

  it("an analyst and a coordinator get nothing, and the refusal is logged", async () => {
    for (const [token, actor] of [
      [analyst, "analist.jansen"],
      [coordinator, "coordinator.de.vries"],
    ] as const) {
      const before = await t.app.audit.list({ actor, operation: "flagged.read", decision: "deny" });
      const r = await t.gql(token, QUEUE);
      expect(errorCodes(r)).toEqual({ flaggedEvents: "FORBIDDEN" });
      expect(r.data ?? null).toBeNull();
      const after = await t.app.audit.list({ actor, operation: "flagged.read", decision: "deny" });
      expect(after).toHaveLength(before.length + 1);
    }
  });

  it("a review takes a pattern out of the queue; never by its own actor", async () => {
    const [denials] = events(await t.gql(officer, QUEUE, { flag: "pattern.denials" }));
    const own = await t.token("analist.jansen", "privacy_officer");
    const refused = await t.gql(own, REVIEW, { id: denials!.id, note: "Looks fine to me." });
    expect(errorCodes(refused)).toEqual({ reviewFlaggedEvent: "FORBIDDEN" });

    const note = "Analyst tried the queue; explained the roles, no further action.";
    const reviewed = await t.gql(officer, REVIEW, { id: denials!.id, note });
    ok(reviewed);
    expect((reviewed.data as { reviewFlaggedEvent: Event }).reviewFlaggedEvent).toMatchObject({
      id: denials!.id,
      reviewed: true,
      flag: "pattern.denials",
    });
    expect(events(await t.gql(officer, QUEUE, { flag: "pattern.denials" }))).toEqual([]);
    const all = events(await t.gql(officer, QUEUE, { flag: "pattern.denials", all: true }));
    expect(all.map((e) => e.id)).toEqual([denials!.id]);
    const again = await t.gql(officer, REVIEW, { id: denials!.id, note });
    expect(again.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    // The review is an audit record in the chain.
    const records = await t.app.audit.list({ kind: "review", decision: "allow" });
    expect(records.map((x) => x.detail)).toContainEqual({
      reviews: denials!.id,
      flag: "pattern.denials",
      note,
    });
    expect((await t.app.audit.verify()).ok).toBe(true);
  });
});

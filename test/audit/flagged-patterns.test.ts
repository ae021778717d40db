import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  createAuditLog,
  createPatternDetector,
  destroyFlaggedPatterns,
  listPatterns,
  MAX_LINKED_RECORDS,
  parseOfficeHours,
  scanPatterns,
  tombstoneCaseRecords,
  type AuditEntry,
  type AuditLog,
  type PatternKind,
  type PatternSettings,
} from "../../src/audit/index.ts";
import { SCAN_BATCH } from "../../src/audit/pattern-records.ts";
import type { OperationContext } from "../../src/context/index.ts";
import { patternRecordsFor } from "../../src/flagged/index.ts";
import { loadPolicySet } from "../../src/policy/index.ts";
import type { Clock, Role } from "../../src/shared/index.ts";
import type { Db } from "../../src/store/index.ts";
import { createTestDb } from "../utils/test-db.ts";
import { BSN, entry, HMAC_KEY, OTHER_BSN } from "./audit-fixtures.ts";

/**
 * Issue 13, signals for the privacy officer: the patterns in the audit log (src/audit/flag-patterns.ts)
 * on a scripted history, each just below and exactly at its threshold, deduplicated over rescans,
 * and office hours on a fixed clock (Europe/Amsterdam, summer and winter time).
 */
const MIN = 60_000;
const spans = parseOfficeHours("Mon-Fri 07:00-19:00");
if (!spans.ok) throw new Error(spans.error);
const SETTINGS: PatternSettings = {
  denialsThreshold: 10,
  verifyVariants: 3,
  probeSubjects: 20,
  windowMs: 60 * MIN,
  officeHours: { spans: spans.value, timeZone: "Europe/Amsterdam" },
};
/** Tuesday 3 March 2026, 10:00 in Amsterdam (CET, UTC+1): office hours. */
const TUESDAY_10 = Date.parse("2026-03-03T09:00:00Z");

let db: Db;
let now: number;
const clock: Clock = { now: () => new Date(now) };
let log: AuditLog;
let ids = 0;

beforeEach(async () => {
  db = await createTestDb();
  now = TUESDAY_10;
  log = createAuditLog({ db, hmacKey: HMAC_KEY, clock });
});
afterEach(() => db.close());

/** Appends `e` at `at` (ms) and returns its seq. */
async function at(when: number, e: Partial<AuditEntry>): Promise<number> {
  now = when;
  const written = await log.append([entry(e)]);
  if (!written.ok) throw new Error(written.error.reason);
  return written.value[0]!.seq;
}

const denial = (actor = "analyst-1", caseId = "case-1"): Partial<AuditEntry> => ({
  kind: "denial",
  decision: "deny",
  actor,
  caseId,
  operation: "brp.fields",
  probes: undefined,
  mode: undefined,
  reason: "No rule permits this",
});
const verify = (valueSet: string, subject = BSN, caseId = "case-1"): Partial<AuditEntry> => ({
  operation: "brp.verify",
  mode: "verify",
  probes: undefined,
  subject,
  caseId,
  detail: { overall: "NO_MATCH", valueSet },
});
/** A hit/no-hit probe about subject number `n` (distinct valid-looking ids; the log pseudonymises them). */
const probe = (n: number): Partial<AuditEntry> => ({ subject: `9999${String(n).padStart(5, "0")}` });

const scan = () => scanPatterns(db, SETTINGS, clock, () => `pattern-${++ids}`);
const events = (pattern?: PatternKind) => listPatterns(db, { pattern, includeReviewed: true, limit: 100 });

describe("pattern.denials: many refusals by one actor (FLAG_DENIALS_THRESHOLD in FLAG_WINDOW_MIN)", () => {
  it("9 refusals within the window do not flag; the 10th does, with every record linked", async () => {
    const seqs: number[] = [];
    for (let i = 0; i < 9; i++) seqs.push(await at(TUESDAY_10 + i * 5 * MIN, denial()));
    // Another actor's refusals and the actor's allowed records do not count.
    await at(TUESDAY_10 + 46 * MIN, denial("analyst-2"));
    await at(TUESDAY_10 + 47 * MIN, {});
    await scan();
    expect(await events("denials")).toEqual([]);

    seqs.push(await at(TUESDAY_10 + 59 * MIN, denial()));
    await scan();
    const [event, ...more] = await events("denials");
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      actor: "analyst-1",
      measure: 10,
      threshold: 10,
      recordsTotal: 10,
      recordSeqs: seqs,
      caseIds: ["case-1"],
      operations: ["brp.fields"],
      windowStart: new Date(TUESDAY_10),
      windowEnd: new Date(TUESDAY_10 + 60 * MIN),
      firstAt: new Date(TUESDAY_10),
      lastAt: new Date(TUESDAY_10 + 59 * MIN),
      subjectPseudonym: null,
    });
  });

  it("10 refusals spread over exactly the window's length do not flag (the window's end is exclusive)", async () => {
    for (let i = 0; i < 9; i++) await at(TUESDAY_10 + i * MIN, denial());
    await at(TUESDAY_10 + 60 * MIN, denial());
    await scan();
    expect(await events("denials")).toEqual([]);
  });

  it("deduplicates: a rescan adds nothing, later records in the window join the event, after it a new one opens", async () => {
    const seqs: number[] = [];
    for (let i = 0; i < 10; i++) seqs.push(await at(TUESDAY_10 + i * MIN, denial()));
    expect(await scan()).toMatchObject({ created: 1, updated: 0 });
    expect(await scan()).toMatchObject({ scanned: 0, created: 0, updated: 0 });

    // Two more within the window: the same event, updated.
    seqs.push(await at(TUESDAY_10 + 30 * MIN, denial()));
    seqs.push(await at(TUESDAY_10 + 59 * MIN, denial()));
    expect(await scan()).toMatchObject({ created: 0, updated: 1 });
    const [event] = await events("denials");
    expect(event).toMatchObject({ measure: 12, recordsTotal: 12, recordSeqs: seqs });

    // Scanning the whole log again from the start finds the same event, once.
    await db.query("UPDATE flagged_pattern_scan SET last_seq = 0 WHERE id = 1");
    await scan();
    expect(await events("denials")).toEqual([event]);

    // After the window: nine refusals are no new event, the tenth is.
    for (let i = 0; i < 9; i++) await at(TUESDAY_10 + (61 + i) * MIN, denial());
    await scan();
    expect(await events("denials")).toHaveLength(1);
    await at(TUESDAY_10 + 75 * MIN, denial());
    await scan();
    const both = await events("denials");
    expect(both).toHaveLength(2);
    expect(both[0]).toMatchObject({ measure: 10, windowStart: new Date(TUESDAY_10 + 61 * MIN) });
    // No record is in two events.
    expect(both[0]!.recordSeqs.filter((s) => both[1]!.recordSeqs.includes(s))).toEqual([]);
  });

  it("a history longer than one scan batch is one event; it links the first 1000 records and counts all", async () => {
    now = TUESDAY_10;
    const written = await log.append(Array.from({ length: SCAN_BATCH + 3 }, () => entry(denial())));
    expect(written.ok).toBe(true);
    expect(await scan()).toMatchObject({ scanned: SCAN_BATCH + 3, created: 1, updated: 1 });
    const [event, ...more] = await events("denials");
    expect(more).toEqual([]);
    expect(event).toMatchObject({ measure: SCAN_BATCH + 3, recordsTotal: SCAN_BATCH + 3 });
    expect(event!.recordSeqs).toHaveLength(MAX_LINKED_RECORDS);
  });

  it("two scans in parallel write one event (the scan lock)", async () => {
    for (let i = 0; i < 10; i++) await at(TUESDAY_10 + i * MIN, denial());
    await Promise.all([scan(), scan(), scan()]);
    expect(await events("denials")).toHaveLength(1);
  });
});

describe("pattern.verifyVariants: one subject verified with different values (FLAG_VERIFY_VARIANTS)", () => {
  it("two value sets, repeated, do not flag; a third does; another subject's values do not count", async () => {
    const first = await at(TUESDAY_10, verify("set-a"));
    await at(TUESDAY_10 + MIN, verify("set-b"));
    await at(TUESDAY_10 + 2 * MIN, verify("set-a"));
    await at(TUESDAY_10 + 3 * MIN, verify("set-c", OTHER_BSN));
    // A verify record without a fingerprint (written before issue 13) counts for nothing.
    await at(TUESDAY_10 + 4 * MIN, { ...verify("x"), detail: { overall: "MATCH" } });
    await scan();
    expect(await events("verifyVariants")).toEqual([]);

    // Fishing across cases: the fingerprint has no case in it.
    const third = await at(TUESDAY_10 + 50 * MIN, verify("set-d", BSN, "case-2"));
    await scan();
    const [event, ...more] = await events("verifyVariants");
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      actor: "analyst-1",
      measure: 3,
      threshold: 3,
      recordsTotal: 4,
      caseIds: ["case-1", "case-2"],
      subjectPseudonym: log.pseudonymise(BSN, "bsn"),
      subjectType: "bsn",
    });
    expect(event!.recordSeqs[0]).toBe(first);
    expect(event!.recordSeqs.at(-1)).toBe(third);

    // The other subject's third value set is an event of its own.
    await at(TUESDAY_10 + 51 * MIN, verify("set-e", OTHER_BSN));
    await at(TUESDAY_10 + 52 * MIN, verify("set-f", OTHER_BSN));
    await scan();
    const all = await events("verifyVariants");
    expect(all.map((e) => e.subjectPseudonym).sort()).toEqual(
      [log.pseudonymise(BSN, "bsn"), log.pseudonymise(OTHER_BSN, "bsn")].sort(),
    );
    // A fourth value set of the first subject joins its event.
    await at(TUESDAY_10 + 55 * MIN, verify("set-g"));
    await scan();
    const updated = (await events("verifyVariants")).find((e) => e.id === event!.id);
    expect(updated).toMatchObject({ measure: 4, recordsTotal: 5 });
  });

  it("counts refused verifications too (the limit refuses, the pattern shows the fishing)", async () => {
    await at(TUESDAY_10, verify("set-a"));
    await at(TUESDAY_10 + MIN, verify("set-b"));
    await at(TUESDAY_10 + 2 * MIN, { ...verify("set-c"), kind: "denial", decision: "deny" });
    await scan();
    expect(await events("verifyVariants")).toHaveLength(1);
  });
});

describe("pattern.probeSpread: hit/no-hit probes over many subjects (FLAG_PROBE_SUBJECTS)", () => {
  it("19 subjects, asked again and again, do not flag; the 20th does", async () => {
    for (let n = 0; n < 19; n++) await at(TUESDAY_10 + n * MIN, probe(n));
    for (let n = 0; n < 5; n++) await at(TUESDAY_10 + (20 + n) * MIN, probe(n));
    // Other operations about other subjects are no probes.
    await at(TUESDAY_10 + 30 * MIN, { ...probe(99), operation: "brp.fields", probes: undefined });
    await scan();
    expect(await events("probeSpread")).toEqual([]);

    await at(TUESDAY_10 + 40 * MIN, probe(19));
    await scan();
    const [event, ...more] = await events("probeSpread");
    expect(more).toEqual([]);
    expect(event).toMatchObject({ measure: 20, threshold: 20, recordsTotal: 25, operations: ["brp.hits"] });
    // The event names no subject; its records are the evidence.
    expect(event!.subjectPseudonym).toBeNull();
    expect(JSON.stringify(event)).not.toContain("999900019");
  });
});

describe("pattern.offHours: case data outside OFFICE_HOURS in OFFICE_TIMEZONE, one event per actor and day", () => {
  const amsterdam = (iso: string) => Date.parse(iso);

  it("flags outside office hours only, by local time in winter and in summer", async () => {
    // Winter (CET, UTC+1): Tuesday 18:59 local is in, 19:00 is out, 06:59 is out.
    await at(amsterdam("2026-03-03T17:59:00Z"), {});
    await scan();
    expect(await events("offHours")).toEqual([]);
    await at(amsterdam("2026-03-03T18:00:00Z"), {});
    await scan();
    const [evening] = await events("offHours");
    expect(evening).toMatchObject({
      actor: "analyst-1",
      measure: 1,
      windowStart: new Date("2026-03-02T23:00:00Z"),
      windowEnd: new Date("2026-03-03T23:00:00Z"),
    });
    await at(amsterdam("2026-03-04T05:59:00Z"), {});
    await scan();
    expect(await events("offHours")).toHaveLength(2);

    // Summer (CEST, UTC+2): 17:30 UTC is 19:30 local, out (in winter time it would be in).
    await at(amsterdam("2026-06-02T17:30:00Z"), {});
    // 05:30 UTC is 07:30 local, in.
    await at(amsterdam("2026-06-03T05:30:00Z"), {});
    await scan();
    const summer = (await events("offHours")).filter((e) => e.firstAt.getUTCMonth() === 5);
    expect(summer).toHaveLength(1);
    expect(summer[0]).toMatchObject({
      windowStart: new Date("2026-06-01T22:00:00Z"),
      windowEnd: new Date("2026-06-02T22:00:00Z"),
    });
  });

  it("a weekend day is outside; one event per actor and day, later records join it", async () => {
    // Saturday 7 March 2026.
    const first = await at(amsterdam("2026-03-07T09:00:00Z"), {});
    await scan();
    const second = await at(amsterdam("2026-03-07T15:00:00Z"), { operation: "brp.fields" });
    await at(amsterdam("2026-03-07T15:01:00Z"), { actor: "analyst-2" });
    // Refused, or without a case: no access of case data.
    await at(amsterdam("2026-03-07T15:02:00Z"), denial());
    await at(amsterdam("2026-03-07T15:03:00Z"), {
      caseId: undefined,
      kind: "access",
      operation: "reports.read",
    });
    await scan();
    const mine = (await events("offHours")).filter((e) => e.actor === "analyst-1");
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      measure: 2,
      recordSeqs: [first, second],
      operations: ["brp.fields", "brp.hits"],
    });
    expect((await events("offHours")).filter((e) => e.actor === "analyst-2")).toHaveLength(1);
    // Sunday is another day, another event.
    await at(amsterdam("2026-03-08T09:00:00Z"), {});
    await scan();
    expect((await events("offHours")).filter((e) => e.actor === "analyst-1")).toHaveLength(2);
  });

  it("an opened case file (kind access with a case) counts like a disclosure", async () => {
    await at(amsterdam("2026-03-07T09:00:00Z"), {
      kind: "access",
      operation: "case.read",
      subject: undefined,
    });
    await scan();
    expect(await events("offHours")).toHaveLength(1);
  });
});

describe("the detector (when patterns are looked for)", () => {
  it("never rejects: a failing database is logged, and the next tick runs again", async () => {
    const warn = vi.fn();
    const info = vi.fn();
    let tick: (() => void) | undefined;
    const broken: Db = {
      ...db,
      transaction: () => Promise.reject(new Error("connection lost")),
    };
    const detector = createPatternDetector({
      db: broken,
      settings: SETTINGS,
      clock,
      newId: () => `p-${++ids}`,
      logger: { warn, info },
      intervalMs: 1000,
      timers: {
        set: (fn) => {
          tick = fn;
          return 1;
        },
        clear: () => undefined,
      },
    });
    await expect(detector.detect()).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith({ reason: "connection lost" }, "flagged patterns: detection failed");
    const firstTick = tick;
    firstTick!();
    await detector.detect();
    expect(warn).toHaveBeenCalledTimes(2);
    // After the failed tick the next one is scheduled (the tick's own continuation ran first).
    expect(tick).not.toBe(firstTick);
    await detector.stop();
  });

  it("a tick scans the log", async () => {
    for (let i = 0; i < 10; i++) await at(TUESDAY_10 + i * MIN, denial());
    let tick: (() => void) | undefined;
    const info = vi.fn();
    const detector = createPatternDetector({
      db,
      settings: SETTINGS,
      clock,
      newId: () => `p-${++ids}`,
      logger: { warn: vi.fn(), info },
      intervalMs: 1000,
      timers: {
        set: (fn) => {
          tick = fn;
          return 1;
        },
        clear: () => undefined,
      },
    });
    expect(await events("denials")).toEqual([]);
    tick!();
    // The tick's scan is the one in progress: joining it waits for it.
    await detector.detect();
    expect(await events("denials")).toHaveLength(1);
    await detector.stop();
  });
});

describe("retention (Delft art. 7d): a destroyed case takes the patterns' links to its records", () => {
  it("drops the case's records and the case from an event, and an event with nothing left entirely", async () => {
    // One event over two cases, one event in case-1 only.
    for (let i = 0; i < 5; i++) await at(TUESDAY_10 + i * MIN, denial("analyst-1", "case-1"));
    const kept: number[] = [];
    for (let i = 5; i < 10; i++) kept.push(await at(TUESDAY_10 + i * MIN, denial("analyst-1", "case-2")));
    for (let i = 0; i < 10; i++) await at(TUESDAY_10 + i * MIN, denial("analyst-2", "case-1"));
    await scan();
    expect(await events("denials")).toHaveLength(2);

    const touched = await db.transaction(async (tx) => {
      await tombstoneCaseRecords(tx, "case-1");
      return destroyFlaggedPatterns(tx, "case-1");
    });
    expect(touched).toEqual({ flagged_patterns: 2 });
    const left = await events("denials");
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ actor: "analyst-1", caseIds: ["case-2"], recordSeqs: kept });
    // Once more: nothing to do.
    expect(await db.transaction((tx) => destroyFlaggedPatterns(tx, "case-1"))).toEqual({
      flagged_patterns: 0,
    });
  });
});

describe("the records a pattern links to", () => {
  it("are read only for a role granted audit.read (deny by default); the seqs are all anyone else gets", async () => {
    const loaded = await loadPolicySet("policies");
    if (!loaded.ok) throw new Error("policy");
    const seqs: number[] = [];
    for (let i = 0; i < 10; i++) seqs.push(await at(TUESDAY_10 + i * MIN, denial()));
    await scan();
    const [event] = await events("denials");
    const pattern = {
      kind: event!.pattern,
      windowStart: event!.windowStart,
      windowEnd: event!.windowEnd,
      measure: event!.measure,
      threshold: event!.threshold,
      caseIds: event!.caseIds,
      recordSeqs: event!.recordSeqs,
      recordsTotal: event!.recordsTotal,
    };
    const as = (role: Role) =>
      ({
        db,
        policy: loaded.value,
        actor: { subject: "someone", roles: [role], amr: [], issuer: "test" },
      }) as unknown as OperationContext;
    const records = await patternRecordsFor(as("privacy_officer"), pattern);
    expect(records?.map((r) => r.seq)).toEqual(seqs);
    for (const role of ["analyst", "coordinator", "department_member"] as const)
      expect(await patternRecordsFor(as(role), pattern)).toBeNull();
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { createAuditLog, GENESIS_HASH, type AuditLog } from "../../src/audit/index.ts";
import type { Db } from "../../src/store/index.ts";
import { connectAgain, createTestDb, dialectUnderTest } from "../utils/test-db.ts";
import { BSN, entry, HMAC_KEY, OTHER_BSN, steppingClock } from "./audit-fixtures.ts";

describe(`audit log (${dialectUnderTest()})`, () => {
  const dbs: Db[] = [];
  afterEach(async () => {
    await Promise.all(dbs.splice(0).map((db) => db.close()));
  });
  const setup = async (overrides: { newId?: () => string } = {}): Promise<{ db: Db; log: AuditLog }> => {
    const db = await createTestDb();
    dbs.push(db);
    return { db, log: createAuditLog({ db, hmacKey: HMAC_KEY, clock: steppingClock(), ...overrides }) };
  };

  it("appends records that list returns unchanged, chained from the genesis hash", async () => {
    const { log } = await setup();
    const appended = await log.append([entry(), entry({ operation: "brp.fields", mode: "fields" })]);
    expect(appended.ok).toBe(true);
    if (!appended.ok) return;
    const [first, second] = appended.value;
    expect(first?.prevHash).toBe(GENESIS_HASH);
    expect(second?.prevHash).toBe(first?.hash);
    expect(first?.seq).toBeLessThan(second?.seq ?? 0);
    expect(first).not.toHaveProperty("subject");
    expect(first?.subjectPseudonym).toBe(log.pseudonymise(BSN, "bsn"));
    expect(await log.list()).toStrictEqual(appended.value);
  });

  it("stores absent optional fields as absent", async () => {
    const { log } = await setup();
    const minimal = {
      kind: "policy",
      actor: "system",
      roles: [],
      processingActivity: "ondermijning.beheer",
      operation: "policy.load",
      decision: "allow",
      reason: "loaded",
      policyHash: "p",
      traceId: "t",
    } as const;
    const appended = await log.append([minimal]);
    const [listed] = await log.list();
    expect(appended.ok && appended.value[0]).toStrictEqual(listed);
    expect(Object.keys(listed ?? {}).sort()).toStrictEqual(
      [
        ...Object.keys(minimal),
        // Every record is its own LDV action with a status (issue 13), outside a request without a parent.
        "spanId",
        "status",
        "seq",
        "id",
        "at",
        "contentHash",
        "prevHash",
        "hash",
        "tombstone",
      ].sort(),
    );
    expect((await log.verify()).ok).toBe(true);
  });

  it("finds who looked up a subject, and filters by case, actor, kind, decision, time and seq", async () => {
    const { log } = await setup();
    const result = await log.append([
      entry({ actor: "a1", caseId: "c1", subject: BSN }),
      entry({ actor: "a2", caseId: "c1", subject: OTHER_BSN, kind: "denial", decision: "deny" }),
      entry({ actor: "a2", caseId: "c2", subject: BSN }),
      entry({ actor: "a3", caseId: "c3", subject: "12345678", subjectType: "kvkNummer" }),
      entry({ actor: "a4", caseId: undefined, subject: undefined, subjectType: undefined, kind: "policy" }),
    ]);
    expect(result.ok).toBe(true);
    const actors = async (filter: Parameters<AuditLog["list"]>[0]) =>
      (await log.list(filter)).map((record) => record.actor);

    expect(await actors({ subject: BSN })).toStrictEqual(["a1", "a2"]);
    expect(await actors({ subject: BSN, subjectType: "kvkNummer" })).toStrictEqual([]);
    expect(await actors({ subject: "12345678" })).toStrictEqual(["a3"]);
    expect(await actors({ caseId: "c1" })).toStrictEqual(["a1", "a2"]);
    expect(await actors({ actor: "a2" })).toStrictEqual(["a2", "a2"]);
    expect(await actors({ actor: "a2", caseId: "c2" })).toStrictEqual(["a2"]);
    expect(await actors({ kind: "policy" })).toStrictEqual(["a4"]);
    expect(await actors({ decision: "deny" })).toStrictEqual(["a2"]);
    // steppingClock: one second per record from 09:00:00.
    expect(
      await actors({ from: new Date("2025-03-01T09:00:01Z"), to: new Date("2025-03-01T09:00:03Z") }),
    ).toStrictEqual(["a2", "a2"]);
    const all = await log.list();
    expect(await actors({ afterSeq: all[2]?.seq, limit: 1 })).toStrictEqual(["a3"]);
    expect(await actors({ limit: 2 })).toStrictEqual(["a1", "a2"]);
  });

  it("never stores the raw subject identifier in any column", async () => {
    const { db, log } = await setup();
    const result = await log.append([
      entry({ subject: BSN }),
      entry({ subject: OTHER_BSN, kind: "denial", decision: "deny", fields: ["naam.voornamen"] }),
    ]);
    expect(result.ok).toBe(true);
    const rows = await db.query<{ row: string }>("SELECT row_to_json(a)::text AS row FROM audit_log a");
    expect(rows).toHaveLength(2);
    for (const { row } of rows) {
      expect(row).not.toContain(BSN);
      expect(row).not.toContain(OTHER_BSN);
      expect(row).toMatch(/"subject_pseudonym":"[0-9a-f]{64}"/);
    }
  });

  it("pseudonymises deterministically, per key and per subject type", async () => {
    const { db, log } = await setup();
    const otherKey = createAuditLog({ db, hmacKey: "another-key" });
    expect(log.pseudonymise(BSN, "bsn")).toBe(log.pseudonymise(BSN, "bsn"));
    expect(log.pseudonymise(BSN, "bsn")).not.toBe(otherKey.pseudonymise(BSN, "bsn"));
    expect(log.pseudonymise(BSN, "bsn")).not.toBe(log.pseudonymise(BSN, "kvkNummer"));
    expect(log.pseudonymise(BSN, "bsn")).not.toContain(BSN);
  });

  it("keeps one linear chain across 50 concurrent appends from two replicas", async () => {
    const { db, log } = await setup();
    const replica = await connectAgain(db);
    dbs.push(replica);
    const replicaLog = createAuditLog({ db: replica, hmacKey: HMAC_KEY });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        (i % 2 === 0 ? log : replicaLog).append([entry({ actor: `a${i}` }), entry({ actor: `b${i}` })]),
      ),
    );
    expect(results.every((result) => result.ok)).toBe(true);
    const records = await log.list();
    expect(records).toHaveLength(100);
    records.forEach((record, i) => expect(record.prevHash).toBe(records[i - 1]?.hash ?? GENESIS_HASH));
    expect(await log.verify()).toStrictEqual({ ok: true, records: 100 });
  });

  it("verifies a long chain across pages", async () => {
    const { log } = await setup();
    for (let batch = 0; batch < 3; batch++)
      expect((await log.append(Array.from({ length: 450 }, (_, i) => entry({ actor: `x${i}` })))).ok).toBe(
        true,
      );
    expect(await log.verify()).toStrictEqual({ ok: true, records: 1350 });
  });

  it("detects a changed record and reports its seq", async () => {
    const { db, log } = await setup();
    await log.append(Array.from({ length: 5 }, (_, i) => entry({ actor: `a${i}` })));
    const target = (await log.list())[2];
    await db.query("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only_rows");
    await db.query("UPDATE audit_log SET reason = 'nothing to see' WHERE seq = $1", [target?.seq]);
    await db.query("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only_rows");
    expect(await log.verify()).toStrictEqual({
      ok: false,
      records: 2,
      firstBrokenSeq: target?.seq,
      reason: expect.stringContaining("content_hash"),
    });
  });

  it("detects a removed record at the record after it", async () => {
    const { db, log } = await setup();
    await log.append(Array.from({ length: 4 }, (_, i) => entry({ actor: `a${i}` })));
    const records = await log.list();
    await db.query("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only_rows");
    await db.query("DELETE FROM audit_log WHERE seq = $1", [records[1]?.seq]);
    await db.query("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only_rows");
    const verification = await log.verify();
    expect(verification).toMatchObject({ ok: false, records: 1, firstBrokenSeq: records[2]?.seq });
  });

  it("detects a rewritten hash at that record", async () => {
    const { db, log } = await setup();
    await log.append(Array.from({ length: 3 }, () => entry()));
    const records = await log.list();
    await db.query("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only_rows");
    await db.query("UPDATE audit_log SET hash = $1 WHERE seq = $2", ["f".repeat(64), records[0]?.seq]);
    await db.query("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only_rows");
    expect(await log.verify()).toMatchObject({ ok: false, records: 0, firstBrokenSeq: records[0]?.seq });
  });
});

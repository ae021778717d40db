import { afterEach, describe, expect, it } from "vitest";
import { createAuditLog, type AuditLog, type AuditRecord } from "../../src/audit/index.ts";
import type { Db } from "../../src/store/index.ts";
import { createTestDb, dialectUnderTest } from "../utils/test-db.ts";
import { entry, HMAC_KEY } from "./audit-fixtures.ts";

/** The database itself refuses to rewrite history; only retention's tombstone update passes. */
describe(`audit_log append-only trigger (${dialectUnderTest()})`, () => {
  const dbs: Db[] = [];
  afterEach(async () => {
    await Promise.all(dbs.splice(0).map((db) => db.close()));
  });
  const setup = async (): Promise<{ db: Db; log: AuditLog; records: readonly AuditRecord[] }> => {
    const db = await createTestDb();
    dbs.push(db);
    const log = createAuditLog({ db, hmacKey: HMAC_KEY });
    const result = await log.append([entry({ actor: "a1" }), entry({ actor: "a2" }), entry({ actor: "a3" })]);
    if (!result.ok) throw new Error(result.error.reason);
    return { db, log, records: result.value };
  };
  const count = async (db: Db) =>
    (await db.query<{ n: number }>("SELECT count(*) AS n FROM audit_log"))[0]?.n;

  it("refuses DELETE", async () => {
    const { db, records } = await setup();
    await expect(db.query("DELETE FROM audit_log WHERE seq = $1", [records[0]?.seq])).rejects.toThrow(
      /append-only/,
    );
    expect(await count(db)).toBe(3);
  });

  it("refuses TRUNCATE", async () => {
    const { db } = await setup();
    await expect(db.query("TRUNCATE audit_log")).rejects.toThrow(/append-only/);
    expect(await count(db)).toBe(3);
  });

  it.each([
    ["a changed reason", "reason = 'rewritten'"],
    ["a changed actor", "actor = 'someone-else'"],
    ["a nulled field without tombstone", "detail = NULL"],
    ["a tombstone that rewrites a field instead of nulling it", "tombstone = true, reason = 'rewritten'"],
    ["a tombstone with a new hash", "tombstone = true, actor = NULL, hash = repeat('0', 64)"],
    ["a tombstone with a new content hash", "tombstone = true, content_hash = repeat('0', 64)"],
    ["a tombstone that moves the record", "tombstone = true, seq = seq + 1000"],
  ])("refuses an UPDATE with %s", async (_name, assignments) => {
    const { db, records } = await setup();
    const before = await db.query("SELECT * FROM audit_log ORDER BY seq");
    await expect(
      db.query(`UPDATE audit_log SET ${assignments} WHERE seq = $1`, [records[1]?.seq]),
    ).rejects.toThrow(/append-only/);
    expect(await db.query("SELECT * FROM audit_log ORDER BY seq")).toStrictEqual(before);
  });

  it("allows retention to null personal fields into a tombstone, once, keeping the chain verifiable", async () => {
    const { db, log, records } = await setup();
    const seq = records[1]?.seq;
    await db.query(
      `UPDATE audit_log SET tombstone = true, actor = NULL, roles = NULL, client_id = NULL,
         case_id = NULL, subject_pseudonym = NULL, fields = NULL, probes = NULL, detail = NULL
       WHERE seq = $1`,
      [seq],
    );
    const [tombstone] = await log.list({ afterSeq: records[0]?.seq, limit: 1 });
    expect(tombstone).toMatchObject({ seq, tombstone: true, actor: "", roles: [], hash: records[1]?.hash });
    expect(tombstone).not.toHaveProperty("subjectPseudonym");
    expect(await log.verify()).toStrictEqual({ ok: true, records: 3 });
    await expect(db.query("UPDATE audit_log SET reason = NULL WHERE seq = $1", [seq])).rejects.toThrow(
      /append-only/,
    );
  });
});

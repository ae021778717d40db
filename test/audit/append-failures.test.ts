import { afterEach, describe, expect, it } from "vitest";
import { createAuditLog } from "../../src/audit/index.ts";
import type { Db } from "../../src/store/index.ts";
import { createTestDb, dialectUnderTest } from "../utils/test-db.ts";
import { counterIds, entry, HMAC_KEY } from "./audit-fixtures.ts";

/** Fail closed: ok only for committed records; never a throw. */
describe(`audit append failures (${dialectUnderTest()})`, () => {
  const dbs: Db[] = [];
  afterEach(async () => {
    await Promise.all(dbs.splice(0).map((db) => db.close()));
  });
  const freshDb = async () => {
    const db = await createTestDb();
    dbs.push(db);
    await db.query("CREATE TABLE case_changes (v text)");
    return db;
  };
  const count = async (db: Db, table: string) =>
    (await db.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n;

  it("returns audit_write_failed on a closed database", async () => {
    const db = await freshDb();
    const log = createAuditLog({ db, hmacKey: HMAC_KEY });
    await db.close();
    const result = await log.append([entry()]);
    expect(result).toStrictEqual({
      ok: false,
      error: { kind: "audit_write_failed", reason: expect.any(String) },
    });
  });

  it("writes nothing of a batch when one record violates a constraint", async () => {
    const db = await freshDb();
    const log = createAuditLog({ db, hmacKey: HMAC_KEY, newId: () => "same-id" });
    const result = await log.append([entry(), entry()]);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.kind).toBe("audit_write_failed");
    expect(await count(db, "audit_log")).toBe(0);
    expect((await log.verify()).ok).toBe(true);
  });

  it("returns audit_write_failed for content that cannot be stored", async () => {
    const db = await freshDb();
    const log = createAuditLog({ db, hmacKey: HMAC_KEY });
    const cyclic: Record<string, unknown> = {};
    cyclic["self"] = cyclic;
    expect((await log.append([entry({ detail: cyclic })])).ok).toBe(false);
    expect((await log.append([entry({ reason: "nul \u0000 byte" })])).ok).toBe(false);
    expect(await count(db, "audit_log")).toBe(0);
  });

  it("commits the records with the caller's change when given its transaction", async () => {
    const db = await freshDb();
    const log = createAuditLog({ db, hmacKey: HMAC_KEY });
    const seenOutside = await db.transaction(async (tx) => {
      await tx.query("INSERT INTO case_changes VALUES ('transition')");
      const result = await log.append([entry({ kind: "case", operation: "case.transition" })], tx);
      expect(result.ok).toBe(true);
      expect(await tx.query("SELECT count(*) AS n FROM audit_log")).toStrictEqual([{ n: 1 }]);
      // PostgreSQL: another connection does not see it before the commit. (PGlite has one
      // connection, whose plain queries wait for the transaction: asking would deadlock.)
      return db.dialect === "postgres" ? count(db, "audit_log") : 0;
    });
    expect(seenOutside).toBe(0);
    expect(await count(db, "audit_log")).toBe(1);
    expect(await count(db, "case_changes")).toBe(1);
  });

  it("rolls the records back with the caller's transaction", async () => {
    const db = await freshDb();
    const log = createAuditLog({ db, hmacKey: HMAC_KEY });
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO case_changes VALUES ('transition')");
        expect((await log.append([entry()], tx)).ok).toBe(true);
        throw new Error("the caller's change failed");
      }),
    ).rejects.toThrow("the caller's change failed");
    expect(await count(db, "audit_log")).toBe(0);
    expect(await count(db, "case_changes")).toBe(0);
  });

  it("leaves the caller's transaction unable to commit when the audit write fails", async () => {
    const db = await freshDb();
    const ids = counterIds();
    const log = createAuditLog({ db, hmacKey: HMAC_KEY, newId: ids });
    expect((await log.append([entry()])).ok).toBe(true);
    const duplicate = createAuditLog({ db, hmacKey: HMAC_KEY, newId: () => "rec-1" });
    let returned: unknown;
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO case_changes VALUES ('transition')");
        returned = await duplicate.append([entry()], tx);
        // A careless caller ignores the error value and lets the transaction commit.
      }),
    ).rejects.toThrow();
    expect(returned).toMatchObject({ ok: false, error: { kind: "audit_write_failed" } });
    expect(await count(db, "case_changes")).toBe(0);
    expect(await count(db, "audit_log")).toBe(1);
  });

  it("leaves the caller's transaction unable to commit when the content cannot be stored", async () => {
    const db = await freshDb();
    const log = createAuditLog({ db, hmacKey: HMAC_KEY });
    const cyclic: Record<string, unknown> = {};
    cyclic["self"] = cyclic;
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO case_changes VALUES ('transition')");
        expect((await log.append([entry({ detail: cyclic })], tx)).ok).toBe(false);
      }),
    ).rejects.toThrow();
    expect(await count(db, "case_changes")).toBe(0);
  });

  it("refuses an empty HMAC key", async () => {
    const db = await freshDb();
    expect(() => createAuditLog({ db, hmacKey: "" })).toThrow(/HMAC key/);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import {
  admitVerifyValues,
  hashedValues,
  signalValues,
  type VerifyValueClaim,
} from "../../src/disclosure/verify-values.ts";
import { pseudonymiseSubject } from "../../src/audit/index.ts";
import { RETENTION_RUN_SETTING } from "../../src/retention/index.ts";
import type { Db, Queryable } from "../../src/store/index.ts";
import { verifyWithBrp, type VerifySignal } from "../../src/sources/brp/index.ts";
import type { Bsn } from "../../src/shared/index.ts";
import { connectAgain, createTestDb, dialectUnderTest } from "../utils/test-db.ts";

/**
 * 010_verify_values.sql and src/disclosure/verify-values.ts: per case, subject and element at most
 * 1 + maxChanges distinct values, checked and recorded in one step, also when many verifications
 * run at once on one pool or on two (replicas). A refused claim records nothing; a value already
 * recorded passes; the table keeps its rows until the purge deletes them with their case.
 */
const KEY = "verify-values-test-key-0123456789abcdef";
const pseudonymise = (s: string) => pseudonymiseSubject(KEY, s);
const BSN = "999993653";
const SUBJECT = pseudonymiseSubject(KEY, BSN, "bsn");

describe(`verify values (${dialectUnderTest()})`, () => {
  const dbs: Db[] = [];
  afterEach(async () => {
    await Promise.all(
      dbs
        .splice(0)
        .reverse()
        .map((db) => db.close()),
    );
  });

  async function setup(): Promise<Db> {
    const db = await createTestDb();
    dbs.push(db);
    for (const id of ["c1", "c2"])
      await db.query(
        `INSERT INTO cases (id, reference, theme, protocol_id, phase, status, owner, opened_at)
         VALUES ($1, $2, 'horeca', 'maastricht', 'intake', 'open', 'analist.jansen', '2026-01-01T00:00:00Z')`,
        [id, `REF-${id}`],
      );
    return db;
  }

  const claim = (signal: VerifySignal, more: Partial<VerifyValueClaim> = {}): VerifyValueClaim => {
    const caseId = more.caseId ?? "c1";
    return {
      caseId,
      subject: SUBJECT,
      values: hashedValues(pseudonymise, caseId, BSN, signalValues(signal)),
      maxChanges: 1,
      at: new Date("2026-01-02T00:00:00Z"),
      ...more,
    };
  };
  const date = (day: number) => `1990-01-${String(day).padStart(2, "0")}`;
  const outcome = async (db: Db, c: VerifyValueClaim) => {
    const r = await admitVerifyValues(db, c);
    return r.ok ? "admitted" : r.error.elements.join(",");
  };

  it("admits the first value and one change, then refuses; a value already verified always passes", async () => {
    const db = await setup();
    expect(await outcome(db, claim({ geboortedatum: date(1) }))).toBe("admitted");
    expect(await outcome(db, claim({ geboortedatum: date(1) }))).toBe("admitted");
    expect(await outcome(db, claim({ geboortedatum: date(2) }))).toBe("admitted");
    expect(await outcome(db, claim({ geboortedatum: date(3) }))).toBe("geboortedatum");
    expect(await outcome(db, claim({ geboortedatum: date(2) }))).toBe("admitted");
    expect(await outcome(db, claim({ geboortedatum: date(1) }))).toBe("admitted");
    // maxChanges 0: only the first value, ever.
    expect(await outcome(db, claim({ geslachtsnaam: "Jansen" }, { maxChanges: 0 }))).toBe("admitted");
    expect(await outcome(db, claim({ geslachtsnaam: "Jansen" }, { maxChanges: 0 }))).toBe("admitted");
    expect(await outcome(db, claim({ geslachtsnaam: "Janssen" }, { maxChanges: 0 }))).toBe("naam");
  });

  it("counts values as verification compares them: case, accents and spaces do not make a new value", async () => {
    const db = await setup();
    expect(await outcome(db, claim({ geslachtsnaam: "Çelik", voornamen: "Ayşe" }))).toBe("admitted");
    expect(await outcome(db, claim({ geslachtsnaam: " celik ", voornamen: "AYSE" }))).toBe("admitted");
    expect(await outcome(db, claim({ geslachtsnaam: "Celik" }))).toBe("admitted"); // another name: no voornamen
    expect(await outcome(db, claim({ geslachtsnaam: "Yilmaz" }))).toBe("naam");
    expect(await outcome(db, claim({ postcode: "6211 ab", huisnummer: 1 }))).toBe("admitted");
    expect(await outcome(db, claim({ postcode: "6211AB", huisnummer: 1 }))).toBe("admitted");
    expect(await outcome(db, claim({ postcode: "6211AB", huisnummer: 2 }))).toBe("admitted");
    expect(await outcome(db, claim({ postcode: "6211AB", huisnummer: 3 }))).toBe("adres");
  });

  it("refuses a claim as a whole: a refused element keeps the others from being recorded", async () => {
    const db = await setup();
    expect(await outcome(db, claim({ geboortedatum: date(1) }))).toBe("admitted");
    expect(await outcome(db, claim({ geboortedatum: date(2) }))).toBe("admitted");
    expect(await outcome(db, claim({ geslachtsnaam: "Jansen", geboortedatum: date(3) }))).toBe(
      "geboortedatum",
    );
    // "Jansen" was not recorded: two other names still pass.
    expect(await outcome(db, claim({ geslachtsnaam: "Bakker" }))).toBe("admitted");
    expect(await outcome(db, claim({ geslachtsnaam: "Visser" }))).toBe("admitted");
    expect(await outcome(db, claim({ geslachtsnaam: "Jansen" }))).toBe("naam");
  });

  it("keeps cases and subjects apart", async () => {
    const db = await setup();
    for (const d of [1, 2]) expect(await outcome(db, claim({ geboortedatum: date(d) }))).toBe("admitted");
    expect(await outcome(db, claim({ geboortedatum: date(3) }, { caseId: "c2" }))).toBe("admitted");
    const other = pseudonymiseSubject(KEY, "111222333", "bsn");
    expect(await outcome(db, claim({ geboortedatum: date(3) }, { subject: other }))).toBe("admitted");
    expect(await outcome(db, claim({ geboortedatum: date(3) }))).toBe("geboortedatum");
  });

  it("lets exactly 1 + maxChanges of many concurrent different values through, on one pool and across two", async () => {
    const db = await setup();
    const second = await connectAgain(db);
    dbs.push(second);
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        outcome(i % 2 === 0 ? db : second, claim({ geboortedatum: date(i + 1) })),
      ),
    );
    expect(outcomes.filter((o) => o === "admitted")).toHaveLength(2);
    expect(outcomes.filter((o) => o === "geboortedatum")).toHaveLength(38);
    const rows = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM verify_values WHERE case_id = 'c1'",
    );
    expect(rows[0]?.n).toBe(2);
    // The same concurrently with maxChanges 3, several elements per claim, and repeats.
    const mixed = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        outcome(i % 2 === 0 ? db : second, {
          ...claim(
            { geslachtsnaam: `Naam${i % 10}`, postcode: "6211AB", huisnummer: 1 + (i % 7) },
            { caseId: "c2" },
          ),
          maxChanges: 3,
        }),
      ),
    );
    const stored = await db.query<{ element: string; n: number }>(
      "SELECT element, count(*)::int AS n FROM verify_values WHERE case_id = 'c2' GROUP BY element ORDER BY element",
    );
    expect(stored.every((r) => r.n <= 4)).toBe(true);
    expect(mixed.filter((o) => o === "admitted").length).toBeGreaterThan(0);
    expect(stored.map((r) => r.element)).toEqual(["adres", "naam"]);
  });

  it("stores keyed hashes only, never the value, and keeps them until the purge deletes them", async () => {
    const db = await setup();
    await outcome(
      db,
      claim({ geslachtsnaam: "Jansen", geboortedatum: "1983-05-26", postcode: "6211AB", huisnummer: 1 }),
    );
    const dump = JSON.stringify(await db.query("SELECT * FROM verify_values"));
    for (const plain of ["Jansen", "jansen", "1983-05-26", "6211AB", BSN]) expect(dump).not.toContain(plain);
    expect(dump).toContain(SUBJECT);
    // Nothing resets the count: no update, no delete outside a purge, no truncate.
    await expect(db.query("UPDATE verify_values SET value_hash = 'x'")).rejects.toThrow(/verify_values/);
    await expect(db.query("DELETE FROM verify_values")).rejects.toThrow(/verify_values/);
    await expect(db.query("TRUNCATE verify_values")).rejects.toThrow(/append-only/);
    const purge = (sql: string) =>
      db.transaction(async (tx: Queryable) => {
        await tx.query("SELECT set_config($1, 'run-1', true)", [RETENTION_RUN_SETTING]);
        return tx.query(sql);
      });
    await expect(purge("UPDATE verify_values SET value_hash = 'x'")).rejects.toThrow(/verify_values/);
    expect(await purge("DELETE FROM verify_values WHERE case_id = 'c1' RETURNING element")).toHaveLength(3);
  });
});

describe("signalValues", () => {
  /** The elements it records are exactly those verification compares (its answer's non-null ones). */
  it.each<VerifySignal>([
    { geslachtsnaam: "Jansen" },
    { voornamen: "Jan" },
    { voorvoegsel: "de" },
    { geboortedatum: "1990-01-01" },
    { postcode: "6211AB", huisnummer: 1 },
    { huisletter: "a" },
    { huisnummertoevoeging: "2" },
    {
      geslachtsnaam: "Jansen",
      geboortedatum: "1990-01-01",
      postcode: "6211AB",
      huisnummer: 1,
      huisletter: "A",
    },
  ])("%j", async (signal) => {
    const failing = { persoon: { load: () => Promise.resolve({ ok: false, error: { kind: "timeout" } }) } };
    const answer = await verifyWithBrp(failing as never, BSN as Bsn, signal);
    const compared = (["naam", "geboortedatum", "adres"] as const).filter((e) => answer[e] !== null);
    expect(Object.keys(signalValues(signal)).sort()).toEqual([...compared].sort());
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/store/index.ts";
import { errorCodes, startTestApp, type TestApp } from "../utils/test-app.ts";

/**
 * No log, no data: when the database connection dies after the registry answered but before
 * the audit record is committed, the caller gets an error and no registry value.
 */
let t: TestApp;
let killOnNextTransaction = false;
let raw: Db | undefined;

function killable(db: Db): Db {
  raw = db;
  return {
    dialect: db.dialect,
    // The audit write: one audit_append statement (its own commit) or a transaction.
    query: async (sql, params) => {
      if (killOnNextTransaction && sql.includes("audit_append(")) {
        killOnNextTransaction = false;
        await db.close();
      }
      return db.query(sql, params);
    },
    transaction: async (fn) => {
      if (killOnNextTransaction) {
        killOnNextTransaction = false;
        await db.close();
      }
      return db.transaction(fn);
    },
    close: () => db.close().catch(() => undefined),
  } as Db;
}

beforeAll(async () => {
  t = await startTestApp({ wrapDb: killable });
});
afterAll(() => t.close());

describe("audit fail-closed", () => {
  it("returns an error and no registry data when the connection dies mid-request", async () => {
    const owner = await t.token("analist.jansen", "analyst");
    const c = await t.demoCase("regie");
    const bsn = t.app.demo!.municipality.wellKnown.residentBsn;
    const person = t.app.demo!.municipality.personByBsn(bsn)!;
    const query = `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { brp { naam { geslachtsnaam voornamen } } } } }`;

    const healthy = await t.gql(owner, query, { id: c.id, bsn });
    expect(JSON.stringify(healthy.data)).toContain(person.geslachtsnaam);

    const upstreamCalls = t.app.demo!.brpSimulator.requestCount();
    killOnNextTransaction = true;
    const broken = await t.gql(owner, query, { id: c.id, bsn });
    // The registry was asked (the data existed in the gateway) …
    expect(t.app.demo!.brpSimulator.requestCount()).toBe(upstreamCalls + 1);
    expect(killOnNextTransaction).toBe(false);
    // … but nothing of it left: an error, and no value in the whole response.
    // (The read of the case itself cannot be logged either, so the whole answer is withheld.)
    expect(Object.values(errorCodes(broken))).toEqual(["INTERNAL_SERVER_ERROR"]);
    expect(broken.data ?? null).toBeNull();
    expect(JSON.stringify(broken)).not.toContain(person.geslachtsnaam);
    expect(JSON.stringify(broken)).not.toContain(person.voornamen);
    expect(raw).toBeDefined();
  });
});

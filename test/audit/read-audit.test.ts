import { makeExecutableSchema } from "@graphql-tools/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolvers } from "../../resolvers/index.ts";
import { loadTypeDefs } from "../../src/server/schema.ts";
import { applyReadAudit } from "../../src/server/read-audit.ts";
import type { Db } from "../../src/store/index.ts";
import { lastSeq } from "../utils/audit-written.ts";
import { startTestApp, type TestApp } from "../utils/test-app.ts";
import { createWorkflow, dataOf, type Workflow } from "../utils/workflow-fixtures.ts";

/**
 * Reads of case data are processing records (issue 13, "Complete"; Delft art. 6b-c, Maastricht
 * art. 9-10): what the answer showed, per root field (each alias its own), per case and per data
 * subject, pseudonymised; written before the answer leaves, or the answer is withheld.
 */

interface Access {
  seq: number;
  case_id: string | null;
  operation: string;
  decision: string;
  subject_pseudonym: string | null;
  subject_type: string | null;
  detail: { via: string; alias?: string; read: string[]; checks?: string[] };
  row: string;
}

let t: TestApp;
let wf: Workflow;
let analyst: string;
let officer: string;
let bsn: string;
let failAudit = false;

beforeAll(async () => {
  // A switch that makes every audit write fail, to see that no read leaves unlogged.
  const failing = (db: Db): Db => ({
    ...db,
    query: (sql, params) =>
      failAudit && /INSERT INTO audit_log|audit_append\(/i.test(sql)
        ? Promise.reject(new Error("disk full"))
        : db.query(sql, params),
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          ...tx,
          query: (sql, params) =>
            failAudit && /INSERT INTO audit_log|audit_append\(/i.test(sql)
              ? Promise.reject(new Error("disk full"))
              : tx.query(sql, params),
        }),
      ),
  });
  t = await startTestApp({ wrapDb: failing });
  wf = await createWorkflow(t, "READS");
  analyst = await t.token("analist.jansen", "analyst");
  officer = await t.token("privacy.officer", "privacy_officer");
  bsn = t.app.demo!.municipality.wellKnown.residentBsn;
});
afterAll(() => t.close());

/** The access records an operation wrote. */
async function accessOf(run: () => Promise<unknown>): Promise<Access[]> {
  const seq = await lastSeq(t.app.db);
  await run();
  const rows = await t.app.db.query<Omit<Access, "row" | "seq"> & { seq: unknown }>(
    `SELECT seq, case_id, operation, decision, subject_pseudonym, subject_type, detail
       FROM audit_log WHERE seq > $1 AND kind = 'access' ORDER BY seq`,
    [seq],
  );
  return rows.map((r) => ({ ...r, seq: Number(r.seq), row: JSON.stringify(r) }));
}

describe("the read audit", () => {
  it("logs a case read with every part it showed, once per subject, pseudonymised", async () => {
    const { caseId, shareCheckId } = await wf.sharedCase(bsn, "vergunningen");
    const written = await accessOf(async () =>
      dataOf(
        await t.gql(
          analyst,
          `query($id: ID!) { case(id: $id) { reference transitions { motivation }
            privacyChecks { id } subjects { key } } }`,
          { id: caseId },
        ),
        "case",
      ),
    );
    expect(written).toHaveLength(1);
    const [r] = written;
    expect(r).toMatchObject({
      case_id: caseId,
      operation: "case.read",
      decision: "allow",
      subject_type: "bsn",
    });
    expect(r!.detail.read).toEqual(["check", "checks", "history", "metadata", "subjects"]);
    expect(r!.detail.checks).toContain(shareCheckId);
    expect(r!.subject_pseudonym).toBe(t.app.audit.pseudonymise(bsn, "bsn"));
    expect(r!.row).not.toContain(bsn);
    expect(shareCheckId).toBeTruthy();
  });

  it("logs each alias of a root field, through fragments, as an access of its own", async () => {
    const { caseId } = await wf.caseIn("intake");
    const written = await accessOf(async () =>
      dataOf(
        await t.gql(
          analyst,
          `query($id: ID!) { a: case(id: $id) { ...F } b: case(id: $id) { ... on Case { phase } } }
           fragment F on Case { reference }`,
          { id: caseId },
        ),
        "a",
      ),
    );
    expect(written.map((w) => [w.case_id, w.detail.alias, w.detail.read])).toEqual([
      [caseId, "a", ["metadata"]],
      [caseId, "b", ["metadata"]],
    ]);
  });

  it("leaves a case read that showed only registry data to the registry's own records", async () => {
    const c = await t.demoCase("regie");
    const registryOnly = await accessOf(async () =>
      dataOf(
        await t.gql(
          analyst,
          `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) {
          brp { naam { geslachtsnaam } } } } }`,
          { id: c.id, bsn },
        ),
        "case",
      ),
    );
    expect(registryOnly).toEqual([]);
    const [disclosure] = await t.app.db.query<{ case_id: string }>(
      "SELECT case_id FROM audit_log WHERE kind = 'disclosure' ORDER BY seq DESC LIMIT 1",
    );
    expect(disclosure?.case_id).toBe(c.id);
    const typename = await accessOf(() =>
      t.gql(analyst, `query($id: ID!) { case(id: $id) { __typename } }`, { id: c.id }),
    );
    expect(typename.map((w) => [w.operation, w.case_id])).toEqual([["case.read", c.id]]);
  });

  it("logs a list as one record per case listed, and an empty answer once", async () => {
    const listed = dataOf<{ id: string }[]>(await t.gql(analyst, `{ cases { id } }`), "cases");
    const written = await accessOf(() => t.gql(analyst, `{ cases { id } }`));
    expect(written.map((w) => w.case_id).sort()).toEqual(listed.map((c) => c.id).sort());
    const stranger = await t.token("analist.nieuw", "analyst");
    const none = await accessOf(() => t.gql(stranger, `{ cases { id } }`));
    expect(none.map((w) => [w.operation, w.case_id, w.detail.read])).toEqual([["cases.read", null, []]]);
  });

  it("logs the privacy officer's queue per case, with the checks and the subjects it showed", async () => {
    const { caseId } = await wf.caseIn("regie", [`persoon:${bsn}`]);
    const id = dataOf<{ id: string }>(
      await t.gql(
        analyst,
        `mutation($c: ID!, $s: [String!]) { requestPrivacyCheck(input: { caseId: $c, kind: CHECK_2A,
          source: "brp", fields: ["naam"], subjects: $s, motivation: "Needed." }) { id } }`,
        { c: caseId, s: [`persoon:${bsn}`] },
      ),
      "requestPrivacyCheck",
    ).id;
    const written = await accessOf(() =>
      t.gql(officer, `{ pendingPrivacyChecks { id subjects motivation } }`),
    );
    const mine = written.filter((w) => w.case_id === caseId);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ operation: "case.read", subject_type: "bsn" });
    expect(mine[0]!.detail).toMatchObject({ via: "pendingPrivacyChecks", read: ["check"], checks: [id] });
    expect(written.map((w) => w.row).join()).not.toContain(bsn);
  });

  it("logs what a mutation's answer shows beyond its own record, and nothing twice", async () => {
    const { caseId } = await wf.caseIn("intake");
    const plain = await accessOf(() => t.gql(analyst, `{ me { subject } protocol { id } }`));
    expect(plain).toEqual([]);
    const history = await accessOf(async () =>
      t.gql(
        analyst,
        `mutation($id: ID!) { transitionCase(id: $id, to: "weging", motivation: "Weigh it.") {
        phase transitions { motivation } } }`,
        { id: caseId },
      ),
    );
    expect(history.map((w) => [w.operation, w.case_id, w.detail.via, w.detail.read])).toEqual([
      ["case.read", caseId, "transitionCase", ["history", "metadata"]],
    ]);
  });

  it("withholds the answer when its reads cannot be logged", async () => {
    const { caseId, reference } = await wf.caseIn("intake");
    failAudit = true;
    try {
      const r = await t.gql(analyst, `query($id: ID!) { case(id: $id) { reference } }`, { id: caseId });
      expect(r.data ?? null).toBeNull();
      expect(r.errors?.map((e) => e.extensions?.code)).toEqual(["INTERNAL_SERVER_ERROR"]);
      expect(JSON.stringify(r)).not.toContain(reference);
    } finally {
      failAudit = false;
    }
  });

  it("refuses to build a schema with a case field or root field nobody classified", () => {
    const build = (extra: string) => () =>
      applyReadAudit(makeExecutableSchema({ typeDefs: [...loadTypeDefs(), extra], resolvers }));
    expect(build("extend type Case { secretNotes: String }")).toThrow(/Case\.secretNotes/);
    expect(build("extend type Query { everything: String }")).toThrow(/Query\.everything/);
  });
});

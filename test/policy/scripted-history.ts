import { expect } from "vitest";
import { wellKnown } from "../../src/sources/synthetic/well-known.ts";
import type { TestApp } from "../utils/test-app.ts";
import { createWorkflow, dataOf } from "../utils/workflow-fixtures.ts";
import { NARROWED_FIELD, WIDENED_PROBE } from "./policy-change.ts";

/**
 * The scripted history of the replay tests (issue 14), made through the GraphQL API on a gateway
 * enforcing the baseline policy (./policy-change.ts): a case in regie with an approved check 2a for
 * the resident's name and sex; twice those fields (allowed), twice the probe the baseline lacks
 * (denied), once a BAG probe (allowed, and untouched by the candidate).
 */
export const bsn = wellKnown.residentBsn;
export const address = wellKnown.residentAddress;
const PERSON = `persoon:${bsn}`;
const OBJECT = `adres:${address.postcode}-${address.huisnummer}`;

const FIELDS = `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) {
  brp { geslacht { code } naam { geslachtsnaam } } } } }`;
const HITS = `query($id: ID!, $p: String!, $n: Int!, $probes: [String!]) { case(id: $id) {
  object(postcode: $p, huisnummer: $n) { hits(probes: $probes) { probe result } } } }`;

export interface ScriptedHistory {
  readonly caseId: string;
  /** Audit seqs of the records written: the field disclosures, the probe denials, the BAG hit. */
  readonly fields: readonly number[];
  readonly probe: readonly number[];
  readonly bag: readonly number[];
}

export async function scriptHistory(t: TestApp, prefix: string): Promise<ScriptedHistory> {
  const lastSeq = async () =>
    (await t.app.db.query<{ seq: number }>("SELECT max(seq)::int AS seq FROM audit_log"))[0]?.seq ?? 0;
  const seqAfter = async (before: number, operation: string) =>
    (await t.app.audit.list({ afterSeq: before, operation })).map((r) => r.seq);
  const wf = await createWorkflow(t, prefix);
  const analyst = await t.token("analist.jansen", "analyst");
  const officer = await t.token("privacy.officer", "privacy_officer");
  const { caseId } = await wf.caseIn("regie", [PERSON, OBJECT]);
  const check = dataOf<{ id: string }>(
    await t.gql(
      analyst,
      `mutation($input: PrivacyCheckInput!) { requestPrivacyCheck(input: $input) { id } }`,
      {
        input: {
          caseId,
          kind: "CHECK_2A",
          source: "brp",
          fields: ["naam", NARROWED_FIELD],
          subjects: [PERSON],
          motivation: "Name and sex are needed for the plan.",
        },
      },
    ),
    "requestPrivacyCheck",
  ).id;
  dataOf(
    await t.gql(
      officer,
      `mutation($id: ID!) { advisePrivacyCheck(id: $id, advice: GO, motivation: "Weighed.") { status } }`,
      { id: check },
    ),
    "advisePrivacyCheck",
  );
  let before = await lastSeq();
  for (let i = 0; i < 2; i++)
    expect((await t.gql(analyst, FIELDS, { id: caseId, bsn })).errors).toBeUndefined();
  const fields = await seqAfter(before, "brp.fields");
  before = await lastSeq();
  const object = { id: caseId, p: address.postcode, n: address.huisnummer };
  for (let i = 0; i < 2; i++) {
    const r = await t.gql(analyst, HITS, { ...object, probes: [WIDENED_PROBE] });
    expect(r.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  }
  const probe = await seqAfter(before, "hr.hits");
  before = await lastSeq();
  expect((await t.gql(analyst, HITS, { ...object, probes: ["bag.adresBestaat"] })).errors).toBeUndefined();
  return { caseId, fields, probe, bag: await seqAfter(before, "bag.hits") };
}

import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replayPeriod } from "../../src/cases/index.ts";
import { loadPolicySet, type LoadedPolicySet, type PolicyReplay } from "../../src/policy/index.ts";
import { wellKnown } from "../../src/sources/synthetic/well-known.ts";
import { startTestApp, type TestApp } from "../utils/test-app.ts";
import { createWorkflow, dataOf } from "../utils/workflow-fixtures.ts";
import { NARROWED_FIELD, scriptedPolicies, WIDENED_PROBE } from "./policy-change.ts";

/**
 * Issue 14 "Diff and replay": a scripted history on a gateway enforcing the baseline policy, then
 * replayed under a candidate that narrows one field and widens one probe. Exactly those decisions
 * flip, allow → deny for the field and deny → allow for the probe, with counts and record ids.
 */

const bsn = wellKnown.residentBsn;
const address = wellKnown.residentAddress;
const PERSON = `persoon:${bsn}`;
const OBJECT = `adres:${address.postcode}-${address.huisnummer}`;

const FIELDS = `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) {
  brp { geslacht { code } naam { geslachtsnaam } } } } }`;
const HITS = `query($id: ID!, $p: String!, $n: Int!, $probes: [String!]) { case(id: $id) {
  object(postcode: $p, huisnummer: $n) { hits(probes: $probes) { probe result } } } }`;

let t: TestApp;
let dirs: { baseline: string; candidate: string };
let candidate: LoadedPolicySet;
let from: Date;
let seqs: { fields: number[]; probe: number[]; bag: number[] };
let report: PolicyReplay;

const seqAfter = async (before: number, operation: string) =>
  (await t.app.audit.list({ afterSeq: before, operation })).map((r) => r.seq);
const lastSeq = async () =>
  (await t.app.db.query<{ seq: number }>("SELECT max(seq)::int AS seq FROM audit_log"))[0]?.seq ?? 0;

beforeAll(async () => {
  dirs = scriptedPolicies();
  t = await startTestApp({ env: { POLICY_DIR: dirs.baseline } });
  const loaded = await loadPolicySet(dirs.candidate);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
  candidate = loaded.value;
  from = new Date(Date.now() - 60_000);
  const wf = await createWorkflow(t, "REPLAY");
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
      {
        id: check,
      },
    ),
    "advisePrivacyCheck",
  );

  // Twice the approved fields (allowed), twice the probe the baseline lacks (denied), once a BAG probe.
  let before = await lastSeq();
  for (let i = 0; i < 2; i++) {
    const r = await t.gql(analyst, FIELDS, { id: caseId, bsn });
    expect(r.errors).toBeUndefined();
  }
  const fields = await seqAfter(before, "brp.fields");
  before = await lastSeq();
  for (let i = 0; i < 2; i++) {
    const r = await t.gql(analyst, HITS, {
      id: caseId,
      p: address.postcode,
      n: address.huisnummer,
      probes: [WIDENED_PROBE],
    });
    expect(r.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  }
  const probe = await seqAfter(before, "hr.hits");
  before = await lastSeq();
  const bagHit = await t.gql(analyst, HITS, {
    id: caseId,
    p: address.postcode,
    n: address.huisnummer,
    probes: ["bag.adresBestaat"],
  });
  expect(bagHit.errors).toBeUndefined();
  seqs = { fields, probe, bag: await seqAfter(before, "bag.hits") };

  report = await replayPeriod({
    db: t.app.db,
    audit: t.app.audit,
    candidate: { ref: dirs.candidate, policy: candidate },
    from,
    to: new Date(Date.now() + 60_000),
    policyByHash: async (hash) => (hash === t.app.policy.hash ? t.app.policy : undefined),
  });
});

afterAll(async () => {
  await t?.close();
  for (const dir of Object.values(dirs ?? {})) rmSync(dir, { recursive: true, force: true });
});

describe("policy replay of a scripted history", () => {
  it("recorded what the script did: two field disclosures, two probe denials, one BAG hit", async () => {
    expect(seqs.fields).toHaveLength(2);
    expect(seqs.probe).toHaveLength(2);
    expect(seqs.bag).toHaveLength(1);
    const denials = await t.app.audit.list({
      operation: "hr.hits",
      kind: "denial",
      afterSeq: seqs.probe[0]! - 1,
    });
    expect(denials.map((r) => r.seq)).toEqual(seqs.probe);
  });

  it("flips exactly the narrowed field allow → deny and the widened probe deny → allow", () => {
    expect(report.flipped).toEqual({ allowToDeny: 2, denyToAllow: 2 });
    expect(report.flips).toEqual([
      {
        direction: "allow→deny",
        rule: "brp.regie.analyst",
        source: "brp",
        kind: "field",
        item: NARROWED_FIELD,
        phase: "regie",
        roles: ["analyst"],
        count: 2,
        examples: seqs.fields.map((seq) => ({ seq, id: expect.any(String) as unknown as string })),
      },
      {
        direction: "deny→allow",
        rule: "hr.open.analyst",
        source: "hr",
        kind: "probe",
        item: WIDENED_PROBE,
        phase: "regie",
        roles: ["analyst"],
        count: 2,
        examples: seqs.probe.map((seq) => ({ seq, id: expect.any(String) as unknown as string })),
      },
    ]);
  });

  it("replays every disclosure and denial of the period; the rest stays as it was", () => {
    expect(report.notReplayable).toEqual([]);
    expect(report.replayed).toBe(report.records);
    expect(report.unchanged).toBe(report.replayed - 4);
    expect(report.unchanged).toBeGreaterThanOrEqual(1);
  });

  it("contains no BSN, address or subject pseudonym", async () => {
    const json = JSON.stringify(report);
    const pseudonyms = (await t.app.audit.list({ afterSeq: 0 })).flatMap((r) =>
      r.subjectPseudonym ? [r.subjectPseudonym] : [],
    );
    expect(pseudonyms.length).toBeGreaterThan(0);
    for (const secret of [bsn, address.postcode, ...pseudonyms]) expect(json).not.toContain(secret);
  });

  it("under the enforced policy itself nothing flips", async () => {
    const same = await replayPeriod({
      db: t.app.db,
      audit: t.app.audit,
      candidate: { ref: "current", policy: t.app.policy },
      from,
      to: new Date(Date.now() + 60_000),
      policyByHash: async (hash) => (hash === t.app.policy.hash ? t.app.policy : undefined),
    });
    expect(same.flips).toEqual([]);
    expect(same.flipped).toEqual({ allowToDeny: 0, denyToAllow: 0 });
    expect(same.replayed).toBe(report.replayed);
  });

  it("counts records whose deciding policy is unknown as not replayable, with the reason", async () => {
    const blind = await replayPeriod({
      db: t.app.db,
      audit: t.app.audit,
      candidate: { ref: dirs.candidate, policy: candidate },
      from,
      to: new Date(Date.now() + 60_000),
      policyByHash: async () => undefined,
    });
    expect(blind.replayed).toBe(0);
    expect(blind.notReplayable).toEqual([
      expect.objectContaining({
        count: report.records,
        reason: expect.stringContaining("not available") as unknown as string,
      }),
    ]);
  });
});

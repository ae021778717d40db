import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replayPeriod } from "../../src/cases/index.ts";
import { loadPolicySet, type LoadedPolicySet, type PolicyReplay } from "../../src/policy/index.ts";
import { startTestApp, type TestApp } from "../utils/test-app.ts";
import { NARROWED_FIELD, scriptedPolicies, WIDENED_PROBE } from "./policy-change.ts";
import { address, bsn, scriptHistory, type ScriptedHistory } from "./scripted-history.ts";

/**
 * Issue 14 "Diff and replay": a scripted history on a gateway enforcing the baseline policy, then
 * replayed under a candidate that narrows one field and widens one probe. Exactly those decisions
 * flip, allow → deny for the field and deny → allow for the probe, with counts and record ids.
 */

let t: TestApp;
let dirs: { baseline: string; candidate: string };
let candidate: LoadedPolicySet;
let from: Date;
let seqs: ScriptedHistory;
let report: PolicyReplay;

beforeAll(async () => {
  dirs = scriptedPolicies();
  t = await startTestApp({ env: { POLICY_DIR: dirs.baseline } });
  const loaded = await loadPolicySet(dirs.candidate);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
  candidate = loaded.value;
  from = new Date(Date.now() - 60_000);
  seqs = await scriptHistory(t, "REPLAY");

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

import { copyFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lastSeq, recordsAfter } from "../utils/audit-written.ts";
import { errorCodes, startTestApp, type TestApp } from "../utils/test-app.ts";
import { NARROWED_FIELD, scriptedPolicies, WIDENED_PROBE } from "../policy/policy-change.ts";
import { address, bsn, scriptHistory, type ScriptedHistory } from "../policy/scripted-history.ts";

/**
 * policyDiff and policyReplay for the privacy officer (issue 14): the gateway enforces the baseline;
 * the privacy officer then edits the working files (POLICY_DIR) into the candidate, and compares
 * `current` with `files` before anything takes effect. policy.explain only, each call audited.
 */

let t: TestApp;
let dirs: { baseline: string; candidate: string };
let history: ScriptedHistory;
let officer: string;
let analyst: string;
let fg: string;

const DIFF = `{ policyDiff(from: "current", to: "files") {
  from { ref hash } to { ref hash } changes { area change id sentence } cells { role phase source kind item before after } } }`;
const REPLAY = `query($from: String!, $to: String!) { policyReplay(candidate: "files", from: $from, to: $to) {
  candidate { ref } records replayed allowToDeny denyToAllow unchanged
  flips { direction rule source kind item phase roles count examples { seq id } }
  notReplayable { reason count } } }`;
const period = () => ({
  from: new Date(Date.now() - 3_600_000).toISOString(),
  to: new Date(Date.now() + 60_000).toISOString(),
});

beforeAll(async () => {
  dirs = scriptedPolicies();
  t = await startTestApp({ env: { POLICY_DIR: dirs.baseline } });
  history = await scriptHistory(t, "EXPLAIN");
  // The privacy officer edits the working files; the gateway goes on enforcing what it loaded.
  copyFileSync(join(dirs.candidate, "disclosure.yaml"), join(dirs.baseline, "disclosure.yaml"));
  officer = await t.token("privacy.officer", "privacy_officer");
  analyst = await t.token("analist.jansen", "analyst");
  fg = await t.token("fg", "dpo");
});
afterAll(async () => {
  await t?.close();
  for (const dir of Object.values(dirs ?? {})) rmSync(dir, { recursive: true, force: true });
});

describe("policyDiff", () => {
  it("shows the privacy officer what the edited files change against the policy in force", async () => {
    const r = await t.gql(officer, DIFF);
    expect(r.errors).toBeUndefined();
    const diff = r.data?.policyDiff as {
      from: { ref: string; hash: string };
      changes: { sentence: string }[];
      cells: unknown[];
    };
    expect(diff.from).toEqual({ ref: "current", hash: t.app.policy.hash });
    expect(diff.changes.map((c) => c.sentence)).toEqual([
      `Rule brp.regie.analyst no longer allows brp.${NARROWED_FIELD} for role analyst in phase regie.`,
      `Rule hr.open.analyst now also answers probe ${WIDENED_PROBE} for role analyst in phases intake, weging, bronnenonderzoek, regie.`,
    ]);
    expect(diff.cells).toHaveLength(5);
    expect(diff.cells).toContainEqual({
      role: "analyst",
      phase: "regie",
      source: "brp",
      kind: "field",
      item: NARROWED_FIELD,
      before: "with check",
      after: "denied",
    });
  });

  it("refuses the analyst, audited, and answers nothing", async () => {
    const before = await lastSeq(t.app.db);
    const r = await t.gql(analyst, DIFF);
    expect(errorCodes(r)).toEqual({ policyDiff: "FORBIDDEN" });
    expect(r.data ?? null).toBeNull();
    const written = await recordsAfter(t.app.db, before);
    expect(written.map((w) => [w.kind, w.operation, w.decision])).toEqual([
      ["access", "policy.diff", "deny"],
    ]);
  });

  it("writes one audit record per allowed call", async () => {
    const before = await lastSeq(t.app.db);
    expect((await t.gql(fg, DIFF)).errors).toBeUndefined();
    const written = await recordsAfter(t.app.db, before);
    expect(written.map((w) => [w.kind, w.operation, w.decision])).toEqual([
      ["access", "policy.diff", "allow"],
    ]);
  });

  it("compares a stored version (v1: what the gateway stored at its first start) and refuses one that is not stored", async () => {
    const stored = await t.gql(
      officer,
      `{ policyDiff(from: "v1", to: "files") { from { ref hash } changes { id } } }`,
    );
    expect(stored.errors).toBeUndefined();
    expect(stored.data?.policyDiff).toEqual({
      from: { ref: "v1", hash: t.app.policy.hash },
      changes: [{ id: "brp.regie.analyst" }, { id: "hr.open.analyst" }],
    });
    const r = await t.gql(officer, `{ policyDiff(from: "current", to: "v9") { to { ref } } }`);
    expect(errorCodes(r)).toEqual({ policyDiff: "BAD_USER_INPUT" });
    expect(r.errors?.[0]?.message).toMatch(/v9: there is no stored policy version 9/);
  });
});

describe("policyReplay", () => {
  it("flips exactly the narrowed field and the widened probe, with counts and record numbers", async () => {
    const r = await t.gql(officer, REPLAY, period());
    expect(r.errors).toBeUndefined();
    const replay = r.data?.policyReplay as {
      allowToDeny: number;
      denyToAllow: number;
      flips: { direction: string; item: string; count: number; examples: { seq: number }[] }[];
      notReplayable: unknown[];
    };
    expect([replay.allowToDeny, replay.denyToAllow]).toEqual([2, 2]);
    expect(replay.flips.map((f) => [f.direction, f.item, f.count, f.examples.map((e) => e.seq)])).toEqual([
      ["ALLOW_TO_DENY", NARROWED_FIELD, 2, history.fields],
      ["DENY_TO_ALLOW", WIDENED_PROBE, 2, history.probe],
    ]);
    expect(replay.notReplayable).toEqual([]);
    const json = JSON.stringify(r.data);
    for (const secret of [bsn, address.postcode]) expect(json).not.toContain(secret);
  });

  it("refuses the analyst, audited", async () => {
    const before = await lastSeq(t.app.db);
    const r = await t.gql(analyst, REPLAY, period());
    expect(errorCodes(r)).toEqual({ policyReplay: "FORBIDDEN" });
    const written = await recordsAfter(t.app.db, before);
    expect(written.map((w) => [w.kind, w.operation, w.decision])).toEqual([
      ["access", "policy.replay", "deny"],
    ]);
  });

  it("is one audit record for the privacy officer, and writes nothing else", async () => {
    const before = await lastSeq(t.app.db);
    expect((await t.gql(officer, REPLAY, period())).errors).toBeUndefined();
    const written = await recordsAfter(t.app.db, before);
    expect(written.map((w) => [w.kind, w.operation, w.decision])).toEqual([
      ["access", "policy.replay", "allow"],
    ]);
  });
});

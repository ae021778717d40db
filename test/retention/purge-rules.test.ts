import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyChain } from "../../src/audit/index.ts";
import {
  addDuration,
  destroyedReference,
  destructionRecords,
  DESTROYED,
  subtractDuration,
  type PurgeReport,
} from "../../src/retention/index.ts";
import { dialectUnderTest } from "../utils/test-db.ts";
import {
  bsnSource,
  caseRows,
  createRetentionWorld,
  dumpDatabase,
  type ScriptedCase,
} from "./retention-world.ts";

type World = Awaited<ReturnType<typeof createRetentionWorld>>;

/**
 * Maastricht art. 10.2a-c and Delft art. 7a-d: a clock driven through each retention rule of both
 * protocol variants. One case per outcome (and one left open) is scripted through the real use
 * cases with privacy checks, disclosures and denials; at each rule's boundary a purge runs a moment
 * before (nothing of that rule goes) and at the moment (all of it goes), and every time the whole
 * database is checked: destroyed cases keep only their skeleton, no BSN, KvK number, signal text,
 * reference or pseudonym of theirs is left anywhere, cases not yet due are untouched row for row,
 * each destruction is recorded with its rule and legal basis, and the audit chain verifies.
 */
const VARIANTS = [
  {
    protocolFile: "protocol.yaml",
    retention: { ongegrond: "P0D", doorgezet: "P0D", geen_casus: "P1Y", afgerond: "P5Y" },
    article: { ongegrond: "10.2a", doorgezet: "10.2a", geen_casus: "10.2b", afgerond: "10.2c" },
    openIn: "bronnenonderzoek",
  },
  {
    protocolFile: "protocol-delft.yaml",
    retention: { geen_ondermijning: "P14D", doorgezet: "P14D", geen_casus: "P1Y", afgerond: "P5Y" },
    article: { geen_ondermijning: "7a", doorgezet: "7a", geen_casus: "7b", afgerond: "7c" },
    openIn: "bronnenonderzoek",
  },
] as const;

describe.each(VARIANTS)(`retention rules of $protocolFile (${dialectUnderTest()})`, (variant) => {
  let w: World;
  const cases: ScriptedCase[] = [];
  let open: ScriptedCase;
  /** Every row of each case right after scripting: a case not yet due must look exactly like this. */
  const before = new Map<string, Record<string, string[]>>();
  const destroyed = new Set<string>();
  /** Audit records written before this were past the audit retention at the last run. */
  let cutoff = new Date(0);
  const runAt = async (at: Date): Promise<PurgeReport> => {
    cutoff = subtractDuration(at, "P5Y");
    // The cases' own rules only: the reporter's earlier rule (reporter.retention) would change the
    // not-yet-due cases' reporter rows; test/retention/reporter-retention.test.ts covers it.
    return w.purgeAt(at, {
      policy: { ...w.policy, protocol: { ...w.policy.protocol, reporter: undefined } },
    });
  };
  const nextBsn = bsnSource(10_000_000 + (variant.protocolFile === "protocol.yaml" ? 0 : 500));
  /** One subject that every case names, so it stays while any case that names it stays. */
  const SHARED = nextBsn();

  beforeAll(async () => {
    w = await createRetentionWorld({ protocolFile: variant.protocolFile });
    w.clock.set("2025-01-06T09:00:00Z");
    let k = 0;
    for (const outcome of Object.keys(variant.retention))
      cases.push(
        await w.script({
          reference: `RET-${outcome}-${++k}X`,
          outcome,
          bsn: nextBsn(),
          kvk: `7000000${k}`,
          shared: SHARED,
        }),
      );
    open = await w.script({
      reference: "RET-open-9X",
      stopAt: variant.openIn,
      bsn: nextBsn(),
      kvk: "70000009",
      shared: SHARED,
    });
    for (const c of [...cases, open]) before.set(c.id, await caseRows(w.db, c.id));
  });
  afterAll(async () => {
    await w.close();
  });

  it("reads the retention, article and legal basis of every outcome from the protocol file", () => {
    const outcomes = w.policy.protocol.outcomes;
    expect(Object.fromEntries(outcomes.map((o) => [o.id, o.retention]))).toStrictEqual(variant.retention);
    for (const o of outcomes) {
      const article = variant.article[o.id as keyof typeof variant.article];
      expect(o.article).toContain(article);
      expect(o.legalBasis).toContain(`art. ${article}`);
      expect(o.legalBasis).toContain("Selectielijst gemeenten en intergemeentelijke organen 2020");
    }
    expect(w.policy.protocol.auditRetention).toMatchObject({
      retention: "P5Y",
      article: expect.stringMatching(/7d/),
    });
  });

  /** Everything the database holds after a run, checked against which cases are destroyed. */
  async function expectState(): Promise<void> {
    const dump = await dumpDatabase(w.db);
    for (const c of [...cases, open]) {
      const traces = [
        c.bsn,
        c.kvk,
        c.signal,
        c.reference,
        w.audit.pseudonymise(c.bsn, "bsn"),
        w.audit.pseudonymise(c.kvk, "kvkNummer"),
      ];
      if (!destroyed.has(c.id)) {
        await expectUntouched(c);
        // Free text never holds a BSN (issue 10): the person is in the checks that name them and
        // under their pseudonym in the audit log until it is tombstoned; the text has its marker.
        for (const t of [c.signal, c.reference]) expect(dump).toContain(t);
        continue;
      }
      for (const t of traces) expect(dump, `${c.outcome}: ${t}`).not.toContain(t);
      await expectSkeleton(c);
    }
    // The shared subject stays exactly as long as a case that names it does.
    const anyLeft = [...cases, open].some((c) => !destroyed.has(c.id));
    expect(dump.includes(SHARED)).toBe(anyLeft);
    expect(await verifyChain(w.db)).toMatchObject({ ok: true });
  }

  /**
   * A case not yet due is exactly as it was, except that its audit records written before the
   * audit cut-off are tombstones (Delft art. 7d: logs at most 5 years, whatever the case).
   */
  async function expectUntouched(c: ScriptedCase): Promise<void> {
    const { audit_log: audit, ...rest } = await caseRows(w.db, c.id);
    const { audit_log: auditBefore, ...restBefore } = before.get(c.id)!;
    expect(rest).toStrictEqual(restBefore);
    expect(audit).toHaveLength(auditBefore!.length);
    audit!.forEach((now, i) => {
      const was = JSON.parse(auditBefore![i]!) as { at: string };
      if (new Date(was.at) < cutoff) expect(JSON.parse(now)).toMatchObject({ tombstone: true, actor: null });
      else expect(now).toBe(auditBefore![i]);
    });
  }

  async function expectSkeleton(c: ScriptedCase): Promise<void> {
    const [row] = await w.db.query<Record<string, unknown>>("SELECT * FROM cases WHERE id = $1", [c.id]);
    expect(row).toMatchObject({
      id: c.id,
      reference: destroyedReference(c.id),
      theme: "woonfraude",
      protocol_id: w.policy.protocol.id,
      phase: w.policy.protocol.closedPhase,
      status: "closed",
      outcome: c.outcome,
      owner: DESTROYED,
      substitute: null,
      closed_at: c.closedAt,
    });
    expect(row?.destroyed_at).toBeInstanceOf(Date);
    const events = await w.db.query<Record<string, unknown>>(
      "SELECT kind, to_phase, outcome, actor, motivation FROM case_events WHERE case_id = $1 ORDER BY seq",
      [c.id],
    );
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.at(0)).toMatchObject({ kind: "opened", to_phase: w.policy.protocol.initialPhase });
    expect(events.at(-1)).toMatchObject({ kind: "closed", outcome: c.outcome });
    expect(events.every((e) => e.motivation === DESTROYED && e.actor === DESTROYED)).toBe(true);
    const checks = await w.db.query<Record<string, unknown>>(
      "SELECT status, requested_probes, requested_fields, subjects, motivation FROM privacy_checks WHERE case_id = $1",
      [c.id],
    );
    for (const check of checks)
      expect(check).toMatchObject({ status: "approved", subjects: [], motivation: DESTROYED });
    const audit = await w.db.query<Record<string, unknown>>(
      "SELECT * FROM audit_log WHERE case_id = $1 ORDER BY seq",
      [c.id],
    );
    const [retention, ...others] = [...audit].reverse();
    expect(retention).toMatchObject({
      kind: "retention",
      operation: "retention.destroy",
      // Its own record, too, is kept no longer than the audit retention.
      tombstone: (retention?.at as Date) < cutoff,
    });
    expect(others.length).toBeGreaterThan(0);
    for (const r of others)
      expect(r).toMatchObject({
        tombstone: true,
        actor: null,
        subject_pseudonym: null,
        detail: null,
        reason: null,
        trace_id: null,
        case_id: c.id,
        operation: expect.any(String),
      });
    const [record, ...more] = await destructionRecords.list(w.db, { caseId: c.id });
    expect(more).toHaveLength(0);
    const rule = w.policy.protocol.outcomes.find((o) => o.id === c.outcome)!;
    expect(record).toMatchObject({
      caseId: c.id,
      rule: `outcome ${rule.id}: ${rule.retention} after closing (${rule.article})`,
      legalBasis: rule.legalBasis,
      dueAt: addDuration(c.closedAt!, rule.retention),
      protocolId: w.policy.protocol.id,
      policyHash: w.policy.hash,
    });
    expect(record?.categories).toEqual(
      expect.arrayContaining(["case reference and assigned staff", "signal text and case motivations"]),
    );
    // Records past the audit retention may have become tombstones before the case was destroyed.
    expect(record?.counts).toMatchObject({ cases: 1, case_events: events.length });
    expect(record?.counts.audit_log).toBeLessThanOrEqual(others.length);
    if (checks.length > 0)
      expect(record?.counts).toMatchObject({
        privacy_checks: checks.length,
        privacy_check_steps: 2 * checks.length,
      });
    if (retention?.tombstone === false)
      expect(retention.detail).toMatchObject({ destructionRecord: record?.id, counts: record?.counts });
  }

  it("destroys nothing before anything is due, and leaves every case as it was", async () => {
    const first = cases.map((c) => c.closedAt!.getTime()).sort((a, b) => a - b)[0]!;
    const report = await runAt(new Date(first - 1000));
    expect(report.destroyed).toStrictEqual([]);
    expect(report.failed).toStrictEqual([]);
    await expectState();
  });

  const groups = [...new Set(Object.values(variant.retention))];
  it.each(groups)(
    "rule %s: nothing of it goes a moment before its end, all of it at its end",
    async (retention) => {
      const group = cases.filter(
        (c) => variant.retention[c.outcome as keyof typeof variant.retention] === retention,
      );
      const dues = group.map((c) => addDuration(c.closedAt!, retention).getTime());
      const early = await runAt(new Date(Math.min(...dues) - 1000));
      expect(early.destroyed.filter((d) => group.some((c) => c.id === d.caseId))).toStrictEqual([]);
      await expectState();

      const due = await runAt(new Date(Math.max(...dues)));
      expect(due.failed).toStrictEqual([]);
      expect(due.destroyed.map((d) => d.caseId).sort()).toStrictEqual(group.map((c) => c.id).sort());
      for (const d of due.destroyed) {
        expect(d.rule.retention).toBe(retention);
        destroyed.add(d.caseId);
      }
      await expectState();
    },
  );

  it("keeps the open case, and tombstones its audit records once they are older than P5Y", async () => {
    expect(destroyed.size).toBe(cases.length);
    const [last] = await w.db.query<{ at: Date }>("SELECT max(at) AS at FROM audit_log WHERE case_id = $1", [
      open.id,
    ]);
    const report = await runAt(new Date(addDuration(last!.at, "P5Y").getTime() + 1000));
    expect(report.destroyed).toStrictEqual([]);
    expect(report.auditTombstoned).toBeGreaterThan(0);
    await expectState();
    expect(await caseRows(w.db, open.id)).toMatchObject({
      cases: before.get(open.id)!.cases,
      privacy_checks: before.get(open.id)!.privacy_checks,
    });
    const audit = await w.db.query<{ tombstone: boolean; subject_pseudonym: string | null }>(
      "SELECT tombstone, subject_pseudonym FROM audit_log WHERE case_id = $1",
      [open.id],
    );
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.every((r) => r.tombstone && r.subject_pseudonym === null)).toBe(true);
    const [expiry] = (await destructionRecords.list(w.db)).filter((r) => r.caseId === null);
    expect(expiry).toMatchObject({
      rule: `audit records: P5Y after writing (${w.policy.protocol.auditRetention.article})`,
      legalBasis: w.policy.protocol.auditRetention.legalBasis,
    });
    const dump = await dumpDatabase(w.db);
    expect(dump).not.toContain(w.audit.pseudonymise(open.bsn, "bsn"));
    expect(dump).toContain(open.bsn); // the open case still names its subject in its check
  });

  it("destroys nothing twice: a second run at the same moment writes nothing", async () => {
    const last = await w.db.query<{ at: Date }>("SELECT max(at) AS at FROM audit_log");
    const records = (await destructionRecords.list(w.db)).length;
    const dump = await dumpDatabase(w.db);
    const again = await runAt(last[0]!.at);
    expect(again).toMatchObject({ destroyed: [], failed: [], auditTombstoned: 0 });
    expect((await destructionRecords.list(w.db)).length).toBe(records);
    expect(await dumpDatabase(w.db)).toBe(dump);
  });
});

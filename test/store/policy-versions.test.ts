import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createAuditLog, type AuditLog } from "../../src/audit/index.ts";
import {
  addYears,
  evaluationsDue,
  listVersions,
  loadStoredVersion,
  nextEvaluation,
  publish,
  readWorkingFiles,
  recordEvaluation,
  versionsInForce,
} from "../../src/policy/versions/index.ts";
import { buildFgReport, fgReportMarkdown, reportPeriod } from "../../src/reports/index.ts";
import type { Clock } from "../../src/shared/index.ts";
import type { Db } from "../../src/store/index.ts";
import { gatewayAdmits } from "../../src/app/index.ts";
import { HMAC_KEY } from "../audit/audit-fixtures.ts";
import { overlay } from "../policy/policy-fixtures.ts";
import { createTestDb, dialectUnderTest } from "../utils/test-db.ts";

/** A clock the test moves by hand. */
function handClock(start: string) {
  let now = new Date(start);
  const clock: Clock = { now: () => new Date(now) };
  return { clock, set: (iso: string) => (now = new Date(iso)) };
}

/**
 * Issue 14: a policy version is the whole validated set, stored append-only and audited; it loads
 * back to the same hash; evaluation reminders follow Maastricht art. 13 (one year, then three).
 */
describe(`policy versions (${dialectUnderTest()})`, () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function world(start = "2026-01-15T10:00:00.000Z") {
    const db = await createTestDb();
    cleanups.push(() => db.close());
    const { dir, cleanup } = overlay();
    cleanups.push(cleanup);
    const time = handClock(start);
    const audit = createAuditLog({ db, hmacKey: HMAC_KEY, clock: time.clock });
    return { db, dir, audit, ...time };
  }

  const publishOk = async (db: Db, audit: AuditLog, dir: string, clock: Clock, motivation: string) => {
    const r = await publish(db, audit, dir, {
      author: "po-1",
      motivation,
      clock,
      roles: ["privacy_officer"],
    });
    if (!r.ok) expect.fail(JSON.stringify(r.error));
    return r.value;
  };

  const auditRecords = (db: Db, operation: string) =>
    db.query<{ policy_hash: string; actor: string; detail: Record<string, unknown> }>(
      "SELECT policy_hash, actor, detail FROM audit_log WHERE operation = $1 ORDER BY seq",
      [operation],
    );

  it("publishes the validated working files as version 1, 2, … with an audit record in the same transaction", async () => {
    const { db, dir, audit, clock } = await world();
    const v1 = await publishOk(db, audit, dir, clock, "first protocol");
    expect(v1).toMatchObject({
      version: 1,
      author: "po-1",
      motivation: "first protocol",
      adoptedOn: "2026-01-15",
    });
    const working = await readWorkingFiles(dir);
    if (!working.ok) expect.fail("working files");
    expect(v1.hash).toBe(working.value.policy.hash);
    expect(v1.files).toContain("protocol.yaml");
    expect(v1.files).toContain("catalogue/brp.yaml");

    const roles = join(dir, "roles.yaml");
    writeFileSync(
      roles,
      readFileSync(roles, "utf8").replace(
        /\n {6}- action: retention\.read\n {8}reason: Supervises[^\n]*/,
        "",
      ),
    );
    const v2 = await publishOk(db, audit, dir, clock, "FG no longer reads destruction records");
    expect(v2.version).toBe(2);
    expect(v2.hash).not.toBe(v1.hash);
    expect((await listVersions(db)).map((v) => v.version)).toEqual([1, 2]);

    const logged = await auditRecords(db, "policy.publish");
    expect(logged.map((r) => [r.policy_hash, r.actor, r.detail.version])).toEqual([
      [v1.hash, "po-1", 1],
      [v2.hash, "po-1", 2],
    ]);
    expect(logged[1]?.detail.previousHash).toBe(v1.hash);
  });

  it("refuses a bad file, naming it, and stores nothing", async () => {
    const { db, dir, audit, clock } = await world();
    writeFileSync(join(dir, "probes.yaml"), "probes: [\n");
    const r = await publish(db, audit, dir, { author: "po-1", motivation: "broken", clock });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.kind).toBe("policy_invalid");
    expect(JSON.stringify(r.error)).toContain("probes.yaml");
    expect(await listVersions(db)).toEqual([]);
    expect(await auditRecords(db, "policy.publish")).toEqual([]);
  });

  it("refuses a version this gateway could not serve (a probe without a runner), and an unaudited one, storing nothing", async () => {
    const { db, dir, audit, clock } = await world();
    const probes = join(dir, "probes.yaml");
    writeFileSync(
      probes,
      readFileSync(probes, "utf8").replace(
        "probes:\n",
        "probes:\n  - id: brp.nieuweVraag\n    source: brp\n    description: A question no runner answers.\n",
      ),
    );
    const refused = await publish(db, audit, dir, {
      author: "po-1",
      motivation: "new probe",
      clock,
      admit: gatewayAdmits(clock),
    });
    expect(refused.ok).toBe(false);
    if (!refused.ok && refused.error.kind === "policy_invalid")
      expect(refused.error.problems).toEqual([
        {
          file: "probes.yaml",
          path: "",
          reason: "brp.nieuweVraag: no source of this gateway answers this probe for source brp",
        },
      ]);
    else expect.fail(JSON.stringify(refused));
    const failing: AuditLog = {
      ...audit,
      append: () =>
        Promise.resolve({ ok: false, error: { kind: "audit_write_failed", reason: "disk full" } }),
    };
    const intact = overlay();
    cleanups.push(intact.cleanup);
    const unaudited = await publish(db, failing, intact.dir, { author: "po-1", motivation: "x", clock });
    expect(unaudited).toEqual({ ok: false, error: { kind: "audit_failed", reason: "disk full" } });
    expect(await listVersions(db)).toEqual([]);
  });

  it("refuses content identical to the newest version", async () => {
    const { db, dir, audit, clock } = await world();
    const v1 = await publishOk(db, audit, dir, clock, "first");
    const again = await publish(db, audit, dir, { author: "po-1", motivation: "again", clock });
    expect(again).toEqual({ ok: false, error: { kind: "unchanged", version: 1, hash: v1.hash } });
    expect(await listVersions(db)).toHaveLength(1);
  });

  it("refuses bad dates and an empty motivation, storing nothing", async () => {
    const { db, dir, audit, clock } = await world();
    for (const input of [
      { motivation: " " },
      { motivation: "x", adoptedOn: "2026-02-30" },
      { motivation: "x", nextEvaluation: "2026-01-01", adoptedOn: "2026-01-15" },
    ]) {
      const r = await publish(db, audit, dir, { author: "po-1", clock, ...input });
      expect(r.ok && "published").toBe(false);
      if (!r.ok) expect(r.error.kind).toBe("bad_input");
    }
    expect(await listVersions(db)).toEqual([]);
  });

  it("loads a stored version back into the same policy set (same hash)", async () => {
    const { db, dir, audit, clock } = await world();
    const v1 = await publishOk(db, audit, dir, clock, "first");
    const loaded = await loadStoredVersion(db, "latest");
    if (!loaded.ok) expect.fail(JSON.stringify(loaded.error));
    expect(loaded.value.version).toBe(1);
    expect(loaded.value.policy.hash).toBe(v1.hash);
    expect(loaded.value.meta.motivation).toBe("first");
    expect(loaded.value.policy.files).toEqual(v1.files);
    const byNumber = await loadStoredVersion(db, 1);
    expect(byNumber.ok && byNumber.value.policy.hash).toBe(v1.hash);
    expect(await loadStoredVersion(db, 7)).toEqual({ ok: false, error: { kind: "not_found", ref: 7 } });
  });

  it("a stored version whose files no longer load is an error naming the file", async () => {
    const { db, dir, audit, clock } = await world();
    const v1 = await publishOk(db, audit, dir, clock, "first");
    const [row] = await db.query<{ files: Record<string, string> | string }>(
      "SELECT files FROM policy_versions WHERE version = 1",
    );
    const files =
      typeof row?.files === "string" ? (JSON.parse(row.files) as Record<string, string>) : row!.files;
    await db.query(
      `INSERT INTO policy_versions (version, hash, protocol_file, protocol_id, files, author, published_at, motivation, adopted_on, next_evaluation)
       VALUES (2, 'broken', 'protocol.yaml', 'x', $1::jsonb, 'someone', now(), 'broken', '2026-01-15', '2027-01-15')`,
      [JSON.stringify({ ...files, "roles.yaml": "roles: [" })],
    );
    const loaded = await loadStoredVersion(db, "latest");
    expect(loaded.ok).toBe(false);
    if (!loaded.ok && loaded.error.kind === "policy_invalid") {
      expect(loaded.error.version).toBe(2);
      expect(loaded.error.problems.map((p) => p.file)).toContain("roles.yaml");
    } else expect.fail("expected policy_invalid");
    expect((await loadStoredVersion(db, 1)).ok && v1.version).toBe(1);
  });

  it("is append-only: UPDATE and DELETE of a version or an evaluation are refused", async () => {
    const { db, dir, audit, clock } = await world();
    await publishOk(db, audit, dir, clock, "first");
    await expect(db.query("UPDATE policy_versions SET motivation = 'other'")).rejects.toThrow();
    await expect(db.query("DELETE FROM policy_versions")).rejects.toThrow();
    const e = await recordEvaluation(db, audit, { by: "fg-1", motivation: "evaluated with the FG", clock });
    expect(e.ok).toBe(true);
    await expect(db.query("DELETE FROM policy_evaluations")).rejects.toThrow();
    await expect(db.query("UPDATE policy_evaluations SET motivation = 'x'")).rejects.toThrow();
    expect(await listVersions(db)).toHaveLength(1);
  });

  it("reminds of the evaluation one year after the first adoption, then three years after each evaluation", async () => {
    const { db, dir, audit, clock, set } = await world("2026-01-15T10:00:00.000Z");
    const v1 = await publishOk(db, audit, dir, clock, "adopted");
    expect(v1.nextEvaluation).toBe("2027-01-15");
    expect(await evaluationsDue(db, clock)).toEqual([]);
    // A later version without an evaluation keeps the first year's date (art. 13: after one year).
    set("2026-06-01T10:00:00.000Z");
    const roles = join(dir, "roles.yaml");
    writeFileSync(
      roles,
      readFileSync(roles, "utf8").replace("Reviews the policy.", "Reviews the policy (v2)."),
    );
    const v2 = await publishOk(db, audit, dir, clock, "second");
    expect(v2.nextEvaluation).toBe("2027-01-15");
    // 30 days ahead it is in the queue, not yet overdue; after the date overdue.
    set("2026-12-20T10:00:00.000Z");
    expect(await evaluationsDue(db, clock)).toMatchObject([
      { version: 2, dueOn: "2027-01-15", overdue: false },
    ]);
    set("2027-01-20T10:00:00.000Z");
    expect(await evaluationsDue(db, clock)).toMatchObject([
      { dueOn: "2027-01-15", overdue: true, lastEvaluatedOn: null },
    ]);

    const evaluated = await recordEvaluation(db, audit, {
      by: "fg-1",
      motivation: "Evaluated with the FG",
      clock,
      roles: ["dpo"],
    });
    if (!evaluated.ok) expect.fail(JSON.stringify(evaluated.error));
    expect(evaluated.value).toMatchObject({
      version: 2,
      evaluatedOn: "2027-01-20",
      nextEvaluation: "2030-01-20",
    });
    expect(await evaluationsDue(db, clock)).toEqual([]);
    expect(await nextEvaluation(db, clock)).toMatchObject({
      dueOn: "2030-01-20",
      lastEvaluatedOn: "2027-01-20",
    });
    // A version published after an evaluation: three years after that evaluation.
    writeFileSync(
      roles,
      readFileSync(roles, "utf8").replace("Reviews the policy (v2).", "Reviews the policy (v3)."),
    );
    const v3 = await publishOk(db, audit, dir, clock, "third");
    expect(v3.nextEvaluation).toBe(addYears("2027-01-20", 3));
    set("2029-12-25T10:00:00.000Z");
    expect(await evaluationsDue(db, clock)).toMatchObject([{ version: 3, dueOn: "2030-01-20" }]);
    const logged = await auditRecords(db, "policy.evaluation");
    expect(logged.map((r) => r.actor)).toEqual(["fg-1"]);
  });

  it("lists the versions in force per period", async () => {
    const { db, dir, audit, clock, set } = await world("2026-01-15T10:00:00.000Z");
    const v1 = await publishOk(db, audit, dir, clock, "first");
    set("2026-03-01T00:00:00.000Z");
    const roles = join(dir, "roles.yaml");
    writeFileSync(
      roles,
      readFileSync(roles, "utf8").replace("Reviews the policy.", "Reviews the policy (v2)."),
    );
    const v2 = await publishOk(db, audit, dir, clock, "second");
    const inForce = await versionsInForce(
      db,
      new Date("2026-01-01T00:00:00Z"),
      new Date("2027-01-01T00:00:00Z"),
    );
    expect(inForce).toEqual([
      {
        version: 1,
        hash: v1.hash,
        motivation: "first",
        from: "2026-01-15T10:00:00.000Z",
        to: "2026-03-01T00:00:00.000Z",
      },
      {
        version: 2,
        hash: v2.hash,
        motivation: "second",
        from: "2026-03-01T00:00:00.000Z",
        to: "2027-01-01T00:00:00.000Z",
      },
    ]);
    expect(
      await versionsInForce(db, new Date("2025-01-01T00:00:00Z"), new Date("2026-01-01T00:00:00Z")),
    ).toEqual([]);
  });

  it("the FG report lists the versions in force in the year and the next evaluation", async () => {
    const { db, dir, audit, clock, set } = await world("2026-01-15T10:00:00.000Z");
    const v1 = await publishOk(db, audit, dir, clock, "first");
    set("2026-03-01T00:00:00.000Z");
    const roles = join(dir, "roles.yaml");
    writeFileSync(
      roles,
      readFileSync(roles, "utf8").replace("Reviews the policy.", "Reviews the policy (v2)."),
    );
    const v2 = await publishOk(db, audit, dir, clock, "second | with a pipe");
    const period = reportPeriod(2026);
    if (!period.ok) expect.fail("period");
    const loaded = await loadStoredVersion(db, "latest");
    if (!loaded.ok) expect.fail("loaded");
    const report = await buildFgReport(db, {
      period: period.value,
      protocol: loaded.value.policy.protocol,
      now: new Date("2026-12-31T12:00:00Z"),
    });
    expect(report.policyVersions.map((v) => [v.version, v.hash, v.from, v.to])).toEqual([
      [1, v1.hash, "2026-01-15T10:00:00.000Z", "2026-03-01T00:00:00.000Z"],
      [2, v2.hash, "2026-03-01T00:00:00.000Z", "2027-01-01T00:00:00.000Z"],
    ]);
    expect(report.policyHashes).toEqual([v1.hash, v2.hash].sort());
    expect(report.policyEvaluation).toMatchObject({ version: 2, dueOn: "2027-01-15", overdue: false });
    const md = fgReportMarkdown(report);
    expect(md).toContain("## Policy versions in force");
    expect(md).toContain(
      `| 2 | \`${v2.hash}\` | 2026-03-01T00:00:00.000Z | 2027-01-01T00:00:00.000Z | second \\| with a pipe |`,
    );
    expect(md).toContain("- Next evaluation of the protocol with the FG: 2027-01-15, version 2");
  });
});

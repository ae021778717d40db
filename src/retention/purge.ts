import { randomUUID } from "node:crypto";
import { tombstoneRecordsBefore, type AuditEntry, type AuditLog } from "../audit/index.ts";
import type { ProcessingActivities, Protocol } from "../policy/index.ts";
import { subtractDuration, systemClock, type Clock } from "../shared/index.ts";
import { vacuumTables, type Db, type Queryable } from "../store/index.ts";
import {
  categoriesOf,
  DEFAULT_CASE_DESTROYERS,
  DESTRUCTION_METHOD,
  type CaseDataDestroyer,
} from "./case-destroyers.ts";
import { destructionRecords, type DestructionRecord } from "./destruction-records.ts";
import { planPurge, type DueCase, type PurgePlan } from "./purge-plan.ts";
import { newTraceId } from "../shared/random-ids.ts";

/**
 * Set locally in every purge transaction; the history triggers of 007_retention.sql allow blanking
 * a row, and marking a case destroyed, only while it is set.
 */
export const RETENTION_RUN_SETTING = "poortwachter.retention_run";

/**
 * Transaction-level advisory lock every retention transaction takes first, so the transactions of
 * concurrent runs (replicas, or the CLI next to the server) follow each other instead of
 * interleaving: no deadlock between one run's audit expiry and another's case, and a case is
 * re-read only after the other run's commit.
 */
export const RETENTION_LOCK_KEY = 7_071_300_003;

export interface PurgeOptions {
  readonly db: Db;
  readonly audit: Pick<AuditLog, "append">;
  /** The loaded policy: its protocol has the rules, its hash goes into every record. */
  readonly policy: {
    readonly protocol: Protocol;
    readonly hash: string;
    /** The register: the retention activity every destruction record names (issue 13). */
    readonly processingActivities: Pick<ProcessingActivities, "forWork">;
  };
  readonly clock?: Clock | undefined;
  readonly newId?: (() => string) | undefined;
  /** Default: this gateway's own tables ({@link DEFAULT_CASE_DESTROYERS}). */
  readonly destroyers?: readonly CaseDataDestroyer[] | undefined;
  /** Plan only: read what is due and write nothing (not audited: it reads no personal data). */
  readonly dryRun?: boolean | undefined;
}

export interface DestroyedCase extends DueCase {
  readonly destructionRecordId: string;
  readonly counts: Readonly<Record<string, number>>;
}

export interface PurgeReport {
  readonly runId: string;
  readonly dryRun: boolean;
  /** What was due when the run started (a dry run's whole answer). */
  readonly plan: PurgePlan;
  readonly destroyed: readonly DestroyedCase[];
  /** Due when the run started, but found destroyed by a concurrent run, e.g. another replica. */
  readonly concurrentlyDestroyed: readonly string[];
  /** Each rolled back entirely; the next run tries again. `caseId` null: the audit expiry. */
  readonly failed: readonly { readonly caseId: string | null; readonly reason: string }[];
  /** Audit records past the audit retention turned into tombstones by this run. */
  readonly auditTombstoned: number;
  /** Reporters whose data this run destroyed by the protocol's `reporter.retention`. */
  readonly reportersDestroyed: number;
  /**
   * The tables vacuumed after the run, so the destroyed rows are physically gone too (Maastricht
   * art. 1aa): every table a destroyer touched; empty when nothing was destroyed.
   */
  readonly vacuumed: readonly string[];
  /** Why the vacuum failed (the destruction itself is committed; the exit code says so). */
  readonly vacuumFailed: string | undefined;
  /** On PostgreSQL after a destruction: what the operator must still do ({@link POSTGRES_DESTRUCTION_NOTICE}). */
  readonly operatorNotice: string | undefined;
}

/**
 * On PostgreSQL a VACUUM prunes the destroyed rows from the tables, but copies stay where the
 * gateway cannot reach: base backups and the WAL archive (point-in-time recovery keeps every WAL
 * segment since the oldest base backup), and replicas until they replay. Destroyed is "permanently
 * inaccessible" (Maastricht art. 1aa), so the report says what the operator must do (README,
 * "Physical destruction").
 */
export const POSTGRES_DESTRUCTION_NOTICE =
  "PostgreSQL: the destroyed rows are vacuumed out of the tables, but base backups, the WAL archive " +
  "(point-in-time recovery keeps all WAL since the oldest base backup) and replicas that have not " +
  "replayed still hold them until they age out. The operator must: expire backups and WAL archives " +
  "within the shortest retention they must honour (e.g. P14D, Delft art. 7a); check that every " +
  "replica replays; after a restore, run `npm run retention` before the gateway serves again " +
  "(README, Physical destruction)";

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

function addCounts(into: Record<string, number>, more: Readonly<Record<string, number>>): void {
  for (const [table, n] of Object.entries(more)) into[table] = (into[table] ?? 0) + n;
}

/**
 * The retention job (Maastricht art. 10, 21; Delft art. 7). Destroys the personal data of every
 * closed case whose retention period has ended, each case in its own transaction: its data are
 * blanked by every destroyer, the case is marked destroyed, and a destruction record and an audit
 * record are written, all or nothing. So a run that dies halfway leaves each case destroyed
 * entirely or untouched, and the next run does the rest; a destroyed case is never picked again,
 * so nothing is destroyed or recorded twice. Then audit records past the audit retention become
 * tombstones. Concurrent runs (replicas) are safe: every retention transaction first takes one
 * advisory lock, then locks its case row (`FOR UPDATE`) and re-checks that it is not destroyed yet;
 * and the database allows one destruction record per case.
 */
export async function purge(options: PurgeOptions): Promise<PurgeReport> {
  const { db, audit, policy } = options;
  const clock = options.clock ?? systemClock;
  const newId = options.newId ?? randomUUID;
  const destroyers = options.destroyers ?? DEFAULT_CASE_DESTROYERS;
  const runId = newId();
  const traceId = newTraceId();
  const plan = await planPurge(db, policy.protocol, clock.now());
  const report = {
    runId,
    dryRun: options.dryRun === true,
    plan,
    destroyed: [] as DestroyedCase[],
    concurrentlyDestroyed: [] as string[],
    failed: [] as { caseId: string | null; reason: string }[],
    auditTombstoned: 0,
    reportersDestroyed: 0,
    vacuumed: [] as readonly string[],
    vacuumFailed: undefined as string | undefined,
    operatorNotice: undefined as string | undefined,
  };
  if (report.dryRun) return report;

  const entry = (operation: string, reason: string, rest: Partial<AuditEntry>): AuditEntry => ({
    kind: "retention",
    actor: "system",
    roles: [],
    processingActivity: policy.processingActivities.forWork("retention"),
    operation,
    decision: "allow",
    reason,
    policyHash: policy.hash,
    traceId,
    ...rest,
  });
  const record = async (tx: Queryable, d: Omit<DestructionRecord, "id" | "runId">, audited: AuditEntry) => {
    const id = newId();
    await destructionRecords.insert(tx, { id, runId, ...d });
    const logged = await audit.append(
      [{ ...audited, detail: { ...audited.detail, runId, destructionRecord: id } }],
      tx,
    );
    if (!logged.ok) throw new Error(`audit log: ${logged.error.reason}`);
    return id;
  };
  const begin = async (tx: Queryable) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${RETENTION_LOCK_KEY})`);
    await tx.query("SELECT set_config($1, $2, true)", [RETENTION_RUN_SETTING, runId]);
  };

  const destroyCase = async (tx: Queryable, due: DueCase): Promise<DestroyedCase | undefined> => {
    await begin(tx);
    const locked = await tx.query(
      "SELECT id FROM cases WHERE id = $1 AND status = 'closed' AND destroyed_at IS NULL FOR UPDATE",
      [due.caseId],
    );
    if (locked.length === 0) return undefined;
    const counts: Record<string, number> = {};
    for (const destroy of destroyers) addCounts(counts, await destroy(tx, due.caseId));
    const destroyedAt = clock.now();
    await tx.query("UPDATE cases SET destroyed_at = $2 WHERE id = $1", [
      due.caseId,
      destroyedAt.toISOString(),
    ]);
    const categories = categoriesOf(counts);
    const id = await record(
      tx,
      {
        caseId: due.caseId,
        destroyedAt,
        dueAt: due.dueAt,
        rule: due.rule.description,
        legalBasis: due.rule.legalBasis,
        method: DESTRUCTION_METHOD,
        categories,
        counts,
        protocolId: policy.protocol.id,
        policyHash: policy.hash,
      },
      entry("retention.destroy", due.rule.description, {
        caseId: due.caseId,
        phase: policy.protocol.closedPhase,
        detail: { outcome: due.outcome, dueAt: due.dueAt.toISOString(), categories, counts },
      }),
    );
    return { ...due, destructionRecordId: id, counts };
  };

  for (const due of plan.due) {
    try {
      const done = await db.transaction((tx) => destroyCase(tx, due));
      if (done) report.destroyed.push(done);
      else report.concurrentlyDestroyed.push(due.caseId);
    } catch (e) {
      report.failed.push({ caseId: due.caseId, reason: messageOf(e) });
    }
  }

  // Delft art. 7d: audit records at most the audit retention, whatever case they concern.
  const { rule, cutoff } = plan.audit;
  if (plan.audit.records > 0) {
    try {
      report.auditTombstoned = await db.transaction(async (tx) => {
        await begin(tx);
        const n = await tombstoneRecordsBefore(tx, cutoff);
        if (n === 0) return 0;
        const counts = { audit_log: n };
        await record(
          tx,
          {
            caseId: null,
            destroyedAt: clock.now(),
            dueAt: cutoff,
            rule: rule.description,
            legalBasis: rule.legalBasis,
            method: DESTRUCTION_METHOD,
            categories: categoriesOf(counts),
            counts,
            protocolId: policy.protocol.id,
            policyHash: policy.hash,
          },
          entry("retention.expire_audit", rule.description, {
            detail: { writtenBefore: cutoff.toISOString(), counts },
          }),
        );
        return n;
      });
    } catch (e) {
      report.failed.push({ caseId: null, reason: messageOf(e) });
    }
  }
  // Maastricht art. 6.1, Delft art. 4: the reporter's data at the latest by the protocol's rule.
  const reporterRule = policy.protocol.reporter;
  const reporterCutoff = reporterRule && subtractDuration(clock.now(), reporterRule.retention);
  const reportersDue =
    reporterCutoff &&
    (
      await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM signal_reporters WHERE destroyed_at IS NULL AND recorded_at <= $1",
        [reporterCutoff.toISOString()],
      )
    )[0]?.n;
  if (reporterRule && reporterCutoff && reportersDue) {
    const cutoff = reporterCutoff;
    try {
      report.reportersDestroyed = await db.transaction(async (tx) => {
        await begin(tx);
        const rows = await tx.query<{ case_id: string }>(
          `UPDATE signal_reporters SET name = NULL, contact = NULL, destroyed_at = $2, destroyed_reason = 'protocol'
            WHERE destroyed_at IS NULL AND recorded_at <= $1 RETURNING case_id`,
          [cutoff.toISOString(), clock.now().toISOString()],
        );
        if (rows.length === 0) return 0;
        const logged = await audit.append(
          rows.map((r) =>
            entry(
              "reporter.destroy",
              `the reporter's data at the latest ${reporterRule.retention} after they were recorded (protocol reporter.retention; ${reporterRule.article})`,
              {
                caseId: r.case_id,
                detail: {
                  runId,
                  categories: ["reporter name and contact"],
                  legalBasis: reporterRule.legalBasis,
                  recordedBefore: cutoff.toISOString(),
                },
              },
            ),
          ),
          tx,
        );
        if (!logged.ok) throw new Error(`audit log: ${logged.error.reason}`);
        return rows.length;
      });
    } catch (e) {
      report.failed.push({ caseId: null, reason: messageOf(e) });
    }
  }

  // Maastricht art. 1aa: destroyed is permanently inaccessible, so not a dead row in a table file
  // or the WAL either. VACUUM cannot run in a transaction: after the per-case ones, on the db.
  const touched = new Set<string>();
  for (const done of report.destroyed)
    for (const [table, n] of Object.entries(done.counts)) if (n > 0) touched.add(table);
  if (report.auditTombstoned > 0) touched.add("audit_log");
  if (report.reportersDestroyed > 0) touched.add("signal_reporters");
  if (touched.size > 0) {
    try {
      report.vacuumed = (await vacuumTables(db, touched)).tables;
    } catch (e) {
      report.vacuumFailed = messageOf(e);
    }
    if (db.dialect === "postgres") report.operatorNotice = POSTGRES_DESTRUCTION_NOTICE;
  }
  return report;
}

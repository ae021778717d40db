import { createAuditLog, type AuditLog } from "../audit/index.ts";
import { caseDataDestroyers } from "../app/index.ts";
import { purge, type PurgeReport } from "../retention/index.ts";
import { err, systemClock, type Clock } from "../shared/index.ts";
import { cliCommand, parseOrExit, usageError } from "./cli-parser.ts";
import type { CommandIo } from "./command-io.ts";
import {
  auditKeyOf,
  EXIT_FAILURE,
  EXIT_USAGE,
  messageOf,
  offlineConfig,
  offlinePolicy,
  openOfflineDb,
  schemaHint,
} from "./offline-command.ts";

const retentionCommand = () =>
  cliCommand("retention", "destroy what is due (Maastricht art. 10, Delft art. 7), or list it")
    .usage("[--dry-run] [--now ISO]")
    .option("--dry-run", "list what would go, by which rule and since when; write nothing")
    .option(
      "--now <iso>",
      "as if it were that moment, e.g. 2031-01-01T00:00:00Z (a real run: only in the past)",
    )
    .addHelpText(
      "after",
      `
A real run never destroys early. Reads DATABASE_URL, or the embedded database in DATA_DIR (refused
while a gateway runs on it: its own schedule, RETENTION_INTERVAL_MINUTES, does this there), and
POLICY_DIR / PROTOCOL_FILE.
Exit codes: 0 done, 1 something could not be destroyed, vacuumed or read (the next run retries it), 2 usage.
`,
    );

/** The audit log of a dry run, which writes nothing (`purge` does not call it then). */
const NO_AUDIT: Pick<AuditLog, "append"> = {
  append: async () => err({ kind: "audit_write_failed", reason: "a dry run writes nothing" }),
};

const ISO_MOMENT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** The request, or the message that names what is wrong with the arguments. */
function parse(
  values: { readonly dryRun?: boolean; readonly now?: string },
  realNow: Date,
): { dryRun: boolean; now: Date | undefined } | string {
  const dryRun = values.dryRun === true;
  const text = values.now;
  if (text === undefined) return { dryRun, now: undefined };
  const now = new Date(text);
  if (!ISO_MOMENT.test(text) || Number.isNaN(now.getTime()))
    return `--now "${text}" is not an ISO-8601 moment such as 2031-01-01T00:00:00Z`;
  if (!dryRun && now.getTime() > realNow.getTime())
    return "--now may lie in the future only with --dry-run: a real run never destroys before the time";
  return { dryRun, now };
}

function summary(report: PurgeReport): string {
  const { plan } = report;
  const lines: string[] = [];
  const at = plan.at.toISOString();
  lines.push(
    report.dryRun
      ? `retention dry run at ${at} (protocol ${plan.protocolId}): nothing is written`
      : `retention run ${report.runId} at ${at} (protocol ${plan.protocolId})`,
  );
  const counted = (counts: Readonly<Record<string, number>>) =>
    Object.entries(counts)
      .map(([table, n]) => `${table} ${n}`)
      .join(", ");
  if (report.dryRun)
    for (const due of plan.due)
      lines.push(
        `would destroy case ${due.caseId}: ${due.rule.description}; closed ${due.closedAt.toISOString()}, ` +
          `due since ${due.dueAt.toISOString()}; legal basis: ${due.rule.legalBasis}`,
      );
  for (const done of report.destroyed)
    lines.push(
      `destroyed case ${done.caseId}: ${done.rule.description}; closed ${done.closedAt.toISOString()}, ` +
        `due since ${done.dueAt.toISOString()}; rows: ${counted(done.counts)}; record ${done.destructionRecordId}`,
    );
  for (const caseId of report.concurrentlyDestroyed)
    lines.push(`case ${caseId}: destroyed meanwhile by another run`);
  for (const passed of plan.passedOver) lines.push(`passed over case ${passed.caseId}: ${passed.reason}`);
  for (const failed of report.failed)
    lines.push(`FAILED ${failed.caseId ? `case ${failed.caseId}` : "audit expiry"}: ${failed.reason}`);
  const audit = plan.audit;
  const auditCount = report.dryRun ? audit.records : report.auditTombstoned;
  lines.push(
    `${report.dryRun ? "would turn" : "turned"} ${auditCount} audit records written before ` +
      `${audit.cutoff.toISOString()} into tombstones (${audit.rule.description})`,
  );
  if (!report.dryRun && report.reportersDestroyed > 0)
    lines.push(
      `destroyed the reporter's data of ${report.reportersDestroyed} signals (protocol reporter.retention)`,
    );
  // Maastricht art. 1aa: what was done to make the destroyed rows physically unreadable.
  if (report.vacuumed.length > 0) lines.push(`vacuumed ${report.vacuumed.join(", ")}`);
  if (report.vacuumFailed) lines.push(`FAILED vacuum: ${report.vacuumFailed}`);
  if (report.operatorNotice) lines.push(`NOTE ${report.operatorNotice}`);
  const destroyedCount = report.dryRun ? plan.due.length : report.destroyed.length;
  lines.push(
    `${report.dryRun ? "would destroy" : "destroyed"} ${destroyedCount} cases; ` +
      `${plan.notYetDue} closed cases not yet due; ${plan.passedOver.length} passed over; ` +
      `${report.failed.length} failed`,
  );
  return `${lines.join("\n")}\n`;
}

/**
 * `retention [--dry-run] [--now ISO]`: runs the retention job once against the configured database
 * and prints what it destroyed (or, with --dry-run, what it would). Exit 0 ok, 1 when something
 * could not be destroyed or read (the next run retries it), 2 on usage errors.
 */
export async function runRetentionCommand(argv: string[], io: CommandIo): Promise<number> {
  const command = retentionCommand();
  const parsed = parseOrExit(command, argv, io);
  if (typeof parsed === "number") return parsed;
  const request = parse(parsed.opts, new Date());
  if (typeof request === "string") return usageError(command, request, io.stderr);
  const config = offlineConfig(io);
  if (typeof config === "number") return config;
  const policy = await offlinePolicy(config, io);
  if (typeof policy === "number") return policy;
  // A dry run writes nothing, not even the demo key file; a real run audits what it destroys.
  const hmacKey = request.dryRun ? undefined : await auditKeyOf(config, true);
  if (!request.dryRun && !hmacKey) {
    io.stderr("AUDIT_HMAC_KEY: required\n");
    return EXIT_USAGE;
  }
  const fixed = request.now;
  const clock: Clock = fixed ? { now: () => new Date(fixed) } : systemClock;
  let report: PurgeReport;
  const db = await openOfflineDb(config, io, "retention");
  if (typeof db === "number") return db;
  try {
    try {
      const audit = hmacKey ? createAuditLog({ db, hmacKey, clock }) : NO_AUDIT;
      report = await purge({
        db,
        audit,
        policy,
        clock,
        destroyers: caseDataDestroyers(),
        dryRun: request.dryRun,
      });
    } finally {
      await db.close();
    }
  } catch (e) {
    // An older schema (no destroyed_at, no destruction_records): migrate first.
    io.stderr(`retention: could not read or write the database: ${messageOf(e)}${schemaHint(e)}\n`);
    return EXIT_FAILURE;
  }
  io.stdout(summary(report));
  return report.failed.length > 0 || report.vacuumFailed ? EXIT_FAILURE : 0;
}

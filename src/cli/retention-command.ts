import { randomBytes, randomUUID } from "node:crypto";
import { createAuditLog, type AuditLog } from "../audit/index.ts";
import { caseDataDestroyers } from "../app/index.ts";
import type { OperationContext } from "../context/index.ts";
import {
  buildRecordsReport,
  destructionRecordsOfYear,
  POSTGRES_DESTRUCTION_NOTICE,
  purge,
  recordsReportMarkdown,
  yearPeriod,
  type DestructionRecordsReport,
  type PurgeReport,
} from "../retention/index.ts";
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
  writeDocuments,
} from "./offline-command.ts";

const retentionCommand = () =>
  cliCommand("retention", "destroy what is due (Maastricht art. 10, Delft art. 7), or list it")
    .usage(
      "[--dry-run] [--now ISO] [--format text|json] | records --year <year> [--format markdown|json] [--out DIR] [--as USER]",
    )
    .argument("[command]", "records: the destruction records of a year (Maastricht art. 10.3)")
    .option("--dry-run", "list what would go, by which rule and since when; write nothing")
    .option(
      "--now <iso>",
      "as if it were that moment, e.g. 2031-01-01T00:00:00Z (a real run: only in the past)",
    )
    .option("--format <format>", "a run: text (default) or json; records: markdown (default) or json")
    .option("--year <year>", "records: the calendar year (UTC)")
    .option("--out <dir>", "records: write destruction-records-<year>.json and .md to DIR instead")
    .option("--as <user>", "records: who asks, as the role dpo by cli:<user> (default: $USER)")
    .addHelpText(
      "after",
      `
A real run never destroys early. Reads DATABASE_URL, or the embedded database in DATA_DIR (refused
while a gateway runs on it: its own schedule, RETENTION_INTERVAL_MINUTES, does this there), and
POLICY_DIR / PROTOCOL_FILE.
records: per month and per rule and legal basis, the destructions with their categories and
method, every record, and what backups, WAL archives and replicas still hold. Written to the audit
log like the destructionRecords query (operation retention.records); needs AUDIT_HMAC_KEY (in demo
mode DATA_DIR/audit-hmac.key).
Exit codes: 0 done, 1 something could not be destroyed, vacuumed, read or written (the next run
retries it), 2 usage.
`,
    );

/** The audit log of a dry run, which writes nothing (`purge` does not call it then). */
const NO_AUDIT: Pick<AuditLog, "append"> = {
  append: async () => err({ kind: "audit_write_failed", reason: "a dry run writes nothing" }),
};

const ISO_MOMENT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

interface RetentionOptions {
  readonly dryRun?: boolean;
  readonly now?: string;
  readonly format?: string;
  readonly year?: string;
  readonly out?: string;
  readonly as?: string;
}

const USER = /^[A-Za-z0-9][A-Za-z0-9@._-]{0,127}$/;

interface RecordsRequest {
  readonly year: number;
  readonly format: "markdown" | "json";
  readonly out: string | undefined;
  readonly as: string;
}

/** `records …`: the request, or the message that names what is wrong with the arguments. */
function parseRecords(values: RetentionOptions, env: CommandIo["env"]): RecordsRequest | string {
  if (values.dryRun === true || values.now !== undefined) return "--dry-run and --now belong to a run";
  if (values.year === undefined) return "--year <year> is required";
  const period = yearPeriod(/^\d{1,4}$/.test(values.year) ? Number(values.year) : Number.NaN);
  if (!period.ok) return `--year "${values.year}": ${period.error.replace(/^year: /, "")}`;
  const format = values.format ?? "markdown";
  if (format !== "markdown" && format !== "json") return `--format "${format}": markdown or json`;
  if (values.out !== undefined && values.out.trim() === "") return "--out is empty";
  const as = values.as ?? env.USER ?? "unknown";
  if (!USER.test(as)) return `--as "${as}": a user id (letters, digits, @ . _ -)`;
  return { year: period.value.year, format, out: values.out, as };
}

/** A run's request, or the message that names what is wrong with the arguments. */
function parse(
  values: RetentionOptions,
  realNow: Date,
): { dryRun: boolean; now: Date | undefined; json: boolean } | string {
  for (const [option, value] of [
    ["--year", values.year],
    ["--out", values.out],
    ["--as", values.as],
  ] as const)
    if (value !== undefined) return `${option} belongs to \`retention records\``;
  const format = values.format ?? "text";
  if (format !== "text" && format !== "json") return `--format "${format}": text or json`;
  const json = format === "json";
  const dryRun = values.dryRun === true;
  const text = values.now;
  if (text === undefined) return { dryRun, now: undefined, json };
  const now = new Date(text);
  if (!ISO_MOMENT.test(text) || Number.isNaN(now.getTime()))
    return `--now "${text}" is not an ISO-8601 moment such as 2031-01-01T00:00:00Z`;
  if (!dryRun && now.getTime() > realNow.getTime())
    return "--now may lie in the future only with --dry-run: a real run never destroys before the time";
  return { dryRun, now, json };
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
 * `retention [--dry-run] [--now ISO] [--format text|json]`: runs the retention job once against
 * the configured database and prints what it destroyed (or, with --dry-run, what it would), as
 * text or as the report's JSON, with on PostgreSQL what backups, WAL archives and replicas still
 * hold (`operatorNotice`). `retention records --year Y`: the year's destruction records
 * ({@link runRecords}). Exit 0 ok, 1 when something could not be destroyed or read (the next run
 * retries it), 2 on usage errors.
 */
export async function runRetentionCommand(argv: string[], io: CommandIo): Promise<number> {
  const command = retentionCommand();
  const parsed = parseOrExit(command, argv, io);
  if (typeof parsed === "number") return parsed;
  const [sub] = parsed.args;
  if (sub === "records") {
    const records = parseRecords(parsed.opts as RetentionOptions, io.env);
    if (typeof records === "string") return usageError(command, records, io.stderr);
    return runRecords(records, io);
  }
  if (sub !== undefined)
    return usageError(command, `unknown command "${sub}"; use records, or none for a run`, io.stderr);
  const request = parse(parsed.opts as RetentionOptions, new Date());
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
  io.stdout(request.json ? `${JSON.stringify(report, null, 2)}\n` : summary(report));
  return report.failed.length > 0 || report.vacuumFailed ? EXIT_FAILURE : 0;
}

/**
 * `retention records --year Y`: the year's destruction records for the records manager
 * (Maastricht art. 10.3), as `cli:<user>` with the role dpo (roles.yaml grants it
 * `retention.read`), audited like the destructionRecords query: one record, operation
 * retention.records, written before anything is read.
 */
async function runRecords(request: RecordsRequest, io: CommandIo): Promise<number> {
  const config = offlineConfig(io);
  if (typeof config === "number") return config;
  const policy = await offlinePolicy(config, io);
  if (typeof policy === "number") return policy;
  const hmacKey = await auditKeyOf(config, false);
  if (!hmacKey) {
    io.stderr("retention: AUDIT_HMAC_KEY is required (the key the gateway pseudonymises subjects with)\n");
    return EXIT_USAGE;
  }
  const db = await openOfflineDb(config, io, "retention");
  if (typeof db === "number") return db;
  let report: DestructionRecordsReport;
  try {
    try {
      const ctx: OperationContext = {
        actor: { subject: `cli:${request.as}`, roles: ["dpo"], amr: [], issuer: "cli" },
        traceId: randomBytes(16).toString("hex"),
        policy,
        db,
        audit: createAuditLog({ db, hmacKey, clock: systemClock }),
        clock: systemClock,
        newId: randomUUID,
      };
      const read = await destructionRecordsOfYear(ctx, request.year);
      if (!read.ok) {
        io.stderr(`retention: ${read.error.message}\n`);
        return EXIT_FAILURE;
      }
      report = buildRecordsReport({
        year: request.year,
        ...read.value,
        generatedAt: ctx.clock.now(),
        database: db.dialect,
        postgresNotice: POSTGRES_DESTRUCTION_NOTICE,
      });
    } finally {
      await db.close();
    }
  } catch (e) {
    io.stderr(`retention: could not read the database: ${messageOf(e)}${schemaHint(e)}\n`);
    return EXIT_FAILURE;
  }
  const markdown = recordsReportMarkdown(report);
  if (request.out === undefined) {
    io.stdout(request.format === "json" ? `${JSON.stringify(report, null, 2)}\n` : markdown);
    return 0;
  }
  try {
    const paths = await writeDocuments(request.out, `destruction-records-${request.year}`, report, markdown);
    io.stdout(`${paths.join("\n")}\n`);
    return 0;
  } catch (e) {
    io.stderr(`retention: could not write to ${request.out}: ${messageOf(e)}\n`);
    return EXIT_FAILURE;
  }
}

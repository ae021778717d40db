import { randomBytes, randomUUID } from "node:crypto";
import { createAuditLog } from "../audit/index.ts";
import type { OperationContext } from "../context/index.ts";
import type { LoadedPolicySet } from "../policy/index.ts";
import {
  accessReportMarkdown,
  accessReportWithholdings,
  DEFERRAL_GROUNDS,
  subjectAccessReportFor,
  type SubjectAccessReport,
} from "../rights/index.ts";
import { parseBsn, systemClock } from "../shared/index.ts";
import type { Db } from "../store/index.ts";
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

const rightsCommand = () =>
  cliCommand("rights", "a person's access report (GDPR art. 15) as JSON and Markdown")
    .usage("access --bsn <BSN> [--out DIR] [--as USER]")
    .argument("[request]", "access: the access report of a person")
    .option("--bsn <bsn>", "the person's BSN")
    .option("--out <dir>", "where to write the files (default: the current directory)")
    .option("--as <user>", "who asks: the request is made as the role legal by cli:<user> (default: $USER)")
    .allowExcessArguments(true)
    .addHelpText(
      "after",
      `
Writes access-report-<report id>.json and .md to DIR and prints their paths. The request is written
to the audit log like one through the API; cases withheld under GDPR art. 23 are left out of both
files, recorded internally, and only counted here. Reads DATABASE_URL, or the embedded database in
DATA_DIR (refused while a gateway runs on it: use the gateway's API then), AUDIT_HMAC_KEY (in demo
mode DATA_DIR/audit-hmac.key) and the policy files in POLICY_DIR / PROTOCOL_FILE.
Exit codes: 0 written, 1 the database or DIR cannot be read or written, 2 usage.
`,
    );

const USER = /^[A-Za-z0-9][A-Za-z0-9@._-]{0,127}$/;

interface Request {
  readonly bsn: string;
  readonly out: string;
  readonly as: string;
}

/** The request, or the message that names what is wrong with the arguments. */
function parse(
  values: { readonly bsn?: string; readonly out?: string; readonly as?: string },
  positionals: readonly string[],
  env: CommandIo["env"],
): Request | string {
  const [command, ...extra] = positionals;
  if (command !== "access")
    return command === undefined ? "name the command: access" : `unknown command "${command}"; use access`;
  if (extra.length > 0) return `unexpected argument "${extra.join(" ")}"`;
  if (values.bsn === undefined) return "--bsn <BSN> is required";
  const bsn = parseBsn(values.bsn.trim());
  if (!bsn.ok) return `--bsn: ${bsn.error.reason}`;
  const out = values.out ?? ".";
  if (out.trim() === "") return "--out is empty";
  const as = values.as ?? env.USER ?? "unknown";
  if (!USER.test(as)) return `--as "${as}": a user id (letters, digits, @ . _ -)`;
  return { bsn: bsn.value, out, as };
}

/** Runs the use case as `cli:<user>` with the role legal, in the configured database. */
async function produce(
  db: Db,
  policy: LoadedPolicySet,
  key: string,
  request: Request,
): Promise<{ report: SubjectAccessReport; withheld: string[] } | string> {
  const ctx: OperationContext = {
    actor: { subject: `cli:${request.as}`, roles: ["legal"], amr: [], issuer: "cli" },
    traceId: randomBytes(16).toString("hex"),
    policy,
    db,
    audit: createAuditLog({ db, hmacKey: key }),
    clock: systemClock,
    newId: randomUUID,
  };
  const report = await subjectAccessReportFor(ctx, request.bsn);
  if (!report.ok) return report.error.message;
  const withheld = await accessReportWithholdings(ctx, report.value.id);
  if (!withheld.ok) return withheld.error.message;
  return { report: report.value, withheld: withheld.value.map((w) => DEFERRAL_GROUNDS[w.ground]) };
}

/**
 * `rights access --bsn X`: the access report of a person (GDPR art. 15) from the configured
 * database as JSON and Markdown, audited like the API's. Exit 0 ok, 1 failure, 2 usage.
 */
export async function runRightsCommand(argv: string[], io: CommandIo): Promise<number> {
  const command = rightsCommand();
  const parsed = parseOrExit(command, argv, io);
  if (typeof parsed === "number") return parsed;
  const request = parse(parsed.opts, parsed.args, io.env);
  if (typeof request === "string") return usageError(command, request, io.stderr);
  const config = offlineConfig(io);
  if (typeof config === "number") return config;
  const policy = await offlinePolicy(config, io);
  if (typeof policy === "number") return policy;
  const key = await auditKeyOf(config, false);
  if (!key) {
    io.stderr("rights: AUDIT_HMAC_KEY is required (the key the gateway pseudonymises subjects with)\n");
    return EXIT_USAGE;
  }

  let produced: Awaited<ReturnType<typeof produce>>;
  const db = await openOfflineDb(config, io, "rights");
  if (typeof db === "number") return db;
  try {
    try {
      produced = await produce(db, policy, key, request);
    } finally {
      await db.close();
    }
  } catch (e) {
    io.stderr(`rights: could not read the database: ${messageOf(e)}${schemaHint(e)}\n`);
    return EXIT_FAILURE;
  }
  if (typeof produced === "string") {
    io.stderr(`rights: ${produced}\n`);
    return EXIT_FAILURE;
  }

  const { report, withheld } = produced;
  try {
    const [jsonPath, mdPath] = await writeDocuments(
      request.out,
      `access-report-${report.id}`,
      report,
      accessReportMarkdown(report),
    );
    io.stdout(`${jsonPath}\n${mdPath}\n`);
    if (withheld.length > 0)
      io.stderr(
        `rights: ${withheld.length} case(s) withheld under GDPR art. 23 (not in the files; recorded with report ${report.id}): ${withheld.join("; ")}\n`,
      );
    return 0;
  } catch (e) {
    io.stderr(`rights: could not write to ${request.out}: ${messageOf(e)}\n`);
    return EXIT_FAILURE;
  }
}

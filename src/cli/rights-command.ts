import { randomBytes, randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
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
import type { CommandIo } from "./command-io.ts";
import {
  auditKeyOf,
  EXIT_FAILURE,
  EXIT_USAGE,
  messageOf,
  offlineConfig,
  offlinePolicy,
  openConfiguredDb,
  writeDocuments,
} from "./offline-command.ts";

const USAGE = `Usage:
  npm run rights -- access --bsn <BSN> [--out DIR] [--as USER]
      the access report of a person (GDPR art. 15) as JSON and Markdown

Writes access-report-<report id>.json and .md to DIR (default: the current directory) and prints
their paths. The request is made as the role legal by cli:<USER> (default: cli:$USER) and written to
the audit log like one through the API; cases withheld under GDPR art. 23 are left out of both
files, recorded internally, and only counted here. Reads DATABASE_URL, or the embedded database in
DATA_DIR (stop the gateway first), AUDIT_HMAC_KEY (in demo mode DATA_DIR/audit-hmac.key) and the
policy files in POLICY_DIR / PROTOCOL_FILE.
`;

const USER = /^[A-Za-z0-9][A-Za-z0-9@._-]{0,127}$/;

interface Request {
  readonly bsn: string;
  readonly out: string;
  readonly as: string;
}

/** The request, or the message that names what is wrong with the arguments. */
function parse(argv: string[], env: CommandIo["env"]): Request | string {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { bsn: { type: "string" }, out: { type: "string" }, as: { type: "string" } },
    });
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  const { values, positionals } = parsed;
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
  const request = parse(argv, io.env);
  if (typeof request === "string") {
    io.stderr(`rights: ${request}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
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
  try {
    const db = await openConfiguredDb(config);
    try {
      produced = await produce(db, policy, key, request);
    } finally {
      await db.close();
    }
  } catch (e) {
    io.stderr(`rights: could not read the database: ${messageOf(e)}\n`);
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

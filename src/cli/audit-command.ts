import { Argument } from "commander";
import { verifyChain } from "../audit/index.ts";
import { cliCommand, parseOrExit, usageError } from "./cli-parser.ts";
import type { CommandIo } from "./command-io.ts";
import { EXIT_FAILURE, messageOf, offlineConfig, openOfflineDb, schemaHint } from "./offline-command.ts";

const auditCommand = () =>
  cliCommand("audit", "check the audit log's hash chain")
    .usage("verify [--demo]")
    .addArgument(new Argument("[action]", "what to do: verify"))
    .option(
      "--demo",
      "waive the production settings (OIDC_*, BRP_URL, …) that DATABASE_URL otherwise requires",
    )
    .addHelpText(
      "after",
      `
Walks the whole hash chain of the audit log in DATABASE_URL, or the embedded database in DATA_DIR
(refused while a gateway runs on it), and reports the first broken record.
Exit codes: 0 intact, 1 broken or the database cannot be read, 2 usage.
`,
    );

/**
 * `audit verify`: walks the whole hash chain of the audit log in the configured database
 * (DATABASE_URL, or the embedded database in DATA_DIR) and reports the first broken record.
 * Exit 0 when intact, 1 when broken, 2 on usage errors.
 */
export async function runAuditCommand(argv: string[], io: CommandIo): Promise<number> {
  const command = auditCommand();
  const parsed = parseOrExit(command, argv, io);
  if (typeof parsed === "number") return parsed;
  const [action, ...extra] = parsed.args;
  if (action !== "verify")
    return usageError(
      command,
      action === undefined ? "name the action: verify" : `unknown action "${action}"; use verify`,
      io.stderr,
    );
  if (extra.length > 0) return usageError(command, `unexpected argument "${extra.join(" ")}"`, io.stderr);
  const config = offlineConfig(io, parsed.opts.demo === true);
  if (typeof config === "number") return config;
  const db = await openOfflineDb(config, io, "audit");
  if (typeof db === "number") return db;
  try {
    let result: Awaited<ReturnType<typeof verifyChain>>;
    try {
      result = await verifyChain(db);
    } catch (e) {
      io.stderr(`audit: could not read the database: ${messageOf(e)}${schemaHint(e)}\n`);
      return EXIT_FAILURE;
    }
    if (result.ok) {
      io.stdout(`audit log intact: ${result.records} records, hash chain verified\n`);
      return 0;
    }
    io.stdout(
      `audit log BROKEN at record ${result.firstBrokenSeq}, after ${result.records} intact records: ${result.reason}\n`,
    );
    return EXIT_FAILURE;
  } finally {
    await db.close();
  }
}

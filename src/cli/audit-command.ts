import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Argument } from "commander";
import type { KeyObject } from "node:crypto";
import { ldvRecordOf, verifyChain } from "../audit/index.ts";
import { auditRecordOut } from "../audit-search/index.ts";
import { parseCheckpointPublicKey } from "../audit/checkpoint-keys.ts";
import { DEMO_CHECKPOINT_KEY_FILE, readCheckpoints, verifyCheckpoints } from "../audit/checkpoints.ts";
import type { Config } from "../config/index.ts";
import type { Queryable } from "../store/index.ts";
import { cliCommand, EXIT_USAGE, parseOrExit, usageError } from "./cli-parser.ts";
import type { CommandIo } from "./command-io.ts";
import {
  runSearch,
  SEARCH_OPTIONS,
  searchRequest,
  toCsv,
  withSearchOptions,
  type SearchOptions,
} from "./audit-search-command.ts";
import {
  auditKeyOf,
  EXIT_FAILURE,
  messageOf,
  offlineConfig,
  offlinePolicy,
  openOfflineDb,
  schemaHint,
} from "./offline-command.ts";

const auditCommand = () =>
  withSearchOptions(cliCommand("audit", "check the audit log's hash chain, or search it"))
    .usage("verify [--checkpoints <dir> [--public-key <file>]] [--demo]")
    .addArgument(new Argument("[action]", "what to do: verify, search or export"))
    .option(
      "--checkpoints <dir>",
      "also check the chain against the signed checkpoints in <dir> (AUDIT_CHECKPOINT_DIR's files)",
    )
    .option(
      "--public-key <file>",
      "Ed25519 public key of the checkpoints (PEM or base64 SPKI); default AUDIT_CHECKPOINT_PUBLIC_KEY, derived from AUDIT_CHECKPOINT_KEY, or the demo key in DATA_DIR",
    )
    .option(
      "--demo",
      "waive the production settings (OIDC_*, BRP_URL, …) that DATABASE_URL otherwise requires",
    )
    .addHelpText(
      "after",
      `
Walks the whole hash chain of the audit log in DATABASE_URL, or the embedded database in DATA_DIR
(refused while a gateway runs on it), and reports the first broken record. With --checkpoints it
also verifies every checkpoint's signature and that the chain holds each checkpointed seq with
exactly that hash: a cut or rewritten tail is reported with the first missing or differing seq.
Exit codes: 0 intact, 1 broken, a bad checkpoint or the database cannot be read, 2 usage.

audit export --format ldv [--from T] [--to T] [--case ID] [the other search filters] [--as USER]
prints the matching records as Logboek Dataverwerkingen log lines, one JSON object a line (JSON
Lines), oldest first: trace_id, span_id, parent_span_id, name, status, status_code, start_time,
end_time, attributes (dpl.core.processing_activity_id as the register's URI, dpl.core.data_subject_id
as the log's pseudonym with dpl.core.data_subject_id_type) and foreign_operation for the registry
calls that continued the trace. Tombstones (destroyed by retention) are left out. Read like a search:
as the role privacy_officer by cli:<user>, written to the audit log (operation audit.search).
`,
    );

/** The checkpoints' public key: --public-key, the settings, or the demo key; a string is the problem. */
async function checkpointPublicKey(config: Config, file: string | undefined): Promise<KeyObject | string> {
  let text: string | undefined;
  let from: string;
  if (file) {
    from = file;
    try {
      text = await readFile(file, "utf8");
    } catch (e) {
      return `--public-key ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? messageOf(e)})`;
    }
  } else if (config.auditCheckpoint.publicKey) {
    from = "AUDIT_CHECKPOINT_PUBLIC_KEY";
    text = config.auditCheckpoint.publicKey;
  } else if (config.auditCheckpoint.key) {
    from = "AUDIT_CHECKPOINT_KEY";
    text = config.auditCheckpoint.key;
  } else {
    from = join(config.dataDir, DEMO_CHECKPOINT_KEY_FILE);
    text = config.demoMode ? await readFile(from, "utf8").catch(() => undefined) : undefined;
    if (text === undefined)
      return "no public key for the checkpoints: give --public-key <file> or set AUDIT_CHECKPOINT_PUBLIC_KEY";
  }
  const key = parseCheckpointPublicKey(text);
  return key.ok ? key.value : `${from}: ${key.error}`;
}

/** The checkpoint part of `verify`: prints the outcome, returns the exit code. */
async function verifyAgainstCheckpoints(db: Queryable, dir: string, key: KeyObject, io: CommandIo) {
  const read = await readCheckpoints(dir);
  if (!read.ok) {
    io.stderr(`audit: ${read.error}\n`);
    return EXIT_FAILURE;
  }
  const { checkpoints, problems } = read.value;
  for (const p of problems) io.stdout(`checkpoint refused: ${p}\n`);
  if (checkpoints.length === 0) {
    io.stdout(`checkpoints: none found in ${dir}\n`);
    return EXIT_FAILURE;
  }
  const result = await verifyCheckpoints(db, checkpoints, key);
  if (!result.ok) {
    io.stdout(
      `audit log BROKEN against its checkpoints: first ${result.kind === "differs" ? "differing" : "missing"} seq ${result.firstSeq}: ${result.reason}\n`,
    );
    return EXIT_FAILURE;
  }
  io.stdout(
    `checkpoints verified: ${result.checkpoints} signed checkpoints, the newest at seq ${result.newestSeq}; ${result.unanchored} records after it not anchored yet\n`,
  );
  return problems.length > 0 ? EXIT_FAILURE : 0;
}

/**
 * `audit verify`: walks the whole hash chain of the audit log in the configured database
 * (DATABASE_URL, or the embedded database in DATA_DIR) and reports the first broken record;
 * with `--checkpoints <dir>` also against the signed checkpoints (issue 13).
 * Exit 0 when intact, 1 when broken, 2 on usage errors.
 */
export async function runAuditCommand(argv: string[], io: CommandIo): Promise<number> {
  const command = auditCommand();
  const parsed = parseOrExit(command, argv, io);
  if (typeof parsed === "number") return parsed;
  const [action, ...extra] = parsed.args;
  if (action !== "verify" && action !== "search" && action !== "export")
    return usageError(
      command,
      action === undefined
        ? "name the action: verify, search or export"
        : `unknown action "${action}"; use verify, search or export`,
      io.stderr,
    );
  if (extra.length > 0) return usageError(command, `unexpected argument "${extra.join(" ")}"`, io.stderr);
  if (action === "search") return search(command, parsed.opts as SearchOptions, io);
  if (action === "export") return exportLog(command, parsed.opts as SearchOptions, io);
  const stray = SEARCH_OPTIONS.find((o) => parsed.opts[o] !== undefined);
  if (stray) return usageError(command, `--${stray} is an option of search, not verify`, io.stderr);
  const checkpointDir = parsed.opts.checkpoints as string | undefined;
  const publicKeyFile = parsed.opts.publicKey as string | undefined;
  if (publicKeyFile && !checkpointDir)
    return usageError(command, "--public-key needs --checkpoints <dir>", io.stderr);
  const config = offlineConfig(io, parsed.opts.demo === true);
  if (typeof config === "number") return config;
  let key: KeyObject | undefined;
  if (checkpointDir) {
    const found = await checkpointPublicKey(config, publicKeyFile);
    if (typeof found === "string") {
      io.stderr(`audit: ${found}\n`);
      return EXIT_USAGE;
    }
    key = found;
  }
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
    if (result.ok) io.stdout(`audit log intact: ${result.records} records, hash chain verified\n`);
    else
      io.stdout(
        `audit log BROKEN at record ${result.firstBrokenSeq}, after ${result.records} intact records: ${result.reason}\n`,
      );
    const anchored = checkpointDir && key ? await verifyAgainstCheckpoints(db, checkpointDir, key, io) : 0;
    return result.ok && anchored === 0 ? 0 : EXIT_FAILURE;
  } finally {
    await db.close();
  }
}

/**
 * `audit search …`: the auditLog query offline (issue 13), as `cli:<user>` with the role
 * privacy_officer, audited like the query. Exit 0 done, 1 failure, 2 usage or an invalid filter.
 */
async function search(command: ReturnType<typeof auditCommand>, opts: SearchOptions, io: CommandIo) {
  const request = searchRequest(opts, io.env);
  if (typeof request === "string") return usageError(command, request, io.stderr);
  const config = offlineConfig(io, opts.demo === true);
  if (typeof config === "number") return config;
  const policy = await offlinePolicy(config, io);
  if (typeof policy === "number") return policy;
  const key = await auditKeyOf(config, false);
  if (!key) {
    io.stderr("audit: AUDIT_HMAC_KEY is required (the key the gateway pseudonymises subjects with)\n");
    return EXIT_USAGE;
  }
  const db = await openOfflineDb(config, io, "audit");
  if (typeof db === "number") return db;
  let found: Awaited<ReturnType<typeof runSearch>>;
  try {
    found = await runSearch(db, policy, key, request);
  } catch (e) {
    io.stderr(`audit: could not read the database: ${messageOf(e)}${schemaHint(e)}\n`);
    return EXIT_FAILURE;
  } finally {
    await db.close();
  }
  if (typeof found === "string") return usageError(command, found, io.stderr);
  io.stdout(
    request.format === "csv" ? toCsv(found) : `${JSON.stringify(found.map(auditRecordOut), null, 2)}\n`,
  );
  return 0;
}

/**
 * `audit export --format ldv …` (issue 13): the records a search with the same filters finds, as
 * Logboek Dataverwerkingen log lines (src/audit/ldv-export.ts), one JSON object per line. Read
 * through the audited search, so the export is itself in the log (Delft art. 6b).
 */
async function exportLog(command: ReturnType<typeof auditCommand>, opts: SearchOptions, io: CommandIo) {
  if (opts.format !== "ldv") return usageError(command, "export: --format ldv is required", io.stderr);
  const request = searchRequest({ ...opts, format: "json" }, io.env);
  if (typeof request === "string") return usageError(command, request, io.stderr);
  const config = offlineConfig(io, opts.demo === true);
  if (typeof config === "number") return config;
  const policy = await offlinePolicy(config, io);
  if (typeof policy === "number") return policy;
  const key = await auditKeyOf(config, false);
  if (!key) {
    io.stderr("audit: AUDIT_HMAC_KEY is required (the key the gateway pseudonymises subjects with)\n");
    return EXIT_USAGE;
  }
  const db = await openOfflineDb(config, io, "audit");
  if (typeof db === "number") return db;
  let found: Awaited<ReturnType<typeof runSearch>>;
  try {
    found = await runSearch(db, policy, key, request);
  } catch (e) {
    io.stderr(`audit: could not read the database: ${messageOf(e)}${schemaHint(e)}\n`);
    return EXIT_FAILURE;
  } finally {
    await db.close();
  }
  if (typeof found === "string") return usageError(command, found, io.stderr);
  const uri = (id: string) => policy.processingActivities.uriOf(id);
  const lines = found.flatMap((r) => {
    const line = ldvRecordOf(r, uri);
    return line ? [`${JSON.stringify(line)}\n`] : [];
  });
  io.stdout(lines.join(""));
  return 0;
}

import { randomBytes } from "node:crypto";
import { gatewayAdmits } from "../app/bootstrap.ts";
import { createAuditLog } from "../audit/index.ts";
import {
  listEvaluations,
  listVersions,
  nextEvaluation,
  publish,
  recordEvaluation,
} from "../policy/versions/index.ts";
import { isIsoDate, systemClock } from "../shared/index.ts";
import { cliCommand, EXIT_FAILURE, parseOrExit, usageError } from "./cli-parser.ts";
import type { CommandIo } from "./command-io.ts";
import {
  auditKeyOf,
  EXIT_USAGE,
  messageOf,
  offlineConfig,
  openOfflineDb,
  schemaHint,
} from "./offline-command.ts";

/** The subcommands of `npm run policy` that work on the stored versions (issue 14). */
export const VERSION_COMMANDS = ["publish", "versions", "evaluated"] as const;

const versionsCommand = () =>
  cliCommand("policy", "publish and list policy versions, record evaluations")
    .usage("publish|versions|evaluated [options]")
    .argument("<command>", "publish, versions or evaluated (below)")
    .option("--motivation <text>", "publish, evaluated: why (stored with the version or evaluation)")
    .option("--adopted <date>", "publish: the adoption date YYYY-MM-DD (default today)")
    .option("--next-evaluation <date>", "publish, evaluated: the next evaluation YYYY-MM-DD")
    .option("--on <date>", "evaluated: the day of the evaluation YYYY-MM-DD (default today)")
    .option("--author <name>", "publish, evaluated: who (default $USER)")
    .option("--json", "versions: as JSON")
    .addHelpText(
      "after",
      `
Commands:
  publish   --motivation TEXT [--adopted YYYY-MM-DD] [--next-evaluation YYYY-MM-DD] [--author NAME]
            validate the working files (POLICY_DIR, PROTOCOL_FILE) and store them as the next version;
            every gateway replica enforces it on its next request
  versions  [--json]   the stored versions and the next evaluation
  evaluated --motivation TEXT [--on YYYY-MM-DD] [--next-evaluation YYYY-MM-DD] [--author NAME]
            record the evaluation with the FG (Maastricht art. 13: then every three years)
The database is DATABASE_URL, or the embedded one in DATA_DIR (stop the gateway first).
Exit codes: 0 ok, 1 refused (a policy file has problems, content unchanged, database), 2 usage.
`,
    );

/**
 * `npm run policy -- publish|versions|evaluated`: the privacy officer's versions of the policy
 * (src/policy/versions). Publishing and evaluations are audited like the GraphQL mutation (kind
 * policy), as `cli:<author>` with the role privacy_officer.
 */
export async function runPolicyVersionsCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const cli = versionsCommand();
  const parsed = parseOrExit(cli, argv, io);
  if (typeof parsed === "number") return parsed;
  const [command] = parsed.args;
  const o = parsed.opts as {
    motivation?: string;
    adopted?: string;
    nextEvaluation?: string;
    on?: string;
    author?: string;
    json?: boolean;
  };
  const usage = (message: string) => usageError(cli, message, io.stderr);
  if (!(VERSION_COMMANDS as readonly string[]).includes(command ?? ""))
    return usage(`unknown command "${command ?? ""}"; use ${VERSION_COMMANDS.join(", ")}`);
  for (const [flag, value] of [
    ["--adopted", o.adopted],
    ["--next-evaluation", o.nextEvaluation],
    ["--on", o.on],
  ] as const)
    if (value !== undefined && !isIsoDate(value))
      return usage(`${flag}: ${JSON.stringify(value)} is not a date YYYY-MM-DD`);
  if (command !== "versions" && !o.motivation?.trim()) return usage(`${command} needs --motivation`);
  const author = `cli:${o.author ?? io.env.USER ?? "unknown"}`;

  const config = offlineConfig(io);
  if (typeof config === "number") return config;
  const hmacKey = command === "versions" ? undefined : await auditKeyOf(config, true);
  if (command !== "versions" && !hmacKey) {
    io.stderr("policy: AUDIT_HMAC_KEY is required (the key the gateway pseudonymises subjects with)\n");
    return EXIT_USAGE;
  }
  const db = await openOfflineDb(config, io, "policy");
  if (typeof db === "number") return db;
  try {
    const audit = createAuditLog({ db, hmacKey: hmacKey ?? "unused", clock: systemClock });
    const traceId = randomBytes(16).toString("hex");
    if (command === "publish") {
      const published = await publish(db, audit, config.policyDir, {
        author,
        motivation: o.motivation ?? "",
        adoptedOn: o.adopted,
        nextEvaluation: o.nextEvaluation,
        protocolFile: config.protocolFile,
        roles: ["privacy_officer"],
        traceId,
        admit: gatewayAdmits(systemClock),
      });
      if (!published.ok) {
        const e = published.error;
        if (e.kind === "policy_invalid")
          for (const p of e.problems) io.stderr(`${p.file}: ${p.path ? `${p.path}: ` : ""}${p.reason}\n`);
        else if (e.kind === "unchanged")
          io.stderr(
            `policy: the working files are identical to version ${e.version} (hash ${e.hash}); nothing published\n`,
          );
        else io.stderr(`policy: ${"message" in e ? e.message : e.reason}\n`);
        io.stderr("policy: nothing was stored\n");
        return EXIT_FAILURE;
      }
      const v = published.value;
      io.stdout(
        `published version ${v.version}: hash ${v.hash}, protocol ${v.protocolId} (${v.protocolFile}), ${v.files.length} files; adopted ${v.adoptedOn}, next evaluation ${v.nextEvaluation}\n`,
      );
      return 0;
    }
    if (command === "evaluated") {
      const recorded = await recordEvaluation(db, audit, {
        by: author,
        motivation: o.motivation ?? "",
        evaluatedOn: o.on,
        nextEvaluation: o.nextEvaluation,
        roles: ["privacy_officer"],
        traceId,
      });
      if (!recorded.ok) {
        io.stderr(`policy: ${recorded.error.message}\n`);
        return EXIT_FAILURE;
      }
      io.stdout(
        `evaluation of version ${recorded.value.version} on ${recorded.value.evaluatedOn} recorded; next evaluation ${recorded.value.nextEvaluation}\n`,
      );
      return 0;
    }
    const versions = await listVersions(db);
    const evaluations = await listEvaluations(db);
    const next = await nextEvaluation(db);
    if (o.json) {
      io.stdout(`${JSON.stringify({ versions, evaluations, nextEvaluation: next ?? null }, null, 2)}\n`);
      return 0;
    }
    if (versions.length === 0)
      io.stdout("no policy version is stored yet (the gateway publishes one at its first start)\n");
    for (const v of versions)
      io.stdout(
        `${String(v.version).padStart(3)}  ${v.publishedAt}  ${v.hash.slice(0, 12)}  ${v.protocolId}  by ${v.author}, adopted ${v.adoptedOn}: ${v.motivation}\n`,
      );
    for (const e of evaluations)
      io.stdout(`evaluated ${e.evaluatedOn} (version ${e.version}) by ${e.evaluatedBy}: ${e.motivation}\n`);
    if (next)
      io.stdout(`next evaluation: ${next.dueOn}${next.overdue ? " (OVERDUE)" : ""} — ${next.basis}\n`);
    return 0;
  } catch (e) {
    io.stderr(`policy: could not read or write the database: ${messageOf(e)}${schemaHint(e)}\n`);
    return EXIT_FAILURE;
  } finally {
    await db.close();
  }
}

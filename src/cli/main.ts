#!/usr/bin/env node
import type { Command } from "commander";
import { configTable } from "../config/index.ts";
import { runAuditCommand } from "./audit-command.ts";
import { cliCommand, EXIT_FAILURE, EXIT_OK, parseArgv, parseOrExit, usageError } from "./cli-parser.ts";
import { runMigrateCommand } from "./migrate-command.ts";
import { runPolicyCommand } from "./policy-command.ts";
import { runReportCommand } from "./report-command.ts";
import { runRetentionCommand } from "./retention-command.ts";
import { runRightsCommand } from "./rights-command.ts";
import { runServeCommand } from "./serve-command.ts";
import { runTokenCommand } from "./token-command.ts";
import type { CommandIo } from "./command-io.ts";

/** The only place that reads process.env; everything below gets a frozen Config or the env map. */
const io: CommandIo = {
  env: process.env,
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
};

interface CliCommand {
  readonly name: string;
  readonly summary: string;
  readonly run: (argv: string[], io: CommandIo) => Promise<number>;
}

const configDoc = async (argv: string[], io: CommandIo): Promise<number> => {
  const parsed = parseOrExit(cliCommand("config-doc", "print the configuration table (README)"), argv, io);
  if (typeof parsed === "number") return parsed;
  io.stdout(`${configTable()}\n`);
  return EXIT_OK;
};

/** Every command: `poortwachter <name> --help` shows its options and exit codes. */
const COMMANDS: readonly CliCommand[] = [
  { name: "serve", summary: "start the gateway (npm start = serve --demo)", run: runServeCommand },
  { name: "token", summary: "mint a demo token (npm run token -- …)", run: runTokenCommand },
  {
    name: "policy",
    summary: "check|explain|matrix|schema|publish|versions|evaluated: check, explain and publish the policy",
    run: (argv, io) =>
      runPolicyCommand(argv, { env: io.env, stdout: process.stdout, stderr: process.stderr }),
  },
  { name: "migrate", summary: "status|up: show or apply the database migrations", run: runMigrateCommand },
  {
    name: "audit",
    summary: "verify|search: check the audit log's hash chain, or search it",
    run: runAuditCommand,
  },
  { name: "report", summary: "fg|dpia --year Y: FG annual report or DPIA sample", run: runReportCommand },
  {
    name: "retention",
    summary:
      "[--dry-run] [--now ISO] | records --year Y: destroy what is due (or list it), or a year's destruction records",
    run: runRetentionCommand,
  },
  {
    name: "rights",
    summary: "access --bsn X: a person's access report (GDPR art. 15)",
    run: runRightsCommand,
  },
  { name: "config-doc", summary: "print the configuration table (README)", run: configDoc },
];

function program(): Command {
  const p = cliCommand("poortwachter", "GraphQL gateway for the municipal privacy protocol")
    .usage("<command> [options]")
    .helpCommand(false)
    .addHelpText(
      "after",
      `
Run \`poortwachter <command> --help\` (npm run <command> -- --help) for a command's options and exit codes.
Exit codes: 0 ok, 1 failure (the reason on stderr, one line naming the setting or file), 2 usage.
`,
    );
  for (const c of COMMANDS) p.command(c.name).description(c.summary);
  return p;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = COMMANDS.find((c) => c.name === name);
  if (command) return command.run(rest, io);
  const help = program();
  // `help <command>` is `<command> --help`; nothing at all shows the overview.
  if (name === "help" && rest.length === 1) {
    const asked = COMMANDS.find((c) => c.name === rest[0]);
    if (asked) return asked.run(["--help"], io);
  }
  if (name === undefined || (name === "help" && rest.length === 0)) {
    parseArgv(help, ["--help"], io.stdout);
    return EXIT_OK;
  }
  const parsed = parseArgv(help, argv, io.stdout);
  if (parsed.kind === "help") return EXIT_OK;
  return usageError(
    help,
    parsed.kind === "error" ? parsed.message : `unknown command '${argv.join(" ")}'`,
    io.stderr,
  );
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  // Expected failures are answered by the commands; this is a bug: one line, the stack on request.
  io.stderr(`poortwachter: ${e instanceof Error ? e.message : String(e)}\n`);
  if (process.env.LOG_LEVEL === "debug" && e instanceof Error && e.stack) io.stderr(`${e.stack}\n`);
  process.exitCode = EXIT_FAILURE;
}

#!/usr/bin/env node
import { configTable } from "../config/index.ts";
import { runAuditCommand } from "./audit-command.ts";
import { runPolicyCommand } from "./policy-command.ts";
import { runReportCommand } from "./report-command.ts";
import { runRetentionCommand } from "./retention-command.ts";
import { runRightsCommand } from "./rights-command.ts";
import { runServeCommand } from "./serve-command.ts";
import { runTokenCommand } from "./token-command.ts";
import type { CommandIo } from "./command-io.ts";

const USAGE = `Usage: poortwachter <command>
  serve [--demo]          start the gateway (npm start = serve --demo)
  token --sub U --role R  mint a demo token (npm run token -- …)
  policy check|explain|matrix|schema   check and explain the policy files
  audit verify            check the audit log's hash chain
  report fg|dpia --year Y   FG annual report or DPIA sample as JSON and Markdown
  retention [--dry-run] [--now ISO]   destroy what is due (or list it with --dry-run)
  rights access --bsn X   a person's access report (GDPR art. 15) as JSON and Markdown
  config-doc              print the configuration table (README)
`;

/** The only place that reads process.env; everything below gets a frozen Config or the env map. */
const io: CommandIo = {
  env: process.env,
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
};

const [command, ...rest] = process.argv.slice(2);
const commands: Record<string, (argv: string[], io: CommandIo) => Promise<number>> = {
  serve: runServeCommand,
  token: runTokenCommand,
  audit: runAuditCommand,
  report: runReportCommand,
  retention: runRetentionCommand,
  rights: runRightsCommand,
  "config-doc": async (_argv, io) => {
    io.stdout(`${configTable()}\n`);
    return 0;
  },
  policy: (argv, io) =>
    runPolicyCommand(argv, { env: io.env, stdout: process.stdout, stderr: process.stderr }),
};
const run = command ? commands[command] : undefined;
if (!run) {
  process.stderr.write(USAGE);
  process.exitCode = command ? 2 : 0;
} else {
  process.exitCode = await run(rest, io);
}

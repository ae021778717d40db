import { readdir } from "node:fs/promises";
import { isRole, ROLES, type DisclosureMode } from "../shared/index.ts";
import {
  ACTIVITY_WORK,
  buildCaseAbility,
  explain,
  loadPolicySet,
  writePolicyJsonSchemas,
  type Approval,
  type LoadedPolicySet,
} from "../policy/index.ts";
import { cliCommand, parseOrExit, usageError } from "./cli-parser.ts";
import { runPolicyDiff, runPolicyReplay } from "./policy-diff-command.ts";
import { runPolicyVersionsCommand, VERSION_COMMANDS } from "./policy-versions-command.ts";

export interface PolicyCommandIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

const policyCommand = () =>
  cliCommand("policy", "check and explain the policy files")
    .usage("check|explain|matrix|schema [options]")
    .argument("[command]", "check, explain, matrix or schema (below)")
    .option("--dir <dir>", "the policy folder (default $POLICY_DIR or policies)")
    .option("--protocol <file>", "one protocol file of the folder (check: all unless given)")
    .option(
      "--role <role>",
      `explain: a role, repeatable: ${ROLES.join(", ")}`,
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option("--phase <phase>", "explain: the case's phase")
    .option("--source <source>", "explain: the source; matrix: the source of the table (default brp)")
    .option("--field <field>", "explain: one field of the source")
    .option("--probe <probe>", "explain: one probe")
    .option("--approved <list>", "explain: assume a privacy check approved these fields/probes of the source")
    .addHelpText(
      "after",
      `
Commands:
  check   [--dir policies] [--protocol protocol.yaml]   validate (all protocols unless --protocol)
  explain --role R [--role R2] --phase P --source S [--field F | --probe X] [--approved F,X] [--dir] [--protocol]
  matrix  [--source brp] [--dir] [--protocol]           role x phase table of modes
  schema  [--dir policies]                              write policies/schema/*.schema.json
  diff    <from> <to> [--json]                          what changes between two policies (diff --help)
  replay  --candidate <ref> --from <date> --to <date>   re-decide recorded traffic (replay --help)
  publish | versions | evaluated                        stored policy versions (policy publish --help)
Exit codes: 0 ok, 1 a policy file has problems (each named), 2 usage.
`,
    );

/**
 * `npm run policy -- <command>`: lets the privacy officer check a change to the policy files
 * before it is deployed, ask why a role gets (or does not get) something, and see the whole
 * role x phase matrix. Returns the exit code.
 */
export async function runPolicyCommand(argv: readonly string[], io: PolicyCommandIo): Promise<number> {
  // Issue 14: diff and replay have options of their own (src/cli/policy-diff-command.ts).
  if (argv[0] === "diff") return runPolicyDiff(argv.slice(1), io);
  if (argv[0] === "replay") return runPolicyReplay(argv.slice(1), io);
  // Issue 14: the stored versions (src/cli/policy-versions-command.ts).
  if ((VERSION_COMMANDS as readonly string[]).includes(argv[0] ?? ""))
    return runPolicyVersionsCommand(argv, {
      env: io.env,
      stdout: (t) => io.stdout.write(t),
      stderr: (t) => io.stderr.write(t),
    });
  const cli = policyCommand();
  const parsed = parseOrExit(cli, argv, {
    stdout: (t) => io.stdout.write(t),
    stderr: (t) => io.stderr.write(t),
  });
  if (typeof parsed === "number") return parsed;
  const [command] = parsed.args;
  const values = parsed.opts as Record<string, string | string[] | undefined>;
  const usage = (message: string) => usageError(cli, message, (t) => io.stderr.write(t));
  const dir = (values.dir as string | undefined) ?? io.env.POLICY_DIR ?? "policies";
  const protocolFile = values.protocol as string | undefined;

  const load = async (file: string | undefined): Promise<LoadedPolicySet | undefined> => {
    const result = await loadPolicySet(dir, { protocolFile: file });
    if (result.ok) return result.value;
    for (const p of result.error.problems)
      io.stderr.write(`${p.file}: ${p.path ? `${p.path}: ` : ""}${p.reason}\n`);
    return undefined;
  };

  switch (command) {
    case "check": {
      const files = protocolFile
        ? [protocolFile]
        : (await readdir(dir).catch(() => [] as string[]))
            .filter((f) => /^protocol(-[a-z0-9-]+)?\.yaml$/.test(f))
            .sort();
      if (files.length === 0) {
        io.stderr.write(`${dir}: no protocol file found\n`);
        return 1;
      }
      let failed = false;
      for (const file of files) {
        const policy = await load(file);
        if (!policy) {
          failed = true;
          continue;
        }
        io.stdout.write(
          `${file} + ${policy.rulesFile}: ok, hash ${policy.hash}; protocol ${policy.protocol.id} with ${policy.protocol.phases.length} phases, ${policy.rules.length} rules, ${policy.probes.length} probes, sources ${policy.sources.join(", ")}, ${policy.themes.length} theme datasets\n`,
        );
        for (const t of policy.themes)
          io.stdout.write(
            `  theme ${t.theme}@${t.version}: ${t.check1.reduce((n, e) => n + e.probes.length, 0)} check 1 probes, ${t.check2a.length} check 2a entries\n`,
          );
        for (const c of policy.clients.values())
          io.stdout.write(
            `  client ${c.id}: roles ${c.roles.join(", ")}; operations ${c.operations.join(", ")}${c.mfaExempt ? "; exempt from MFA" : ""}\n`,
          );
        for (const d of policy.trustedDocuments.values())
          io.stdout.write(`  trusted document ${d.id}: sha256 ${d.hash}\n`);
        // Issue 13: the register's activity per phase and per kind of work, as audit records name them.
        const register = policy.processingActivities;
        io.stdout.write(
          `  processing activities: ${policy.protocol.phases.map((p) => register.forPhase(p.id)).join(", ")}; ` +
            `${ACTIVITY_WORK.map((w) => register.forWork(w)).join(", ")}\n`,
        );
      }
      return failed ? 1 : 0;
    }
    case "explain": {
      const roles = (values.role as string[] | undefined) ?? [];
      const phase = values.phase as string | undefined;
      const source = values.source as string | undefined;
      const bad = roles.filter((r) => !isRole(r));
      if (bad.length > 0) return usage(`unknown role ${bad.join(", ")} (roles: ${ROLES.join(", ")})`);
      if (roles.length === 0 || !phase || !source) return usage("explain needs --role, --phase and --source");
      const policy = await load(protocolFile);
      if (!policy) return 1;
      const answer = explain(policy, {
        roles: roles.filter(isRole),
        phase,
        source,
        field: values.field as string | undefined,
        probe: values.probe as string | undefined,
        approvals: assumedApproval(policy, source, values.approved as string | undefined),
      });
      io.stdout.write(`policy ${policy.hash} (${policy.protocolFile})\nmode: ${answer.mode}\n`);
      for (const { about, decision } of answer.decisions)
        io.stdout.write(
          `${about}: ${decision.allowed ? "ALLOWED" : "DENIED"}${decision.ruleId ? ` [${decision.ruleId}]` : ""} - ${decision.reason}\n`,
        );
      return 0;
    }
    case "matrix": {
      const policy = await load(protocolFile);
      if (!policy) return 1;
      const source = (values.source as string | undefined) ?? "brp";
      io.stdout.write(matrix(policy, source));
      return 0;
    }
    case "schema": {
      for (const file of await writePolicyJsonSchemas(dir)) io.stdout.write(`wrote ${file}\n`);
      return 0;
    }
    default:
      return usage(
        command === undefined
          ? "name the command: check, explain, matrix or schema"
          : `unknown command "${command}"; use check, explain, matrix or schema`,
      );
  }
}

/** `--approved naam,brp.ingeschreven`: one assumed approval of those fields and probes of `source`. */
function assumedApproval(policy: LoadedPolicySet, source: string, list: string | undefined): Approval[] {
  const items = (list ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (items.length === 0) return [];
  const probes = items.filter((i) => policy.probes.some((p) => p.id === i));
  const fields = items.filter((i) => !probes.includes(i));
  return [{ checkId: "assumed", source, fields, probes }];
}

/** Role x phase table of the mode each role gets for `source` on its own (assigned) open case. */
export function matrix(policy: LoadedPolicySet, source: string): string {
  const phases = policy.protocol.phases.map((p) => p.id);
  const cell = (role: (typeof ROLES)[number], phase: string): DisclosureMode =>
    buildCaseAbility(policy, {
      actor: { subject: "matrix", roles: [role], amr: [], issuer: "matrix" },
      case: {
        id: "matrix",
        phase,
        status: "open",
        owner: "matrix",
        substitute: null,
        sharedWithDepartment: true,
      },
      approvals: [],
    }).mode(source).mode;
  const cells = ROLES.map((role) => phases.map((phase) => cell(role, phase)));
  const widths = phases.map((p, i) => Math.max(p.length, ...cells.map((row) => row[i]?.length ?? 0)));
  const roleWidth = Math.max(...ROLES.map((r) => r.length), source.length);
  const row = (head: string, values: readonly string[]) =>
    `${head.padEnd(roleWidth)} | ${values.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")}`.trimEnd() +
    "\n";
  return (
    row(source, phases) +
    row(
      "-".repeat(roleWidth),
      widths.map((w) => "-".repeat(w)),
    ) +
    ROLES.map((role, i) => row(role, cells[i] ?? [])).join("")
  );
}

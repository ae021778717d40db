import type { Config } from "../config/index.ts";
import type { LoadedPolicySet } from "../policy/index.ts";

/**
 * What a register file names in the environment and this gateway lacks (issue 16): a policy
 * version with such a register is not served, and at start-up it stops the gateway, naming file,
 * path and reason like any policy problem. In demo mode a register without its connection variable
 * reads the gateway's own database (the demo's `registers_demo` schema); a missing secret is a
 * problem everywhere, since a register that names one needs it.
 */
export function registerEnvProblems(
  policy: Pick<LoadedPolicySet, "registers">,
  config: Pick<Config, "demoMode" | "registerEnv">,
): string[] {
  const env = config.registerEnv ?? {};
  const problems: string[] = [];
  for (const r of policy.registers) {
    const b = r.backend;
    if (b.kind === "postgres" && !config.demoMode && env[b.connection] === undefined)
      problems.push(
        `${r.file}: backend.connection: ${b.connection} is not set; outside demo mode a register is read only from the database its variable names`,
      );
    if (b.kind === "http" && b.auth && env[b.auth.env] === undefined)
      problems.push(`${r.file}: backend.auth.env: ${b.auth.env} is not set`);
  }
  return problems;
}

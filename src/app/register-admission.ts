import type { Config } from "../config/index.ts";
import type { LoadedPolicySet } from "../policy/index.ts";

/**
 * What a register file names in the environment and this gateway lacks (issue 16), each naming
 * file, path and reason. Such a register is not consulted — its probes answer UNKNOWN
 * (`connection_not_set`, `secret_not_set`), its fields UPSTREAM_UNAVAILABLE, never NO_HIT — and
 * start-up logs these lines, as it does for a registry without URL: the example registers ship in
 * the policy folder, and a gateway without those systems must still start. In demo mode a register
 * without its connection variable reads the gateway's own database (schema `registers_demo`).
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

import { mkdir, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { auditKeyOf, openConfiguredDb } from "../app/bootstrap.ts";
import { loadConfig, type Config } from "../config/index.ts";
import { loadPolicySet, type LoadedPolicySet } from "../policy/index.ts";
import type { CommandIo } from "./command-io.ts";

export { auditKeyOf, openConfiguredDb };

/**
 * What the commands that work on the database without a running gateway (`audit`, `report`,
 * `retention`, `rights`) share: their settings, policy, database, audit key and output files.
 */

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * The configuration; only the database and policy settings matter here, so demo mode (which
 * waives the production settings) applies unless DATABASE_URL is set. Problems are printed;
 * a number is the exit code.
 */
export function offlineConfig(io: CommandIo, forceDemo = false): Config | number {
  const config = loadConfig({
    ...io.env,
    DEMO_MODE: forceDemo || !io.env.DATABASE_URL ? "true" : io.env.DEMO_MODE,
  });
  if (config.ok) return config.value;
  for (const p of config.error.problems) io.stderr(`${p}\n`);
  return EXIT_USAGE;
}

/** The configured policy set; its problems are printed and give the exit code. */
export async function offlinePolicy(config: Config, io: CommandIo): Promise<LoadedPolicySet | number> {
  const policy = await loadPolicySet(config.policyDir, { protocolFile: config.protocolFile });
  if (policy.ok) return policy.value;
  for (const p of policy.error.problems) io.stderr(`${p.file}: ${p.path ? `${p.path}: ` : ""}${p.reason}\n`);
  return EXIT_FAILURE;
}

/** Writes `<name>.json` and `<name>.md` to `dir` and returns their absolute paths. */
export async function writeDocuments(
  dir: string,
  name: string,
  json: unknown,
  markdown: string,
): Promise<readonly [string, string]> {
  await mkdir(dir, { recursive: true });
  const jsonPath = resolve(dir, `${name}.json`);
  const mdPath = resolve(dir, `${name}.md`);
  await writeFile(jsonPath, `${JSON.stringify(json, null, 2)}\n`);
  await writeFile(mdPath, markdown);
  return [jsonPath, mdPath];
}

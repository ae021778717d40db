import { mkdir, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { auditKeyOf, openConfiguredDb, openProblem } from "../app/bootstrap.ts";
import { loadConfig, type Config } from "../config/index.ts";
import { loadPolicySet, type LoadedPolicySet } from "../policy/index.ts";
import { lockDataDir, type Db } from "../store/index.ts";
import { EXIT_FAILURE, EXIT_USAGE } from "./cli-parser.ts";
import type { CommandIo } from "./command-io.ts";

export { auditKeyOf, openConfiguredDb };

/**
 * What the commands that work on the database without a running gateway (`audit`, `report`,
 * `retention`, `rights`) share: their settings, policy, database, audit key and output files.
 */

export { EXIT_FAILURE, EXIT_USAGE };

export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** For a database of an older (or no) schema: how to bring it to this version. */
export const schemaHint = (e: unknown): string =>
  /does not exist/.test(messageOf(e))
    ? "; run `npm run migrate -- up` (or start the gateway once) to migrate the database to this version"
    : "";

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

/**
 * Opens the configured database for an offline command (issue 12). The embedded one only after
 * taking DATA_DIR's lock: while a gateway (or another command) has the directory, this refuses
 * instead of reading the files under its feet; the lock goes again with `close()`. A database that
 * cannot be opened (DATABASE_URL unreachable, DATA_DIR unusable) is one line naming the setting.
 * Problems are printed; a number is the exit code (1).
 */
export async function openOfflineDb(config: Config, io: CommandIo, command: string): Promise<Db | number> {
  let release = async (): Promise<void> => undefined;
  if (!config.databaseUrl) {
    const locked = await lockDataDir(config.dataDir, command);
    if (!locked.ok) {
      io.stderr(
        `${command}: ${locked.error.message}${locked.error.kind === "in_use" ? "; stop it or use the gateway's API" : ""}\n`,
      );
      return EXIT_FAILURE;
    }
    release = locked.value.release;
  }
  try {
    const db = await openConfiguredDb(config);
    return Object.freeze({
      ...db,
      close: async () => {
        try {
          await db.close();
        } finally {
          await release();
        }
      },
    });
  } catch (e) {
    await release();
    io.stderr(`${command}: ${openProblem(config, e)}\n`);
    return EXIT_FAILURE;
  }
}

import { migrate, migrationStatus, type Db } from "../store/index.ts";
import { cliCommand, EXIT_FAILURE, EXIT_OK, parseOrExit, usageError } from "./cli-parser.ts";
import type { CommandIo } from "./command-io.ts";
import { messageOf, offlineConfig, openOfflineDb } from "./offline-command.ts";

/** `migrate status`: migrations are pending (so a deploy script can tell "up to date" apart). */
export const EXIT_PENDING = 3;

const migrateCommand = () =>
  cliCommand("migrate", "show or apply the database migrations")
    .usage("status|up")
    .argument("[action]", "status: applied, pending and changed migrations; up: apply the pending ones")
    .addHelpText(
      "after",
      `
Works on DATABASE_URL (PostgreSQL), or the embedded database in DATA_DIR (refused while a gateway
runs on it). \`up\` applies each pending file in its own transaction under the migration lock that
replicas starting together also take, so it is safe beside them. The gateway migrates at start-up
unless MIGRATE_ON_START=false; then it refuses to start while a migration is pending.
Exit codes: 0 up to date (status) or applied (up); 1 a migration was changed after it was applied,
failed, or the database cannot be opened; 2 usage; 3 (status) migrations are pending.
`,
    );

async function status(db: Db, io: CommandIo): Promise<number> {
  const s = await migrationStatus(db);
  for (const a of s.applied) io.stdout(`applied  ${a.name}  ${a.appliedAt.toISOString()}\n`);
  for (const name of s.changed)
    io.stdout(`CHANGED  ${name}  (differs from the file applied; add a new migration instead)\n`);
  for (const name of s.pending) io.stdout(`pending  ${name}\n`);
  for (const name of s.unknown) io.stdout(`unknown  ${name}  (applied by a newer version of the gateway)\n`);
  io.stdout(`${s.applied.length} applied, ${s.pending.length} pending, ${s.changed.length} changed\n`);
  if (s.changed.length > 0) {
    io.stderr(
      `migrate: ${s.changed.join(", ")} changed after being applied; the gateway refuses this database\n`,
    );
    return EXIT_FAILURE;
  }
  return s.pending.length > 0 ? EXIT_PENDING : EXIT_OK;
}

async function up(db: Db, io: CommandIo): Promise<number> {
  const result = await migrate(db);
  if (!result.ok) {
    io.stderr(`migrate: migration ${result.error.name}: ${result.error.reason}\n`);
    return EXIT_FAILURE;
  }
  for (const name of result.value.applied) io.stdout(`applied  ${name}\n`);
  io.stdout(
    `${result.value.applied.length} applied now, ${result.value.alreadyApplied.length} already applied; up to date\n`,
  );
  return EXIT_OK;
}

/**
 * `migrate status|up` (issue 12): for operators who run migrations as a separate step before the
 * gateway (MIGRATE_ON_START=false). Exit codes in the help text above.
 */
export async function runMigrateCommand(argv: string[], io: CommandIo): Promise<number> {
  const command = migrateCommand();
  const parsed = parseOrExit(command, argv, io);
  if (typeof parsed === "number") return parsed;
  const [action] = parsed.args;
  if (action !== "status" && action !== "up")
    return usageError(
      command,
      action === undefined ? "name the action: status or up" : `unknown action "${action}"; use status or up`,
      io.stderr,
    );
  // Only the database settings matter: the production settings (OIDC_*, BRP_URL, …) are waived.
  const config = offlineConfig(io, true);
  if (typeof config === "number") return config;
  const db = await openOfflineDb(config, io, "migrate");
  if (typeof db === "number") return db;
  try {
    return action === "status" ? await status(db, io) : await up(db, io);
  } catch (e) {
    io.stderr(`migrate: could not read the database: ${messageOf(e)}\n`);
    return EXIT_FAILURE;
  } finally {
    await db.close();
  }
}

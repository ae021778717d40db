export type { Db, DbTimeouts, OpenDbOptions, Queryable, Session } from "./types.ts";
export { openDb } from "./open-db.ts";
export { IN_MEMORY } from "./pglite-db.ts";
export { DEFAULT_DB_TIMEOUTS } from "./postgres-db.ts";
export {
  migrate,
  migrationStatus,
  MIGRATIONS_DIR,
  MIGRATION_LOCK_KEY,
  type MigrateOptions,
  type MigrationError,
  type MigrationReport,
  type MigrationStatus,
} from "./migrate.ts";
export { asDate, asDateOrNull, asIso, asJson, asStrings, asStrOrNull, type Row } from "./rows.ts";
export {
  dataDirHolder,
  dataDirProblem,
  lockDataDir,
  LOCK_FILE,
  type DataDirLock,
  type DataDirLockError,
  type LockContent,
} from "./data-dir-lock.ts";
export { databaseUrlProblem } from "./db-errors.ts";
export { vacuumTables, type VacuumOutcome } from "./vacuum.ts";

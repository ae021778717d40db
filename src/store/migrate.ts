import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { err, ok, type Result } from "../shared/index.ts";
import type { Db, Queryable, Session } from "./types.ts";

/**
 * The folder of numbered `*.sql` files shipped with the gateway. Written as `../store/` so that it
 * names the same folder from this module and from the one-file build in `dist/src/cli/main.js`
 * (scripts/build-assets.mjs bundles the server there; its import.meta.url is that file's).
 */
export const MIGRATIONS_DIR = fileURLToPath(new URL("../store/migrations/", import.meta.url));

/** Advisory lock key of the migration runner: any constant all replicas share. */
export const MIGRATION_LOCK_KEY = 7_071_300_001;

export interface MigrationReport {
  /** Files applied by this run, in order. */
  readonly applied: readonly string[];
  /** Files found already applied (checksum verified). */
  readonly alreadyApplied: readonly string[];
}

export type MigrationError =
  | {
      readonly kind: "migration_changed";
      /** File name, e.g. `001_audit.sql`. */
      readonly name: string;
      readonly reason: string;
    }
  | { readonly kind: "migration_failed"; readonly name: string; readonly reason: string };

export interface MigrateOptions {
  /** Folder with the `*.sql` files; defaults to {@link MIGRATIONS_DIR}. */
  readonly dir?: string | undefined;
}

interface MigrationFile {
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function readMigrations(dir: string): Promise<MigrationFile[]> {
  // Plain code-unit order, so `010_x.sql` sorts after `009_y.sql` in every locale.
  const names = (await readdir(dir)).filter((name) => name.endsWith(".sql")).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(dir, name), "utf8");
      return { name, sql, checksum: sha256(sql) };
    }),
  );
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  name       text PRIMARY KEY,
  checksum   text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;
const XACT_LOCK = `SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`;

/** Runs `fn` holding the session-level lock when the Db offers a session, else on the Db itself. */
async function withMigrationLock<T>(db: Db, fn: (runner: Session) => Promise<T>): Promise<T> {
  if (!db.session) return fn(db);
  return db.session(async (session) => {
    await session.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    try {
      return await fn(session);
    } finally {
      await session.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
    }
  });
}

/** name → checksum of every applied file; undefined when the table does not exist yet. */
async function appliedChecksums(db: Db): Promise<Map<string, string> | undefined> {
  const [table] = await db.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t");
  if (!table?.t) return undefined;
  const rows = await db.query<{ name: string; checksum: string }>(
    "SELECT name, checksum FROM schema_migrations",
  );
  return new Map(rows.map((row) => [row.name, row.checksum]));
}

const storedChecksum = async (tx: Queryable, name: string) =>
  (await tx.query<{ checksum: string }>("SELECT checksum FROM schema_migrations WHERE name = $1", [name]))[0]
    ?.checksum;

/**
 * Applies the `*.sql` files in lexical order, each once and in its own transaction, recorded in
 * `schema_migrations(name, checksum, applied_at)`. Two replicas starting together serialise on
 * `pg_advisory_lock` (and, per migration, on the transaction-level lock with the same key, which
 * also covers a Db without sessions). Refuses, naming the file, when an applied file has changed:
 * the schema would no longer be what the code expects.
 */
export async function migrate(
  db: Db,
  options: MigrateOptions = {},
): Promise<Result<MigrationReport, MigrationError>> {
  const files = await readMigrations(options.dir ?? MIGRATIONS_DIR);
  // Issue 15 (start-up): a database that already holds every file, unchanged, needs no lock and no
  // transaction per file — one read decides it. Anything else (a new database, a pending or changed
  // file) takes the locked path below, which checks each file again under the lock.
  const upToDate = await appliedChecksums(db).then((stored) =>
    stored && files.every((file) => stored.get(file.name) === file.checksum) ? stored : undefined,
  );
  if (upToDate) return ok({ applied: [], alreadyApplied: files.map((file) => file.name) });
  return withMigrationLock(db, async (runner) => {
    await runner.transaction(async (tx) => {
      await tx.query(XACT_LOCK);
      await tx.query(CREATE_TABLE);
    });
    const applied: string[] = [];
    const alreadyApplied: string[] = [];
    for (const file of files) {
      const outcome = await runner
        .transaction(async (tx) => {
          await tx.query(XACT_LOCK);
          const checksum = await storedChecksum(tx, file.name);
          if (checksum === file.checksum) return "already" as const;
          if (checksum !== undefined) return "changed" as const;
          await tx.query(file.sql);
          await tx.query("INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)", [
            file.name,
            file.checksum,
          ]);
          return "applied" as const;
        })
        .catch((error: unknown) => ({ failed: message(error) }));
      if (typeof outcome === "object")
        return err({ kind: "migration_failed", name: file.name, reason: outcome.failed });
      if (outcome === "changed")
        return err({
          kind: "migration_changed",
          name: file.name,
          reason: `${file.name} was changed after it was applied; add a new migration instead.`,
        });
      (outcome === "applied" ? applied : alreadyApplied).push(file.name);
    }
    return ok({ applied, alreadyApplied });
  });
}

export interface MigrationStatus {
  /** Applied files whose checksum matches, in order, with when they were applied. */
  readonly applied: readonly { readonly name: string; readonly appliedAt: Date }[];
  /** Files not yet applied, in the order `migrate` would apply them. */
  readonly pending: readonly string[];
  /** Applied files changed since (their checksum differs): `migrate` refuses these. */
  readonly changed: readonly string[];
  /** Recorded as applied but not shipped with this version (a newer gateway applied them). */
  readonly unknown: readonly string[];
}

/**
 * What `migrate` would do, without doing it or taking its lock (issue 12, `npm run migrate --
 * status`; the gateway with MIGRATE_ON_START=false): read-only, so safe beside running replicas.
 */
export async function migrationStatus(db: Db, options: MigrateOptions = {}): Promise<MigrationStatus> {
  const files = await readMigrations(options.dir ?? MIGRATIONS_DIR);
  const [exists] = await db.query<{ present: boolean }>(
    "SELECT to_regclass('schema_migrations') IS NOT NULL AS present",
  );
  const rows = exists?.present
    ? await db.query<{ name: string; checksum: string; applied_at: Date | string }>(
        "SELECT name, checksum, applied_at FROM schema_migrations ORDER BY name",
      )
    : [];
  const recorded = new Map(rows.map((r) => [r.name, r]));
  const applied: { name: string; appliedAt: Date }[] = [];
  const pending: string[] = [];
  const changed: string[] = [];
  for (const file of files) {
    const row = recorded.get(file.name);
    if (!row) pending.push(file.name);
    else if (row.checksum !== file.checksum) changed.push(file.name);
    else applied.push({ name: file.name, appliedAt: new Date(row.applied_at) });
  }
  const shipped = new Set(files.map((f) => f.name));
  const unknown = rows.map((r) => r.name).filter((name) => !shipped.has(name));
  return { applied, pending, changed, unknown };
}

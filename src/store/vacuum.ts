import type { Db } from "./types.ts";

/** What {@link vacuumTables} did, for the purge report and the operational log. */
export interface VacuumOutcome {
  /** The tables vacuumed, sorted. */
  readonly tables: readonly string[];
  /** `full`: rewritten into new files (PGlite); `plain`: dead rows pruned in place (PostgreSQL). */
  readonly method: "full" | "plain";
  /** PGlite: the WAL was switched and checkpointed, so the segments with the old rows were removed. */
  readonly walRemoved: boolean;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Makes the rows the purge overwrote or deleted physically unreadable (Maastricht art. 1aa:
 * destroying is making *permanently inaccessible*): an UPDATE or DELETE leaves the old row
 * versions in the table and index files, and the INSERTs that wrote them in the WAL. Runs outside
 * any transaction (VACUUM cannot run inside one), one statement at a time.
 *
 * PGlite (one connection, nobody waits): `VACUUM FULL` rewrites each table and its indexes into
 * new files and truncates the old ones; then, with `wal_recycle` off, `pg_switch_wal()` and a
 * `CHECKPOINT` end the WAL segment that holds the old rows and delete it instead of renaming it
 * for reuse (a recycled segment keeps its bytes until overwritten).
 *
 * PostgreSQL: plain `VACUUM` (no exclusive lock, so disclosures and audit appends go on): the dead
 * rows are pruned and their index entries removed, but the bytes may stay in free page space until
 * reused, and the server's WAL, WAL archive, replicas and backups are the operator's to handle
 * (README, "Physical destruction"); the purge report says so.
 */
export async function vacuumTables(db: Db, tables: Iterable<string>): Promise<VacuumOutcome> {
  const names = [...new Set(tables)].sort();
  for (const name of names)
    if (!IDENTIFIER.test(name)) throw new Error(`vacuum: "${name}" is not a table name`);
  const full = db.dialect === "pglite";
  if (names.length === 0) return { tables: [], method: full ? "full" : "plain", walRemoved: false };
  await db.query(`VACUUM ${full ? "FULL " : ""}${names.map((n) => `"${n}"`).join(", ")}`);
  if (!full) return { tables: names, method: "plain", walRemoved: false };
  // PGlite runs its checkpoint in-process, so this session's setting applies to it.
  await db.query("SET wal_recycle = off");
  try {
    await db.query("SELECT pg_switch_wal()");
    await db.query("CHECKPOINT");
  } finally {
    await db.query("RESET wal_recycle");
  }
  return { tables: names, method: "full", walRemoved: true };
}

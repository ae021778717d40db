import { openPgliteDb, IN_MEMORY } from "./pglite-db.ts";
import { openPostgresDb } from "./postgres-db.ts";
import type { Db, OpenDbOptions } from "./types.ts";

/**
 * Opens PostgreSQL when `url` is set, else the embedded PGlite in `dataDir` (created if missing;
 * `memory://` or no `dataDir` for an in-memory database). `schema`, `timeouts` and
 * `onConnectionLost` apply to PostgreSQL only.
 * Does not migrate: call `migrate(db)` next.
 */
export async function openDb(options: OpenDbOptions): Promise<Db> {
  if (options.url) return openPostgresDb(options.url, options);
  if (options.schema !== undefined) throw new Error("`schema` is supported for PostgreSQL only.");
  return openPgliteDb(options.dataDir ?? IN_MEMORY, { worker: options.pgliteWorker });
}

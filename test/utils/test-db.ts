import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrate, openDb, type Db, type MigrateOptions } from "../../src/store/index.ts";

/** Which dialect the store and audit tests run against: PostgreSQL when TEST_DATABASE_URL is set. */
export function dialectUnderTest(): Db["dialect"] {
  return process.env.TEST_DATABASE_URL ? "postgres" : "pglite";
}

export interface TestDbOptions {
  /** Apply the migrations (default true). */
  readonly migrate?: boolean;
  readonly migrations?: MigrateOptions;
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, migrated database for one test: in-memory PGlite, or with TEST_DATABASE_URL a
 * PostgreSQL schema of its own (random name) that `close()` drops again. `close()` may be called
 * more than once, so a test may close the db itself (e.g. to break it) and still clean up.
 */
export async function createTestDb(options: TestDbOptions = {}): Promise<Db> {
  const url = process.env.TEST_DATABASE_URL;
  const schema = url ? `test_${randomBytes(8).toString("hex")}` : undefined;
  const db = await openDb(url ? { url, schema } : { dataDir: "memory://" });
  let closed = false;
  const testDb: Db = {
    dialect: db.dialect,
    query: (sql, params) => db.query(sql, params),
    transaction: (fn) => db.transaction(fn),
    ...(db.session ? { session: db.session } : {}),
    close: async () => {
      if (closed) return;
      closed = true;
      await db.close();
      if (url && schema) await dropSchema(url, schema);
    },
  };
  if (options.migrate ?? true) {
    const result = await migrate(testDb, options.migrations);
    if (!result.ok) {
      await testDb.close();
      throw new Error(`Test database migration failed: ${JSON.stringify(result.error)}`);
    }
  }
  return testDb;
}

/**
 * A second, independent connection pool to the same database, like a second replica would have.
 * PGlite has a single connection, so there it is the same db (its `close()` does nothing).
 */
export async function connectAgain(db: Db): Promise<Db> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url || db.dialect === "pglite") return { ...db, close: async () => {} };
  const [row] = await db.query<{ schema: string }>("SELECT current_schema() AS schema");
  return openDb({ url, schema: row?.schema });
}

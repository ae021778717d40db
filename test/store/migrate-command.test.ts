import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT_PENDING, runMigrateCommand } from "../../src/cli/migrate-command.ts";
import type { CommandIo } from "../../src/cli/command-io.ts";
import { openDb, type Db } from "../../src/store/index.ts";
import { dialectUnderTest } from "../utils/test-db.ts";

/**
 * Issue 12: `npm run migrate -- status|up` for operators who migrate as a separate step, on the
 * embedded database in DATA_DIR or, with TEST_DATABASE_URL (npm run test:store in CI), on
 * PostgreSQL through DATABASE_URL (a schema of its own, by `search_path` in the URL).
 */
const ADMIN_URL = process.env.TEST_DATABASE_URL;
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** The command's environment and a way to open the same database directly. */
async function target(): Promise<{ env: Record<string, string>; open: () => Promise<Db> }> {
  if (ADMIN_URL) {
    const schema = `migrate_cli_${process.pid}_${Date.now()}`;
    await (await openDb({ url: ADMIN_URL, schema })).close();
    cleanups.push(async () => {
      const db = await openDb({ url: ADMIN_URL });
      await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await db.close();
    });
    const url = `${ADMIN_URL}${ADMIN_URL.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    return { env: { DATABASE_URL: url }, open: () => openDb({ url: ADMIN_URL, schema }) };
  }
  const dir = mkdtempSync(join(tmpdir(), "poortwachter-migrate-"));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return { env: { DATA_DIR: dir }, open: () => openDb({ dataDir: join(dir, "pglite") }) };
}

async function inProcess(argv: string[], env: Record<string, string>) {
  let out = "";
  let err = "";
  const io: CommandIo = { env, stdout: (s) => (out += s), stderr: (s) => (err += s) };
  const code = await runMigrateCommand(argv, io);
  return { code, out, err };
}

describe(`migrate status|up (${dialectUnderTest()})`, () => {
  it("lists pending migrations (exit 3), applies them (exit 0), then is up to date; names a changed one", async () => {
    const { env, open } = await target();
    const before = await inProcess(["status"], env);
    expect(before.code).toBe(EXIT_PENDING);
    expect(before.out).toMatch(/^pending {2}001_\w+\.sql$/m);
    expect(before.out).toMatch(/^0 applied, (\d+) pending, 0 changed$/m);
    const pending = Number(/^0 applied, (\d+) pending/m.exec(before.out)?.[1]);
    expect(pending).toBeGreaterThan(10);

    const up = await inProcess(["up"], env);
    expect(up.code, up.err).toBe(0);
    expect(up.out).toContain(`${pending} applied now, 0 already applied; up to date`);
    const again = await inProcess(["up"], env);
    expect(again.out).toContain(`0 applied now, ${pending} already applied`);

    const after = await inProcess(["status"], env);
    expect(after.code).toBe(0);
    expect(after.out).toMatch(/^applied {2}001_\w+\.sql {2}\d{4}-\d\d-\d\dT/m);
    expect(after.out).toContain(`${pending} applied, 0 pending, 0 changed`);

    const db = await open();
    const [first] = await db.query<{ name: string }>(
      "UPDATE schema_migrations SET checksum = 'x' WHERE name = (SELECT min(name) FROM schema_migrations) RETURNING name",
    );
    await db.close();
    const changed = await inProcess(["status"], env);
    expect(changed.code).toBe(1);
    expect(changed.out).toMatch(new RegExp(`^CHANGED {2}${first?.name}`, "m"));
    expect(changed.err).toContain(`${first?.name} changed after being applied`);
    const refused = await inProcess(["up"], env);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(
      `migrate: migration ${first?.name}: ${first?.name} was changed after it was applied`,
    );
  }, 60_000);
});

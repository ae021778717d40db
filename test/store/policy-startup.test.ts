import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createAuditLog } from "../../src/audit/index.ts";
import { bootstrap, servedVersion } from "../../src/app/index.ts";
import { loadConfig, type Config } from "../../src/config/index.ts";
import { listVersions, loadStoredVersion, readWorkingFiles } from "../../src/policy/versions/index.ts";
import { systemClock } from "../../src/shared/index.ts";
import type { Db } from "../../src/store/index.ts";
import { HMAC_KEY } from "../audit/audit-fixtures.ts";
import { overlay } from "../policy/policy-fixtures.ts";
import { createTestDb, dialectUnderTest } from "../utils/test-db.ts";

/**
 * Issue 14: what a gateway serves at start-up. The newest stored version; the working files as
 * version 1 on an empty database; in demo mode changed working files are published, otherwise the
 * stored version is served and the change is only a warning.
 */
describe(`the policy version at start-up (${dialectUnderTest()})`, () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  function configFor(policyDir: string, demo: boolean): Config {
    const dataDir = mkdtempSync(join(tmpdir(), "poortwachter-startup-"));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const config = loadConfig({
      DEMO_MODE: "true",
      DATA_DIR: dataDir,
      POLICY_DIR: policyDir,
      BRP_TIMEOUT_MS: "1000",
    });
    if (!config.ok) throw new Error(config.error.problems.join("; "));
    return { ...config.value, demoMode: demo };
  }

  async function boot(db: Db, policyDir: string) {
    const booted = await bootstrap({
      config: configFor(policyDir, true),
      // The test's database outlives each start (close() would close it).
      db: { ...db, close: async () => {} },
      seed: false,
      logger: pino({ level: "silent" }),
    });
    if (!booted.ok) throw new Error(booted.error.problems.join("; "));
    await booted.value.close();
  }

  const change = (dir: string, marker: string) => {
    const roles = join(dir, "roles.yaml");
    writeFileSync(
      roles,
      readFileSync(roles, "utf8").replace(/Reviews the policy[^\n]*/, `Reviews the policy (${marker}).`),
    );
  };

  it("publishes the working files as version 1, then in demo mode each changed set at start-up", async () => {
    const db = await createTestDb({ migrate: false });
    cleanups.push(() => db.close());
    const { dir, cleanup } = overlay();
    cleanups.push(cleanup);
    await boot(db, dir);
    await boot(db, dir);
    change(dir, "edited");
    await boot(db, dir);
    expect((await listVersions(db)).map((v) => [v.version, v.author, v.motivation])).toEqual([
      [1, "system", "first start-up"],
      [2, "system", "demo start-up"],
    ]);
  });

  it("outside demo mode serves the newest stored version and warns that the working files are unpublished", async () => {
    const db = await createTestDb();
    cleanups.push(() => db.close());
    const { dir, cleanup } = overlay();
    cleanups.push(cleanup);
    const audit = createAuditLog({ db, hmacKey: HMAC_KEY, clock: systemClock });
    const warnings: string[] = [];
    const logger = Object.assign(pino({ level: "silent" }), {
      warn: (_: object, msg: string) => void warnings.push(msg),
    });
    const resolve = async () => {
      const working = await readWorkingFiles(dir);
      return servedVersion({
        config: configFor(dir, false),
        db,
        audit,
        clock: systemClock,
        logger: logger as unknown as Parameters<typeof servedVersion>[0]["logger"],
        working: working.ok ? working.value : undefined,
        workingProblems: working.ok ? [] : ["bad"],
      });
    };
    const first = await resolve();
    expect(first.ok && first.value.meta.version).toBe(1);
    change(dir, "unpublished");
    const second = await resolve();
    if (!second.ok) expect.fail(second.error.join("; "));
    expect(second.value.meta.version).toBe(1);
    expect(second.value.policy.hash).toBe(first.ok && first.value.policy.hash);
    expect(warnings.some((w) => w.includes("not published"))).toBe(true);
    expect(await listVersions(db)).toHaveLength(1);
  });

  it("reuses the working files' policy set for a stored version with the same texts, and parses any other", async () => {
    const db = await createTestDb({ migrate: false });
    cleanups.push(() => db.close());
    const { dir, cleanup } = overlay();
    cleanups.push(cleanup);
    await boot(db, dir);
    const working = await readWorkingFiles(dir);
    if (!working.ok) expect.fail("working files");
    const same = await loadStoredVersion(db, "latest", working.value);
    if (!same.ok) expect.fail(same.error.kind);
    expect(same.value.policy).toBe(working.value.policy);
    // One character of one file differs: the stored texts are loaded, not the known set.
    change(dir, "not stored");
    const edited = await readWorkingFiles(dir);
    if (!edited.ok) expect.fail("edited files");
    const other = await loadStoredVersion(db, "latest", edited.value);
    if (!other.ok) expect.fail(other.error.kind);
    expect(other.value.policy).not.toBe(edited.value.policy);
    expect(other.value.policy.hash).toBe(working.value.policy.hash);
    expect(other.value.policy.hash).not.toBe(edited.value.policy.hash);
  });
});

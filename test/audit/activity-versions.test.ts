/**
 * A processing activity's id keeps one content for good (issue 13; Logboek Dataverwerkingen,
 * Component: Register): the first start records each activity's content hash, a later start
 * whose register changed an activity under the same id is refused naming the file, the id and the
 * next version; a new id is accepted. The table is append-only.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { bootstrap } from "../../src/app/index.ts";
import { activityContentHash, nextVersion, pinActivityVersions } from "../../src/audit/index.ts";
import { loadConfig } from "../../src/config/index.ts";
import type { Db } from "../../src/store/index.ts";
import { loadOk, overlay } from "../policy/policy-fixtures.ts";
import { createTestDb, dialectUnderTest } from "../utils/test-db.ts";

const AT = new Date("2026-12-01T10:00:00.000Z");

describe(`processing activity versions (${dialectUnderTest()})`, () => {
  const dbs: Db[] = [];
  const cleanups: (() => void)[] = [];
  afterEach(async () => {
    await Promise.all(dbs.splice(0).map((db) => db.close()));
    for (const c of cleanups.splice(0)) c();
  });
  const fresh = async () => {
    const db = await createTestDb();
    dbs.push(db);
    return db;
  };

  it("records every activity once, then refuses the same id with other content", async () => {
    const db = await fresh();
    const policy = await loadOk();
    const all = policy.processingActivities.all;
    expect(await pinActivityVersions(db, all, policy.hash, AT)).toEqual({ ok: true, value: all.length });
    expect(await pinActivityVersions(db, all, policy.hash, AT)).toEqual({ ok: true, value: 0 });

    const changed = all.map((a) => (a.id === "maastricht.regie.v1" ? { ...a, retention: "P10Y" } : a));
    const refused = await pinActivityVersions(db, changed, "other-policy", new Date());
    expect(refused).toEqual({
      ok: false,
      error: [
        `processing-activities.yaml: activity maastricht.regie.v1 changed since it was first used on 2026-12-01 (policy ${policy.hash.slice(0, 12)}): a changed activity needs a new id (e.g. maastricht.regie.v2) so the records written under maastricht.regie.v1 keep their meaning`,
      ],
    });
    // Under a new id the change is a new version, recorded beside the old one.
    const renamed = all.map((a) =>
      a.id === "maastricht.regie.v1" ? { ...a, id: "maastricht.regie.v2", retention: "P10Y" } : a,
    );
    expect(await pinActivityVersions(db, renamed, "other-policy", new Date())).toEqual({
      ok: true,
      value: 1,
    });
    const rows = await db.query<{ id: string; content_hash: string }>(
      "SELECT id, content_hash FROM processing_activity_versions WHERE id LIKE 'maastricht.regie.%' ORDER BY id",
    );
    expect(rows).toEqual([
      {
        id: "maastricht.regie.v1",
        content_hash: activityContentHash(all.find((a) => a.id === "maastricht.regie.v1")!),
      },
      {
        id: "maastricht.regie.v2",
        content_hash: activityContentHash(renamed.find((a) => a.id === "maastricht.regie.v2")!),
      },
    ]);
    await expect(db.query("UPDATE processing_activity_versions SET content_hash = 'x'")).rejects.toThrow();
    await expect(db.query("DELETE FROM processing_activity_versions")).rejects.toThrow();
  });

  it("the gateway refuses to start with a changed activity under an old id", async () => {
    const db = await fresh();
    const { dir, cleanup } = overlay();
    cleanups.push(cleanup);
    mkdirSync(join(dir, "data"));
    const start = async () => {
      const config = loadConfig({ DEMO_MODE: "true", DATA_DIR: join(dir, "data"), POLICY_DIR: dir });
      if (!config.ok) expect.fail(config.error.problems.join("; "));
      const shared: Db = { ...db, close: async () => {} };
      return bootstrap({ config: config.value, db: shared, logger: pino({ level: "silent" }), seed: false });
    };
    const first = await start();
    if (!first.ok) expect.fail(first.error.problems.join("; "));
    await first.value.close();
    const file = join(dir, "processing-activities.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace(
        "purpose: Load and explain the policy,",
        "purpose: Load, explain and publish the policy,",
      ),
    );
    const second = await start();
    expect(second.ok).toBe(false);
    if (!second.ok)
      expect(second.error.problems).toContainEqual(
        expect.stringContaining("activity poortwachter.gateway.v1 changed since it was first used"),
      );
  });

  it("names the next version", () => {
    expect(nextVersion("maastricht.intake.v1")).toBe("maastricht.intake.v2");
    expect(nextVersion("poortwachter.rights.v19")).toBe("poortwachter.rights.v20");
  });
});

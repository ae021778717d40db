import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { migrate, openDb } from "../../src/store/index.ts";

// PGlite-only by nature (a data directory); runs in both passes because it needs no server.
describe("PGlite on disk", () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it("creates the data directory and keeps committed data across close and reopen", async () => {
    const parent = await mkdtemp(join(tmpdir(), "poortwachter-store-"));
    dirs.push(parent);
    const dataDir = join(parent, "nested", "data");

    const first = await openDb({ dataDir });
    expect((await migrate(first)).ok).toBe(true);
    await first.transaction(async (tx) => {
      await tx.query("CREATE TABLE kept (v text)");
      await tx.query("INSERT INTO kept VALUES ($1)", ["committed"]);
    });
    await first
      .transaction(async (tx) => {
        await tx.query("INSERT INTO kept VALUES ($1)", ["rolled back"]);
        throw new Error("abort");
      })
      .catch(() => undefined);
    await first.close();

    const second = await openDb({ dataDir });
    try {
      expect(await second.query("SELECT v FROM kept")).toStrictEqual([{ v: "committed" }]);
      const again = await migrate(second);
      expect(again.ok && again.value.applied).toStrictEqual([]);
    } finally {
      await second.close();
    }
  });
});

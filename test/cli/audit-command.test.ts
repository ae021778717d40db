import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createAuditLog } from "../../src/audit/index.ts";
import { runAuditCommand } from "../../src/cli/audit-command.ts";
import { migrate, openDb } from "../../src/store/index.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function run(argv: string[], env: Record<string, string>) {
  let out = "";
  let errOut = "";
  const code = await runAuditCommand(argv, { env, stdout: (s) => (out += s), stderr: (s) => (errOut += s) });
  return { code, out, err: errOut };
}

describe("npm run audit -- verify", () => {
  it("reports an intact chain, and the first record after tampering", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "poortwachter-audit-cli-"));
    dirs.push(dataDir);
    const db = await openDb({ dataDir: join(dataDir, "pglite") });
    expect((await migrate(db)).ok).toBe(true);
    const log = createAuditLog({ db, hmacKey: "k".repeat(32) });
    const entry = {
      kind: "case" as const,
      actor: "analist.jansen",
      roles: ["analyst"],
      processingActivity: "ondermijning",
      operation: "case.open",
      decision: "allow" as const,
      reason: "test",
      policyHash: "h",
      traceId: "t",
    };
    expect((await log.append([entry, entry, entry])).ok).toBe(true);
    await db.close();

    const intact = await run(["verify"], { DATA_DIR: dataDir });
    expect(intact).toMatchObject({ code: 0, out: "audit log intact: 3 records, hash chain verified\n" });

    const again = await openDb({ dataDir: join(dataDir, "pglite") });
    await again.query("ALTER TABLE audit_log DISABLE TRIGGER ALL");
    await again.query(
      "UPDATE audit_log SET reason = 'rewritten' WHERE seq = (SELECT min(seq) + 1 FROM audit_log)",
    );
    await again.close();

    const broken = await run(["verify"], { DATA_DIR: dataDir });
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(/^audit log BROKEN at record \d+, after 1 intact records: /);
  });

  it("explains its usage", async () => {
    expect((await run([], {})).code).toBe(2);
    expect((await run(["erase"], {})).err).toContain("verify");
  });
});

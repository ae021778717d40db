import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runAuditCommand } from "../../src/cli/audit-command.ts";
import { runRetentionCommand } from "../../src/cli/retention-command.ts";
import { migrate, openDb, type Db } from "../../src/store/index.ts";
import { bsnSource, createRetentionWorld, dumpDatabase, type ScriptedCase } from "./retention-world.ts";

/**
 * `npm run retention` and `npm run audit -- verify` against an embedded database in DATA_DIR, as
 * an operator runs them: a dry run lists and writes nothing, a real run destroys what is due and
 * prints it, a second run finds nothing, and the audit chain verifies afterwards (and reports a
 * tampered record).
 */
describe("npm run retention", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  type Cli = typeof runRetentionCommand;
  async function run(command: Cli, argv: string[], env: Record<string, string>) {
    let out = "";
    let err = "";
    const code = await command(argv, { env, stdout: (s) => (out += s), stderr: (s) => (err += s) });
    return { code, out, err };
  }

  const DAY = 24 * 3600 * 1000;
  /** A year from now: the dry run's moment, when the old case is due and the recent one is not. */
  const inAYear = new Date(Math.floor((Date.now() + 365 * DAY) / 1000) * 1000);

  /** A data dir whose database holds an ongegrond case closed in 2001 and an afgerond one closed a month ago. */
  async function dataDir(): Promise<{
    env: Record<string, string>;
    old: ScriptedCase;
    recent: ScriptedCase;
  }> {
    const dir = mkdtempSync(join(tmpdir(), "poortwachter-retention-cli-"));
    dirs.push(dir);
    const db = await openDb({ dataDir: join(dir, "pglite") });
    expect((await migrate(db)).ok).toBe(true);
    const w = await createRetentionWorld({ db });
    const bsn = bsnSource(40_000_000);
    const shared = bsn();
    w.clock.set("2001-03-01T09:00:00Z");
    const old = await w.script({
      reference: "CLI-1X",
      outcome: "ongegrond",
      bsn: bsn(),
      kvk: "40000001",
      shared,
    });
    w.clock.set(new Date(Date.now() - 30 * DAY).toISOString());
    const recent = await w.script({
      reference: "CLI-2X",
      outcome: "afgerond",
      bsn: bsn(),
      kvk: "40000002",
      shared,
    });
    await w.close();
    return { env: { DATA_DIR: dir }, old, recent };
  }

  const reading = async <T>(env: Record<string, string>, read: (db: Db) => Promise<T>): Promise<T> => {
    const db = await openDb({ dataDir: join(env.DATA_DIR!, "pglite") });
    try {
      return await read(db);
    } finally {
      await db.close();
    }
  };
  const dump = (env: Record<string, string>) => reading(env, dumpDatabase);

  it("lists with --dry-run what would go, by which rule and since when, and writes nothing", async () => {
    const { env, old, recent } = await dataDir();
    const before = await dump(env);
    const dry = await run(runRetentionCommand, ["--dry-run", "--now", inAYear.toISOString()], env);
    expect(dry.err).toBe("");
    expect(dry.code).toBe(0);
    const lines = dry.out.trim().split("\n");
    expect(lines[0]).toBe(
      `retention dry run at ${inAYear.toISOString()} (protocol maastricht): nothing is written`,
    );
    expect(lines[1]).toMatch(
      new RegExp(
        `^would destroy case ${old.id}: outcome ongegrond: P0D after closing \\(Maastricht art\\. 10\\.2a.*\\); ` +
          `closed ${old.closedAt!.toISOString()}, due since ${old.closedAt!.toISOString()}; legal basis: AVG art\\. 5`,
      ),
    );
    expect(dry.out).not.toContain(recent.id);
    const cutoff = new Date(inAYear);
    cutoff.setUTCFullYear(cutoff.getUTCFullYear() - 5);
    const [due] = await reading(env, (db) =>
      db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE at < $1", [
        cutoff.toISOString(),
      ]),
    );
    expect(due?.n).toBeGreaterThan(0);
    expect(dry.out).toContain(
      `would turn ${due?.n} audit records written before ${cutoff.toISOString()} into tombstones`,
    );
    expect(lines.at(-1)).toBe("would destroy 1 cases; 1 closed cases not yet due; 0 passed over; 0 failed");
    expect(await dump(env)).toBe(before);
    expect(existsSync(join(env.DATA_DIR!, "audit-hmac.key"))).toBe(false); // not even a key file
  });

  it("destroys what is due, prints it, finds nothing the second time, and the chain verifies", async () => {
    const { env, old, recent } = await dataDir();
    const first = await run(runRetentionCommand, [], env);
    expect(first.err).toBe("");
    expect(first.code).toBe(0);
    expect(first.out).toMatch(
      new RegExp(`^destroyed case ${old.id}: outcome ongegrond: P0D after closing`, "m"),
    );
    expect(first.out).toMatch(
      /rows: cases 1, case_events \d+, privacy_checks 0, privacy_check_steps 0, verify_values 0, case_subjects 0, case_exits 0, signal_reporters \d+, weighing_answers 0, audit_log \d+/,
    );
    expect(first.out).not.toMatch(new RegExp(`destroyed case ${recent.id}`));
    // Maastricht art. 1aa: the destroyed rows vacuumed out of the files; PGlite needs no operator note.
    expect(first.out).toMatch(/^vacuumed audit_log, case_events, cases, signal_reporters$/m);
    expect(first.out).not.toMatch(/^NOTE /m);
    const after = await dump(env);
    expect(after).not.toContain(old.bsn);
    expect(after).toContain(recent.bsn);

    const second = await run(runRetentionCommand, [], env);
    expect(second.code).toBe(0);
    expect(second.out).toMatch(/^destroyed 0 cases; 1 closed cases not yet due; 0 passed over; 0 failed$/m);
    expect(second.out).toMatch(/^turned 0 audit records written before/m);
    // Nothing of a case to vacuum (the recent reporter's data may fall due meanwhile: P30D).
    expect(second.out).not.toMatch(/^vacuumed .*\bcases\b/m);

    const verified = await run(runAuditCommand, ["verify"], env);
    expect(verified).toMatchObject({ code: 0, out: expect.stringMatching(/^audit log intact: \d+ records/) });

    const db = await openDb({ dataDir: join(env.DATA_DIR!, "pglite") });
    const [tampered] = await db.query<{ seq: number }>(
      "SELECT min(seq) AS seq FROM audit_log WHERE NOT tombstone AND case_id = $1",
      [recent.id],
    );
    await db.query("ALTER TABLE audit_log DISABLE TRIGGER ALL");
    await db.query("UPDATE audit_log SET actor = 'someone.else' WHERE seq = $1", [tampered?.seq]);
    await db.close();
    const broken = await run(runAuditCommand, ["verify"], env);
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(
      new RegExp(`^audit log BROKEN at record ${tampered?.seq}, after \\d+ intact records`),
    );
  });

  it.each([
    [["--now", "2999-01-01T00:00:00Z"], /--now may lie in the future only with --dry-run/],
    [["--dry-run", "--now", "tomorrow"], /is not an ISO-8601 moment/],
    [["--everything"], /unknown option '--everything'/i],
    [["now"], /unknown command "now"; use records, or none for a run/],
    [["records", "now"], /too many arguments/],
  ])("refuses %j with exit code 2", async (argv, message) => {
    const result = await run(runRetentionCommand, argv, { DATA_DIR: join(tmpdir(), "poortwachter-unused") });
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
    expect(result.err).toContain("Usage:");
  });
});

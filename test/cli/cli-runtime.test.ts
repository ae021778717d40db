import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runAuditCommand } from "../../src/cli/audit-command.ts";
import { EXIT_PENDING, runMigrateCommand } from "../../src/cli/migrate-command.ts";
import { runReportCommand } from "../../src/cli/report-command.ts";
import { runRetentionCommand } from "../../src/cli/retention-command.ts";
import { runRightsCommand } from "../../src/cli/rights-command.ts";
import { runServeCommand } from "../../src/cli/serve-command.ts";
import type { CommandIo } from "../../src/cli/command-io.ts";
import { LOCK_FILE, lockDataDir } from "../../src/store/index.ts";

/**
 * Issue 12, "Runtime and build": every CLI command answers --help with exit 0 and a bad argument
 * with exit 2 naming it; an unreachable DATABASE_URL or an unusable DATA_DIR is one line naming
 * the setting (exit 1, no stack trace); DATA_DIR is locked by the running gateway, so the offline
 * commands refuse it; `migrate status|up` and MIGRATE_ON_START=false.
 */
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const COMMANDS = [
  "serve",
  "token",
  "policy",
  "migrate",
  "audit",
  "report",
  "retention",
  "rights",
  "config-doc",
];
const STACK = /^\s+at /m;

const dirs: string[] = [];
const tempDir = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), `poortwachter-${name}-`));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const cleanEnv = (env: Record<string, string>): Record<string, string> => {
  const inherited: Record<string, string | undefined> = { ...process.env };
  for (const key of Object.keys(inherited))
    if (/^(DATABASE_URL|TEST_DATABASE_URL|DATA_DIR|DEMO_MODE|MIGRATE_ON_START)$/.test(key))
      delete inherited[key];
  return {
    ...(inherited as Record<string, string>),
    LOG_LEVEL: "fatal",
    RETENTION_INTERVAL_MINUTES: "0",
    ...env,
  };
};

/** Runs the CLI as a process, as an operator would: `node --import tsx src/cli/main.ts …`. */
function cli(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
      cwd: ROOT,
      env: cleanEnv(env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (err += c.toString("utf8")));
    child.once("close", (code) => resolve({ code, out, err }));
  });
}

async function inProcess(
  command: (argv: string[], io: CommandIo) => Promise<number>,
  argv: string[],
  env: Record<string, string>,
) {
  let out = "";
  let err = "";
  const code = await command(argv, { env, stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

/** A port nothing listens on: one the OS gave out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("every command: --help and bad arguments", () => {
  it("answers --help on stdout with exit 0 and its usage", async () => {
    const results = await Promise.all(COMMANDS.map((c) => cli([c, "--help"])));
    results.forEach((r, i) => {
      expect(r.code, `${COMMANDS[i]} --help: ${r.err}`).toBe(0);
      expect(r.out).toMatch(new RegExp(`^Usage: ${COMMANDS[i]} `));
      expect(r.err).toBe("");
    });
    const top = await cli(["--help"]);
    expect(top.code).toBe(0);
    for (const c of COMMANDS) expect(top.out).toMatch(new RegExp(`^  ${c}\\s`, "m"));
  });

  it("refuses an unknown option with exit 2 and one line naming it, then the usage", async () => {
    const results = await Promise.all(COMMANDS.map((c) => cli([c, "--frobnicate"])));
    results.forEach((r, i) => {
      expect(r.code, `${COMMANDS[i]}: ${r.err}`).toBe(2);
      expect(r.err.split("\n")[0]).toBe(`${COMMANDS[i]}: unknown option '--frobnicate'`);
      expect(r.err).toContain(`Usage: ${COMMANDS[i]} `);
      expect(r.err).not.toMatch(STACK);
      expect(r.out).toBe("");
    });
  });

  it("refuses an unknown command, a missing option value and a bad action with exit 2", async () => {
    const [unknown, missing, action, excess] = await Promise.all([
      cli(["frobnicate"]),
      cli(["report", "fg", "--year"]),
      cli(["migrate", "sideways"]),
      cli(["config-doc", "extra"]),
    ]);
    expect(unknown).toMatchObject({ code: 2 });
    expect(unknown.err.split("\n")[0]).toBe("poortwachter: unknown command 'frobnicate'");
    expect(missing.code).toBe(2);
    expect(missing.err.split("\n")[0]).toBe("report: option '--year <year>' argument missing");
    expect(action.code).toBe(2);
    expect(action.err.split("\n")[0]).toBe('migrate: unknown action "sideways"; use status or up');
    expect(excess.code).toBe(2);
    expect(excess.err.split("\n")[0]).toMatch(/^config-doc: too many arguments.*: extra\.$/);
  });
});

it("keeps commander's suggestion on the one line that names the option", async () => {
  const r = await inProcess(runReportCommand, ["fg", "--yaer", "2026"], {});
  expect(r.code).toBe(2);
  expect(r.err.split("\n")[0]).toBe("report: unknown option '--yaer' (Did you mean --year?)");
});

describe("clear messages for an unusable database", () => {
  it("an unreachable DATABASE_URL: one line naming it, exit 1, for the gateway and a command", async () => {
    const url = `postgres://gateway:secret@127.0.0.1:${await closedPort()}/poortwachter`;
    const [serve, audit, migrate] = await Promise.all([
      cli(["serve", "--demo"], { DATABASE_URL: url, PORT: "0", DATA_DIR: tempDir("unreachable") }),
      // --demo: the production settings a DATABASE_URL otherwise requires do not matter here.
      cli(["audit", "verify", "--demo"], { DATABASE_URL: url }),
      cli(["migrate", "status"], { DATABASE_URL: url }),
    ]);
    for (const r of [serve, audit, migrate]) {
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/DATABASE_URL: cannot connect to 127\.0\.0\.1:\d+: connection refused/);
      expect(r.err).not.toMatch(STACK);
      expect(r.err).not.toContain("secret");
    }
    expect(audit.err).toMatch(/^audit: DATABASE_URL: cannot connect/);
    expect(audit.err.trim().split("\n")).toHaveLength(1);
    expect(serve.err).toMatch(/^Poortwachter cannot start:\n {2}- DATABASE_URL: /);
  });

  it("a host that does not resolve names DATABASE_URL and the host", async () => {
    const r = await cli(["migrate", "status"], { DATABASE_URL: "postgres://x@nonexistent.invalid:5432/db" });
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe(
      "migrate: DATABASE_URL: cannot connect to nonexistent.invalid:5432: host not found",
    );
  });

  it("a DATA_DIR that is a file: one line naming it, exit 1, for the gateway and a command", async () => {
    const file = join(tempDir("file"), "not-a-dir");
    writeFileSync(file, "x");
    const [serve, retention] = await Promise.all([
      cli(["serve", "--demo"], { DATA_DIR: file, PORT: "0" }),
      cli(["retention", "--dry-run"], { DATA_DIR: join(file, "below") }),
    ]);
    expect(serve.code).toBe(1);
    expect(serve.err).toContain(`DATA_DIR ${file} is not a directory`);
    expect(serve.err).not.toMatch(STACK);
    expect(retention.code).toBe(1);
    expect(retention.err.trim()).toBe(`retention: DATA_DIR ${join(file, "below")}: is not a directory`);
  });
});

/** Starts `serve --demo` on `dataDir` and resolves once it listens. */
async function startGateway(
  dataDir: string,
): Promise<{ child: ChildProcess; stop(): Promise<number | null> }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve", "--demo"], {
    cwd: ROOT,
    env: cleanEnv({ DATA_DIR: dataDir, PORT: "0", HOST: "127.0.0.1" }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (c: Buffer) => (out += c.toString("utf8")));
  child.stderr?.on("data", (c: Buffer) => (out += c.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (out.includes("Example: the walk")) resolve();
      else if (child.exitCode !== null) reject(new Error(`the gateway exited at start-up:\n${out}`));
      else setTimeout(check, 50);
    };
    check();
  });
  return {
    child,
    stop: async () => {
      child.kill("SIGTERM");
      return exited;
    },
  };
}

describe("the lock on DATA_DIR", () => {
  it("the running gateway holds it; the offline commands refuse the directory; it goes on stop", async () => {
    const dataDir = tempDir("locked");
    const gateway = await startGateway(dataDir);
    let stopped = false;
    try {
      const lock = JSON.parse(readFileSync(join(dataDir, LOCK_FILE), "utf8")) as {
        pid: number;
        command: string;
      };
      expect(lock).toMatchObject({ pid: gateway.child.pid, command: "serve" });
      const refusal = `DATA_DIR ${dataDir} is in use by a running gateway (pid ${gateway.child.pid}); stop it or use the gateway's API`;
      const [audit, report, retention, rights, migrate] = await Promise.all([
        cli(["audit", "verify"], { DATA_DIR: dataDir }),
        cli(["report", "fg", "--year", "2026", "--out", tempDir("out")], { DATA_DIR: dataDir }),
        cli(["retention", "--dry-run"], { DATA_DIR: dataDir }),
        cli(["rights", "access", "--bsn", "999993653", "--out", tempDir("out")], { DATA_DIR: dataDir }),
        cli(["migrate", "status"], { DATA_DIR: dataDir }),
      ]);
      for (const [name, r] of Object.entries({ audit, report, retention, rights, migrate })) {
        expect(r.code, `${name}: ${r.err}`).toBe(1);
        expect(r.err.trim()).toBe(`${name}: ${refusal}`);
        expect(r.out).toBe("");
      }
      // A second gateway on the same directory does not start either.
      const second = await cli(["serve", "--demo"], { DATA_DIR: dataDir, PORT: "0" });
      expect(second.code).toBe(1);
      expect(second.err).toContain(
        `DATA_DIR ${dataDir} is in use by a running gateway (pid ${gateway.child.pid}); stop it first`,
      );
      expect(await gateway.stop()).toBe(0);
      stopped = true;
      expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
      const after = await cli(["audit", "verify"], { DATA_DIR: dataDir });
      expect(after.code, after.err).toBe(0);
      expect(after.out).toMatch(/^audit log intact: \d+ records/);
    } finally {
      if (!stopped) await gateway.stop();
    }
  }, 120_000);

  it("an offline command holds it while it runs, and refuses beside one held in this process", async () => {
    const dataDir = tempDir("held");
    const held = await lockDataDir(dataDir, "retention");
    if (!held.ok) throw new Error(held.error.message);
    try {
      const env = { DATA_DIR: dataDir };
      const audit = await inProcess(runAuditCommand, ["verify"], env);
      expect(audit).toMatchObject({ code: 1, out: "" });
      expect(audit.err).toBe(
        `audit: DATA_DIR ${dataDir} is in use by a running \`retention\` command (pid ${process.pid}); stop it or use the gateway's API\n`,
      );
      for (const [command, argv] of [
        [runReportCommand, ["fg", "--year", "2026"]],
        [runRetentionCommand, ["--dry-run"]],
        [runRightsCommand, ["access", "--bsn", "999993653"]],
        [runMigrateCommand, ["up"]],
      ] as const) {
        const r = await inProcess(command, [...argv], { ...env, AUDIT_HMAC_KEY: "k".repeat(32) });
        expect(r.code).toBe(1);
        expect(r.err).toContain(`DATA_DIR ${dataDir} is in use`);
      }
    } finally {
      await held.value.release();
    }
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
  });

  it("takes over the lock of a process that is gone, and of our own pid not held here (a restarted PID 1)", async () => {
    const dataDir = tempDir("stale");
    const dead = spawn(process.execPath, ["-e", ""]);
    const deadPid = dead.pid;
    await new Promise((resolve) => dead.once("exit", resolve));
    for (const pid of [deadPid, process.pid]) {
      writeFileSync(
        join(dataDir, LOCK_FILE),
        JSON.stringify({ pid, host: hostname(), command: "serve", since: "2026-01-01T00:00:00Z" }),
      );
      const lock = await lockDataDir(dataDir, "serve");
      if (!lock.ok) throw new Error(lock.error.message);
      expect(lock.value.tookOver).toEqual({ pid, command: "serve" });
      expect(JSON.parse(readFileSync(join(dataDir, LOCK_FILE), "utf8"))).toMatchObject({ pid: process.pid });
      await lock.value.release();
    }
    // A lock of another host cannot be checked: it counts as held.
    writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify({ pid: 1, host: "elsewhere", command: "serve" }));
    const other = await lockDataDir(dataDir, "audit");
    expect(other.ok).toBe(false);
    if (!other.ok)
      expect(other.error.message).toBe(
        `DATA_DIR ${dataDir} is in use by a running gateway (pid 1 on elsewhere)`,
      );
  });
});

describe("MIGRATE_ON_START", () => {
  it("with MIGRATE_ON_START=false the gateway refuses to start while migrations are pending", async () => {
    const dataDir = tempDir("no-migrate");
    const r = await inProcess(runServeCommand, ["--demo"], {
      DATA_DIR: dataDir,
      PORT: "0",
      MIGRATE_ON_START: "false",
      LOG_LEVEL: "fatal",
    });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^Poortwachter cannot start:\n {2}- MIGRATE_ON_START=false and \d+ migration\(s\) pending \(001_\w+\.sql, .*\); run `npm run migrate -- up` first\n$/,
    );
    // Nothing was applied, and the lock went with the refusal.
    const status = await inProcess(runMigrateCommand, ["status"], { DATA_DIR: dataDir });
    expect(status.code).toBe(EXIT_PENDING);
    expect(status.out).toMatch(/^0 applied/m);
  });
});

import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_MUNICIPALITY } from "../../src/app/index.ts";
import { AUDIT_CHAIN_LOCK_KEY } from "../../src/audit/index.ts";
import { createMunicipality } from "../../src/sources/synthetic/index.ts";
import { DEFAULT_DB_TIMEOUTS, openDb, type Db } from "../../src/store/index.ts";
import { dialectUnderTest } from "../utils/test-db.ts";

/**
 * Issue 10, attack 4: PostgreSQL terminates the gateway's connections (a failover, an operator's
 * `pg_terminate_backend`, an idle-session reaper) while requests are in flight, or another session
 * holds the audit chain's lock. The gateway process must stay up, release no registry value
 * without a committed audit record (fail closed), and answer again once the database is back.
 *
 * The gateway runs as a real process (`serve --demo`) on a database of its own. Under PGlite there
 * are no backends to terminate and no second session (the embedded database is one in-process
 * connection; its loss is test/server/fail-closed.test.ts), so that pass runs the same load and
 * checks the same invariants without the faults; the lock and pool tests exist for PostgreSQL only.
 */
const ADMIN_URL = process.env.TEST_DATABASE_URL;
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const LOCK_TIMEOUT_MS = 1000;
const START_DEADLINE_MS = 40_000;

const demo = createMunicipality({ ...DEMO_MUNICIPALITY, size: 500, code: "0935" });
const BSN = demo.wellKnown.residentBsn;
const SURNAME = demo.personByBsn(BSN)?.geslachtsnaam ?? "";

const NAAM = `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { brp { naam { geslachtsnaam voornamen } } } } }`;
const HITS = `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { hits(probes: ["brp.ingeschreven", "brp.binnenGemeente"]) { probe result } } } }`;

interface GqlBody {
  readonly data?: { case?: { persoon?: { brp?: unknown; hits?: unknown } | null } | null } | null;
  readonly errors?: readonly { path?: readonly (string | number)[]; extensions?: { code?: unknown } }[];
}

interface Answer {
  readonly kind: "naam" | "hits";
  readonly traceId: string;
  readonly status: number;
  readonly body: GqlBody;
  readonly text: string;
}

interface SpawnedGateway {
  readonly base: string;
  readonly token: string;
  readonly cases: ReadonlyMap<string, string>;
  readonly child: ChildProcess;
  output(): string;
  alive(): boolean;
  stop(): Promise<void>;
}

/** Polls `check` until it returns a value, at most `ms`; synchronisation without sleeps as such. */
async function until<T>(what: string, ms: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts `serve --demo` and reads its address, the analyst token and the demo cases from stdout. */
async function spawnGateway(env: Record<string, string>): Promise<SpawnedGateway> {
  const inherited = { ...process.env };
  delete inherited.DATABASE_URL;
  delete inherited.TEST_DATABASE_URL;
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve", "--demo"], {
    cwd: ROOT,
    env: {
      ...inherited,
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "fatal",
      RETENTION_INTERVAL_MINUTES: "0",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const stop = async () => {
    if (alive()) child.kill("SIGTERM");
    await exited;
  };
  try {
    await until("the gateway to start", START_DEADLINE_MS, async () => {
      if (!alive()) throw new Error(`the gateway exited at start-up:\n${out}`);
      return out.includes("Example: the walk") ? true : undefined;
    });
  } catch (error) {
    await stop();
    throw error;
  }
  const base = /listening on (http:\/\/127\.0\.0\.1:\d+)\/graphql/.exec(out)?.[1];
  const token = /export TOKEN=(\S+)/.exec(out)?.[1];
  const cases = new Map([...out.matchAll(/^\s+(DEMO-\S+)\s+(\S+)\s+phase /gm)].map((m) => [m[1]!, m[2]!]));
  if (!base || !token) throw new Error(`unexpected serve output:\n${out}`);
  return { base, token, cases, child, output: () => out, alive, stop };
}

async function ask(gw: SpawnedGateway, kind: Answer["kind"], timeoutMs = 20_000): Promise<Answer> {
  const traceId = randomBytes(16).toString("hex");
  const caseId = gw.cases.get(kind === "naam" ? "DEMO-regie" : "DEMO-bronnenonderzoek");
  const res = await fetch(`${gw.base}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${gw.token}`,
      traceparent: `00-${traceId}-${randomBytes(8).toString("hex")}-01`,
    },
    body: JSON.stringify({ query: kind === "naam" ? NAAM : HITS, variables: { id: caseId, bsn: BSN } }),
    signal: AbortSignal.timeout(timeoutMs),
  }).catch((error: unknown) => {
    // No HTTP answer at all: the process died or the request hung; show what the gateway said.
    throw new Error(`no answer (alive: ${gw.alive()}): ${String(error)}\n${gw.output().slice(-4000)}`);
  });
  const text = await res.text();
  let body: GqlBody;
  try {
    body = JSON.parse(text) as GqlBody;
  } catch {
    body = {};
  }
  return { kind, traceId, status: res.status, body, text };
}

/** The registry data an answer carries: the BRP name or the hit/no-hit answers. */
const registryData = (a: Answer): unknown =>
  a.kind === "naam" ? (a.body.data?.case?.persoon?.brp ?? null) : (a.body.data?.case?.persoon?.hits ?? null);

const errorCodes = (a: Answer) => (a.body.errors ?? []).map((e) => e.extensions?.code);

/** What an answer without data must look like: INTERNAL_SERVER_ERROR and not one registry value. */
function expectFailedClosed(a: Answer): void {
  expect(registryData(a), a.text).toBeNull();
  const codes = errorCodes(a);
  expect(codes.length, a.text).toBeGreaterThan(0);
  expect(new Set(codes), a.text).toStrictEqual(new Set(["INTERNAL_SERVER_ERROR"]));
  expect(a.text).not.toContain(SURNAME);
  expect(a.text).not.toMatch(/"result"/);
}

/** The gateway's own database: a fresh PostgreSQL database, or the embedded one in DATA_DIR. */
interface GatewayDatabase {
  readonly env: Record<string, string>;
  /** Terminates the gateway's backends; how many. */
  terminate?(): Promise<number>;
  /** A plain client on the gateway's database (PostgreSQL only). */
  connect?(): Promise<pg.Client>;
  /** Opens the database to count audit records (PGlite: only once the gateway has stopped). */
  open(): Promise<Db>;
  drop(): Promise<void>;
}

async function gatewayDatabase(dataDir: string): Promise<GatewayDatabase> {
  if (!ADMIN_URL)
    return {
      env: {},
      open: () => openDb({ dataDir: join(dataDir, "pglite") }),
      drop: async () => {},
    };
  const name = `resilience_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString(), DB_LOCK_TIMEOUT_MS: String(LOCK_TIMEOUT_MS) },
    terminate: async () => {
      const rows = await admin.query<{ n: number }>(
        // Targets first (materialised), then terminate exactly those: a plain WHERE may call the
        // function on rows of other databases before it filters them.
        `WITH targets AS MATERIALIZED (
           SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid())
         SELECT (count(*) FILTER (WHERE pg_terminate_backend(pid)))::int AS n FROM targets`,
        [name],
      );
      return rows.rows[0]?.n ?? 0;
    },
    connect: async () => {
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      return client;
    },
    open: () => openDb({ url: url.toString() }),
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

const disclosuresOf = async (db: Db, traceId: string, source: string) =>
  (
    await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE trace_id = $1 AND kind = 'disclosure' AND decision = 'allow' AND source = $2",
      [traceId, source],
    )
  )[0]?.n ?? 0;

describe(`the gateway when the database drops connections (${dialectUnderTest()})`, () => {
  const dataDir = mkdtempSync(join(tmpdir(), "poortwachter-resilience-"));
  let database: GatewayDatabase;
  let gw: SpawnedGateway | undefined;

  beforeAll(async () => {
    database = await gatewayDatabase(dataDir);
    gw = await spawnGateway({ DATA_DIR: dataDir, ...database.env });
  }, START_DEADLINE_MS + 10_000);

  afterAll(async () => {
    await gw?.stop();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const gateway = () => {
    if (!gw) throw new Error("gateway not started");
    return gw;
  };

  if (ADMIN_URL)
    it("ends a disclosure that waits for the audit chain's lock within DB_LOCK_TIMEOUT_MS, with no data", async () => {
      const g = gateway();
      const holder = await database.connect!();
      try {
        await holder.query("SELECT pg_advisory_lock($1)", [AUDIT_CHAIN_LOCK_KEY]);
        const started = Date.now();
        // Without a lock timeout this request would wait as long as the other session holds on.
        const blocked = await ask(g, "naam", LOCK_TIMEOUT_MS + 8_000);
        const elapsed = Date.now() - started;
        expectFailedClosed(blocked);
        expect(elapsed).toBeGreaterThanOrEqual(LOCK_TIMEOUT_MS - 50);
        expect(elapsed).toBeLessThan(LOCK_TIMEOUT_MS + 5_000);
        await holder.query("SELECT pg_advisory_unlock($1)", [AUDIT_CHAIN_LOCK_KEY]);
        const db = await database.open();
        try {
          expect(await disclosuresOf(db, blocked.traceId, "brp")).toBe(0);
          const after = await ask(g, "naam");
          expect(registryData(after), after.text).not.toBeNull();
          expect(after.text).toContain(SURNAME);
          expect(await disclosuresOf(db, after.traceId, "brp")).toBe(1);
        } finally {
          await db.close();
        }
      } finally {
        await holder.end();
      }
      expect(g.alive(), g.output()).toBe(true);
    });

  it(
    ADMIN_URL
      ? "stays up under concurrent load while its backends are terminated, releases nothing unaudited, and recovers"
      : "releases nothing unaudited under concurrent load (PGlite: no backends to terminate)",
    async () => {
      const g = gateway();
      const TOTAL = 150;
      const WORKERS = 6;
      const KILL_EVERY = 25;
      const KILLS = 4;
      const answers: Answer[] = [];
      const terminated: number[] = [];
      let sent = 0;
      let scheduled = 0;
      let kills: Promise<void> = Promise.resolve();
      // Terminations are driven by progress (every KILL_EVERY answers), while the workers keep going.
      const onAnswer = () => {
        const terminate = database.terminate;
        if (!terminate || scheduled >= KILLS || answers.length % KILL_EVERY !== 0) return;
        scheduled += 1;
        kills = kills.then(async () => {
          terminated.push(await terminate());
        });
      };
      await Promise.all(
        Array.from({ length: WORKERS }, async () => {
          while (sent < TOTAL) {
            const kind = sent++ % 2 === 0 ? "naam" : "hits";
            answers.push(await ask(g, kind));
            onAnswer();
          }
        }),
      );
      await kills;
      expect(g.alive(), g.output()).toBe(true);
      if (database.terminate) {
        expect(terminated).toHaveLength(KILLS);
        for (const n of terminated) expect(n).toBeGreaterThan(0);
      }

      // It answers again by itself: the first full answer after the faults, within a bounded time.
      const recovered = await until("a full answer after the terminations", 15_000, async () => {
        const a = await ask(g, "naam");
        return registryData(a) === null ? undefined : a;
      });
      expect(recovered.text).toContain(SURNAME);
      expect(g.alive(), g.output()).toBe(true);

      const withData = answers.filter((a) => registryData(a) !== null);
      const without = answers.filter((a) => registryData(a) === null);
      expect(withData.length).toBeGreaterThan(0);
      for (const a of without) expectFailedClosed(a);
      for (const a of withData)
        if (a.kind === "naam") expect(a.text).toContain(SURNAME);
        else expect(a.text).toMatch(/"result"/);

      // Every answer that carried registry data has its committed disclosure record (PGlite: the
      // data directory is the stopped gateway's, so read it afterwards).
      if (!database.terminate) await g.stop();
      const db = await database.open();
      try {
        for (const a of [...withData, recovered])
          expect(await disclosuresOf(db, a.traceId, "brp"), `${a.kind} ${a.traceId}`).toBeGreaterThanOrEqual(
            1,
          );
      } finally {
        await db.close();
      }
    },
    60_000,
  );
});

describe("the PostgreSQL pool's limits and lost connections", () => {
  it("gives up connecting to a server that never answers after DB_CONNECT_TIMEOUT_MS", async () => {
    // A listener that accepts and then says nothing, like a server behind a stalled route.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const started = Date.now();
      await expect(
        openDb({
          url: `postgres://postgres@127.0.0.1:${port}/none`,
          timeouts: { ...DEFAULT_DB_TIMEOUTS, connectMs: 300 },
        }),
      ).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  if (ADMIN_URL) {
    it("starts every pooled connection with the session limits", async () => {
      const db = await openDb({
        url: ADMIN_URL,
        timeouts: { statementMs: 1500, lockMs: 2500, idleInTransactionMs: 3500, connectMs: 4000 },
      });
      try {
        // Concurrent transactions, so that several connections of the pool answer.
        const rows = await Promise.all(
          Array.from({ length: 8 }, () =>
            db.transaction((tx) =>
              tx.query<{ pid: number; statement: string; lock: string; idle: string }>(
                `SELECT pg_backend_pid() AS pid, current_setting('statement_timeout') AS statement,
                  current_setting('lock_timeout') AS lock,
                  current_setting('idle_in_transaction_session_timeout') AS idle`,
              ),
            ),
          ),
        );
        expect(new Set(rows.flat().map((r) => r.pid)).size).toBeGreaterThan(1);
        for (const { statement, lock, idle } of rows.flat())
          expect({ statement, lock, idle }).toStrictEqual({
            statement: "1500ms",
            lock: "2500ms",
            idle: "3500ms",
          });
      } finally {
        await db.close();
      }
    });

    it("fails only the transaction or session whose backend is terminated, and connects anew", async () => {
      const lost: Error[] = [];
      const uncaught: unknown[] = [];
      const onUncaught = (error: unknown) => void uncaught.push(error);
      process.on("uncaughtException", onUncaught);
      const db = await openDb({ url: ADMIN_URL, onConnectionLost: (error) => lost.push(error) });
      const admin = new pg.Client({ connectionString: ADMIN_URL });
      await admin.connect();
      /** Terminates the backend of the connection `q` runs on, and waits until the pool heard of it. */
      const terminateOwn = async (q: Pick<Db, "query">) => {
        const before = lost.length;
        const [row] = await q.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
        await admin.query("SELECT pg_terminate_backend($1)", [row?.pid]);
        await until("the connection loss to reach the pool", 5_000, async () =>
          lost.length > before ? true : undefined,
        );
      };
      try {
        await expect(
          db.transaction(async (tx) => {
            await terminateOwn(tx);
            await tx.query("SELECT 1");
          }),
        ).rejects.toThrow();
        await expect(
          db.session!(async (session) => {
            await terminateOwn(session);
            await session.query("SELECT 1");
          }),
        ).rejects.toThrow();
        expect(await db.query("SELECT 1 AS one")).toStrictEqual([{ one: 1 }]);
        expect(await db.transaction((tx) => tx.query("SELECT 2 AS two"))).toStrictEqual([{ two: 2 }]);
        expect(lost.map((e) => (e as { code?: string }).code ?? e.message)).toHaveLength(2);
        expect(uncaught).toStrictEqual([]);
      } finally {
        process.off("uncaughtException", onUncaught);
        await admin.end();
        await db.close();
      }
    });
  }
});

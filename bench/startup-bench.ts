/**
 * Start-up time and RSS of the gateway as an operator runs it (`node dist/src/cli/main.js serve`,
 * issue 12) beside the development ways (`node --import tsx`, `npm run dev`) and a bare
 * `node:http` server as the floor, measured one after another in the same run so the figures are
 * ratios, not absolute times alone. Each way is spawned in demo mode with DEMO_POPULATION
 * (BENCH_SIZE) on a free port and a fresh DATA_DIR; start-up is spawn to the first `/ready` 200;
 * RSS is VmRSS from /proc/<pid>/status (Linux only), summed over the process and its descendants,
 * once at `/ready` (seeded) and once after a warm-up of BENCH_N requests over HTTP.
 * Prints figures; asserts nothing. Run alone: `npx tsx bench/startup-bench.ts`.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { loadOrCreateDemoIssuer } from "../src/auth/index.ts";
import { demoReference } from "../src/demo/index.ts";
import { wellKnown } from "../src/sources/synthetic/index.ts";

export interface StartupOptions {
  /** Warm-up requests per server (BENCH_N). */
  readonly n: number;
  /** Concurrent clients during the warm-up (BENCH_CONCURRENCY). */
  readonly concurrency: number;
  /** DEMO_POPULATION of each server (BENCH_SIZE). */
  readonly size: string;
  /** Start-ups per way, interleaved; the median is printed (BENCH_STARTUP_RUNS). */
  readonly runs: number;
}

interface Way {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** A bare server has no GraphQL endpoint: its warm-up is GET /ready. */
  readonly bare?: boolean;
}

interface Sample {
  readonly startupMs: number;
  readonly rssSeeded: number;
  readonly rssWarm: number;
  /** The processes' names (argv[0] from /proc/<pid>/cmdline), root first. */
  readonly processes: readonly string[];
  readonly reqPerS: number;
}

const MAIN = "src/cli/main.ts";
const COMPILED = "dist/src/cli/main.js";
const BARE = `require("node:http").createServer((q, s) => s.end('{"status":"ready"}')).listen(Number(process.env.PORT), "127.0.0.1")`;

/** The newest modification time under the folders the build reads (src, resolvers, schema). */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Runs `npm run build` when dist/ is missing or older than a source; returns what it did. */
export function buildIfStale(): string {
  const sources = Math.max(
    ...["src", "resolvers", "schema", "tsconfig.build.json"].map((p) =>
      statSync(p).isDirectory() ? newestSource(p) : statSync(p).mtimeMs,
    ),
  );
  if (existsSync(COMPILED) && statSync(COMPILED).mtimeMs >= sources) return "dist/ up to date";
  const t0 = performance.now();
  const built = spawnSync("npm", ["run", "-s", "build"], { stdio: "inherit" });
  if (built.status !== 0) throw new Error(`npm run build failed (exit ${built.status}); no start-up figures`);
  return `npm run build ${((performance.now() - t0) / 1000).toFixed(0)} s`;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no free port");
  return address.port;
}

/** Parent pid of every process, from /proc/<pid>/stat (field 4, after the parenthesised name). */
function parents(): Map<number, number> {
  const map = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      map.set(Number(name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // The process ended between readdir and read.
    }
  }
  return map;
}

/** The process and its descendants. */
function tree(root: number): number[] {
  const parentOf = parents();
  const pids = [root];
  for (let i = 0; i < pids.length; i++)
    for (const [pid, ppid] of parentOf) if (ppid === pids[i]) pids.push(pid);
  return pids;
}

/** VmRSS in bytes summed over the tree (pages shared between the processes counted per process). */
function rssOf(pids: readonly number[]): number {
  let kib = 0;
  for (const pid of pids) {
    try {
      kib += Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // Ended meanwhile.
    }
  }
  return kib * 1024;
}

const namesOf = (pids: readonly number[]) =>
  pids.map((pid) => {
    try {
      // argv[0] ("node", "sh", npm's title "npm run dev"); comm would say MainThread for node.
      const argv0 = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] ?? "";
      return argv0.split("/").at(-1) || readFileSync(`/proc/${pid}/comm`, "utf8").trim();
    } catch {
      return "?";
    }
  });

async function waitReady(port: number, child: ChildProcess, output: () => string): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited ${child.exitCode} before /ready:\n${output()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/ready`);
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function warmUp(port: number, dataDir: string, way: Way, opts: StartupOptions): Promise<number> {
  let request: () => Promise<void>;
  if (way.bare) {
    request = async () => void (await (await fetch(`http://127.0.0.1:${port}/ready`)).text());
  } else {
    // The server wrote its demo issuer key to DATA_DIR; a token signed with it is one it accepts.
    const issuer = await loadOrCreateDemoIssuer(dataDir);
    const token = await issuer.mint({ sub: "analist.jansen", roles: ["analyst"] });
    const post = async (query: string, variables: Record<string, unknown> = {}) => {
      const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: unknown; errors?: unknown };
      if (res.status !== 200 || body.errors)
        throw new Error(`${way.name}: ${res.status} ${JSON.stringify(body)}`);
      return body.data;
    };
    const { cases } = (await post("{ cases { id reference } }")) as {
      cases: { id: string; reference: string }[];
    };
    const id = cases.find((c) => c.reference === demoReference("bronnenonderzoek"))?.id;
    if (!id) throw new Error(`${way.name}: no demo case ${demoReference("bronnenonderzoek")}`);
    // Persons the demo seeds as the case's subjects.
    const bsns = [
      wellKnown.residentBsn,
      wellKnown.elsewhereBsn,
      wellKnown.deceasedBsn,
      wellKnown.emigratedBsn,
    ];
    let i = 0;
    request = async () =>
      void (await post(
        `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { hits { probe result } } } }`,
        { id, bsn: bsns[i++ % bsns.length] },
      ));
  }
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (next++ < opts.n) await request();
    }),
  );
  return opts.n / ((performance.now() - t0) / 1000);
}

/** Sends SIGTERM to the root (graceful shutdown), then SIGKILL to whatever of the tree is left. */
async function stop(child: ChildProcess, pids: readonly number[]): Promise<void> {
  const exited = new Promise<void>((resolve) =>
    child.exitCode !== null ? resolve() : child.once("exit", () => resolve()),
  );
  child.kill("SIGTERM");
  const timer = new Promise<void>((resolve) => setTimeout(resolve, 15_000));
  await Promise.race([exited, timer]);
  for (let waited = 0; waited < 5_000; waited += 100) {
    if (pids.every((pid) => !existsSync(`/proc/${pid}`))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const pid of pids) if (existsSync(`/proc/${pid}`)) process.kill(pid, "SIGKILL");
}

async function sample(way: Way, opts: StartupOptions): Promise<Sample> {
  const dataDir = mkdtempSync(join(tmpdir(), "poortwachter-startup-"));
  const port = await freePort();
  const env = {
    ...process.env,
    PORT: String(port),
    DATA_DIR: dataDir,
    DEMO_POPULATION: opts.size,
    LOG_LEVEL: "warn",
  };
  let out = "";
  const t0 = performance.now();
  const child = spawn(way.command, way.args, { env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.on("data", (d: Buffer) => void (out = (out + d.toString()).slice(-4000)));
  child.stderr.on("data", (d: Buffer) => void (out = (out + d.toString()).slice(-4000)));
  let pids: number[] = [child.pid!];
  try {
    await waitReady(port, child, () => out);
    const startupMs = performance.now() - t0;
    pids = tree(child.pid!);
    const rssSeeded = rssOf(pids);
    const reqPerS = await warmUp(port, dataDir, way, opts);
    pids = tree(child.pid!);
    return { startupMs, rssSeeded, rssWarm: rssOf(pids), processes: namesOf(pids), reqPerS };
  } finally {
    await stop(child, [...new Set([...pids, ...tree(child.pid!)])]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const ratio = (x: number, base: number) => `${(x / base).toFixed(2)}×`;

/** Measures every way `runs` times, interleaved, and prints one line per way plus the ratios. */
export async function startupBench(opts: StartupOptions): Promise<void> {
  if (process.platform !== "linux") {
    console.log("start-up: skipped (RSS is read from /proc, Linux only)");
    return;
  }
  const build = buildIfStale();
  const node = process.execPath;
  const ways: Way[] = [
    { name: "compiled (node dist/…)", command: node, args: [COMPILED, "serve", "--demo"] },
    { name: "node --import tsx", command: node, args: ["--import", "tsx", MAIN, "serve", "--demo"] },
    { name: "npm run dev", command: "npm", args: ["run", "-s", "dev"] },
    { name: "bare node:http (floor)", command: node, args: ["-e", BARE], bare: true },
  ];
  const samples = new Map<Way, Sample[]>(ways.map((w) => [w, []]));
  for (let r = 0; r < opts.runs; r++) for (const way of ways) samples.get(way)!.push(await sample(way, opts));
  const stats = ways.map((way) => {
    const s = samples.get(way)!;
    return {
      way,
      startupMs: median(s.map((x) => x.startupMs)),
      rssSeeded: median(s.map((x) => x.rssSeeded)),
      rssWarm: median(s.map((x) => x.rssWarm)),
      processes: s.reduce(
        (most, x) => (x.processes.length > most.length ? x.processes : most),
        s[0]!.processes,
      ),
      reqPerS: median(s.map((x) => x.reqPerS)),
    };
  });
  const base = stats[0]!;
  console.log(
    `\nstart-up: ${process.version}, ${build}; each way ${opts.runs}× interleaved (BENCH_STARTUP_RUNS), median; ` +
      `demo mode, ${opts.size} persons, fresh DATA_DIR; spawn to /ready 200; RSS = VmRSS from /proc summed over the process tree, ` +
      `at /ready and after ${opts.n} requests at ${opts.concurrency} concurrent (hits for the bronnenonderzoek case; the floor: GET /ready)`,
  );
  for (const s of stats) {
    const vs =
      s === base
        ? ""
        : `  (${ratio(s.startupMs, base.startupMs)} start-up, ${ratio(s.rssWarm, base.rssWarm)} RSS of compiled)`;
    console.log(
      `${s.way.name.padEnd(28)} start-up ${(s.startupMs / 1000).toFixed(2)} s  RSS seeded ${mib(s.rssSeeded).padStart(8)}  ` +
        `after warm-up ${mib(s.rssWarm).padStart(8)}  ${s.reqPerS.toFixed(0).padStart(5)} req/s  processes ${s.processes.length}${s.processes.length > 1 ? ` (${s.processes.join(", ")})` : ""}${vs}`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href)
  await startupBench({
    n: Number(process.env.BENCH_N ?? 300),
    concurrency: Number(process.env.BENCH_CONCURRENCY ?? 10),
    size: process.env.BENCH_SIZE ?? "500",
    runs: Number(process.env.BENCH_STARTUP_RUNS ?? 3),
  });

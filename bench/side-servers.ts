/**
 * The processes of issue 15's side-by-side benchmark, each a child process over real HTTP on
 * loopback: the demo simulators (bench/simulators-process.ts), the gateway as `npm run serve`
 * runs it (compiled when dist/ exists) pointed at those simulators, and the bare passthrough and
 * static ceiling (bench/passthrough-process.ts). Every helper returns a handle whose `stop()`
 * ends the process it started (SIGTERM, then SIGKILL for what is left of it) and nothing else.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { performance } from "node:perf_hooks";
import { DEMO_ZGW } from "../src/app/upstreams.ts";
import { loadOrCreateDemoIssuer } from "../src/auth/index.ts";
import { demoReference } from "../src/demo/index.ts";
import type { Counts, Replayable, SimulatorUrls, Source } from "./bench-stats.ts";
import type { Plan } from "./passthrough-process.ts";

export const COMPILED = "dist/src/cli/main.js";

export interface Child {
  readonly pid: number;
  /** The last lines the process wrote (stdout and stderr), for an error message. */
  output(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no free port");
  return address.port;
}

/** Parent pid of every process, from /proc/<pid>/stat (Linux). */
function parents(): Map<number, number> {
  const map = new Map<number, number>();
  if (!existsSync("/proc")) return map;
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      map.set(Number(name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // Ended between readdir and read.
    }
  }
  return map;
}

/** The process and its descendants. */
export function processTree(root: number): number[] {
  const parentOf = parents();
  const pids = [root];
  for (let i = 0; i < pids.length; i++)
    for (const [pid, ppid] of parentOf) if (ppid === pids[i]) pids.push(pid);
  return pids;
}

/** VmRSS in bytes of the process and its descendants (Linux; 0 elsewhere). */
export function rssOfTree(root: number): number {
  let kib = 0;
  for (const pid of processTree(root)) {
    try {
      kib += Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // Ended meanwhile.
    }
  }
  return kib * 1024;
}

function spawnChild(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): {
  child: ChildProcess;
  handle: Child;
} {
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const keep = (d: Buffer) => void (out = (out + d.toString()).slice(-8000));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const handle: Child = {
    pid: child.pid!,
    output: () => out,
    async stop() {
      const pids = processTree(child.pid!);
      const exited = new Promise<void>((resolve) =>
        child.exitCode !== null || child.signalCode !== null
          ? resolve()
          : child.once("exit", () => resolve()),
      );
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
      for (const pid of pids)
        if (existsSync(`/proc/${pid}`))
          try {
            process.kill(pid, "SIGKILL");
          } catch {
            // Gone meanwhile.
          }
    },
  };
  return { child, handle };
}

/** Resolves with the first stdout line that matches, or rejects when the process exits first. */
function lineMatching(child: ChildProcess, handle: Child, re: RegExp, timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = "";
    const timer = setTimeout(
      () => reject(new Error(`no ${re} within ${timeoutMs} ms:\n${handle.output()}`)),
      timeoutMs,
    );
    const onData = (d: Buffer) => {
      buffer += d.toString();
      const line = buffer.split("\n").find((l) => re.test(l));
      if (line) {
        clearTimeout(timer);
        child.stdout!.off("data", onData);
        resolve(line);
      }
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}:\n${handle.output()}`));
    });
  });
}

const tsxArgs = (file: string) => ["--import", "tsx", file];

export interface Simulators extends Child {
  readonly urls: SimulatorUrls;
  /** Requests per source since the start or `clear()`. */
  counts(): Promise<Counts>;
  /** The newest `n` requests of a source, as they can be sent again. */
  last(source: Source, n: number): Promise<Replayable[]>;
  clear(): Promise<void>;
}

/** (a) The demo simulators in their own process, over the demo municipality of `population`. */
export async function startSimulators(options: { population: number }): Promise<Simulators> {
  const { child, handle } = spawnChild(process.execPath, tsxArgs("bench/simulators-process.ts"), {
    ...process.env,
    DEMO_POPULATION: String(options.population),
    LOG_LEVEL: "warn",
  });
  const line = await lineMatching(child, handle, /^\{"control"/).catch(async (e: unknown) => {
    await handle.stop();
    throw e;
  });
  const { control, urls } = JSON.parse(line) as { control: string; urls: SimulatorUrls };
  const get = async <T>(path: string, method = "GET"): Promise<T> => {
    const res = await fetch(`${control}${path}`, { method });
    if (!res.ok) throw new Error(`simulators ${path}: ${res.status}`);
    return (await res.json()) as T;
  };
  return {
    ...handle,
    urls,
    counts: () => get<Counts>("/counts"),
    last: (source, n) => get<Replayable[]>(`/last?source=${source}&n=${n}`),
    clear: () => get<unknown>("/clear", "POST").then(() => undefined),
  };
}

export interface Gateway extends Child {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** How it was started: `compiled` or `tsx`. */
  readonly way: "compiled" | "tsx";
  /** Spawn to the first `/ready` 200, ms. */
  readonly startupMs: number;
}

async function waitReady(port: number, child: ChildProcess, handle: Child, timeoutMs = 180_000) {
  const until = performance.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`gateway exited ${child.exitCode}:\n${handle.output()}`);
    if (performance.now() > until)
      throw new Error(`gateway not ready in ${timeoutMs} ms:\n${handle.output()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/ready`);
      await res.text();
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * (b) The gateway as `npm run serve` runs it (`node dist/src/cli/main.js serve --demo`, or through
 * tsx without a build) on `dataDir` (PGlite) or `databaseUrl`, pointed at `simulators` when
 * given (the demo's own in-process simulators otherwise).
 */
export async function startGateway(options: {
  dataDir: string;
  population: number;
  simulators?: SimulatorUrls | undefined;
  databaseUrl?: string | undefined;
  env?: Record<string, string>;
}): Promise<Gateway> {
  const port = await freePort();
  const way = existsSync(COMPILED) ? "compiled" : "tsx";
  // BENCH_PROFILE_DIR: a V8 CPU profile of the gateway per start, to see where its time goes.
  const profile = process.env.BENCH_PROFILE_DIR;
  const args = [
    ...(profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : []),
    ...(way === "compiled"
      ? [COMPILED, "serve", "--demo"]
      : [...tsxArgs("src/cli/main.ts"), "serve", "--demo"]),
  ];
  const s = options.simulators;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    DATA_DIR: options.dataDir,
    DEMO_POPULATION: String(options.population),
    LOG_LEVEL: "warn",
    ...(s
      ? {
          BRP_URL: s.brp,
          BAG_URL: s.bag,
          KVK_URL: s.kvk,
          BRK_URL: s.brk,
          BEWONING_URL: s.bewoning,
          HISTORIE_URL: s.historie,
          WOZ_URL: s.woz,
          PERMITS_ZAKEN_URL: s.permitsZaken,
          PERMITS_CATALOGI_URL: s.permitsCatalogi,
          PERMITS_CLIENT_ID: DEMO_ZGW.clientId,
          PERMITS_SECRET: DEMO_ZGW.secret,
        }
      : {}),
    ...options.env,
  };
  delete env.DATABASE_URL;
  delete env.TEST_DATABASE_URL;
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  const t0 = performance.now();
  const { child, handle } = spawnChild(process.execPath, args, env);
  try {
    await waitReady(port, child, handle);
  } catch (e) {
    await handle.stop();
    throw e;
  }
  return {
    ...handle,
    url: `http://127.0.0.1:${port}/graphql`,
    port,
    dataDir: options.dataDir,
    way,
    startupMs: performance.now() - t0,
  };
}

export interface Session {
  readonly token: string;
  /** The demo case of a phase. */
  caseId(phase: string): string;
  /** POSTs an operation with the token; throws on a non-200 or GraphQL errors. */
  post(query: string, variables?: Record<string, unknown>): Promise<Record<string, unknown>>;
}

/**
 * A token of the demo analyst signed with the key the gateway wrote to its DATA_DIR (the demo
 * issuer it trusts), and the seeded demo cases.
 */
export async function session(gateway: Gateway): Promise<Session> {
  const issuer = await loadOrCreateDemoIssuer(gateway.dataDir);
  const token = await issuer.mint({ sub: "analist.jansen", roles: ["analyst"] });
  const post = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(gateway.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown };
    if (res.status !== 200 || body.errors || !body.data)
      throw new Error(`gateway: ${res.status} ${JSON.stringify(body)}`);
    return body.data;
  };
  const { cases } = (await post("{ cases { id reference } }")) as {
    cases: { id: string; reference: string }[];
  };
  return {
    token,
    post,
    caseId(phase) {
      const found = cases.find((c) => c.reference === demoReference(phase));
      if (!found) throw new Error(`no demo case ${demoReference(phase)}`);
      return found.id;
    },
  };
}

export interface Passthrough extends Child {
  readonly url: string;
}

/** (c) the bare Apollo passthrough (`bare`) or (d) the static-answer ceiling (`static`). */
export async function startPassthrough(mode: "bare" | "static", plan: Plan): Promise<Passthrough> {
  const port = await freePort();
  const { child, handle } = spawnChild(process.execPath, tsxArgs("bench/passthrough-process.ts"), {
    ...process.env,
    PORT: String(port),
    MODE: mode,
    PLAN: JSON.stringify(plan),
  });
  await lineMatching(child, handle, /^listening /).catch(async (e: unknown) => {
    await handle.stop();
    throw e;
  });
  return { ...handle, url: `http://127.0.0.1:${port}/graphql` };
}

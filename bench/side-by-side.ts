/**
 * Issue 15, P1: the gateway (A) against a bare Apollo Server 5 passthrough of the same query to
 * the same simulators (B) and a static-answer Apollo server (C), each its own process over real
 * HTTP, driven interleaved A B C A B C … with autocannon at 10 and 50 connections, for the fields
 * query and the hits query, on PGlite and (with a PostgreSQL URL) on PostgreSQL in a fresh
 * database. Per target req/s, p50 and p99 (medians over the repeats); the ratios a/b and b/c per
 * repeat with their spread. Every response is checked: a non-200, a timeout or a GraphQL error is
 * counted and the run flagged. Prints figures; asserts nothing.
 * Alone: `npx tsx bench/side-by-side.ts`.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import autocannon from "autocannon";
import pg from "pg";
import { wellKnown } from "../src/sources/synthetic/index.ts";
import {
  countsDelta,
  formatCounts,
  formatSpread,
  median,
  pairedRatios,
  SOURCES,
  spread,
  total,
  type Counts,
  type Replayable,
  type Spread,
} from "./bench-stats.ts";
import type { Plan } from "./passthrough-process.ts";
import {
  session,
  startGateway,
  startPassthrough,
  startSimulators,
  type Passthrough,
  type Simulators,
} from "./side-servers.ts";

export interface SideBySideOptions {
  /** Seconds per autocannon run. */
  readonly durationS: number;
  /** Repeats of each A B C triple. */
  readonly repeats: number;
  readonly connections: readonly number[];
  /** DEMO_POPULATION of simulators and gateway. */
  readonly population: number;
  /** A PostgreSQL server URL; a fresh database is created on it and dropped afterwards. */
  readonly postgresUrl?: string | undefined;
}

type Target = "gateway" | "bare" | "static";
const TARGETS: readonly Target[] = ["gateway", "bare", "static"];

export interface Run {
  readonly reqPerS: number;
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  /** Non-200 answers, GraphQL errors, connection errors and timeouts. */
  readonly bad: number;
  /** Upstream calls per request, from the simulators' counts. */
  readonly calls: Partial<Record<(typeof SOURCES)[number], number>>;
}

/** The figures of one query at one connection count on one database. */
export interface Comparison {
  readonly database: "pglite" | "postgres";
  readonly query: "fields" | "hits";
  readonly connections: number;
  readonly runs: Readonly<Record<Target, readonly Run[]>>;
  readonly ab: Spread;
  readonly bc: Spread;
  /** p99 of the gateway over p99 of the bare passthrough, per repeat. */
  readonly p99ab: Spread;
  readonly bad: number;
}

export const FIELDS = `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { brp { naam { geslachtsnaam } verblijfplaats { verblijfadres { postcode } } } } } }`;
export const HITS = `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { hits { probe result } } } }`;
/** A resident the demo seeds as a subject of every demo case. */
export const BSN = wellKnown.residentBsn;

/**
 * The simulators' counts once they stop moving: the requests still in flight when a run ends
 * finish before the next run starts, and their upstream calls are counted with theirs.
 */
async function settled(sims: Simulators): Promise<Counts> {
  let last = await sims.counts();
  for (let i = 0; i < 100; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = await sims.counts();
    if (total(countsDelta(last, now)) === 0) return now;
    last = now;
  }
  return last;
}

export async function load(
  url: string,
  token: string | undefined,
  body: string,
  connections: number,
  durationS: number,
  sims: Simulators,
): Promise<Run> {
  let graphqlErrors = 0;
  const before = await sims.counts();
  const result = await autocannon({
    url,
    connections,
    duration: durationS,
    timeout: 30,
    requests: [
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body,
        onResponse: (status, text) => {
          if (status === 200 && text.includes('"errors"')) graphqlErrors++;
        },
      },
    ],
  });
  const after = await settled(sims);
  const requests = result.requests.total;
  const sent = result.requests.sent ?? requests;
  const delta = countsDelta(before, after);
  return {
    reqPerS: requests / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests,
    bad: result.non2xx + result.errors + result.timeouts + graphqlErrors,
    // Per request sent: those still in flight when the run ended made their calls too.
    calls: Object.fromEntries(Object.entries(delta).map(([s, n]) => [s, n / Math.max(1, sent)])),
  };
}

/** A fresh database on the server at `url`; `drop` removes it (after the gateway has stopped). */
async function freshDatabase(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `poortwachter_bench_${randomBytes(4).toString("hex")}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await admin(`CREATE DATABASE "${name}"`);
  const db = new URL(url);
  db.pathname = `/${name}`;
  return { url: db.toString(), drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

/**
 * One gateway request of each query, and the upstream requests it made as the simulators logged
 * them: what the bare passthrough sends for the same query.
 */
async function planFrom(
  post: (q: string, v: Record<string, unknown>) => Promise<Record<string, unknown>>,
  ids: { fields: string; hits: string },
  sims: Simulators,
): Promise<{ plan: Plan; fieldsCalls: Counts; hitsCalls: Partial<Counts> }> {
  const person = (d: Record<string, unknown>) => (d.case as { persoon: Record<string, unknown> }).persoon;
  // The first of each warms the gateway; the second is the one recorded.
  await post(FIELDS, { id: ids.fields, bsn: BSN });
  let before = await sims.counts();
  const fieldsAnswer = await post(FIELDS, { id: ids.fields, bsn: BSN });
  const fieldsDelta = countsDelta(before, await sims.counts());
  if (fieldsDelta.brp !== 1 || total(fieldsDelta) !== 1)
    throw new Error(`fields query: expected one BRP call, got ${formatCounts(fieldsDelta)}`);
  const [fields] = await sims.last("brp", 1);
  await post(HITS, { id: ids.hits, bsn: BSN });
  before = await sims.counts();
  const hitsAnswer = await post(HITS, { id: ids.hits, bsn: BSN });
  const hitsDelta = countsDelta(before, await sims.counts());
  const hits: Replayable[] = [];
  for (const s of SOURCES) if (hitsDelta[s]) hits.push(...(await sims.last(s, hitsDelta[s])));
  const probes = (person(hitsAnswer).hits as { probe: string }[]).map((h) => h.probe);
  return {
    plan: { fields: fields!, hits, probes, person: person(fieldsAnswer).brp },
    fieldsCalls: fieldsDelta as Counts,
    hitsCalls: hitsDelta,
  };
}

const fmtMs = (ms: number) => `${ms < 10 ? ms.toFixed(1) : ms.toFixed(0)} ms`;

function printComparison(c: Comparison): void {
  console.log(`\n${c.database} · ${c.query} query · ${c.connections} connections`);
  for (const t of TARGETS) {
    const runs = c.runs[t];
    const rps = spread(runs.map((r) => r.reqPerS));
    const bad = runs.reduce((a, r) => a + r.bad, 0);
    const calls = runs.at(-1)?.calls ?? {};
    console.log(
      `  ${t.padEnd(8)} ${rps.median.toFixed(0).padStart(6)} req/s (${rps.min.toFixed(0)}–${rps.max.toFixed(0)})` +
        `  p50 ${fmtMs(median(runs.map((r) => r.p50))).padStart(7)}  p99 ${fmtMs(median(runs.map((r) => r.p99))).padStart(7)}` +
        `  ${runs.reduce((a, r) => a + r.requests, 0)} requests` +
        (t === "static" ? "" : `  upstream calls/request: ${formatCounts(calls)}`) +
        (bad > 0 ? `  !! ${bad} failed (non-200, GraphQL error, timeout)` : ""),
    );
  }
  console.log(
    `  ratios  a/b ${formatSpread(c.ab)}  b/c ${formatSpread(c.bc)}  p99 a/b ${formatSpread(c.p99ab)}` +
      (c.bad > 0 ? `  FLAGGED: ${c.bad} failed responses` : "  every response 200 without errors"),
  );
}

async function onDatabase(
  database: "pglite" | "postgres",
  sims: Simulators,
  refs: { bare?: Passthrough; static?: Passthrough },
  opts: SideBySideOptions,
): Promise<Comparison[]> {
  const dataDir = mkdtempSync(join(tmpdir(), "poortwachter-bench-"));
  const fresh = database === "postgres" ? await freshDatabase(opts.postgresUrl!) : undefined;
  const gateway = await startGateway({
    dataDir,
    population: opts.population,
    simulators: sims.urls,
    databaseUrl: fresh?.url,
  });
  const out: Comparison[] = [];
  try {
    const s = await session(gateway);
    const ids = { fields: s.caseId("regie"), hits: s.caseId("bronnenonderzoek") };
    const { plan, fieldsCalls, hitsCalls } = await planFrom(s.post, ids, sims);
    console.log(
      `\n${database}: gateway ${gateway.way} (${gateway.url}, ready in ${(gateway.startupMs / 1000).toFixed(1)} s); ` +
        `one fields query sends ${formatCounts(countsDelta({} as Counts, fieldsCalls))}, one hits query ${formatCounts(hitsCalls)} ` +
        `(${total(hitsCalls)} upstream requests; the bare passthrough sends the same, all at once)`,
    );
    refs.bare ??= await startPassthrough("bare", plan);
    refs.static ??= await startPassthrough("static", plan);
    const urls: Record<Target, string> = {
      gateway: gateway.url,
      bare: refs.bare.url,
      static: refs.static.url,
    };
    for (const [query, doc, id] of [
      ["fields", FIELDS, ids.fields],
      ["hits", HITS, ids.hits],
    ] as const) {
      const body = JSON.stringify({ query: doc, variables: { id, bsn: BSN } });
      // Warm-up of each target (JIT, connection pools, the gateway's caches of its own).
      for (const t of TARGETS) await load(urls[t], s.token, body, 10, 1, sims);
      for (const connections of opts.connections) {
        const runs: Record<Target, Run[]> = { gateway: [], bare: [], static: [] };
        for (let r = 0; r < opts.repeats; r++)
          for (const t of TARGETS)
            runs[t].push(
              await load(
                urls[t],
                t === "gateway" ? s.token : undefined,
                body,
                connections,
                opts.durationS,
                sims,
              ),
            );
        const rps = (t: Target) => runs[t].map((x) => x.reqPerS);
        const c: Comparison = {
          database,
          query,
          connections,
          runs,
          ab: pairedRatios(rps("gateway"), rps("bare")),
          bc: pairedRatios(rps("bare"), rps("static")),
          p99ab: pairedRatios(
            runs.gateway.map((x) => x.p99),
            runs.bare.map((x) => x.p99),
          ),
          bad: TARGETS.reduce((a, t) => a + runs[t].reduce((b, x) => b + x.bad, 0), 0),
        };
        printComparison(c);
        out.push(c);
      }
    }
  } finally {
    await gateway.stop();
    await fresh?.drop().catch((e: unknown) => console.log(`dropping the bench database: ${String(e)}`));
    rmSync(dataDir, { recursive: true, force: true });
  }
  return out;
}

/** Runs P1 on PGlite and, with `postgresUrl`, on PostgreSQL; returns every comparison. */
export async function sideBySide(opts: SideBySideOptions): Promise<Comparison[]> {
  console.log(
    `\nP1 side by side: gateway (a) · bare Apollo passthrough (b) · static Apollo (c), each its own process, ` +
      `simulators in a fourth; autocannon ${opts.durationS} s per run, A B C interleaved × ${opts.repeats}, ` +
      `connections ${opts.connections.join(" and ")}, ${opts.population} persons; medians, (min–max) over the repeats`,
  );
  const sims = await startSimulators({ population: opts.population });
  const refs: { bare?: Passthrough; static?: Passthrough } = {};
  const out: Comparison[] = [];
  try {
    out.push(...(await onDatabase("pglite", sims, refs, opts)));
    if (opts.postgresUrl) out.push(...(await onDatabase("postgres", sims, refs, opts)));
    else console.log("\npostgres: skipped (set DATABASE_URL or TEST_DATABASE_URL)");
  } finally {
    await refs.bare?.stop();
    await refs.static?.stop();
    await sims.stop();
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const quick = process.env.BENCH_QUICK === "1";
  await sideBySide({
    durationS: Number(process.env.BENCH_DURATION_S ?? (quick ? 2 : 5)),
    repeats: Number(process.env.BENCH_REPEATS ?? (quick ? 2 : 3)),
    connections: [10, 50],
    population: Number(process.env.BENCH_SIZE ?? 500),
    postgresUrl: process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL,
  });
}

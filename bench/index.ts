/**
 * `npm run bench`: issue 15's targets measured in one run, then one summary table (target,
 * measured figure, met or missed).
 *
 * - P1 bench/side-by-side.ts: gateway · bare Apollo passthrough · static Apollo, separate
 *   processes over HTTP, autocannon at 10 and 50 connections, PGlite and PostgreSQL.
 * - P2 bench/guard-measure.ts, when present: the registry guard against the same schema without
 *   per-leaf decisions.
 * - P3 bench/bulk-bench.ts: bulk hits for 100 and 1,000 subjects of a case.
 * - P4 bench/audit-bench.ts: audit records committed per second.
 * - P5 bench/rss-bench.ts (RSS over 20,000 requests, start-up on an existing data directory) and
 *   bench/startup-bench.ts (start-up and RSS of the ways of running, fresh data directory).
 *
 * BENCH_QUICK=1: shorter runs and fewer repeats (a smoke run; figures are noisier).
 * DATABASE_URL or TEST_DATABASE_URL: a PostgreSQL server for the PostgreSQL runs (a fresh
 * database or schema is made on it and dropped afterwards); without it they are skipped.
 * BENCH_SIZE: persons in the demo municipality (default 500). Prints figures; asserts nothing.
 */
import { existsSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { auditBench, type AuditBenchResult } from "./audit-bench.ts";
import { formatSpread, formatTable, type TargetRow } from "./bench-stats.ts";
import { bulkBench, type BulkResult } from "./bulk-bench.ts";
import { rssBench, type RssResult } from "./rss-bench.ts";
import { sideBySide, type Comparison } from "./side-by-side.ts";
import { COMPILED } from "./side-servers.ts";
import { buildIfStale, startupBench } from "./startup-bench.ts";

const quick = process.env.BENCH_QUICK === "1";
const population = Number(process.env.BENCH_SIZE ?? 500);
const postgresUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
const n = Number(process.env.BENCH_N ?? (quick ? 300 : 1000));
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 10);
const cpu = cpus();
const machine = `${cpu.length} × ${cpu[0]?.model ?? "?"}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`;
// A build older than the sources would measure other code: rebuilt then; without one, tsx.
const build = existsSync(COMPILED) ? buildIfStale() : "no dist/";

console.log(
  `Poortwachter bench (issue 15) ${new Date().toISOString()}: ${machine}, ${quick ? "BENCH_QUICK=1 (short runs)" : "full"}, ` +
    `${population} persons, PostgreSQL ${postgresUrl ? "on" : "skipped (no DATABASE_URL / TEST_DATABASE_URL)"}, ` +
    `gateway ${existsSync(COMPILED) ? `compiled (${build})` : "through tsx (no dist/: npm run build)"}`,
);

const rows: TargetRow[] = [];

// P1
let p1: Comparison[] = [];
try {
  p1 = await sideBySide({
    durationS: Number(process.env.BENCH_DURATION_S ?? (quick ? 2 : 5)),
    repeats: Number(process.env.BENCH_REPEATS ?? (quick ? 2 : 3)),
    connections: [10, 50],
    population,
    postgresUrl,
  });
} catch (e) {
  console.log(`P1 failed: ${e instanceof Error ? e.stack : String(e)}`);
  rows.push({ target: "P1 gateway ≥ 0.5× bare", measured: "failed (see above)", met: false });
}
for (const c of p1) {
  const where = `${c.database}, ${c.query}, ${c.connections} conn`;
  const flagged = c.bad > 0 ? ` — ${c.bad} failed responses` : "";
  rows.push({
    target: `P1 a/b ≥ 0.5× (${where})`,
    measured: `${formatSpread(c.ab)}; b/c ${formatSpread(c.bc)}${flagged}`,
    met: c.bad === 0 && c.ab.median >= 0.5,
  });
  if (c.connections === 50)
    rows.push({
      target: `P1 p99 a/b ≤ 3× (${where})`,
      measured: `${formatSpread(c.p99ab)}${flagged}`,
      met: c.bad === 0 && c.p99ab.median <= 3,
    });
}
if (p1.length > 0 && !p1.some((c) => c.database === "postgres"))
  rows.push({ target: "P1 on PostgreSQL", measured: "skipped: set DATABASE_URL", met: undefined });

// P2: bench/guard-measure.ts is written apart; used when it is there.
interface GuardRow {
  readonly shape: string;
  readonly fields: number;
  readonly ratio: number;
  readonly spread?: { readonly min: number; readonly max: number };
}
const guardFile = new URL("./guard-measure.ts", import.meta.url);
if (existsSync(guardFile)) {
  console.log("\nP2 registry guard (bench/guard-measure.ts)");
  try {
    const mod = (await import(guardFile.href)) as {
      guardMeasure?: (o?: { repeats?: number }) => Promise<readonly GuardRow[]>;
    };
    if (!mod.guardMeasure) throw new Error("bench/guard-measure.ts exports no guardMeasure()");
    const found = await mod.guardMeasure(quick ? { repeats: 5 } : {});
    for (const g of found)
      rows.push({
        target: `P2 guard ≤ 1.10× (${g.shape}, ${g.fields} fields)`,
        measured: `${g.ratio.toFixed(2)}×${g.spread ? ` (${g.spread.min.toFixed(2)}–${g.spread.max.toFixed(2)})` : ""}`,
        met: g.ratio <= 1.1,
      });
  } catch (e) {
    console.log(`P2 failed: ${e instanceof Error ? e.message : String(e)}`);
    rows.push({ target: "P2 guard ≤ 1.10×", measured: "failed (see above)", met: false });
  }
} else {
  console.log("\nP2 registry guard: skipped (no bench/guard-measure.ts)");
  rows.push({
    target: "P2 guard ≤ 1.10×",
    measured: "not measured (no bench/guard-measure.ts)",
    met: undefined,
  });
}

// P3
let bulk: BulkResult[] = [];
try {
  bulk = await bulkBench({ sizes: [100, 1000] });
} catch (e) {
  console.log(`P3 failed: ${e instanceof Error ? e.stack : String(e)}`);
  rows.push({ target: "P3 bulk hits", measured: "failed (see above)", met: false });
}
for (const b of bulk) {
  const errors = b.errors.length > 0 ? ` — ${b.errors.length} operation errors` : "";
  rows.push(
    {
      target: `P3 calls ≤ 1.1× minimum (n = ${b.n})`,
      measured: `${b.callRatio.toFixed(2)}× (most over the minimum of any source)${errors}`,
      met: b.errors.length === 0 && b.callRatio <= 1.1,
    },
    {
      target: `P3 no UNKNOWN from own queues (n = ${b.n})`,
      measured: `${b.unknown} UNKNOWN${
        b.unknown > 0
          ? ` (${Object.entries(b.unknownReasons)
              .map(([r, k]) => `${r} ${k}`)
              .join(", ")})`
          : ""
      }${errors}`,
      met: b.errors.length === 0 && b.unknown === 0,
    },
    {
      target: `P3 wall ≤ 2× floor (n = ${b.n})`,
      measured: `${(b.wallMs / b.floorMs).toFixed(1)}× (${(b.wallMs / 1000).toFixed(2)} s against ${(b.floorMs / 1000).toFixed(2)} s)`,
      met: b.errors.length === 0 && b.wallMs <= 2 * b.floorMs,
    },
  );
}

// P4: records committed per second with 10 and 50 concurrent writers of one record each.
console.log();
let audit: AuditBenchResult[] = [];
try {
  audit = await auditBench({ n: Math.max(n, 2000), concurrencies: [10, 50] });
} catch (e) {
  console.log(`P4 failed: ${e instanceof Error ? e.stack : String(e)}`);
}
for (const dialect of ["postgres", "pglite"] as const) {
  const result = audit.find((r) => r.dialect === dialect);
  for (const writers of [10, 50]) {
    const rate = result?.perSecond[writers];
    rows.push({
      target:
        dialect === "postgres"
          ? `P4 audit ≥ 5,000 records/s (postgres, ${writers} writers)`
          : `P4 audit (pglite, ${writers} writers, no target)`,
      measured: rate === undefined ? "skipped" : `${rate.toFixed(0)} records/s`,
      met: dialect === "postgres" && rate !== undefined ? rate >= 5000 : undefined,
    });
  }
}

// P5
let rss: RssResult | undefined;
try {
  rss = await rssBench({
    requests: quick ? 4000 : 20_000,
    warmup: quick ? 1000 : 2000,
    connections: 10,
    population,
    runs: quick ? 1 : 3,
  });
} catch (e) {
  console.log(`P5 failed: ${e instanceof Error ? e.stack : String(e)}`);
}
if (rss) {
  rows.push(
    {
      target: `P5 RSS flat ±10% (${rss.requests} requests${quick ? "; 20,000 without BENCH_QUICK" : ""})`,
      measured: `${rss.changePct >= 0 ? "+" : ""}${rss.changePct.toFixed(1)}% (${rss.rssWarmMiB.toFixed(0)} → ${rss.rssEndMiB.toFixed(0)} MiB)${rss.failed > 0 ? ` — ${rss.failed} failed` : ""}`,
      met: rss.failed === 0 && Math.abs(rss.changePct) <= 10,
    },
    {
      target: `P5 start-up ≤ 1 s, existing DATA_DIR (${rss.way})`,
      measured: `${(rss.restartMs / 1000).toFixed(2)} s`,
      met: rss.way === "compiled" ? rss.restartMs <= 1000 : undefined,
    },
  );
} else rows.push({ target: "P5 RSS and start-up", measured: "failed (see above)", met: false });
await startupBench({
  n: quick ? 50 : 300,
  concurrency,
  size: String(population),
  runs: Number(process.env.BENCH_STARTUP_RUNS ?? (quick ? 1 : 3)),
}).catch((e: unknown) => console.log(`start-up bench failed: ${e instanceof Error ? e.message : String(e)}`));

console.log(
  `\nSummary (issue 15 targets; ratios measured side by side in this run; ${machine}${quick ? ", BENCH_QUICK=1" : ""})\n${formatTable(rows)}`,
);

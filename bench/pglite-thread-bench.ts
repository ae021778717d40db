/**
 * Issue 15, P1 on PGlite: the compiled gateway with its embedded database on a thread of its own
 * (`PGLITE_THREAD=worker`, the default) against the same gateway with PGlite on its own thread
 * (`main`), both over real HTTP against the same simulators, driven interleaved (W M W M …) with
 * autocannon on the fields and the hits query at 10 and 50 connections. Prints req/s, p99 and the
 * ratio worker/main per repeat with its spread; asserts nothing.
 * Alone: `npx tsx bench/pglite-thread-bench.ts` (BENCH_QUICK=1 for short runs).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatSpread, median, pairedRatios } from "./bench-stats.ts";
import { session, startGateway, startSimulators } from "./side-servers.ts";
import { BSN, FIELDS, HITS, load, type Run } from "./side-by-side.ts";

const quick = process.env.BENCH_QUICK === "1";
const durationS = Number(process.env.BENCH_DURATION_S ?? (quick ? 2 : 5));
const repeats = Number(process.env.BENCH_REPEATS ?? (quick ? 2 : 3));
const population = Number(process.env.BENCH_SIZE ?? 500);
const THREADS = ["worker", "main"] as const;

const sims = await startSimulators({ population });
const dirs = THREADS.map(() => mkdtempSync(join(tmpdir(), "poortwachter-thread-bench-")));
const gateways = await Promise.all(
  THREADS.map((thread, i) =>
    startGateway({ dataDir: dirs[i]!, population, simulators: sims.urls, env: { PGLITE_THREAD: thread } }),
  ),
);
try {
  const sessions = await Promise.all(gateways.map((g) => session(g)));
  console.log(
    `PGlite on its own thread (worker) against on the gateway's (main): the ${gateways[0]!.way} gateway, ` +
      `autocannon ${durationS} s per run, W M interleaved × ${repeats}; medians, (min–max) over the repeats`,
  );
  for (const [name, doc, phase] of [
    ["fields", FIELDS, "regie"],
    ["hits", HITS, "bronnenonderzoek"],
  ] as const) {
    const bodies = sessions.map((s) =>
      JSON.stringify({ query: doc, variables: { id: s.caseId(phase), bsn: BSN } }),
    );
    for (const [i, g] of gateways.entries()) await load(g.url, sessions[i]!.token, bodies[i]!, 10, 1, sims);
    for (const connections of [10, 50]) {
      const runs: Run[][] = [[], []];
      for (let r = 0; r < repeats; r++)
        for (const [i, g] of gateways.entries())
          runs[i]!.push(await load(g.url, sessions[i]!.token, bodies[i]!, connections, durationS, sims));
      const bad = runs.flat().reduce((a, x) => a + x.bad, 0);
      const line = (i: number) =>
        `${THREADS[i]!.padEnd(6)} ${median(runs[i]!.map((x) => x.reqPerS)).toFixed(0)} req/s, p99 ${median(runs[i]!.map((x) => x.p99)).toFixed(0)} ms`;
      const ratio = pairedRatios(
        runs[0]!.map((x) => x.reqPerS),
        runs[1]!.map((x) => x.reqPerS),
      );
      console.log(
        `${name} query, ${connections} connections: ${line(0)} · ${line(1)} · worker/main ${formatSpread(ratio)}` +
          (bad > 0 ? `  FLAGGED: ${bad} failed responses` : ""),
      );
    }
  }
} finally {
  await Promise.all(gateways.map((g) => g.stop()));
  await sims.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}

/**
 * `npm run bench`: latency and throughput of the gateway in-process (Apollo pipeline, policy,
 * PGlite audit commits, BRP simulator over loopback HTTP), upstream calls per query, and memory;
 * then start-up time and RSS of the compiled server beside the development ways
 * (bench/startup-bench.ts), and audit records committed per second (bench/audit-bench.ts). Prints
 * figures; asserts nothing.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pino } from "pino";
import { bootstrap } from "../src/app/index.ts";
import { caseRepository, caseSubjectRepository } from "../src/cases/index.ts";
import { loadConfig } from "../src/config/index.ts";
import { demoReference } from "../src/demo/index.ts";
import { openDb } from "../src/store/index.ts";
import { auditBench } from "./audit-bench.ts";
import { startupBench } from "./startup-bench.ts";

const N = Number(process.env.BENCH_N ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);

const dataDir = mkdtempSync(join(tmpdir(), "poortwachter-bench-"));
const SIZE = process.env.BENCH_SIZE ?? "500";
const config = loadConfig({ DEMO_MODE: "true", DATA_DIR: dataDir, DEMO_POPULATION: SIZE });
if (!config.ok) throw new Error(config.error.problems.join("; "));
const sqlT = new Map<string, [number, number]>();
const rec = async <T,>(sql: string, f: () => Promise<T>) => { const s = performance.now(); try { return await f(); } finally { const k = sql.replace(/\s+/g, " ").slice(0, 60); const e = sqlT.get(k) ?? [0, 0]; e[0] += performance.now() - s; e[1]++; sqlT.set(k, e); } };
(globalThis as any).sqlT = sqlT;
function wrapDb(db: any): any {
  const wq = (q: any) => ({ query: (sql: string, p: any) => rec(sql, () => q.query(sql, p)) });
  return { ...db, query: (sql: string, p: any) => rec(sql, () => db.query(sql, p)), transaction: (fn: any) => rec("TX", () => db.transaction((tx: any) => fn(wq(tx)))) };
}
const started = performance.now();
const booted = await bootstrap({
  config: config.value,
  db: wrapDb(await openDb({ dataDir: "memory://" })),
  logger: pino({ level: "silent" }),
});
if (!booted.ok) throw new Error(booted.error.problems.join("; "));
const startupMs = performance.now() - started;
const app = booted.value;
const demo = app.demo!;
const token = await demo.issuer.mint({ sub: "analist.jansen", roles: ["analyst"] });
const cases = await caseRepository.list(app.db, {});
const caseId = (phase: string) => cases.find((c) => c.reference === demoReference(phase))!.id;
const bsns = [...demo.municipality.persons()].slice(0, 50).map((p) => p.bsn);
for (const c of cases)
  await caseSubjectRepository.insert(app.db, c.id, bsns.map((b) => `persoon:${b}`), { origin: "added", checkId: null, motivation: "Bench subjects.", addedBy: "bench", addedAt: new Date() });
async function run(query: string, variables: Record<string, unknown>) {
  const contextValue = await app.gateway.contextFor({ authorization: `Bearer ${token}` });
  const res = await app.gateway.apollo.executeOperation({ query, variables }, { contextValue });
  if (res.body.kind !== "single" || res.body.singleResult.errors) throw new Error(JSON.stringify(res.body));
}
const Q = process.env.Q === "hits"
  ? [`query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { hits { probe result } } } }`, "bronnenonderzoek"]
  : [`query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { brp { naam { geslachtsnaam } verblijfplaats { verblijfadres { postcode } } } } } }`, "regie"];
for (let i = 0; i < 200; i++) await run(Q[0]!, { id: caseId(Q[1]!), bsn: bsns[i % 50] });
const { Session } = await import("node:inspector/promises");
const session = new Session(); session.connect();
await session.post("Profiler.enable"); await session.post("Profiler.start");
const t0 = performance.now(); let next = 0; const M = 2000;
await Promise.all(Array.from({ length: 10 }, async () => { while (next < M) await run(Q[0]!, { id: caseId(Q[1]!), bsn: bsns[next++ % 50] }); }));
const dt = performance.now() - t0;
const { profile } = await session.post("Profiler.stop");
const { writeFileSync } = await import("node:fs");
writeFileSync("/tmp/gw.cpuprofile", JSON.stringify(profile));
console.log(`${M} req in ${dt.toFixed(0)} ms = ${(M / dt * 1000).toFixed(0)} req/s, cpu/req ${(process.cpuUsage().user / 1000 / M).toFixed(2)} ms (incl warmup)`);
console.log([...sqlT].sort((a, b) => b[1][0] - a[1][0]).slice(0, 15).map(([k, [t, n]]) => `${(t / M).toFixed(3)} ms/req ${(n / M).toFixed(2)}x ${k}`).join("\n"));
await app.close(); rmSync(dataDir, { recursive: true, force: true });

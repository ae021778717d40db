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
const started = performance.now();
const booted = await bootstrap({
  config: config.value,
  db: await openDb({ dataDir: "memory://" }),
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
// A case answers only about its subjects (issue 11): the bench's persons are the demo cases' too.
for (const c of cases)
  await caseSubjectRepository.insert(
    app.db,
    c.id,
    bsns.map((b) => `persoon:${b}`),
    { origin: "added", checkId: null, motivation: "Bench subjects.", addedBy: "bench", addedAt: new Date() },
  );
const sims = Object.entries(demo.simulators);
const callCounts = () => Object.fromEntries(sims.map(([name, sim]) => [name, sim.requests.length]));
const callsSince = (before: Record<string, number>, per = 1) =>
  sims
    .map(([name, sim]) => [name, (sim.requests.length - (before[name] ?? 0)) / per] as const)
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${name} ${Number.isInteger(n) ? n : n.toFixed(2)}`)
    .join(", ") || "none";

async function run(query: string, variables: Record<string, unknown>) {
  const contextValue = await app.gateway.contextFor({ authorization: `Bearer ${token}` });
  const res = await app.gateway.apollo.executeOperation({ query, variables }, { contextValue });
  if (res.body.kind !== "single" || res.body.singleResult.errors) throw new Error(JSON.stringify(res.body));
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function measure(name: string, query: string, vars: (i: number) => Record<string, unknown>) {
  for (let i = 0; i < 20; i++) await run(query, vars(i));
  const upstreamBefore = callCounts();
  const auditBefore = (await app.audit.list({ limit: 1_000_000 })).length;
  const times: number[] = [];
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    await run(query, vars(i));
    times.push(performance.now() - t0);
  }
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < N) await run(query, vars(next++));
    }),
  );
  const concurrentS = (performance.now() - t0) / 1000;
  times.sort((a, b) => a - b);
  const upstream = callsSince(upstreamBefore, 2 * N);
  const audit = ((await app.audit.list({ limit: 1_000_000 })).length - auditBefore) / (2 * N);
  console.log(
    `${name.padEnd(28)} p50 ${pct(times, 50).toFixed(1)} ms  p95 ${pct(times, 95).toFixed(1)} ms  p99 ${pct(times, 99).toFixed(1)} ms  ` +
      `${(N / concurrentS).toFixed(0)} req/s at ${CONCURRENCY} concurrent  ${audit.toFixed(2)} audit records/req  calls/req: ${upstream}`,
  );
  return pct(times, 50);
}

// The gateway against a bare passthrough to the same simulator, in the same run: the BRP request
// the gateway sent last, replayed as is, so the ratio is what the gateway adds (policy, audit).
async function bareBrp(name: string, gatewayP50: number) {
  const last = demo.brpSimulator.requests.at(-1)!;
  const url = new URL(last.path, demo.brpSimulator.url);
  const init = { method: last.method, headers: last.headers, body: JSON.stringify(last.body) };
  const first = await fetch(url, init);
  if (first.status !== last.status)
    throw new Error(`bare BRP call: ${first.status}, the gateway's got ${last.status}`);
  for (let i = 0; i < 20; i++) await (await fetch(url, init)).text();
  const times: number[] = [];
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    await (await fetch(url, init)).text();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const p50 = pct(times, 50);
  console.log(
    `${`  bare BRP call (${name})`.padEnd(28)} p50 ${p50.toFixed(1)} ms  gateway/bare p50 ${(gatewayP50 / p50).toFixed(1)}×`,
  );
}

console.log(
  `Poortwachter bench: ${N} sequential + ${N} concurrent requests per scenario (BENCH_N, BENCH_CONCURRENCY), ${SIZE} persons (BENCH_SIZE), start-up ${startupMs.toFixed(0)} ms`,
);
await measure(
  "hits (bronnenonderzoek)",
  `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { hits { probe result } } } }`,
  (i) => ({ id: caseId("bronnenonderzoek"), bsn: bsns[i % bsns.length] }),
);
const verifyP50 = await measure(
  "verify (intake)",
  `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { verify(input: { geslachtsnaam: "Jansen" }) { overall } } } }`,
  (i) => ({ id: caseId("intake"), bsn: bsns[i % bsns.length] }),
);
await bareBrp("verify", verifyP50);
const fieldsP50 = await measure(
  "fields (regie)",
  `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { brp { naam { geslachtsnaam } verblijfplaats { verblijfadres { postcode } } } } } }`,
  (i) => ({ id: caseId("regie"), bsn: bsns[i % bsns.length] }),
);
await bareBrp("fields", fieldsP50);

await measure(
  "object hits (bronnenonderzoek)",
  `query($id: ID!) { case(id: $id) { object(postcode: "6200AA", huisnummer: 91) { hits { probe result } } } }`,
  () => ({ id: caseId("bronnenonderzoek") }),
);
await measure(
  "company (regie)",
  `query($id: ID!) { case(id: $id) { onderneming(kvkNummer: "88888888") { handelsregister { naam vestigingen { adres { postcode } } } vergunningen { soort } } } }`,
  () => ({ id: caseId("regie") }),
);

// Batching: 50 persons in one query -> ceil(50 / 20) BRP calls; with their addresses, residents
// and permits one call per distinct subject per source.
async function once(name: string, body: string) {
  const before = callCounts();
  const t0 = performance.now();
  await run(`query($id: ID!) { case(id: $id) { ${body} } }`, { id: caseId("regie") });
  console.log(`${name}: ${(performance.now() - t0).toFixed(1)} ms, calls: ${callsSince(before)}`);
}
await once(
  "fields for 50 persons, 1 query",
  bsns.map((b, i) => `p${i}: persoon(bsn: "${b}") { brp { naam { geslachtsnaam } } }`).join(" "),
);
const addresses = new Set(
  [...demo.municipality.persons()]
    .slice(0, 50)
    .map((p) =>
      p.verblijfplaats?.kind === "adres" ? p.verblijfplaats.address.adresseerbaarObjectIdentificatie : "",
    ),
);
await once(
  `50 persons + addresses (${addresses.size} distinct), residents, permits`,
  bsns
    .map(
      (b, i) =>
        `p${i}: persoon(bsn: "${b}") { brp { naam { geslachtsnaam } } vergunningen { soort } adres { bag { adres { postcode } adresseerbaarObject { oppervlakte } } bewoners { bsn } vergunningen { soort } } }`,
    )
    .join(" "),
);
const mem = process.memoryUsage();
console.log(
  `memory: rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB`,
);

await app.close();
rmSync(dataDir, { recursive: true, force: true });

// Audit records committed per second with the LDV fields (issue 13), PGlite and PostgreSQL.
await auditBench({ n: N, concurrency: CONCURRENCY });

// After the in-process gateway is closed, so the spawned servers have the machine to themselves.
await startupBench({
  n: N,
  concurrency: CONCURRENCY,
  size: SIZE,
  runs: Number(process.env.BENCH_STARTUP_RUNS ?? 3),
});

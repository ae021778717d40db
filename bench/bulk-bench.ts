/**
 * Issue 15, P3: bulk hits — one operation asking `hits` about n persons (100 and 1,000) who are
 * all subjects of the bronnenonderzoek demo case. The gateway runs in-process (demo mode, PGlite
 * in memory, the simulators on loopback) with the operation limits raised so that one document
 * may name n subjects; everything else as configured. Prints per source the upstream calls against
 * the least the APIs force (BRP one call per 20 BSNs for all its probes together, every other
 * source one per subject), the UNKNOWN answers with their reasons from the audit records, and the
 * wall time against the floor (least calls × the latency of one call, measured with as many
 * calls in flight as each source allows, ÷ that concurrency, UPSTREAM_MAX_CONCURRENT). Prints figures; asserts nothing.
 * Alone: `npx tsx bench/bulk-bench.ts`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { pino } from "pino";
import { bootstrap } from "../src/app/index.ts";
import { caseRepository, caseSubjectRepository } from "../src/cases/index.ts";
import { loadConfig } from "../src/config/index.ts";
import { DEMO_OWNER, demoReference } from "../src/demo/index.ts";
import { openDb } from "../src/store/index.ts";
import {
  countsDelta,
  floorMs,
  formatCounts,
  median,
  minimumCalls,
  replayable,
  SOURCES,
  type Counts,
  type RecordedLike,
  type Source,
} from "./bench-stats.ts";

export interface BulkResult {
  readonly n: number;
  readonly wallMs: number;
  readonly floorMs: number;
  readonly calls: Partial<Record<Source, number>>;
  readonly minimum: Partial<Record<Source, number>>;
  /** Largest calls ÷ minimum over the sources asked. */
  readonly callRatio: number;
  readonly unknown: number;
  readonly unknownReasons: Readonly<Record<string, number>>;
  /** Operation-level errors (e.g. a refused document); a run with any is not a measurement. */
  readonly errors: readonly string[];
}

/** The bulk runs' operation limits: one document names n subjects (defaults stop at 50). */
const BULK_LIMITS = {
  LIMIT_MAX_SUBJECTS: "10000",
  LIMIT_MAX_ALIASES: "100000",
  LIMIT_MAX_REACHED_SUBJECTS: "100000",
  LIMIT_MAX_FANOUT: "10000000",
  LIMIT_MAX_TOKENS: "1000000",
  SUBJECT_RATE_MAX: "1000000",
};

export async function bulkBench(options: { sizes: readonly number[] }): Promise<BulkResult[]> {
  const largest = Math.max(...options.sizes);
  const dataDir = mkdtempSync(join(tmpdir(), "poortwachter-bulk-"));
  const config = loadConfig({
    DEMO_MODE: "true",
    DATA_DIR: dataDir,
    DEMO_POPULATION: String(Math.max(2 * largest, 500)),
    SIMULATOR_REQUEST_LOG_SIZE: "100",
    ...BULK_LIMITS,
  });
  if (!config.ok) throw new Error(config.error.problems.join("; "));
  // On its own thread, as the gateway runs a data directory's database.
  const db = await openDb({ dataDir: "memory://", pgliteWorker: true });
  const booted = await bootstrap({ config: config.value, db, logger: pino({ level: "silent" }) });
  if (!booted.ok) throw new Error(booted.error.problems.join("; "));
  const app = booted.value;
  const results: BulkResult[] = [];
  try {
    const demo = app.demo!;
    const sims = demo.simulators;
    const counts = (): Counts =>
      Object.fromEntries(SOURCES.map((s) => [s, sims[s].requestCount()])) as unknown as Counts;
    const token = await demo.issuer.mint({ sub: DEMO_OWNER, roles: ["analyst"] });
    const research = (await caseRepository.list(app.db, {})).find(
      (c) => c.reference === demoReference("bronnenonderzoek") && c.owner === DEMO_OWNER,
    );
    if (!research) throw new Error("no bronnenonderzoek demo case");
    const persons = [...demo.municipality.persons()].map((p) => p.bsn);
    // Each size its own persons, so no run answers from the one before.
    let offset = 0;
    const concurrency = config.value.resilience.maxConcurrent;
    console.log(
      `\nP3 bulk hits: one operation, n persons of the bronnenonderzoek case, in-process gateway (PGlite in memory on its own thread, ` +
        `simulators on loopback, ${persons.length} persons); UPSTREAM_MAX_CONCURRENT ${concurrency}, UPSTREAM_QUEUE ${config.value.resilience.queueSize}; ` +
        `operation limits raised for the run (${Object.keys(BULK_LIMITS).join(", ")})`,
    );
    for (const n of options.sizes) {
      const bsns = persons.slice(offset, offset + n);
      offset += n;
      await caseSubjectRepository.insert(
        app.db,
        research.id,
        bsns.map((b) => `persoon:${b}`),
        { origin: "added", checkId: null, motivation: "Bulk bench.", addedBy: "bench", addedAt: new Date() },
      );
      const query = `query($id: ID!) { case(id: $id) { ${bsns.map((b, i) => `p${i}: persoon(bsn: "${b}") { hits { probe result } }`).join(" ")} } }`;
      const contextValue = await app.gateway.contextFor({ authorization: `Bearer ${token}` });
      const before = counts();
      const from = new Date();
      const t0 = performance.now();
      const res = await app.gateway.apollo.executeOperation(
        { query, variables: { id: research.id } },
        { contextValue },
      );
      const wallMs = performance.now() - t0;
      const calls = countsDelta(before, counts());
      if (res.body.kind !== "single") throw new Error("incremental delivery not expected");
      const single = res.body.singleResult;
      const errors = (single.errors ?? []).map((e) => e.message);
      const data = (single.data?.case ?? {}) as Record<string, { hits?: { result: string }[] | null }>;
      const unknown = Object.values(data).reduce(
        (a, p) => a + (p.hits ?? []).filter((h) => h.result === "UNKNOWN").length,
        0,
      );
      const records = await app.audit.list({
        caseId: research.id,
        kind: "disclosure",
        from,
        limit: 1_000_000,
      });
      const unknownReasons: Record<string, number> = {};
      for (const r of records)
        for (const reason of Object.values((r.detail?.unknown ?? {}) as Record<string, string>))
          unknownReasons[reason] = (unknownReasons[reason] ?? 0) + 1;
      const asked = Object.keys(calls) as Source[];
      // BRK: one search per person, then each zaak of a person whose zaken carry no private
      // restriction is asked once for its public-law ones (the API answers those per zaak only;
      // partners share their home's zaak).
      const brk = sims.brk.register;
      const publicLaw = new Set<string>();
      for (const b of bsns) {
        const zaken = brk.zakenVanPersoon(b);
        if (!zaken.some((z) => z.privaatrechtelijkeBeperkingen.length > 0))
          for (const z of zaken) publicLaw.add(z.identificatie);
      }
      const perZaak = publicLaw.size;
      const minimum = minimumCalls(n, asked, { brk: perZaak });
      // One call's latency per source: its newest recorded request sent again by `concurrency`
      // callers at once (what the source is allowed), so the floor counts what the simulator
      // can serve side by side, not an idle round trip divided by 8.
      const latency: Partial<Record<Source, number>> = {};
      for (const s of asked) {
        const sim = sims[s];
        const last = sim.requests.at(-1) as RecordedLike | undefined;
        if (!last) continue;
        const origin = new URL(s === "permits" ? sims.permits.zakenUrl : sim.url).origin;
        const r = replayable(origin, last);
        const init = { method: r.method, headers: r.headers, ...(r.body ? { body: r.body } : {}) };
        const times: number[] = [];
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            for (let i = 0; i < 12; i++) {
              const t = performance.now();
              await (await fetch(r.url, init)).arrayBuffer();
              if (i >= 2) times.push(performance.now() - t);
            }
          }),
        );
        latency[s] = median(times);
      }
      const floor = floorMs(minimum, latency, concurrency);
      const callRatio = Math.max(...asked.map((s) => (calls[s] ?? 0) / (minimum[s] ?? 1)));
      const result: BulkResult = {
        n,
        wallMs,
        floorMs: floor,
        calls,
        minimum,
        callRatio,
        unknown,
        unknownReasons,
        errors,
      };
      results.push(result);
      console.log(
        `n = ${String(n).padStart(5)}  wall ${(wallMs / 1000).toFixed(2)} s, floor ${(floor / 1000).toFixed(2)} s (${(wallMs / floor).toFixed(1)}×)` +
          `  calls ${formatCounts(calls)}  minimum ${formatCounts(minimum)} (${callRatio.toFixed(2)}× at most)` +
          `  per-call latency ${Object.entries(latency)
            .map(([s, ms]) => `${s} ${ms.toFixed(1)} ms`)
            .join(", ")}` +
          `  UNKNOWN ${unknown}${
            unknown > 0
              ? ` (${Object.entries(unknownReasons)
                  .map(([r, k]) => `${r} ${k}`)
                  .join(", ")})`
              : ""
          }` +
          (errors.length > 0
            ? `  !! ${errors.length} errors: ${[...new Set(errors)].slice(0, 3).join("; ")}`
            : ""),
      );
    }
  } finally {
    await app.close();
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await bulkBench({ sizes: [100, 1000] });

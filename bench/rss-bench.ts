/**
 * Issue 15, P5: memory of the demo server under sustained load, and start-up on an existing data
 * directory. The gateway runs as `npm run serve` runs it (compiled when dist/ exists), in demo mode
 * with its own simulators in-process (their request logs are what grew before), on a fresh
 * DATA_DIR. RSS (VmRSS of the process and its descendants, /proc) is read at `/ready`, after a
 * warm-up, and after `requests` fields queries in all; flat means the end within ±10% of the
 * warm-up reading. Then the same DATA_DIR is started again `runs` times: spawn to the first
 * `/ready` 200. Prints figures; asserts nothing. Alone: `npx tsx bench/rss-bench.ts`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import autocannon from "autocannon";
import { wellKnown } from "../src/sources/synthetic/index.ts";
import { median, pctChange } from "./bench-stats.ts";
import { rssOfTree, session, startGateway } from "./side-servers.ts";

export interface RssResult {
  readonly requests: number;
  readonly rssReadyMiB: number;
  readonly rssWarmMiB: number;
  readonly rssEndMiB: number;
  /** End against the warm-up reading, percent. */
  readonly changePct: number;
  readonly failed: number;
  /** Start-up on the existing data directory, median ms. */
  readonly restartMs: number;
  readonly way: string;
}

const FIELDS = `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { brp { naam { geslachtsnaam } } } } }`;
const mib = (bytes: number) => bytes / 2 ** 20;

export async function rssBench(options: {
  requests: number;
  warmup: number;
  connections: number;
  population: number;
  runs: number;
}): Promise<RssResult> {
  const dataDir = mkdtempSync(join(tmpdir(), "poortwachter-rss-"));
  try {
    const gateway = await startGateway({ dataDir, population: options.population });
    let ready = 0;
    let warm = 0;
    let end = 0;
    let failed = 0;
    try {
      ready = rssOfTree(gateway.pid);
      const s = await session(gateway);
      const body = JSON.stringify({
        query: FIELDS,
        variables: { id: s.caseId("regie"), bsn: wellKnown.residentBsn },
      });
      const drive = async (amount: number) => {
        let graphqlErrors = 0;
        const r = await autocannon({
          url: gateway.url,
          connections: options.connections,
          amount,
          timeout: 30,
          requests: [
            {
              method: "POST",
              headers: { "content-type": "application/json", authorization: `Bearer ${s.token}` },
              body,
              onResponse: (status, text) => {
                if (status === 200 && text.includes('"errors"')) graphqlErrors++;
              },
            },
          ],
        });
        return r.non2xx + r.errors + r.timeouts + graphqlErrors;
      };
      failed += await drive(options.warmup);
      warm = rssOfTree(gateway.pid);
      failed += await drive(options.requests - options.warmup);
      end = rssOfTree(gateway.pid);
    } finally {
      await gateway.stop();
    }
    const restarts: number[] = [];
    for (let i = 0; i < options.runs; i++) {
      const again = await startGateway({ dataDir, population: options.population });
      restarts.push(again.startupMs);
      await again.stop();
    }
    const result: RssResult = {
      requests: options.requests,
      rssReadyMiB: mib(ready),
      rssWarmMiB: mib(warm),
      rssEndMiB: mib(end),
      changePct: pctChange(warm, end),
      failed,
      restartMs: median(restarts),
      way: gateway.way,
    };
    console.log(
      `\nP5 demo server (${gateway.way}, ${options.population} persons, simulators in-process): RSS at /ready ${result.rssReadyMiB.toFixed(0)} MiB, ` +
        `after ${options.warmup} requests ${result.rssWarmMiB.toFixed(0)} MiB, after ${options.requests} ${result.rssEndMiB.toFixed(0)} MiB ` +
        `(${result.changePct >= 0 ? "+" : ""}${result.changePct.toFixed(1)}% after the warm-up; fields query, ${options.connections} connections)` +
        (failed > 0 ? `  !! ${failed} failed` : ""),
    );
    console.log(
      `P5 start-up on the existing DATA_DIR (${gateway.way}, spawn → /ready 200): ${restarts.map((ms) => `${(ms / 1000).toFixed(2)} s`).join(", ")}; median ${(result.restartMs / 1000).toFixed(2)} s`,
    );
    return result;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href)
  await rssBench({ requests: 20_000, warmup: 2_000, connections: 10, population: 500, runs: 3 });

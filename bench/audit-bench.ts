/**
 * Audit records committed per second with the Logboek Dataverwerkingen fields (issue 13): each
 * writer appends one record at a time (the gateway's worst case: one record per step),
 * written inside a trace with upstream calls, so every record gets its span, parent span, status
 * and foreign operations. One writer, then 10 and 50 writers at once (they share group commits). PGlite in a data directory (on its own thread, as the gateway runs it) always; PostgreSQL when TEST_DATABASE_URL or
 * DATABASE_URL is set (in a schema of its own, dropped afterwards). Prints figures; asserts nothing.
 * Alone: `npx tsx bench/audit-bench.ts`; `npm run bench` runs it too.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { createAuditLog, type AuditEntry } from "../src/audit/index.ts";
import { runInTrace, traceHeaders } from "../src/context/index.ts";
import { migrate, openDb, type Db } from "../src/store/index.ts";

const BRP = "http://127.0.0.1:9/haalcentraal/api/brp/personen";

const entry = (i: number): AuditEntry => ({
  kind: "disclosure",
  actor: "analist.jansen",
  roles: ["analyst"],
  clientId: "poortwachter-ui",
  caseId: "bench-case",
  phase: "bronnenonderzoek",
  processingActivity: "maastricht.bronnenonderzoek.v1",
  operation: "brp.hits",
  source: "brp",
  subject: String(100_000_000 + i),
  subjectType: "bsn",
  probes: ["brp.ingeschreven"],
  mode: "hit",
  decision: "allow",
  reason: "bench",
  policyHash: "bench",
  traceId: randomBytes(16).toString("hex"),
  startedAt: new Date(),
  detail: { result: "HIT" },
});

async function writers(db: Db, n: number, concurrency: number): Promise<number> {
  const log = createAuditLog({
    db,
    hmacKey: "bench-hmac-key-0123456789abcdef",
    upstreamUrls: { brp: [BRP] },
  });
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, () =>
      runInTrace(randomBytes(16).toString("hex"), async () => {
        traceHeaders(BRP);
        traceHeaders("http://127.0.0.1:9/lvbag/individuelebevragingen/v2/adressen");
        while (next < n) {
          const appended = await log.append([entry(next++)]);
          if (!appended.ok) throw new Error(appended.error.reason);
        }
      }),
    ),
  );
  return n / ((performance.now() - t0) / 1000);
}

/** Records committed per second by dialect and number of concurrent writers. */
export interface AuditBenchResult {
  readonly dialect: "pglite" | "postgres";
  readonly perSecond: Readonly<Record<number, number>>;
}

async function measure(
  name: "pglite" | "postgres",
  open: () => Promise<{ db: Db; done: () => Promise<void> }>,
  n: number,
  concurrencies: readonly number[],
): Promise<AuditBenchResult> {
  const { db, done } = await open();
  try {
    const migrated = await migrate(db);
    if (!migrated.ok) throw new Error(JSON.stringify(migrated.error));
    await writers(db, Math.min(50, n), 1); // warm-up
    const perSecond: Record<number, number> = {};
    for (const c of [1, ...concurrencies]) perSecond[c] = await writers(db, n, c);
    const [row] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE span_id IS NOT NULL AND status IS NOT NULL",
    );
    const figures = Object.entries(perSecond)
      .map(([c, rate]) => `${rate.toFixed(0)} records/s ${c} writer${c === "1" ? "" : "s"}`)
      .join("  ");
    console.log(
      `audit append (${name})`.padEnd(28) +
        ` ${figures}  (${row?.n} records with LDV fields, each writer one record per append)`,
    );
    return { dialect: name, perSecond };
  } finally {
    await done();
  }
}

/**
 * Each writer appends one record at a time and waits for it, as a request does; concurrent
 * writers share group commits (src/audit/audit-log.ts).
 */
export async function auditBench(
  options: { n?: number; concurrency?: number; concurrencies?: readonly number[] } = {},
): Promise<AuditBenchResult[]> {
  const n = options.n ?? Number(process.env.BENCH_AUDIT_N ?? 2000);
  const concurrencies =
    options.concurrencies ?? (options.concurrency === undefined ? [10, 50] : [options.concurrency]);
  const results: AuditBenchResult[] = [];
  results.push(
    await measure(
      "pglite",
      async () => {
        // A data directory, as the gateway runs it: PGlite on a thread of its own.
        const dir = mkdtempSync(join(tmpdir(), "poortwachter-audit-bench-"));
        const db = await openDb({ dataDir: dir });
        return {
          db,
          done: async () => {
            await db.close();
            rmSync(dir, { recursive: true, force: true });
          },
        };
      },
      n,
      concurrencies,
    ),
  );
  const url = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) {
    console.log("audit append (postgres)       skipped: set TEST_DATABASE_URL or DATABASE_URL");
    return results;
  }
  const schema = `bench_${randomBytes(6).toString("hex")}`;
  results.push(
    await measure(
      "postgres",
      async () => {
        const db = await openDb({ url, schema });
        return {
          db,
          done: async () => {
            await db.close();
            const client = new pg.Client({ connectionString: url });
            await client.connect();
            await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => client.end());
          },
        };
      },
      n,
      concurrencies,
    ),
  );
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await auditBench();

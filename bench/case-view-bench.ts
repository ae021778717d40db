/**
 * The case view (issue 15, "one round trip for the case view"): what a request on a case reads
 * before its audit record, side by side in one run. A: the five separate reads the gateway made
 * before (the case, its checks, the restrictions in force, the subject keys, and the read audit's
 * second read of the case). B: the one-statement view (`caseRepository.view`), which the request
 * reads once and shares. Interleaved A B A B …, on PGlite in memory and, with TEST_DATABASE_URL or
 * DATABASE_URL, on PostgreSQL (a schema of its own, dropped afterwards). Prints figures; asserts
 * nothing. `npx tsx bench/case-view-bench.ts` (BENCH_N per round, 5 rounds).
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { caseRepository, caseSubjectRepository, type CaseRecord } from "../src/cases/index.ts";
import { restrictionsInForce } from "../src/rights/index.ts";
import { migrate, openDb, type Db } from "../src/store/index.ts";

const N = Number(process.env.BENCH_N ?? 500);
const ROUNDS = 5;
const at = new Date("2026-03-01T10:00:00.000Z");
const aCase: CaseRecord = {
  id: "bench-case",
  reference: "BENCH-1",
  theme: "hennepteelt",
  protocolId: "maastricht",
  phase: "regie",
  status: "open",
  outcome: null,
  owner: "analist.jansen",
  substitute: "analist.devries",
  openedAt: at,
  closedAt: null,
  version: 3,
};

async function seed(db: Db): Promise<void> {
  const m = await migrate(db);
  if (!m.ok) throw new Error(JSON.stringify(m.error));
  await caseRepository.insert(db, aCase);
  for (let i = 0; i < 4; i++)
    await caseRepository.insertCheck(db, {
      id: `bench-check-${i}`,
      caseId: aCase.id,
      kind: i === 0 ? "1" : "2a",
      source: "brp",
      requestedFields: ["naam", "verblijfplaats"],
      requestedProbes: [],
      motivation: "Bench.",
      requestedBy: "analist.jansen",
      requestedAt: new Date(at.getTime() + i),
      status: "approved",
      approvedFields: ["naam"],
      approvedProbes: [],
      subjects: i === 3 ? ["persoon:999993653"] : [],
      recipients: i === 3 ? ["vergunningen"] : [],
      themeDataset: null,
      version: 1,
    });
  const keys = Array.from({ length: 50 }, (_, i) => `persoon:${String(100_000_000 + i)}`);
  await caseSubjectRepository.insert(db, aCase.id, keys, {
    origin: "added",
    checkId: null,
    motivation: "Bench.",
    addedBy: "bench",
    addedAt: at,
  });
  for (const [i, key] of keys.slice(0, 2).entries())
    await db.query(
      `INSERT INTO subject_requests (id, case_id, subject_key, kind, received_at, motivation, recorded_by, recorded_at)
       VALUES ($1, $2, $3, 'restriction', now(), 'Bench.', 'jurist', now())`,
      [`bench-req-${i}`, aCase.id, key],
    );
}

const separate = async (db: Db) => {
  await caseRepository.get(db, aCase.id);
  await caseRepository.checksForCase(db, aCase.id);
  await restrictionsInForce(db, aCase.id);
  await caseSubjectRepository.keys(db, aCase.id);
  await caseRepository.getMany(db, [aCase.id]);
};
const oneView = async (db: Db) => {
  await caseRepository.view(db, aCase.id);
};

async function time(fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await fn();
  return ((performance.now() - t0) / N) * 1000;
}

async function run(name: string, db: Db): Promise<void> {
  await seed(db);
  for (let i = 0; i < 50; i++) await Promise.all([separate(db), oneView(db)]);
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    a.push(await time(() => separate(db)));
    b.push(await time(() => oneView(db)));
  }
  const ratios = a.map((x, i) => x / b[i]!).sort((x, y) => x - y);
  const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  console.log(
    `${name.padEnd(10)} 5 separate reads ${med(a).toFixed(0)} µs   one view ${med(b).toFixed(0)} µs   ` +
      `separate/view ${med(ratios).toFixed(2)}× (${ratios[0]!.toFixed(2)}-${ratios.at(-1)!.toFixed(2)}, ${ROUNDS} rounds × ${N})`,
  );
}

console.log(
  "Case view: what one request on a case reads before its audit record (sequential, one connection)",
);
const lite = await openDb({ dataDir: "memory://" });
try {
  await run("PGlite", lite);
} finally {
  await lite.close();
}
const url = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
if (url) {
  const schema = `bench_${randomBytes(6).toString("hex")}`;
  const db = await openDb({ url, schema });
  try {
    await run("PostgreSQL", db);
  } finally {
    await db.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => client.end());
  }
}

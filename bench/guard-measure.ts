/**
 * What the registry guard costs (issue 15, P2): the same schema executed with and without its
 * per-leaf decisions, in-process through graphql's `execute`, interleaved, the median of each and
 * their ratio (target ≤ 1.10× at 1,000 and 5,000 fields).
 *
 * Both schemas come from `buildSchema` (src/server/schema.ts); the unguarded one with the
 * benchmark-only `unguardedForBenchmark`, whose registry types read their data without deciding.
 * Only the root differs from the gateway's: a `personen(n)` list of the schema's own `PersoonView`
 * type, so that each person's `brp` runs the real resolver, the real `personFields`/`subjectFields`
 * with the real demo policy (the regie case's approved check: naam, geboorte.datum,
 * verblijfplaats), the request's real DataLoaders and the real guard. What is stubbed is only I/O:
 * the BRP client under the loaders answers prepared records at once, the audit record "commits"
 * at once, there is no database (the case view is built as `abilityFor` builds it, one ability
 * per subject, without the SQL). Each execution is one request: a new context and a new case view.
 *
 * Timed as process CPU per execution (`process.cpuUsage`; on a shared machine wall time counts
 * whatever else ran meanwhile, and the thread's own CPU clock moves in 10 ms ticks here), the two
 * schemas' executions interleaved one by one; the ratio is the median over side-by-side pairs.
 *
 * Two shapes per size: `subjects` (many persons, each its own subject: a list result) and
 * `aliases` (one person asked under many aliases, as a client that repeats fragments does).
 * `fields` counts the leaf values in the answer (every one of them allowed, so both schemas
 * answer the same data; checked before measuring).
 *
 * Prints figures; asserts nothing. Run alone: `npx tsx bench/guard-measure.ts`.
 */
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  execute,
  getNamedType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  isListType,
  isNonNullType,
  isObjectType,
  parse,
  validate,
  type DocumentNode,
  type GraphQLOutputType,
} from "graphql";
import type { VisibleCase } from "../src/cases/index.ts";
import { DEMO_APPROVED_FIELDS } from "../src/demo/index.ts";
import type { DisclosureContext } from "../src/disclosure/index.ts";
import {
  buildCaseAbility,
  loadPolicySet,
  type CaseAbility,
  type LoadedPolicySet,
} from "../src/policy/index.ts";
import { buildSchema } from "../src/server/index.ts";
import { ok, type Actor } from "../src/shared/index.ts";
import type { BrpPersoon } from "../src/sources/brp/index.ts";
import { createSourceLoaders } from "../src/sources/source-loaders.ts";

/** One size and shape: medians of the interleaved executions and their ratio. */
export interface GuardMeasureResult {
  readonly shape: "subjects" | "aliases";
  /** Leaf values in the answer. */
  readonly fields: number;
  /** Median CPU time of the process (`process.cpuUsage`) for one execution with the guard (ms). */
  readonly guardedMs: number;
  /** The same for the same schema without per-leaf decisions (ms). */
  readonly unguardedMs: number;
  /** Median of guarded / unguarded over the pairs of executions that ran side by side. */
  readonly ratio: number;
  /** Lowest and highest of that median within one repeat. */
  readonly spread: { readonly min: number; readonly max: number };
  readonly repeats: number;
  /** The same executions' wall-clock medians (they count what else ran on the machine meanwhile). */
  readonly wall: { readonly guardedMs: number; readonly unguardedMs: number; readonly ratio: number };
}

export interface GuardMeasureOptions {
  /** Repeats per size and shape (≥ 5), each a sample of `batch` executions of both, interleaved. */
  readonly repeats?: number;
  /** Executions of each schema per repeat. */
  readonly batch?: number;
  /** Approximate leaf counts to measure. */
  readonly sizes?: readonly number[];
  /** Shapes to measure (default both). */
  readonly shapes?: readonly GuardMeasureResult["shape"][];
  /** Print the table (default true). */
  readonly print?: boolean;
}

const policiesDir = fileURLToPath(new URL("../policies/", import.meta.url));
const ACTOR: Actor = { subject: "analist.jansen", roles: ["analyst"], amr: ["pwd", "otp"], issuer: "bench" };
const CASE = {
  id: "00000000-0000-4000-8000-000000000015",
  phase: "regie",
  status: "open" as const,
  owner: ACTOR.subject,
  substitute: null,
};
const APPROVALS = [
  { checkId: "bench-check", source: "brp", fields: DEMO_APPROVED_FIELDS, probes: [], recipients: [] },
];

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

const approvedPath = (path: string): boolean =>
  DEMO_APPROVED_FIELDS.some((u) => path === u || path.startsWith(`${u}.`) || u.startsWith(`${path}.`));

/** A selection of every approved leaf below `type` (no lists below: one record is one person). */
function selection(type: GraphQLObjectType, prefix = ""): string {
  return Object.values(type.getFields())
    .flatMap((f) => {
      const path = prefix ? `${prefix}.${f.name}` : f.name;
      if (!approvedPath(path) || isListType(unwrapNonNull(f.type))) return [];
      const named = getNamedType(f.type);
      return [isObjectType(named) ? `${f.name} { ${selection(named, path)} }` : f.name];
    })
    .join(" ");
}

const unwrapNonNull = (t: GraphQLOutputType): GraphQLOutputType => (isNonNullType(t) ? t.ofType : t);

/** A BRP-shaped record with a value for every field (lists with one item), as the BRP would answer. */
function record(type: GraphQLObjectType, seed: number, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of Object.values(type.getFields())) {
    const t = unwrapNonNull(f.type);
    const named = getNamedType(t);
    let value: unknown;
    if (isObjectType(named)) {
      if (depth >= 4) continue;
      value = record(named, seed, depth + 1);
    } else if (named.name === "Int") value = seed % 100;
    else if (named.name === "Boolean") value = seed % 2 === 0;
    else value = `${f.name}-${seed}`;
    out[f.name] = isListType(t) ? [value] : value;
  }
  return out;
}

/** Fails loudly if the disclosure path starts to need a dependency the bench does not give it. */
const absent = (name: string): never =>
  new Proxy(
    {},
    {
      get: (_, key) => {
        throw new Error(`bench/guard-measure.ts: ${name}.${String(key)} is not stubbed`);
      },
    },
  ) as never;

/** One request's context: the policy, an audit record that commits at once, a BRP that answers at once. */
function requestContext(policy: LoadedPolicySet, rows: ReadonlyMap<string, Record<string, unknown>>) {
  const ctx = {
    actor: ACTOR,
    traceId: "0".repeat(32),
    policy,
    db: absent("db"),
    audit: absent("audit"),
    clock: { now: () => new Date(0) },
    newId: () => "bench",
    municipalityCode: "0935",
    record: () => Promise.resolve(ok(undefined)),
    // The request's real DataLoaders, over a BRP client that answers the prepared records at once.
    sources: createSourceLoaders({
      brp: {
        raadpleeg: (bsns) =>
          Promise.resolve(ok(bsns.flatMap((bsn) => (rows.has(bsn) ? [rows.get(bsn) as BrpPersoon] : [])))),
        zoek: () => absent("brp.zoek"),
      },
    }),
  };
  return ctx as unknown as DisclosureContext;
}

/** The case view as `abilityFor` (src/cases/case-access.ts) builds it: one ability per subject. */
function caseView(policy: LoadedPolicySet): VisibleCase {
  const bySubject = new Map<string, CaseAbility>();
  const build = () => buildCaseAbility(policy, { actor: ACTOR, case: CASE, approvals: APPROVALS });
  return {
    record: { ...CASE, reference: "bench", theme: null, protocolId: policy.protocol.id } as never,
    ability: build(),
    forSubject: (key) => {
      const known = bySubject.get(key);
      if (known) return known;
      const ability = build();
      bySubject.set(key, ability);
      return ability;
    },
    restricted: () => false,
    reach: () => undefined,
    reachedVia: () => undefined,
  };
}

/** The gateway's schema with a bench root: `personen(n)` of its own PersoonView type. */
function benchSchema(unguardedForBenchmark: boolean, view: { current: VisibleCase | undefined }) {
  const full = buildSchema({ unguardedForBenchmark });
  const persoonView = full.getType("PersoonView") as GraphQLObjectType;
  return new GraphQLSchema({
    query: new GraphQLObjectType({
      name: "BenchQuery",
      fields: {
        personen: {
          type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(persoonView))),
          args: { n: { type: new GraphQLNonNull(GraphQLInt) } },
          resolve: (_root, args: { n: number }) =>
            Array.from({ length: args.n }, (_, i) => ({ visible: view.current, bsn: bsnOf(i) })),
        },
      },
    }),
  });
}

const bsnOf = (i: number): string => String(100000000 + i);

function countLeaves(value: unknown): number {
  if (Array.isArray(value)) return value.reduce<number>((n, v) => n + countLeaves(v), 0);
  if (value !== null && typeof value === "object")
    return Object.values(value).reduce<number>((n, v) => n + countLeaves(v), 0);
  return value === null ? 0 : 1;
}

interface Case {
  readonly shape: GuardMeasureResult["shape"];
  readonly document: DocumentNode;
}

/**
 * Measures the guard at each size and shape, interleaved guarded/unguarded (the order swapped
 * every pair), and prints the medians and ratios.
 */
export async function guardMeasure(options: GuardMeasureOptions = {}): Promise<GuardMeasureResult[]> {
  const repeats = Math.max(5, options.repeats ?? 15);
  const batch = options.batch ?? 10;
  const sizes = options.sizes ?? [1000, 5000];
  const loaded = await loadPolicySet(policiesDir);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.error.problems));
  const policy = loaded.value;
  const view: { current: VisibleCase | undefined } = { current: undefined };
  const schemas = { guarded: benchSchema(false, view), unguarded: benchSchema(true, view) };
  const brpType = schemas.guarded.getType("BrpPersoon") as GraphQLObjectType;
  const fieldsPerPerson = selection(brpType);
  const rows = new Map<string, Record<string, unknown>>();
  // The BRP answers each person with its own BSN, which the loader matches answers on.
  const rowFor = (i: number) =>
    rows.get(bsnOf(i)) ??
    rows.set(bsnOf(i), { ...record(brpType, i), burgerservicenummer: bsnOf(i) }).get(bsnOf(i))!;

  const run = async (schema: GraphQLSchema, document: DocumentNode) => {
    view.current = caseView(policy);
    return execute({ schema, document, contextValue: requestContext(policy, rows) });
  };

  const cases: Case[] = [];
  for (const size of sizes) {
    // Leaves of one person's approved selection, counted from an answer.
    const probe = parse(`{ personen(n: 1) { brp { ${fieldsPerPerson} } } }`);
    rowFor(0);
    const one = countLeaves((await run(schemas.unguarded, probe)).data);
    const n = Math.max(1, Math.round(size / one));
    for (let i = 0; i < n; i++) rowFor(i);
    const aliases = Array.from({ length: n }, (_, i) => `a${i}: brp { ${fieldsPerPerson} }`).join(" ");
    cases.push(
      {
        shape: "subjects",
        document: parse(`{ personen(n: ${n}) { brp { ${fieldsPerPerson} } } }`),
      },
      { shape: "aliases", document: parse(`{ personen(n: 1) { ${aliases} } }`) },
    );
  }

  const results: GuardMeasureResult[] = [];
  for (const c of cases.filter((x) => (options.shapes ?? ["subjects", "aliases"]).includes(x.shape))) {
    const problems = validate(schemas.guarded, c.document);
    if (problems.length > 0) throw new Error(problems.map((p) => p.message).join("; "));
    // Both answer the same data, without an error: the measure compares like with like.
    const g = await run(schemas.guarded, c.document);
    const u = await run(schemas.unguarded, c.document);
    if (g.errors?.length || u.errors?.length)
      throw new Error(`bench/guard-measure.ts: ${(g.errors ?? u.errors ?? [])[0]?.message ?? ""}`);
    if (JSON.stringify(g.data) !== JSON.stringify(u.data))
      throw new Error("bench/guard-measure.ts: guarded and unguarded answers differ");
    const fields = countLeaves(g.data);
    // One repeat: `batch` executions of each, alternating one by one (which goes first
    // alternating too), so that both meet the same load. Each is timed as CPU time of the process
    // (what the guard costs, collections included; on a shared machine wall time also counts
    // whatever else ran meanwhile; the thread's own CPU clock moves in 10 ms ticks here) and as
    // wall time. Medians of the single executions, so that one pause of the
    // machine or one collection does not count as the guard's.
    const repeat = async () => {
      const cpu = { g: [] as number[], u: [] as number[] };
      const wall = { g: [] as number[], u: [] as number[] };
      for (let i = 0; i < batch; i++) {
        for (const isGuarded of i % 2 === 0 ? [true, false] : [false, true]) {
          const cpuStart = process.cpuUsage();
          const start = performance.now();
          await run(isGuarded ? schemas.guarded : schemas.unguarded, c.document);
          const ms = performance.now() - start;
          const used = process.cpuUsage(cpuStart);
          (isGuarded ? cpu.g : cpu.u).push((used.user + used.system) / 1000);
          (isGuarded ? wall.g : wall.u).push(ms);
        }
      }
      return { cpu, wall };
    };
    await repeat(); // warm-up
    const all = {
      cpu: { g: [] as number[], u: [] as number[] },
      wall: { g: [] as number[], u: [] as number[] },
    };
    // Execution i of one schema ran right beside execution i of the other: their ratio is the
    // least disturbed by what else the machine did meanwhile.
    const pairRatios: number[] = [];
    const repeatRatios: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const { cpu, wall } = await repeat();
      all.cpu.g.push(...cpu.g);
      all.cpu.u.push(...cpu.u);
      all.wall.g.push(...wall.g);
      all.wall.u.push(...wall.u);
      const pairs = cpu.g.map((g, i) => g / cpu.u[i]!);
      pairRatios.push(...pairs);
      repeatRatios.push(median(pairs));
    }
    const guardedMs = median(all.cpu.g);
    const unguardedMs = median(all.cpu.u);
    const wallGuarded = median(all.wall.g);
    const wallUnguarded = median(all.wall.u);
    results.push({
      shape: c.shape,
      fields,
      guardedMs,
      unguardedMs,
      ratio: median(pairRatios),
      spread: { min: Math.min(...repeatRatios), max: Math.max(...repeatRatios) },
      repeats,
      wall: { guardedMs: wallGuarded, unguardedMs: wallUnguarded, ratio: wallGuarded / wallUnguarded },
    });
  }

  if (options.print !== false) {
    console.log(
      `\nregistry guard (P2, target ≤ 1.10×): ${process.version}; graphql execute in-process, the same schema with and ` +
        `without per-leaf decisions; ${repeats} repeats of ${batch} executions of each, interleaved one by one; ` +
        `median CPU ms of one execution (process.cpuUsage); ratio: median over the side-by-side pairs (lowest–highest ` +
        `repeat); wall-clock medians beside`,
    );
    for (const r of results)
      console.log(
        `${r.shape.padEnd(9)} ${String(r.fields).padStart(5)} fields  guarded ${r.guardedMs.toFixed(2).padStart(7)} ms  ` +
          `unguarded ${r.unguardedMs.toFixed(2).padStart(7)} ms  ratio ${r.ratio.toFixed(2)}× ` +
          `(${r.spread.min.toFixed(2)}–${r.spread.max.toFixed(2)}×)   wall ${r.wall.guardedMs.toFixed(2)} / ` +
          `${r.wall.unguardedMs.toFixed(2)} ms = ${r.wall.ratio.toFixed(2)}×`,
      );
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await guardMeasure();

/**
 * The pure arithmetic of `npm run bench` (issue 15): medians, spreads and ratios over repeated
 * runs, request counting from the simulators' logs, a recorded request turned back into one that
 * can be sent again, and the bulk floor. No I/O here, so test/bench/bench-stats.test.ts can check
 * it without starting anything.
 */

/** The demo simulators' sources, in the order the bench prints them. */
export const SOURCES = ["brp", "bag", "kvk", "brk", "bewoning", "historie", "permits", "woz"] as const;
export type Source = (typeof SOURCES)[number];
export type Counts = Readonly<Record<Source, number>>;

export interface SimulatorUrls {
  readonly brp: string;
  readonly bag: string;
  readonly kvk: string;
  readonly brk: string;
  readonly bewoning: string;
  readonly historie: string;
  readonly woz: string;
  readonly permitsZaken: string;
  readonly permitsCatalogi: string;
}

/** What the simulators' request logs have in common (each adds its own fields). */
export interface RecordedLike {
  readonly method: string;
  /** The full path, without the query. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | readonly string[]>>;
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body of a POST. */
  readonly body?: unknown;
}

/** A request as `fetch` sends it again. */
export interface Replayable {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/**
 * A recorded request as it can be sent again to the same simulator: same method, path, query,
 * protocol headers (API key, accept, content type) and body. `traceparent` is dropped: it names
 * the gateway's trace of that one request.
 */
export function replayable(origin: string, r: RecordedLike): Replayable {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(r.query ?? {}))
    for (const v of typeof value === "string" ? [value] : value) params.append(name, v);
  const query = params.toString();
  const headers = Object.fromEntries(Object.entries(r.headers).filter(([h]) => h !== "traceparent"));
  return {
    method: r.method,
    url: `${origin}${r.path}${query ? `?${query}` : ""}`,
    headers,
    ...(r.body !== undefined && r.method !== "GET" ? { body: JSON.stringify(r.body) } : {}),
  };
}

/** Requests per source between two readings of the counts; sources without requests left out. */
export function countsDelta(before: Counts, after: Counts): Partial<Record<Source, number>> {
  const delta: Partial<Record<Source, number>> = {};
  for (const s of SOURCES) {
    const n = (after[s] ?? 0) - (before[s] ?? 0);
    if (n !== 0) delta[s] = n;
  }
  return delta;
}

/** Total of a delta. */
export const total = (delta: Partial<Record<Source, number>>): number =>
  Object.values(delta).reduce((a, b) => a + (b ?? 0), 0);

/** `brp 1, historie 2`, or `none`. */
export const formatCounts = (delta: Partial<Record<Source, number>>, per = 1): string =>
  Object.entries(delta)
    .map(([s, n]) => `${s} ${Number.isInteger(n / per) ? n / per : (n / per).toFixed(2)}`)
    .join(", ") || "none";

/** The median (mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** Median with min and max over the repeats. */
export function spread(xs: readonly number[]): Spread {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
}

/**
 * Ratio a/b per repeat (the pairs measured next to each other, A B C A B C …), then its spread:
 * so a slow moment of the machine shows as a wide spread rather than a wrong ratio.
 */
export function pairedRatios(a: readonly number[], b: readonly number[]): Spread {
  if (a.length !== b.length) throw new RangeError(`pairedRatios: ${a.length} against ${b.length} repeats`);
  return spread(a.map((x, i) => x / b[i]!));
}

/** `0.42× (0.39–0.45)` */
export const formatSpread = (s: Spread, digits = 2, unit = "×"): string =>
  `${s.median.toFixed(digits)}${unit} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;

/** The p-th percentile (nearest rank) of unsorted values. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** Percentage change from `from` to `to`. */
export const pctChange = (from: number, to: number): number => ((to - from) / from) * 100;

/** BSNs per BRP Personen call (the API's limit for RaadpleegMetBurgerservicenummer). */
export const BRP_BSNS_PER_CALL = 20;

/**
 * The least upstream calls bulk hits about `n` persons can make (issue 15, P3): the BRP one call
 * per 20 BSNs for all its probes together, every other source one call per subject, plus the
 * calls a source's API forces beyond that (`forced`: BRK Bevragen answers the public-law
 * restrictions of a zaak only per zaak, so `brk.beperkingBekend` asks each zaak of a person
 * without a private restriction once).
 */
export function minimumCalls(
  n: number,
  sources: readonly Source[],
  forced: Partial<Record<Source, number>> = {},
): Partial<Record<Source, number>> {
  return Object.fromEntries(
    sources.map((s) => [s, (s === "brp" ? Math.ceil(n / BRP_BSNS_PER_CALL) : n) + (forced[s] ?? 0)]),
  );
}

/**
 * The wall-time floor of bulk work: per source its minimum calls × measured latency of one call ÷
 * the concurrency it is allowed; the sources run side by side, so the slowest source is the floor.
 */
export function floorMs(
  minimum: Partial<Record<Source, number>>,
  latencyMs: Partial<Record<Source, number>>,
  concurrency: number,
): number {
  return Math.max(
    0,
    ...Object.entries(minimum).map(
      ([s, calls]) => ((calls ?? 0) * (latencyMs[s as Source] ?? 0)) / concurrency,
    ),
  );
}

/** A figure against its target, for the summary table. */
export interface TargetRow {
  readonly target: string;
  readonly measured: string;
  /** undefined: not measured in this run (skipped), printed as such. */
  readonly met: boolean | undefined;
}

/** The summary as a fixed-width table. */
export function formatTable(rows: readonly TargetRow[]): string {
  const cells = rows.map((r) => [r.target, r.measured, r.met === undefined ? "—" : r.met ? "met" : "MISSED"]);
  const head = ["target", "measured", "result"];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) =>
    c
      .map((x, i) => x.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)].join("\n");
}

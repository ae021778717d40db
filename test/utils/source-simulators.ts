import type { App } from "../../src/app/index.ts";
import { SIMULATOR_FAULTS, type SimulatorFault, type SimulatorHandle } from "../../src/sources/http/index.ts";

/**
 * The gateway's sources as tests address them: the source name the gateway uses (probes,
 * audit records, resilience), the demo simulator behind it and the setting of its timeout.
 */
export const SOURCES = [
  { source: "brp", simulator: "brp", timeoutEnv: "BRP_TIMEOUT_MS" },
  { source: "bag", simulator: "bag", timeoutEnv: "BAG_TIMEOUT_MS" },
  { source: "hr", simulator: "kvk", timeoutEnv: "KVK_TIMEOUT_MS" },
  { source: "permits", simulator: "permits", timeoutEnv: "PERMITS_TIMEOUT_MS" },
  { source: "bewoning", simulator: "bewoning", timeoutEnv: "BEWONING_TIMEOUT_MS" },
  { source: "historie", simulator: "historie", timeoutEnv: "HISTORIE_TIMEOUT_MS" },
  { source: "woz", simulator: "woz", timeoutEnv: "WOZ_TIMEOUT_MS" },
  { source: "brk", simulator: "brk", timeoutEnv: "BRK_TIMEOUT_MS" },
] as const;
export type SourceName = (typeof SOURCES)[number]["source"];

/** Every fault a simulator can be switched to, "none" left out. */
export const FAULTS = SIMULATOR_FAULTS.filter((f): f is Exclude<SimulatorFault, "none"> => f !== "none");

/** `<SOURCE>_TIMEOUT_MS` for every source. */
export const timeoutsEnv = (ms: number): Record<string, string> =>
  Object.fromEntries(SOURCES.map((s) => [s.timeoutEnv, String(ms)]));

/** What every simulator records of a request; the rest differs per simulator. */
export interface AnyRecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly query?: unknown;
  readonly body?: unknown;
}

export function simulatorOf(app: App, source: SourceName): SimulatorHandle<AnyRecordedRequest> {
  const simulators = app.demo?.simulators;
  if (!simulators) throw new Error("demo simulators missing");
  const entry = SOURCES.find((s) => s.source === source);
  if (!entry) throw new Error(`unknown source ${source}`);
  return simulators[entry.simulator];
}

export function clearAllRequests(app: App): void {
  for (const { source } of SOURCES) simulatorOf(app, source).clearRequests();
}

export function resetAllFaults(app: App): void {
  for (const { source } of SOURCES) simulatorOf(app, source).setFault("none");
}

/** Requests each simulator has recorded since it was last cleared. */
export function requestCounts(app: App): Record<SourceName, number> {
  return Object.fromEntries(
    SOURCES.map(({ source }) => [source, simulatorOf(app, source).requestCount()]),
  ) as Record<SourceName, number>;
}

/** JSON with the keys of every object sorted, so equal values give equal text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value) ?? "undefined";
}

/** What identifies a request to an upstream: method, path, query and body. */
export const requestKey = (r: AnyRecordedRequest): string =>
  canonical({ method: r.method, path: r.path, query: r.query ?? null, body: r.body ?? null });

/** The keys that occur more than once. */
export function duplicateKeys(keys: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const k of keys) (seen.has(k) ? twice : seen).add(k);
  return [...twice];
}

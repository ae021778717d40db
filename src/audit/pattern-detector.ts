import type { Clock } from "../shared/index.ts";
import type { Db } from "../store/index.ts";
import type { PatternSettings } from "./flag-patterns.ts";
import { scanPatterns, type ScanReport } from "./pattern-records.ts";

/** Timers, injectable so tests fire a tick without waiting. */
export interface DetectorTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const nodeTimers: DetectorTimers = {
  set: (fn, ms) => setTimeout(fn, ms).unref(),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface DetectorLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface PatternDetectorOptions {
  readonly db: Db;
  readonly settings: PatternSettings;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly logger: DetectorLogger;
  /** FLAG_SCAN_INTERVAL_S in milliseconds; 0: only when the queue is read. */
  readonly intervalMs: number;
  readonly timers?: DetectorTimers | undefined;
}

/**
 * When patterns are looked for (issue 13): when the privacy officer's queue is read, so it is
 * always current, and every FLAG_SCAN_INTERVAL_S in between, so a read has little left to do.
 * Never on the audit append path: a request neither waits for detection nor fails by it.
 * `detect()` never rejects: a failure is logged and the queue shows what was detected before.
 */
export interface PatternDetector {
  /** Scans now, or joins the scan in progress. Undefined when it failed (logged). */
  detect(): Promise<ScanReport | undefined>;
  /** No further ticks; resolves once a scan in progress has finished. */
  stop(): Promise<void>;
}

export function createPatternDetector(options: PatternDetectorOptions): PatternDetector {
  const timers = options.timers ?? nodeTimers;
  let running: Promise<ScanReport | undefined> | undefined;
  let handle: unknown;
  let stopped = false;

  const detect = (): Promise<ScanReport | undefined> => {
    running ??= scanPatterns(options.db, options.settings, options.clock, options.newId)
      .then(
        (report) => {
          if (report.created + report.updated > 0)
            options.logger.info({ ...report }, "flagged patterns: detected");
          return report;
        },
        (error: unknown) => {
          options.logger.warn(
            { reason: error instanceof Error ? error.message : String(error) },
            "flagged patterns: detection failed",
          );
          return undefined;
        },
      )
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  const schedule = () => {
    if (stopped || options.intervalMs <= 0) return;
    handle = timers.set(() => void detect().finally(schedule), options.intervalMs);
  };
  schedule();

  return {
    detect,
    async stop() {
      stopped = true;
      if (handle !== undefined) timers.clear(handle);
      await running;
    },
  };
}

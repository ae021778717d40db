import type { PurgeReport } from "./purge.ts";

/** Timers, injectable so tests can fire a tick without waiting. */
export interface ScheduleTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** Node's timers, unref'd: a pending retention run never keeps the process alive. */
export const nodeTimers: ScheduleTimers = {
  set: (fn, ms) => setTimeout(fn, ms).unref(),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** The structured log the schedule writes to (pino's shape). */
export interface ScheduleLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface RetentionScheduleOptions {
  /** Time between the end of one run and the start of the next; the first starts one interval in. */
  readonly intervalMs: number;
  readonly run: () => Promise<PurgeReport>;
  readonly logger: ScheduleLogger;
  readonly timers?: ScheduleTimers | undefined;
}

export interface RetentionSchedule {
  /** Runs now, or joins the run in progress: never two at once. Resolves undefined if it failed. */
  runNow(): Promise<PurgeReport | undefined>;
  /** No further runs; resolves once the run in progress (if any) has finished. */
  stop(): Promise<void>;
}

/** What a run did, for the operational log: ids, rules and counts, no personal data. */
function logReport(logger: ScheduleLogger, report: PurgeReport): void {
  for (const f of report.failed)
    logger.warn({ runId: report.runId, caseId: f.caseId, reason: f.reason }, "retention: destruction failed");
  logger.info(
    {
      runId: report.runId,
      destroyed: report.destroyed.map((d) => ({ caseId: d.caseId, rule: d.rule.description })),
      concurrentlyDestroyed: report.concurrentlyDestroyed.length,
      failed: report.failed.length,
      passedOver: report.plan.passedOver.length,
      notYetDue: report.plan.notYetDue,
      auditTombstoned: report.auditTombstoned,
      reportersDestroyed: report.reportersDestroyed,
    },
    "retention run",
  );
  // Maastricht art. 1aa: the destroyed rows vacuumed out of the table files (and PGlite's WAL).
  if (report.vacuumFailed)
    logger.warn({ runId: report.runId, reason: report.vacuumFailed }, "retention: vacuum failed");
  else if (report.vacuumed?.length)
    logger.info({ runId: report.runId, vacuumed: report.vacuumed }, "retention: vacuumed");
  if (report.operatorNotice) logger.warn({ runId: report.runId }, report.operatorNotice);
}

/**
 * Runs the retention job inside the gateway every `intervalMs` (RETENTION_INTERVAL_MINUTES). A run
 * is scheduled only after the previous one ended, so runs never overlap in one process; across
 * replicas the purge itself is safe. A failing run is logged and the schedule goes on: retention
 * must not stop the gateway, and the next run retries what failed.
 */
export function startRetentionSchedule(options: RetentionScheduleOptions): RetentionSchedule {
  const { intervalMs, run, logger } = options;
  const timers = options.timers ?? nodeTimers;
  let inFlight: Promise<PurgeReport | undefined> | undefined;
  let handle: unknown;
  let stopped = false;

  const runNow = (): Promise<PurgeReport | undefined> => {
    if (inFlight) return inFlight;
    const attempt = Promise.resolve()
      .then(run)
      .then(
        (report) => {
          logReport(logger, report);
          return report;
        },
        (error: unknown) => {
          logger.error({ err: error }, "retention run failed");
          return undefined;
        },
      );
    const current = attempt.finally(() => {
      if (inFlight === current) inFlight = undefined;
    });
    inFlight = current;
    return current;
  };

  const schedule = () => {
    if (stopped) return;
    handle = timers.set(() => {
      handle = undefined;
      void runNow().then(schedule);
    }, intervalMs);
  };
  schedule();

  return {
    runNow,
    async stop() {
      stopped = true;
      if (handle !== undefined) timers.clear(handle);
      handle = undefined;
      await inFlight;
    },
  };
}

import { describe, expect, it } from "vitest";
import {
  startRetentionSchedule,
  type PurgeReport,
  type ScheduleLogger,
  type ScheduleTimers,
} from "../../src/retention/index.ts";

/** Timers the test fires by hand: no waiting, no sleeps. */
function manualTimers() {
  const pending = new Map<number, { fn: () => void; ms: number }>();
  let next = 0;
  const timers: ScheduleTimers = {
    set: (fn, ms) => {
      pending.set(++next, { fn, ms });
      return next;
    },
    clear: (handle) => void pending.delete(handle as number),
  };
  const fire = () => {
    const [entry] = [...pending.entries()];
    if (!entry) throw new Error("no timer pending");
    pending.delete(entry[0]);
    entry[1].fn();
  };
  return { timers, pending, fire };
}

function recordingLogger() {
  const lines: { level: string; obj: object; msg: string }[] = [];
  const logger: ScheduleLogger = {
    info: (obj, msg) => void lines.push({ level: "info", obj, msg }),
    warn: (obj, msg) => void lines.push({ level: "warn", obj, msg }),
    error: (obj, msg) => void lines.push({ level: "error", obj, msg }),
  };
  return { logger, lines };
}

/** A run the test finishes when it wants to. */
function controlledRun() {
  let calls = 0;
  let finish: ((r: PurgeReport) => void) | undefined;
  let fail: ((e: Error) => void) | undefined;
  const run = () => {
    calls += 1;
    return new Promise<PurgeReport>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
  };
  const report = {
    runId: "run-1",
    dryRun: false,
    plan: { passedOver: [], notYetDue: 2 },
    destroyed: [],
    concurrentlyDestroyed: [],
    failed: [{ caseId: "c9", reason: "locked" }],
    auditTombstoned: 3,
    reportersDestroyed: 1,
  } as unknown as PurgeReport;
  return {
    run,
    calls: () => calls,
    finish: () => finish!(report),
    fail: (e: Error) => fail!(e),
    report,
  };
}

const settled = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("the retention schedule", () => {
  it("runs one interval after start, then one interval after each run ends, never two at once", async () => {
    const { timers, pending, fire } = manualTimers();
    const { logger, lines } = recordingLogger();
    const r = controlledRun();
    const schedule = startRetentionSchedule({ intervalMs: 3_600_000, run: r.run, logger, timers });
    expect([...pending.values()].map((p) => p.ms)).toStrictEqual([3_600_000]);
    expect(r.calls()).toBe(0);

    fire();
    await settled();
    expect(r.calls()).toBe(1);
    expect(pending.size).toBe(0); // the next run is scheduled only when this one ends
    const joined = schedule.runNow(); // asking meanwhile joins the run in progress
    await settled();
    expect(r.calls()).toBe(1);

    r.finish();
    expect(await joined).toBe(r.report);
    await settled();
    expect(pending.size).toBe(1);
    expect(lines).toStrictEqual([
      {
        level: "warn",
        obj: { runId: "run-1", caseId: "c9", reason: "locked" },
        msg: "retention: destruction failed",
      },
      {
        level: "info",
        obj: {
          runId: "run-1",
          destroyed: [],
          concurrentlyDestroyed: 0,
          failed: 1,
          passedOver: 0,
          notYetDue: 2,
          auditTombstoned: 3,
          reportersDestroyed: 1,
        },
        msg: "retention run",
      },
    ]);
    await schedule.stop();
  });

  it("logs a failing run instead of throwing, and goes on", async () => {
    const { timers, pending, fire } = manualTimers();
    const { logger, lines } = recordingLogger();
    const r = controlledRun();
    const schedule = startRetentionSchedule({ intervalMs: 60_000, run: r.run, logger, timers });
    fire();
    await settled();
    r.fail(new Error("database unavailable"));
    await settled();
    await settled();
    expect(lines).toMatchObject([{ level: "error", msg: "retention run failed" }]);
    expect(pending.size).toBe(1);
    fire();
    await settled();
    expect(r.calls()).toBe(2);
    r.finish();
    await schedule.stop();
  });

  it("stops: clears the pending timer, waits for the run in progress, schedules nothing after it", async () => {
    const { timers, pending, fire } = manualTimers();
    const { logger } = recordingLogger();
    const r = controlledRun();
    const schedule = startRetentionSchedule({ intervalMs: 60_000, run: r.run, logger, timers });
    fire();
    await settled();
    let stopped = false;
    const stopping = schedule.stop().then(() => (stopped = true));
    await settled();
    expect(stopped).toBe(false);
    r.finish();
    await stopping;
    await settled();
    expect(pending.size).toBe(0);

    const idle = startRetentionSchedule({ intervalMs: 60_000, run: r.run, logger, timers });
    expect(pending.size).toBe(1);
    await idle.stop();
    expect(pending.size).toBe(0);
  });
});

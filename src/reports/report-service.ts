import { auditBase, type OperationContext } from "../context/index.ts";
import { buildActorAbility } from "../policy/index.ts";
import { err, ok, type Decision, type Result } from "../shared/index.ts";
import { buildDpiaSample, type DpiaSample } from "./dpia-sample.ts";
import { buildFgReport, type FgReport } from "./fg-report.ts";
import { readSnapshot, reportPeriod, sampleOptions, type ReportError } from "./report-input.ts";

type ReportOperation = "report.fg" | "report.dpia";

async function log(
  ctx: OperationContext,
  operation: ReportOperation,
  decision: Decision,
  detail: Record<string, unknown>,
): Promise<Result<void, ReportError>> {
  const logged = await ctx.audit.append([
    {
      ...auditBase(ctx, undefined, "accountability"),
      kind: "access",
      operation,
      decision: decision.allowed ? "allow" : "deny",
      reason: decision.reason,
      detail,
    },
  ]);
  return logged.ok
    ? ok(undefined)
    : err({ kind: "audit_failed", message: "The audit log could not be written." });
}

/**
 * Only a role granted `report.read` (the FG, Delft art. 9a, 9c) gets a report; a refusal is
 * logged and FORBIDDEN before the input is even judged, so a refused caller learns nothing.
 */
async function access(
  ctx: OperationContext,
  operation: ReportOperation,
  year: number,
): Promise<Result<Decision, ReportError>> {
  const decision = buildActorAbility(ctx.policy, ctx.actor).can("report.read");
  if (decision.allowed) return ok(decision);
  const logged = await log(ctx, operation, decision, { year });
  return logged.ok ? err({ kind: "forbidden", message: "Not permitted." }) : logged;
}

/**
 * The FG's annual report for `year` (Delft art. 9a), for an actor granted `report.read`. The
 * access is in the audit log before the report is built (no log, no report).
 */
export async function fgReportFor(
  ctx: OperationContext,
  year: number,
): Promise<Result<FgReport, ReportError>> {
  const decision = await access(ctx, "report.fg", year);
  if (!decision.ok) return decision;
  const period = reportPeriod(year);
  if (!period.ok) return period;
  const logged = await log(ctx, "report.fg", decision.value, { year });
  if (!logged.ok) return logged;
  const protocol = ctx.policy.protocol;
  const now = ctx.clock.now();
  return ok(await readSnapshot(ctx.db, (tx) => buildFgReport(tx, { period: period.value, protocol, now })));
}

/**
 * The DPIA sample of `year` (Delft art. 9c), for an actor granted `report.read`. Seed and
 * fraction go into the audit record too, so the sample can be drawn again from the log.
 */
export async function dpiaSampleFor(
  ctx: OperationContext,
  input: { readonly year: number; readonly seed: string; readonly fraction?: number | undefined },
): Promise<Result<DpiaSample, ReportError>> {
  const decision = await access(ctx, "report.dpia", input.year);
  if (!decision.ok) return decision;
  const period = reportPeriod(input.year);
  if (!period.ok) return period;
  const options = sampleOptions(input);
  if (!options.ok) return options;
  const logged = await log(ctx, "report.dpia", decision.value, { year: input.year, ...options.value });
  if (!logged.ok) return logged;
  const protocol = ctx.policy.protocol;
  const now = ctx.clock.now();
  return ok(
    await readSnapshot(ctx.db, (tx) =>
      buildDpiaSample(tx, { period: period.value, options: options.value, protocol, now }),
    ),
  );
}

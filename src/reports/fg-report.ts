import type { CheckKind } from "../cases/index.ts";
import type { Protocol } from "../policy/index.ts";
import {
  nextEvaluation,
  versionsInForce,
  type EvaluationDue,
  type VersionInForce,
} from "../policy/versions/index.ts";
import type { Queryable } from "../store/index.ts";
import { caseCounts, type CaseCounts } from "./case-counts.ts";
import { byText, col, type ReportPeriod } from "./report-input.ts";

/** How the weighing of the checks requested in the year stood at the end of the year. */
export interface CheckOutcomeCounts {
  readonly requested: number;
  readonly go: number;
  readonly noGo: number;
  readonly partial: number;
  /** Approved by a theme dataset instead of an advice (Delft art. 16g-h, 19g). */
  readonly themeApproved: number;
  /** Not advised yet, or escalated and not decided yet. */
  readonly pending: number;
}

/**
 * The FG's annual report (Delft art. 9a: the privacy checks done with their outcome, and the
 * deviations from the privacy officer's advice). Counts and policy/catalogue ids only: no
 * subject, no actor, no motivation, no case reference.
 */
export interface FgReport {
  readonly year: number;
  /** The calendar year in UTC: `from` inclusive, `to` exclusive. */
  readonly from: string;
  readonly to: string;
  readonly generatedAt: string;
  readonly protocolId: string;
  /** Every policy version that decided something in the year (audit records of the year). */
  readonly policyHashes: readonly string[];
  /**
   * The published policy versions in force during the year (issue 14): each from its publication
   * to the next one's, clipped to the year, with the privacy officer's motivation for it.
   */
  readonly policyVersions: readonly VersionInForce[];
  /** When the protocol is next to be evaluated with the FG (Maastricht art. 13), as of generation. */
  readonly policyEvaluation: EvaluationDue | null;
  readonly checks: {
    readonly total: CheckOutcomeCounts;
    readonly byKind: readonly (CheckOutcomeCounts & { readonly kind: CheckKind })[];
  };
  /** Steps taken in the year, whenever their check was requested. */
  readonly steps: {
    readonly decisions: number;
    /** Coordinator decisions that differ from the advice (Delft art. 16d-e). */
    readonly deviations: number;
    readonly escalations: number;
    readonly revocations: number;
    readonly lapsed: number;
    readonly secondOpinionsRequested: number;
    readonly secondOpinionsGiven: number;
  };
  readonly themeApprovals: readonly { readonly dataset: string; readonly approvals: number }[];
  readonly cases: CaseCounts;
  /** Refused requests of the year (audit records with decision `deny`). */
  readonly deniedAccess: {
    readonly total: number;
    readonly byOperation: readonly { readonly operation: string; readonly denied: number }[];
  };
}

const KINDS: readonly CheckKind[] = ["1", "2a", "2b"];
type Row = Record<string, unknown>;
type Outcome = Exclude<keyof CheckOutcomeCounts, "requested">;

/**
 * One check's outcome at the end of the year: theme-approved, or the advice of the step that
 * settled the weighing last (an advice or a coordinator's decision), or pending while nothing
 * settled it or an escalation still waits for the coordinator.
 */
function outcomeOf(r: Row): Outcome {
  if (r.theme_approved === true) return "themeApproved";
  if (r.weighing !== "advised" && r.weighing !== "decided") return "pending";
  if (r.advice === "GO") return "go";
  if (r.advice === "NO_GO") return "noGo";
  return "partial";
}

async function checkOutcomes(db: Queryable, p: ReportPeriod): Promise<FgReport["checks"]> {
  const rows = await db.query<Row>(
    `SELECT c.kind, w.kind AS weighing, w.advice,
            (c.theme_dataset IS NOT NULL AND EXISTS (
              SELECT 1 FROM privacy_check_steps t
               WHERE t.check_id = c.id AND t.kind = 'theme_approved' AND t.at < $2::timestamptz)) AS theme_approved
       FROM privacy_checks c
       LEFT JOIN LATERAL (
         SELECT s.kind, s.advice FROM privacy_check_steps s
          WHERE s.check_id = c.id AND s.kind IN ('advised', 'decided', 'escalated') AND s.at < $2::timestamptz
          ORDER BY s.seq DESC LIMIT 1) w ON true
      WHERE c.requested_at >= $1::timestamptz AND c.requested_at < $2::timestamptz`,
    [p.from.toISOString(), p.to.toISOString()],
  );
  const empty = (): Record<keyof CheckOutcomeCounts, number> => ({
    requested: 0,
    go: 0,
    noGo: 0,
    partial: 0,
    themeApproved: 0,
    pending: 0,
  });
  const total = empty();
  const perKind = new Map(KINDS.map((k) => [k, empty()]));
  for (const r of rows) {
    const outcome = outcomeOf(r);
    for (const counts of [total, perKind.get(col.str(r, "kind") as CheckKind)]) {
      if (!counts) continue;
      counts.requested += 1;
      counts[outcome] += 1;
    }
  }
  return { total, byKind: KINDS.map((kind) => ({ kind, ...perKind.get(kind)! })) };
}

async function stepCounts(db: Queryable, p: ReportPeriod): Promise<FgReport["steps"]> {
  const rows = await db.query<Row>(
    `SELECT kind, count(*)::int AS n, count(*) FILTER (WHERE deviation)::int AS deviations
       FROM privacy_check_steps WHERE at >= $1::timestamptz AND at < $2::timestamptz GROUP BY kind`,
    [p.from.toISOString(), p.to.toISOString()],
  );
  const n = (kind: string) => col.num(rows.find((r) => r.kind === kind) ?? { n: 0 }, "n");
  return {
    decisions: n("decided"),
    deviations: col.num(rows.find((r) => r.kind === "decided") ?? { deviations: 0 }, "deviations"),
    escalations: n("escalated"),
    revocations: n("revoked"),
    lapsed: n("lapsed"),
    secondOpinionsRequested: n("opinion_requested"),
    secondOpinionsGiven: n("opinion_given"),
  };
}

async function themeApprovals(db: Queryable, p: ReportPeriod): Promise<FgReport["themeApprovals"]> {
  const rows = await db.query<Row>(
    `SELECT c.theme_dataset AS dataset, count(*)::int AS n
       FROM privacy_check_steps s JOIN privacy_checks c ON c.id = s.check_id
      WHERE s.kind = 'theme_approved' AND c.theme_dataset IS NOT NULL
        AND s.at >= $1::timestamptz AND s.at < $2::timestamptz
      GROUP BY c.theme_dataset`,
    [p.from.toISOString(), p.to.toISOString()],
  );
  return rows
    .map((r) => ({ dataset: col.str(r, "dataset"), approvals: col.num(r, "n") }))
    .sort((a, b) => byText(a.dataset, b.dataset));
}

async function deniedAccess(db: Queryable, p: ReportPeriod): Promise<FgReport["deniedAccess"]> {
  const rows = await db.query<Row>(
    `SELECT operation, count(*)::int AS n FROM audit_log
      WHERE decision = 'deny' AND at >= $1::timestamptz AND at < $2::timestamptz GROUP BY operation`,
    [p.from.toISOString(), p.to.toISOString()],
  );
  // A record whose personal columns retention destroyed may have lost its operation too.
  const byOperation = rows
    .map((r) => ({
      operation: col.strOrNull(r, "operation") ?? "(destroyed record)",
      denied: col.num(r, "n"),
    }))
    .sort((a, b) => byText(a.operation, b.operation));
  return { total: byOperation.reduce((a, x) => a + x.denied, 0), byOperation };
}

async function policyHashes(db: Queryable, p: ReportPeriod): Promise<string[]> {
  const rows = await db.query<Row>(
    `SELECT DISTINCT policy_hash FROM audit_log
      WHERE policy_hash IS NOT NULL AND at >= $1::timestamptz AND at < $2::timestamptz`,
    [p.from.toISOString(), p.to.toISOString()],
  );
  return rows.map((r) => col.str(r, "policy_hash")).sort(byText);
}

/**
 * Builds the FG's annual report for one calendar year (UTC) from the case and check histories
 * and the audit log. Read-only; pass a snapshot (see `readSnapshot`) so the numbers agree.
 */
export async function buildFgReport(
  db: Queryable,
  input: { readonly period: ReportPeriod; readonly protocol: Protocol; readonly now: Date },
): Promise<FgReport> {
  const { period, protocol } = input;
  return {
    year: period.year,
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    generatedAt: input.now.toISOString(),
    protocolId: protocol.id,
    policyHashes: await policyHashes(db, period),
    policyVersions: await versionsInForce(db, period.from, period.to),
    policyEvaluation: (await nextEvaluation(db, { now: () => input.now })) ?? null,
    checks: await checkOutcomes(db, period),
    steps: await stepCounts(db, period),
    themeApprovals: await themeApprovals(db, period),
    cases: await caseCounts(db, period, protocol),
    deniedAccess: await deniedAccess(db, period),
  };
}

import type { Protocol } from "../policy/index.ts";
import { EXIT_RECEIVER_KINDS } from "../policy/schemas.ts";
import type { Queryable } from "../store/index.ts";
import { byText, col, type ReportPeriod } from "./report-input.ts";

/** Case numbers of the FG report; phases and outcomes in the protocol's order, zeros included. */
export interface CaseCounts {
  readonly opened: number;
  /** Cases that entered each phase in the year (opened into it or moved into it). */
  readonly enteredPhase: readonly { readonly phase: string; readonly cases: number }[];
  readonly closed: number;
  readonly closedByOutcome: readonly { readonly outcome: string; readonly cases: number }[];
  /** Cases closed in the year that handed their signal over, per kind of receiver (case_exits). */
  readonly exitsByReceiver: readonly { readonly receiverKind: string; readonly cases: number }[];
  readonly openAtYearEnd: number;
  readonly openAtYearEndByPhase: readonly { readonly phase: string; readonly cases: number }[];
}

type Row = Record<string, unknown>;

/** Every known key in the protocol's order (zeros included), then keys only the data know. */
function ordered(known: readonly string[], counts: ReadonlyMap<string, number>) {
  const extra = [...counts.keys()].filter((k) => !known.includes(k)).sort(byText);
  return [...known, ...extra].map((key) => ({ key, n: counts.get(key) ?? 0 }));
}

const countsBy = (rows: readonly Row[], key: string) =>
  new Map(rows.map((r) => [col.strOrNull(r, key) ?? "(none)", col.num(r, "n")]));
const sum = (xs: readonly { readonly cases: number }[]) => xs.reduce((a, x) => a + x.cases, 0);

/**
 * What happened to cases in a calendar year, from their event history: opened, entering each
 * phase, closed per outcome, and where the open ones stood at the end of the year.
 */
export async function caseCounts(db: Queryable, p: ReportPeriod, protocol: Protocol): Promise<CaseCounts> {
  const range = [p.from.toISOString(), p.to.toISOString()];
  const inYear = "at >= $1::timestamptz AND at < $2::timestamptz";
  const [opened] = await db.query<Row>(
    `SELECT count(*)::int AS n FROM case_events WHERE kind = 'opened' AND ${inYear}`,
    range,
  );
  const entered = await db.query<Row>(
    `SELECT to_phase, count(*)::int AS n FROM case_events
      WHERE kind IN ('opened', 'transitioned') AND ${inYear} GROUP BY to_phase`,
    range,
  );
  const closed = await db.query<Row>(
    `SELECT outcome, count(*)::int AS n FROM case_events WHERE kind = 'closed' AND ${inYear} GROUP BY outcome`,
    range,
  );
  const exits = await db.query<Row>(
    `SELECT receiver_kind, count(*)::int AS n FROM case_exits WHERE ${inYear} GROUP BY receiver_kind`,
    range,
  );
  // Where each case stood at the end of the year: its last move before then (a reassignment,
  // kind `assigned`, moves no phase).
  const open = await db.query<Row>(
    `SELECT last.to_phase, count(*)::int AS n FROM (
       SELECT DISTINCT ON (case_id) case_id, kind, to_phase FROM case_events
        WHERE at < $1::timestamptz AND kind IN ('opened', 'transitioned', 'closed')
        ORDER BY case_id, seq DESC) last
      WHERE last.kind <> 'closed' GROUP BY last.to_phase`,
    [p.to.toISOString()],
  );
  // Closing is counted by outcome; no transition leads into the closed phase.
  const phases = protocol.phases.map((ph) => ph.id).filter((ph) => ph !== protocol.closedPhase);
  const enteredPhase = ordered(phases, countsBy(entered, "to_phase")).map(({ key, n }) => ({
    phase: key,
    cases: n,
  }));
  const closedByOutcome = ordered(
    protocol.outcomes.map((o) => o.id),
    countsBy(closed, "outcome"),
  ).map(({ key, n }) => ({ outcome: key, cases: n }));
  const exitsByReceiver = ordered(EXIT_RECEIVER_KINDS, countsBy(exits, "receiver_kind")).map(
    ({ key, n }) => ({ receiverKind: key, cases: n }),
  );
  const openAtYearEndByPhase = ordered(phases, countsBy(open, "to_phase")).map(({ key, n }) => ({
    phase: key,
    cases: n,
  }));
  return {
    opened: col.num(opened ?? { n: 0 }, "n"),
    enteredPhase,
    closed: sum(closedByOutcome),
    closedByOutcome,
    exitsByReceiver,
    openAtYearEnd: sum(openAtYearEndByPhase),
    openAtYearEndByPhase,
  };
}

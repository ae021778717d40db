import { createHash } from "node:crypto";
import type { Advice, CheckKind, CheckStatus, PrivacyCheckStep } from "../cases/index.ts";
import type { Protocol } from "../policy/index.ts";
import type { Queryable } from "../store/index.ts";
import { byText, col, type ReportPeriod, type SampleOptions } from "./report-input.ts";

/** One step of a sampled check, as the check's history holds it. */
export interface DpiaStep {
  readonly kind: PrivacyCheckStep["kind"];
  readonly actor: string;
  readonly at: string;
  readonly advice: Advice | null;
  readonly fields: readonly string[];
  readonly probes: readonly string[];
  readonly motivation: string;
  readonly deviation: boolean;
}

/** A sampled check with its whole history. Subjects only as a number, never their keys. */
export interface DpiaEntry {
  readonly checkId: string;
  readonly caseId: string;
  readonly caseReference: string;
  readonly kind: CheckKind;
  readonly source: string;
  readonly status: CheckStatus;
  readonly requestedAt: string;
  readonly requestedFields: readonly string[];
  readonly requestedProbes: readonly string[];
  readonly approvedFields: readonly string[];
  readonly approvedProbes: readonly string[];
  readonly recipients: readonly string[];
  readonly subjectCount: number;
  readonly themeDataset: string | null;
  readonly motivation: string;
  /** Why it is in the sample: drawn at random, and/or because a decision deviated from the advice. */
  readonly drawnFor: readonly ("random" | "deviation")[];
  readonly steps: readonly DpiaStep[];
}

/**
 * The sample of privacy checks a DPIA reviews (Delft art. 9c: "at least 10% of the privacy checks
 * carried out, and any deviations"): a reproducible random draw, plus every check of the year whose
 * coordinator's decision deviated from the advice. The same seed over the same data gives the same
 * sample.
 */
export interface DpiaSample {
  readonly year: number;
  readonly generatedAt: string;
  readonly protocolId: string;
  readonly seed: string;
  readonly fraction: number;
  /** Checks requested in the year. */
  readonly population: number;
  /** ceil(population x fraction): the random part. */
  readonly size: number;
  /** Checks of the population with a deviating decision; all of them are in `entries`. */
  readonly deviations: number;
  readonly method: string;
  readonly entries: readonly DpiaEntry[];
}

export const SAMPLE_METHOD =
  "Checks requested in the year, ordered by the hex SHA-256 of '<seed>:<check id>' ascending; " +
  "the first ceil(population x fraction) are taken, and every other check of the year with a " +
  "decision that deviated from the advice is added after them.";

const sortKey = (seed: string, checkId: string) =>
  createHash("sha256").update(`${seed}:${checkId}`).digest("hex");

/** ceil(n x fraction), without the binary rounding error of e.g. 30 x 0.1 = 3.0000000000000004. */
export function sampleSize(population: number, fraction: number): number {
  return Math.ceil(Math.round(population * fraction * 1e9) / 1e9);
}

/** The ids the sample takes, in sample order. */
export function drawSample(ids: readonly string[], options: SampleOptions): string[] {
  return ids
    .map((id) => ({ id, key: sortKey(options.seed, id) }))
    .sort((a, b) => byText(a.key, b.key) || byText(a.id, b.id))
    .slice(0, sampleSize(ids.length, options.fraction))
    .map((x) => x.id);
}

type Row = Record<string, unknown>;

function toStep(r: Row): DpiaStep {
  return {
    kind: col.str(r, "kind") as DpiaStep["kind"],
    actor: col.str(r, "actor"),
    at: col.iso(r, "at"),
    advice: col.strOrNull(r, "advice") as Advice | null,
    fields: col.strings(r, "fields"),
    probes: col.strings(r, "probes"),
    motivation: col.str(r, "motivation"),
    deviation: r.deviation === true,
  };
}

function toEntry(r: Row, steps: readonly DpiaStep[], drawnFor: DpiaEntry["drawnFor"]): DpiaEntry {
  return {
    checkId: col.str(r, "id"),
    caseId: col.str(r, "case_id"),
    caseReference: col.str(r, "reference"),
    kind: col.str(r, "kind") as CheckKind,
    source: col.str(r, "source"),
    status: col.str(r, "status") as CheckStatus,
    requestedAt: col.iso(r, "requested_at"),
    requestedFields: col.strings(r, "requested_fields"),
    requestedProbes: col.strings(r, "requested_probes"),
    approvedFields: col.strings(r, "approved_fields"),
    approvedProbes: col.strings(r, "approved_probes"),
    recipients: col.strings(r, "recipients"),
    subjectCount: col.num(r, "subject_count"),
    themeDataset: col.strOrNull(r, "theme_dataset"),
    motivation: col.str(r, "motivation"),
    drawnFor,
    steps,
  };
}

/**
 * Draws the DPIA sample of one calendar year (UTC) with each check's full history. Read-only;
 * pass a snapshot (see `readSnapshot`). Subject keys are counted in SQL and never read.
 */
export async function buildDpiaSample(
  db: Queryable,
  input: {
    readonly period: ReportPeriod;
    readonly options: SampleOptions;
    readonly protocol: Protocol;
    readonly now: Date;
  },
): Promise<DpiaSample> {
  const { period, options } = input;
  const ids = await db.query<Row>(
    "SELECT id FROM privacy_checks WHERE requested_at >= $1::timestamptz AND requested_at < $2::timestamptz",
    [period.from.toISOString(), period.to.toISOString()],
  );
  const drawn = drawSample(
    ids.map((r) => col.str(r, "id")),
    options,
  );
  const deviating = (
    await db.query<Row>(
      `SELECT c.id FROM privacy_checks c
        WHERE c.requested_at >= $1::timestamptz AND c.requested_at < $2::timestamptz
          AND EXISTS (SELECT 1 FROM privacy_check_steps s WHERE s.check_id = c.id AND s.deviation)
        ORDER BY c.requested_at, c.id`,
      [period.from.toISOString(), period.to.toISOString()],
    )
  ).map((r) => col.str(r, "id"));
  const chosen = [...drawn, ...deviating.filter((id) => !drawn.includes(id))];
  const reasons = (id: string): DpiaEntry["drawnFor"] => [
    ...(drawn.includes(id) ? (["random"] as const) : []),
    ...(deviating.includes(id) ? (["deviation"] as const) : []),
  ];
  const checks = await db.query<Row>(
    `SELECT c.id, c.case_id, k.reference, c.kind, c.source, c.status, c.requested_at, c.requested_fields,
            c.requested_probes, c.approved_fields, c.approved_probes, c.recipients,
            jsonb_array_length(c.subjects)::int AS subject_count, c.theme_dataset, c.motivation
       FROM privacy_checks c JOIN cases k ON k.id = c.case_id
      WHERE c.id = ANY($1::text[])`,
    [chosen],
  );
  const steps = await db.query<Row>(
    `SELECT check_id, kind, actor, at, advice, fields, probes, motivation, deviation
       FROM privacy_check_steps WHERE check_id = ANY($1::text[]) ORDER BY seq`,
    [chosen],
  );
  const byId = new Map(checks.map((r) => [col.str(r, "id"), r]));
  const entries = chosen.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    return [toEntry(row, steps.filter((s) => s.check_id === id).map(toStep), reasons(id))];
  });
  return {
    year: period.year,
    generatedAt: input.now.toISOString(),
    protocolId: input.protocol.id,
    seed: options.seed,
    fraction: options.fraction,
    population: ids.length,
    size: drawn.length,
    deviations: deviating.length,
    method: SAMPLE_METHOD,
    entries,
  };
}

import type { OperationContext } from "../context/index.ts";
import type { Protocol, WeighingDef } from "../policy/index.ts";
import { err, freeText, ok, type Result } from "../shared/index.ts";
import { asDate, asStrOrNull, type Queryable, type Row } from "../store/index.ts";
import { loadVisibleCase, type VisibleCase } from "./case-access.ts";
import type { CaseError, CaseRecord } from "./case-record.ts";
import { caseRepository } from "./case-repository.ts";
import { commitChange, logDenied, refusal, requireMotivation } from "./case-service.ts";

/**
 * The weighing checklist of a case (issue 11; Maastricht art. 15, 16.1, bijlage C; Delft art.
 * 12-15): the steps come from the protocol file, the answers from the case's RO/AVO, recorded in
 * the weighing phase, append-only (015_weighing_answers.sql). A move out of that phase into a gated
 * phase needs every step answered (`weighingGate`, called by `transitionCase`).
 */
export interface WeighingAnswerInput {
  readonly step: string;
  readonly answer: string;
  readonly note?: string | null | undefined;
}

/** One answer as recorded; a later one for the same step supersedes it. */
export interface WeighingAnswerRecord {
  readonly seq: number;
  readonly step: string;
  readonly answer: string;
  /** Null when none was given, or once the retention purge destroyed it. */
  readonly note: string | null;
  readonly actor: string;
  readonly at: Date;
}

/** At most this long, like a heading: the motivation carries the reasoning. */
export const MAX_WEIGHING_NOTE = 500;

const toAnswer = (r: Row): WeighingAnswerRecord => ({
  seq: Number(r.seq),
  step: String(r.step),
  answer: String(r.answer),
  note: asStrOrNull(r.note),
  actor: String(r.actor),
  at: asDate(r.at),
});

export const weighingRepository = {
  async insert(
    db: Queryable,
    c: CaseRecord,
    answers: readonly { step: string; answer: string; note: string | null }[],
    actor: string,
    at: Date,
  ): Promise<void> {
    for (const a of answers)
      await db.query(
        `INSERT INTO weighing_answers (case_id, protocol_id, phase, step, answer, note, actor, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [c.id, c.protocolId, c.phase, a.step, a.answer, a.note, actor, at],
      );
  },

  /** Every answer of the case, oldest first. */
  async list(db: Queryable, caseId: string): Promise<WeighingAnswerRecord[]> {
    const rows = await db.query<Row>("SELECT * FROM weighing_answers WHERE case_id = $1 ORDER BY seq", [
      caseId,
    ]);
    return rows.map(toAnswer);
  },
};

/** The answer in force per step: the latest one that is still an allowed answer of the step. */
export function answersInForce(
  def: WeighingDef,
  answers: readonly WeighingAnswerRecord[],
): Map<string, WeighingAnswerRecord> {
  const current = new Map<string, WeighingAnswerRecord>();
  for (const a of answers) {
    const step = def.steps.find((s) => s.id === a.step);
    if (step?.answers.includes(a.answer)) current.set(a.step, a);
  }
  return current;
}

/** The steps of the checklist without an answer in force, in the protocol file's order. */
export const missingSteps = (def: WeighingDef, answers: readonly WeighingAnswerRecord[]): string[] => {
  const current = answersInForce(def, answers);
  return def.steps.filter((s) => !current.has(s.id)).map((s) => s.id);
};

/**
 * The gate (Maastricht art. 16.3; Delft art. 15e): a move from the weighing phase into one of the
 * checklist's gated phases only with every step answered. Closing (art. 16.2; Delft art. 15f-h)
 * and every other move are not gated. Undefined when the move may go ahead.
 */
export async function weighingGate(
  db: Queryable,
  protocol: Protocol,
  record: CaseRecord,
  to: string,
): Promise<{ error: CaseError; missing: string[] } | undefined> {
  const def = protocol.weighing;
  if (!def || record.phase !== def.phase || !def.gates.includes(to)) return undefined;
  const missing = missingSteps(def, await weighingRepository.list(db, record.id));
  if (missing.length === 0) return undefined;
  return {
    missing,
    error: {
      kind: "phase_conflict",
      message:
        `The weighing checklist is not complete: ${missing.join(", ")} not answered. Record them with ` +
        `recordWeighing before moving to ${to} (${def.article}).`,
    },
  };
}

const bad = (message: string) => err<CaseError>({ kind: "bad_input", message });

/** Checks every answer against the protocol file before anything is written. */
function checkAnswers(
  def: WeighingDef,
  answers: readonly WeighingAnswerInput[],
): Result<{ step: string; answer: string; note: string | null }[], CaseError> {
  if (answers.length === 0) return bad("answers: give at least one answer.");
  if (answers.length > def.steps.length)
    return bad(`answers: at most ${def.steps.length}, one per step of the checklist.`);
  const checked: { step: string; answer: string; note: string | null }[] = [];
  for (const [i, a] of answers.entries()) {
    const step = def.steps.find((s) => s.id === a.step);
    if (!step)
      return bad(
        `answers[${i}].step: ${JSON.stringify(a.step.slice(0, 60))} is not a step of the checklist; it has ${def.steps.map((s) => s.id).join(", ")}.`,
      );
    if (checked.some((c) => c.step === step.id))
      return bad(`answers[${i}].step: ${step.id} is answered twice; give one answer per step.`);
    if (!step.answers.includes(a.answer))
      return bad(
        `answers[${i}].answer: ${JSON.stringify(a.answer.slice(0, 60))} is not an answer of step ${step.id}; it allows ${step.answers.join(", ")}.`,
      );
    const note = a.note?.trim() || null;
    if (note !== null && note.length > MAX_WEIGHING_NOTE)
      return bad(`answers[${i}].note: at most ${MAX_WEIGHING_NOTE} characters.`);
    if (note !== null) {
      const text = freeText(note, `answers[${i}].note`);
      if (!text.ok) return bad(text.error.message);
    }
    checked.push({ step: step.id, answer: a.answer, note });
  }
  return ok(checked);
}

/**
 * Records answers of the weighing checklist (action `case.weigh`: the case's own RO/AVO), only in
 * the protocol's weighing phase. Every answer is checked first; then the answers, an event in the
 * case history (kind `weighed`, with the motivation) and the audit record are written together.
 * The case's version moves on, so a move decided on an older state of the checklist is refused.
 */
export async function recordWeighing(
  ctx: OperationContext,
  id: string,
  answers: readonly WeighingAnswerInput[],
  motivation: string,
): Promise<Result<CaseRecord, CaseError>> {
  const visible = await loadVisibleCase(ctx, id, "case.weighing");
  if (!visible.ok) return visible;
  const { record, ability } = visible.value;
  const decision = ability.can("case.weigh");
  if (!decision.allowed) return logDenied(ctx, record, "case.weighing", refusal(decision));
  const motivationProblem = requireMotivation(motivation);
  if (motivationProblem) return err(motivationProblem);
  const def = ctx.policy.protocol.weighing;
  if (!def) return bad("id: the protocol has no weighing checklist.");
  if (record.phase !== def.phase)
    return bad(
      `id: the case is in phase ${record.phase}; the weighing checklist is answered in phase ${def.phase} (${def.article}).`,
    );
  const checked = checkAnswers(def, answers);
  if (!checked.ok) return checked;
  const at = ctx.clock.now();
  const before = await weighingRepository.list(ctx.db, record.id);
  const after = [
    ...before,
    ...checked.value.map((a, i) => ({ ...a, seq: Number.MAX_SAFE_INTEGER - i, actor: "", at })),
  ];
  const missing = missingSteps(def, after);
  return commitChange(
    ctx,
    async (tx) => {
      const updated = await caseRepository.update(tx, record, {
        phase: record.phase,
        status: record.status,
        outcome: record.outcome,
        closedAt: record.closedAt,
      });
      if (updated) await weighingRepository.insert(tx, record, checked.value, ctx.actor.subject, at);
      return updated;
    },
    (c) => ({
      caseId: c.id,
      kind: "weighed",
      fromPhase: record.phase,
      toPhase: null,
      outcome: null,
      actor: ctx.actor.subject,
      at,
      motivation,
    }),
    "case.weighing",
    decision.reason,
    {
      phase: record.phase,
      // Step and answer ids of the protocol file: no personal data; the notes stay out of the log.
      answers: Object.fromEntries(checked.value.map((a) => [a.step, a.answer])),
      complete: missing.length === 0,
      missing,
    },
  );
}

/** The checklist of a case with its answers, for roles that read its history; else undefined. */
export async function visibleWeighing(
  ctx: OperationContext,
  c: VisibleCase,
): Promise<{ def: WeighingDef; answers: WeighingAnswerRecord[] } | undefined> {
  const def = ctx.policy.protocol.weighing;
  if (!def || !c.ability.can("case.history").allowed) return undefined;
  return { def, answers: await weighingRepository.list(ctx.db, c.record.id) };
}

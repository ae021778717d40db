import {
  abilityFor,
  answersInForce,
  missingSteps,
  recordWeighing,
  visibleWeighing,
  type VisibleCase,
  type WeighingAnswerInput,
  type WeighingAnswerRecord,
} from "../src/cases/index.ts";
import { unwrapCase } from "../src/server/map-errors.ts";
import type { GatewayContext } from "./context.ts";

/** The weighing checklist (schema/weighing.graphql; Maastricht bijlage C; Delft art. 12-15). */
const answerOut = (a: WeighingAnswerRecord) => ({
  answer: a.answer,
  note: a.note,
  actor: a.actor,
  at: a.at.toISOString(),
});

export const WeighingMutation = {
  recordWeighing: async (
    _: unknown,
    args: { id: string; answers: WeighingAnswerInput[]; motivation: string },
    ctx: GatewayContext,
  ): Promise<VisibleCase> => {
    const record = unwrapCase(await recordWeighing(ctx, args.id, args.answers, args.motivation));
    return { record, ...(await abilityFor(ctx, ctx.db, record)) };
  },
};

export const WeighingCase = {
  weighing: async (c: VisibleCase, _: unknown, ctx: GatewayContext) => {
    const w = await visibleWeighing(ctx, c);
    if (!w) return null;
    const current = answersInForce(w.def, w.answers);
    const missing = missingSteps(w.def, w.answers);
    return {
      phase: w.def.phase,
      gates: w.def.gates,
      article: w.def.article,
      steps: w.def.steps.map((s) => {
        const inForce = current.get(s.id);
        return {
          ...s,
          article: s.article ?? null,
          answer: inForce ? answerOut(inForce) : null,
          history: w.answers.filter((a) => a.step === s.id).map(answerOut),
        };
      }),
      complete: missing.length === 0,
      missing,
    };
  },
};

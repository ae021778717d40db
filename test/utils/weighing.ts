import {
  caseRepository,
  recordWeighing,
  transitionCase,
  type CaseError,
  type CaseRecord,
  type WeighingAnswerInput,
} from "../../src/cases/index.ts";
import type { OperationContext } from "../../src/context/index.ts";
import type { Protocol } from "../../src/policy/index.ts";
import type { Result } from "../../src/shared/index.ts";
import type { GqlResult } from "./test-app.ts";

/**
 * The weighing checklist for tests that only need a case past it (issue 11; Maastricht art. 16.3,
 * Delft art. 15e): every step answered with its first allowed answer, recorded by the case's analyst
 * just before a move the checklist gates. Tests of the checklist itself are in
 * test/server/weighing-checklist.test.ts.
 */
export const fullChecklist = (protocol: Protocol): WeighingAnswerInput[] =>
  (protocol.weighing?.steps ?? []).map((s) => ({ step: s.id, answer: s.answers[0]! }));

/** Whether moving a case in `phase` to `to` needs the checklist complete first. */
const gated = (protocol: Protocol, phase: string, to: string): boolean =>
  protocol.weighing !== undefined &&
  protocol.weighing.phase === phase &&
  protocol.weighing.gates.includes(to);

/** `transitionCase`, after recording a complete checklist when the move needs one. */
export async function moveCase(
  ctx: OperationContext,
  id: string,
  to: string,
  motivation: string,
): Promise<Result<CaseRecord, CaseError>> {
  const record = await caseRepository.get(ctx.db, id);
  if (record && gated(ctx.policy.protocol, record.phase, to)) {
    const weighed = await recordWeighing(ctx, id, fullChecklist(ctx.policy.protocol), "Checklist answered.");
    if (!weighed.ok) return weighed;
  }
  return transitionCase(ctx, id, to, motivation);
}

/** Runs one operation as the case's analyst (e.g. `(q, v) => t.gql(analyst, q, v)`). */
export type RunGql = (query: string, variables: Record<string, unknown>) => Promise<GqlResult>;

const STATE = `query($id: ID!) { case(id: $id) { phase }
  protocol { weighing { phase gates steps { id answers } } } }`;
export const RECORD_WEIGHING = `mutation($id: ID!, $answers: [WeighingAnswerInput!]!, $m: String!) {
  recordWeighing(id: $id, answers: $answers, motivation: $m) { id } }`;

/**
 * Over GraphQL: when the case stands in the weighing phase and `to` is gated, records every step
 * with its first allowed answer, so the test's own `transitionCase` can follow. Throws on errors.
 */
export async function weighBefore(run: RunGql, id: string, to: string): Promise<void> {
  const state = await run(STATE, { id });
  if (state.errors) throw new Error(`weighBefore: ${JSON.stringify(state.errors)}`);
  const data = state.data as {
    case: { phase: string } | null;
    protocol: {
      weighing: { phase: string; gates: string[]; steps: { id: string; answers: string[] }[] } | null;
    };
  };
  const w = data.protocol.weighing;
  if (!w || data.case?.phase !== w.phase || !w.gates.includes(to)) return;
  const answers = w.steps.map((s) => ({ step: s.id, answer: s.answers[0] }));
  const done = await run(RECORD_WEIGHING, { id, answers, m: "Checklist answered." });
  if (done.errors) throw new Error(`weighBefore: ${JSON.stringify(done.errors)}`);
}

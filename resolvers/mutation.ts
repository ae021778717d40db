import {
  abilityFor,
  acknowledgeSignalReceipt,
  advisePrivacyCheck,
  assignCase,
  closeCase,
  decidePrivacyCheck,
  escalatePrivacyCheck,
  giveSecondOpinion,
  requestSecondOpinion,
  revokePrivacyCheck,
  openCase,
  registerSignal,
  addCaseSubject,
  requestPrivacyCheck,
  transitionCase,
  type Advice,
  type CaseExitInput,
  type OpenCaseInput,
  type PersonDescriptionInput,
  type PersonResolver,
  type CaseRecord,
  type CheckKind,
  type VisibleCase,
} from "../src/cases/index.ts";
import { unwrapCase } from "../src/server/map-errors.ts";
import { describePersonProblems, resolvePerson, type PersonDescription } from "../src/sources/brp/index.ts";
import type { GatewayContext } from "./context.ts";

/** Intake's BRP search for persons a signal names without a BSN (src/sources/brp/brp-resolve.ts). */
const personResolver = (ctx: GatewayContext): PersonResolver => ({
  problems: (d) => describePersonProblems(description(d)),
  resolve: (d) => resolvePerson(ctx.sources.brp.client, description(d)),
});

/** GraphQL's nulls as absent. */
const description = (d: PersonDescriptionInput): PersonDescription =>
  Object.fromEntries(Object.entries(d).filter(([, v]) => v !== null && v !== undefined)) as PersonDescription;

const KIND: Record<string, CheckKind> = { CHECK_1: "1", CHECK_2A: "2a", CHECK_2B: "2b" };

async function visible(ctx: GatewayContext, record: CaseRecord): Promise<VisibleCase> {
  return { record, ...(await abilityFor(ctx, ctx.db, record)) };
}

interface Subset {
  approvedFields?: string[] | null;
  approvedProbes?: string[] | null;
}
/** The PARTIAL subset of an advice or decision, GraphQL's null as absent. */
const subset = (args: Subset) => ({
  approvedFields: args.approvedFields ?? undefined,
  approvedProbes: args.approvedProbes ?? undefined,
});

export const Mutation = {
  openCase: async (_: unknown, args: { input: OpenCaseInput }, ctx: GatewayContext) =>
    visible(ctx, unwrapCase(await openCase(ctx, args.input, personResolver(ctx)))),

  registerSignal: async (_: unknown, args: { input: OpenCaseInput }, ctx: GatewayContext) => {
    const { record, resolutions } = unwrapCase(await registerSignal(ctx, args.input, personResolver(ctx)));
    return { case: await visible(ctx, record), resolutions };
  },

  addCaseSubject: async (
    _: unknown,
    args: { id: string; subject: string; motivation: string; checkId?: string | null },
    ctx: GatewayContext,
  ) => visible(ctx, unwrapCase(await addCaseSubject(ctx, args))),

  transitionCase: async (
    _: unknown,
    args: { id: string; to: string; motivation: string },
    ctx: GatewayContext,
  ) => visible(ctx, unwrapCase(await transitionCase(ctx, args.id, args.to, args.motivation))),

  acknowledgeSignalReceipt: async (_: unknown, args: { id: string }, ctx: GatewayContext) =>
    visible(ctx, unwrapCase(await acknowledgeSignalReceipt(ctx, args.id))),

  closeCase: async (
    _: unknown,
    args: { id: string; outcome: string; motivation: string; exit?: CaseExitInput | null },
    ctx: GatewayContext,
  ) => visible(ctx, unwrapCase(await closeCase(ctx, args.id, args.outcome, args.motivation, args.exit))),

  assignCase: async (
    _: unknown,
    args: { id: string; owner: string; substitute?: string | null; motivation: string },
    ctx: GatewayContext,
  ) => visible(ctx, unwrapCase(await assignCase(ctx, args))),

  requestPrivacyCheck: async (
    _: unknown,
    args: {
      input: {
        caseId: string;
        kind: string;
        source: string;
        fields?: string[] | null;
        probes?: string[] | null;
        subjects?: string[] | null;
        recipients?: string[] | null;
        motivation: string;
      };
    },
    ctx: GatewayContext,
  ) =>
    unwrapCase(
      await requestPrivacyCheck(ctx, {
        subjects: args.input.subjects ?? [],
        recipients: args.input.recipients ?? [],
        caseId: args.input.caseId,
        kind: KIND[args.input.kind] ?? "2a",
        source: args.input.source,
        fields: args.input.fields ?? [],
        probes: args.input.probes ?? [],
        motivation: args.input.motivation,
      }),
    ),

  advisePrivacyCheck: async (
    _: unknown,
    args: Subset & { id: string; advice: Advice; motivation: string },
    ctx: GatewayContext,
  ) =>
    unwrapCase(
      await advisePrivacyCheck(ctx, {
        id: args.id,
        advice: args.advice,
        motivation: args.motivation,
        ...subset(args),
      }),
    ),

  escalatePrivacyCheck: async (_: unknown, args: { id: string; motivation: string }, ctx: GatewayContext) =>
    unwrapCase(await escalatePrivacyCheck(ctx, args)),

  decidePrivacyCheck: async (
    _: unknown,
    args: Subset & { id: string; decision: Advice; motivation: string },
    ctx: GatewayContext,
  ) =>
    unwrapCase(
      await decidePrivacyCheck(ctx, {
        id: args.id,
        decision: args.decision,
        motivation: args.motivation,
        ...subset(args),
      }),
    ),

  revokePrivacyCheck: async (_: unknown, args: { id: string; motivation: string }, ctx: GatewayContext) =>
    unwrapCase(await revokePrivacyCheck(ctx, args)),

  requestSecondOpinion: async (_: unknown, args: { id: string; motivation: string }, ctx: GatewayContext) =>
    unwrapCase(await requestSecondOpinion(ctx, args)),

  giveSecondOpinion: async (
    _: unknown,
    args: { id: string; opinion: Advice; motivation: string },
    ctx: GatewayContext,
  ) => unwrapCase(await giveSecondOpinion(ctx, args)),
};

import { explainForCase, listCases, loadVisibleCase, pendingChecks } from "../src/cases/index.ts";
import { unwrapCase } from "../src/server/map-errors.ts";
import type { GatewayContext } from "./context.ts";

export const Query = {
  me: (_: unknown, __: unknown, ctx: GatewayContext) => ({
    subject: ctx.actor.subject,
    roles: ctx.actor.roles,
    department: ctx.actor.department ?? null,
    clientId: ctx.actor.clientId ?? null,
  }),

  case: async (_: unknown, args: { id: string }, ctx: GatewayContext) => {
    let pending = ctx.visibleCases.get(args.id);
    if (!pending) {
      pending = loadVisibleCase(ctx, args.id, "case.read");
      ctx.visibleCases.set(args.id, pending);
    }
    return unwrapCase(await pending);
  },

  cases: (_: unknown, args: { status?: "OPEN" | "CLOSED" | null }, ctx: GatewayContext) =>
    listCases(ctx, args.status ? (args.status === "OPEN" ? "open" : "closed") : undefined),

  pendingPrivacyChecks: (_: unknown, __: unknown, ctx: GatewayContext) => pendingChecks(ctx),

  explain: async (
    _: unknown,
    args: { caseId: string; role: string; source: string; field?: string | null; probe?: string | null },
    ctx: GatewayContext,
  ) => {
    const r = unwrapCase(
      await explainForCase(ctx, { ...args, field: args.field ?? undefined, probe: args.probe ?? undefined }),
    );
    return {
      ...r,
      decisions: r.decisions.map((d) => ({
        about: d.about,
        ...d.decision,
        ruleId: d.decision.ruleId ?? null,
      })),
    };
  },

  protocol: (_: unknown, __: unknown, ctx: GatewayContext) => ({
    ...ctx.policy.protocol,
    policyHash: ctx.policy.hash,
  }),
};

import { policyDiffFor, policyReplayFor } from "../src/cases/index.ts";
import { unwrapCase } from "../src/server/map-errors.ts";
import type { GatewayContext } from "./context.ts";

/** The privacy officer's diff and replay (schema/policy-explain.graphql; src/cases/policy-explain-service.ts). */
export const PolicyExplainQuery = {
  policyDiff: async (_: unknown, args: { from: string; to: string }, ctx: GatewayContext) =>
    unwrapCase(await policyDiffFor(ctx, args)),
  policyReplay: async (
    _: unknown,
    args: { candidate: string; from: string; to: string },
    ctx: GatewayContext,
  ) => {
    const r = unwrapCase(await policyReplayFor(ctx, args));
    return {
      ...r,
      from: r.period.from,
      to: r.period.to,
      allowToDeny: r.flipped.allowToDeny,
      denyToAllow: r.flipped.denyToAllow,
      flips: r.flips.map((f) => ({
        ...f,
        direction: f.direction === "allow→deny" ? "ALLOW_TO_DENY" : "DENY_TO_ALLOW",
      })),
    };
  },
};

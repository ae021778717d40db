import {
  flaggedEventsFor,
  reviewFlaggedEvent,
  type FlaggedArgs,
  type FlaggedEvent,
} from "../src/flagged/index.ts";
import { unwrapCase } from "../src/server/map-errors.ts";
import type { GatewayContext } from "./context.ts";

/** The privacy officer's queue of flagged refusals (schema/flagged.graphql; src/flagged). */
const out = (e: FlaggedEvent) => ({
  ...e,
  at: e.at.toISOString(),
  lastAt: e.lastAt.toISOString(),
  reviewed: e.review !== null,
  review: e.review && { ...e.review, at: e.review.at.toISOString() },
});

export const FlaggedQuery = {
  flaggedEvents: async (_: unknown, args: FlaggedArgs, ctx: GatewayContext) =>
    unwrapCase(await flaggedEventsFor(ctx, args)).map(out),
};

export const FlaggedMutation = {
  reviewFlaggedEvent: async (_: unknown, args: { id: string; note: string }, ctx: GatewayContext) =>
    out(unwrapCase(await reviewFlaggedEvent(ctx, args))),
};

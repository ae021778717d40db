import { auditRecordOut } from "../src/audit-search/index.ts";
import {
  flaggedEventsFor,
  patternRecordsFor,
  reviewFlaggedEvent,
  type FlaggedArgs,
  type FlaggedEvent,
  type FlaggedPattern,
} from "../src/flagged/index.ts";
import { unwrapCase } from "../src/server/map-errors.ts";
import type { GatewayContext } from "./context.ts";

/** The privacy officer's queue of flagged refusals and patterns (schema/flagged.graphql; src/flagged). */
const out = (e: FlaggedEvent) => ({
  ...e,
  at: e.at.toISOString(),
  lastAt: e.lastAt.toISOString(),
  reviewed: e.review !== null,
  review: e.review && { ...e.review, at: e.review.at.toISOString() },
  pattern: e.pattern && {
    ...e.pattern,
    windowStart: e.pattern.windowStart.toISOString(),
    windowEnd: e.pattern.windowEnd.toISOString(),
    // Kept for `records`, which reads them only when asked for.
    source: e.pattern,
  },
});

export const FlaggedQuery = {
  flaggedEvents: async (_: unknown, args: FlaggedArgs, ctx: GatewayContext) =>
    unwrapCase(await flaggedEventsFor(ctx, args)).map(out),
};

export const FlaggedMutation = {
  reviewFlaggedEvent: async (_: unknown, args: { id: string; note: string }, ctx: GatewayContext) =>
    out(unwrapCase(await reviewFlaggedEvent(ctx, args))),
};

export const FlaggedPatternType = {
  records: async (parent: { source: FlaggedPattern }, _: unknown, ctx: GatewayContext) =>
    (await patternRecordsFor(ctx, parent.source))?.map(auditRecordOut) ?? null,
};
